#include "ui/services/modelcatalogue.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QStringList>

#include "core/util/resources.h"
#include "ui/services/types.h"

namespace shenbi::ui {

namespace {

// The key prefixes: the persisted format, unchanged since the first studio.
const QString& randomPrefix() {
    static const QString p = QStringLiteral("random:");
    return p;
}
const QString& bundledPrefix() {
    static const QString p = QStringLiteral("bundled:");
    return p;
}
const QString& directoryPrefix() {
    static const QString p = QStringLiteral("dir:");
    return p;
}

// ModelService::loadRandom names its model "random-<preset>".
const QString& randomIdPrefix() {
    static const QString p = QStringLiteral("random-");
    return p;
}

QString knownKey() {
    return QStringLiteral("models/known");
}
QString currentKey() {
    return QStringLiteral("model/current");
}

}  // namespace

ModelEntry ModelEntry::random(const QString& preset) {
    ModelEntry e;
    e.kind = Kind::Random;
    e.preset = preset;
    return e;
}

ModelEntry ModelEntry::bundled(const QString& path) {
    ModelEntry e;
    e.kind = Kind::Bundled;
    e.path = path;
    return e;
}

ModelEntry ModelEntry::directory(const QString& path) {
    ModelEntry e;
    e.kind = Kind::Directory;
    e.path = path;
    return e;
}

std::optional<ModelEntry> ModelEntry::parse(const QString& key) {
    // Only the prefix is split off: a path may hold ':' itself (C:\...).
    if (key.startsWith(randomPrefix())) {
        const QString preset = key.mid(randomPrefix().size());
        if (preset.isEmpty()) return std::nullopt;
        return ModelEntry::random(preset);
    }
    if (key.startsWith(bundledPrefix())) {
        const QString path = key.mid(bundledPrefix().size());
        if (path.isEmpty()) return std::nullopt;
        return ModelEntry::bundled(path);
    }
    if (key.startsWith(directoryPrefix())) {
        const QString path = key.mid(directoryPrefix().size());
        if (path.isEmpty()) return std::nullopt;
        return ModelEntry::directory(path);
    }
    return std::nullopt;
}

QString ModelEntry::key() const {
    switch (kind) {
        case Kind::Random:
            return randomPrefix() + preset;
        case Kind::Bundled:
            return bundledPrefix() + path;
        case Kind::Directory:
            return directoryPrefix() + path;
    }
    return QString();
}

bool ModelEntry::describes(const ModelInfo& info) const {
    if (info.isNull()) return false;
    if (isRandom()) return info.dir.isEmpty() && info.id == randomIdPrefix() + preset;
    const QString mine = QFileInfo(path).canonicalFilePath();
    return !mine.isEmpty() && mine == QFileInfo(info.dir).canonicalFilePath();
}

namespace modelcatalogue {

QString bundledModelDir() {
    const auto dir = shenbi::default_model_dir();
    return dir ? QString::fromStdString(dir->string()) : QString();
}

ModelEntry defaultEntry() {
    const QString bundled = bundledModelDir();
    return bundled.isEmpty() ? ModelEntry::random(QString::fromLatin1(kSmallPreset)) : ModelEntry::bundled(bundled);
}

QList<ModelEntry> entries() {
    QList<ModelEntry> out;
    const auto add = [&out](const ModelEntry& e) {
        if (!out.contains(e)) out << e;
    };
    const QString bundled = bundledModelDir();
    if (!bundled.isEmpty()) add(ModelEntry::bundled(bundled));
    for (const ModelEntry& e : remembered()) add(e);
    add(ModelEntry::random(QString::fromLatin1(kSmallPreset)));
    add(ModelEntry::random(QString::fromLatin1(kTinyPreset)));
    return out;
}

QList<ModelEntry> remembered() {
    QList<ModelEntry> out;
    for (const QString& key : QSettings().value(knownKey()).toStringList()) {
        if (const std::optional<ModelEntry> e = ModelEntry::parse(key)) out << *e;
    }
    return out;
}

void remember(const ModelEntry& entry) {
    if (!entry.isDirectory()) return;
    QSettings s;
    QStringList known = s.value(knownKey()).toStringList();
    const QString key = entry.key();
    known.removeAll(key);
    known.prepend(key);
    s.setValue(knownKey(), known.mid(0, kMaxRemembered));
}

void forget(const ModelEntry& entry) {
    QSettings s;
    QStringList known = s.value(knownKey()).toStringList();
    known.removeAll(entry.key());
    s.setValue(knownKey(), known);
}

std::optional<ModelEntry> current() {
    return ModelEntry::parse(QSettings().value(currentKey()).toString());
}

void setCurrent(const ModelEntry& entry) {
    QSettings().setValue(currentKey(), entry.key());
}

// These were ModelManagerDialog::tr() strings: the same context (spelled out,
// for lupdate) keeps their translations in translations/*.ts.
QString label(const ModelEntry& entry, const QString& modelName) {
    switch (entry.kind) {
        case ModelEntry::Kind::Random:
            if (entry.preset == QLatin1String(kSmallPreset))
                return QCoreApplication::translate("shenbi::ui::ModelManagerDialog",
                                                   "Random weights, small (64 px demo, no training)");
            if (entry.preset == QLatin1String(kTinyPreset))
                return QCoreApplication::translate("shenbi::ui::ModelManagerDialog",
                                                   "Random weights, tiny (16 px, for testing)");
            return entry.key();  // a preset the list never offers: named as stored
        case ModelEntry::Kind::Bundled:
            return QCoreApplication::translate("shenbi::ui::ModelManagerDialog", "%1 — bundled default model")
                .arg(modelName);
        case ModelEntry::Kind::Directory:
            return modelName;
    }
    return modelName;
}

bool isRandomWeights(const ModelInfo& info) {
    return info.dir.isEmpty() && info.id.startsWith(randomIdPrefix());
}

}  // namespace modelcatalogue

}  // namespace shenbi::ui
