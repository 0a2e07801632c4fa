#include "ui/widgets/dialogs.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QToolButton>
#include <QVBoxLayout>
#include <optional>

#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/model/precision.h"
#include "ui/i18n.h"
#include "ui/services/modelcatalogue.h"
#include "ui/services/modelservice.h"

namespace shenbi::ui {

// ---------------------------------------------------------------- settings

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Preferences"));
    auto* form = new QFormLayout;
    QSettings s;
    m_language = new QComboBox(this);
    m_language->addItem(tr("Follow the system"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(s.value(QStringLiteral("ui/language")).toString())));
    form->addRow(tr("Language"), m_language);

    m_device = new QComboBox(this);
    for (const QString& d : ModelService::availableDevices())
        m_device->addItem(d == QStringLiteral("cpu") ? tr("CPU") : d.toUpper(), d);
    m_device->setCurrentIndex(
        std::max(0, m_device->findData(s.value(QStringLiteral("model/device"), QStringLiteral("cpu")))));
    form->addRow(tr("Device"), m_device);

    // The GPT's weights (core/model/precision.h): int8 reads a quarter of
    // fp32's bytes per token; bf16 and w8a8 only where the CPU runs them at
    // full speed (cpu_runs_precision).
    m_precision = new QComboBox(this);
    m_precision->addItem(tr("Automatic (int8 on this kind of CPU, else fp32)"), QStringLiteral("auto"));
    m_precision->addItem(tr("fp32 (exact)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("int8 (fast on the CPU, nearly exact)"), QStringLiteral("int8"));
    if (cpu_runs_precision(WeightPrecision::W8A8)) {
        m_precision->addItem(tr("w8a8 (int8 activations too: faster, less exact)"), QStringLiteral("w8a8"));
    }
    if (cpu_runs_precision(WeightPrecision::BFloat16)) m_precision->addItem(tr("bf16"), QStringLiteral("bf16"));
    m_precision->setCurrentIndex(
        std::max(0, m_precision->findData(s.value(QStringLiteral("model/precision"), QStringLiteral("auto")))));
    m_precision->setToolTip(
        tr("int8 draws nearly the same pictures as fp32 (the same code at 99% of steps on the bundled model) "
           "two to three times faster on the CPU. w8a8, where this CPU offers it, is faster still and follows "
           "fp32 less closely (97% of steps). GPUs use fp32."));
    form->addRow(tr("Weights"), m_precision);

    m_threads = new QSpinBox(this);
    m_threads->setRange(1, 256);
    m_threads->setValue(s.value(QStringLiteral("model/cpuThreads"), ModelService::defaultCpuThreads()).toInt());
    m_threads->setToolTip(tr("Threads for generation on the CPU. One core is left to the window by default."));
    form->addRow(tr("CPU threads"), m_threads);

    auto* note =
        new QLabel(tr("A new language applies when the window reopens, a new device or weights when the model reloads "
                      "(done for you)."),
                   this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color:#777"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

QString SettingsDialog::language() const {
    return m_language->currentData().toString();
}
QString SettingsDialog::device() const {
    return m_device->currentData().toString();
}
QString SettingsDialog::precision() const {
    return m_precision->currentData().toString();
}
int SettingsDialog::cpuThreads() const {
    return m_threads->value();
}

void SettingsDialog::save() const {
    QSettings s;
    s.setValue(QStringLiteral("ui/language"), language());
    s.setValue(QStringLiteral("model/device"), device());
    s.setValue(QStringLiteral("model/precision"), precision());
    s.setValue(QStringLiteral("model/cpuThreads"), cpuThreads());
}

// ---------------------------------------------------------------- export

ExportDialog::ExportDialog(int count, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Export %n image(s)", nullptr, count));
    const ExportOptions o = savedOptions();
    auto* form = new QFormLayout;
    m_format = new QComboBox(this);
    m_format->addItem(tr("PNG (lossless, iTXt record)"), QStringLiteral("png"));
    m_format->addItem(tr("JPEG (EXIF + XMP record)"), QStringLiteral("jpg"));
    m_format->addItem(tr("WebP (EXIF + XMP record)"), QStringLiteral("webp"));
    m_format->setCurrentIndex(std::max(0, m_format->findData(o.format)));
    form->addRow(tr("Format"), m_format);
    m_scale = new QComboBox(this);
    m_scale->addItem(QStringLiteral("×1"), 1);
    m_scale->addItem(QStringLiteral("×2"), 2);
    m_scale->addItem(QStringLiteral("×4"), 4);
    m_scale->setCurrentIndex(std::max(0, m_scale->findData(o.scale)));
    form->addRow(tr("Upscale"), m_scale);
    m_filter = new QComboBox(this);
    m_filter->addItem(tr("Lanczos (smooth)"), static_cast<int>(UpscaleFilter::Lanczos));
    m_filter->addItem(tr("Nearest (pixel art)"), static_cast<int>(UpscaleFilter::Nearest));
    m_filter->setCurrentIndex(std::max(0, m_filter->findData(static_cast<int>(o.filter))));
    form->addRow(tr("Filter"), m_filter);
    m_template = new QLineEdit(o.filenameTemplate, this);
    m_template->setToolTip(tr("Fields: {date} {time} {prompt} {seed} {cseed} {index} {model} {id}"));
    form->addRow(tr("File name"), m_template);
    auto* dirRow = new QHBoxLayout;
    m_dir = new QLineEdit(o.directory, this);
    auto* browse = new QToolButton(this);
    browse->setText(QStringLiteral("…"));
    connect(browse, &QToolButton::clicked, this, [this]() {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Export folder"), m_dir->text());
        if (!d.isEmpty()) m_dir->setText(d);
    });
    dirRow->addWidget(m_dir, 1);
    dirRow->addWidget(browse);
    form->addRow(tr("Folder"), dirRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        saveOptions(options());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

ExportOptions ExportDialog::options() const {
    ExportOptions o;
    o.format = m_format->currentData().toString();
    o.scale = m_scale->currentData().toInt();
    o.filter = static_cast<UpscaleFilter>(m_filter->currentData().toInt());
    o.filenameTemplate = m_template->text();
    o.directory = m_dir->text();
    return o;
}

ExportOptions ExportDialog::savedOptions() {
    QSettings s;
    ExportOptions o;
    o.format = s.value(QStringLiteral("export/format"), o.format).toString();
    o.scale = s.value(QStringLiteral("export/scale"), o.scale).toInt();
    o.filter = static_cast<UpscaleFilter>(s.value(QStringLiteral("export/filter"), static_cast<int>(o.filter)).toInt());
    o.filenameTemplate = s.value(QStringLiteral("export/template"), o.filenameTemplate).toString();
    o.directory =
        s.value(QStringLiteral("export/dir"), QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                                                  .filePath(QStringLiteral("Shenbi")))
            .toString();
    return o;
}

void ExportDialog::saveOptions(const ExportOptions& o) {
    QSettings s;
    s.setValue(QStringLiteral("export/format"), o.format);
    s.setValue(QStringLiteral("export/scale"), o.scale);
    s.setValue(QStringLiteral("export/filter"), static_cast<int>(o.filter));
    s.setValue(QStringLiteral("export/template"), o.filenameTemplate);
    s.setValue(QStringLiteral("export/dir"), o.directory);
}

// ---------------------------------------------------------------- models

QString ModelManagerDialog::bundledModelDir() {
    return modelcatalogue::bundledModelDir();
}

QStringList ModelManagerDialog::knownModels() {
    QStringList out;
    for (const ModelEntry& e : modelcatalogue::entries()) out << e.key();
    return out;
}

void ModelManagerDialog::rememberModel(const QString& key) {
    if (const std::optional<ModelEntry> entry = ModelEntry::parse(key)) modelcatalogue::remember(*entry);
}

namespace {

// model.json's config, or why it cannot be read; empty for an EasyNLP folder.
struct EntryCard {
    QString name, description, error;
    QStringList examples;
    bool easyNlp = false;
    QString loraBase;  // a LoRA adapter directory: its base model's folder (core/io/lora_dir.h)
    QString loraName;  // and its own name, when it has one
};

// The card of a model folder (core's readers of model.json and adapter.json);
// an adapter folder shows its base's card, marked as adapted.
EntryCard readCard(const QString& dir) {
    EntryCard card;
    const std::filesystem::path path(dir.toStdString());
    if (shenbi::is_lora_dir(path)) {
        const auto info = shenbi::read_lora_dir_info(path);
        if (!info) {
            card.error = QString::fromStdString(info.message());
        } else if (info->base_model.empty() || shenbi::is_lora_dir(info->base_model)) {
            card.error = ModelManagerDialog::tr("adapter.json names no base model");
        } else {
            card = readCard(QString::fromStdString(info->base_model.string()));
            card.loraBase = QString::fromStdString(info->base_model.string());
            card.loraName = QString::fromStdString(info->name);
        }
        return card;
    }
    if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("model.json")))) {
        card.easyNlp = QFileInfo::exists(QDir(dir).filePath(QStringLiteral("pytorch_model.bin")));
        if (!card.easyNlp) card.error = ModelManagerDialog::tr("no model.json or pytorch_model.bin here");
        return card;
    }
    const auto config = shenbi::read_model_config(path);
    if (!config) {
        card.error = QString::fromStdString(config.message());
        return card;
    }
    card.name = QString::fromStdString(config->name);
    card.description = QString::fromStdString(config->card.description);
    for (const auto& e : config->card.examples) card.examples << QString::fromStdString(e);
    return card;
}

qint64 folderBytes(const QString& dir) {
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

}  // namespace

QString ModelManagerDialog::entryLabel(const QString& key) {
    const std::optional<ModelEntry> entry = ModelEntry::parse(key);
    return entry ? entryLabel(*entry) : key;
}

QString ModelManagerDialog::entryLabel(const ModelEntry& entry) {
    if (entry.isRandom()) return modelcatalogue::label(entry);
    const QString& dir = entry.path;
    const EntryCard card = readCard(dir);
    QString name =
        card.name.isEmpty() || card.name == QStringLiteral("unnamed") ? QFileInfo(dir).fileName() : card.name;
    if (card.easyNlp) name = tr("%1 (EasyNLP, used in place)").arg(name);
    if (!card.loraBase.isEmpty())
        name = tr("%1 (LoRA on %2)").arg(card.loraName.isEmpty() ? QFileInfo(dir).fileName() : card.loraName, name);
    if (!card.error.isEmpty()) name = tr("%1 (cannot be read: %2)").arg(QFileInfo(dir).fileName(), card.error);
    return modelcatalogue::label(entry, name);
}

ModelManagerDialog::ImportChoice ModelManagerDialog::askImport(QWidget* parent,
                                                               const QString& easyNlpDir,
                                                               const QString& copyDir) {
    const qint64 bytes = folderBytes(easyNlpDir);
    QString existing = QFileInfo(copyDir).absoluteFilePath();  // the copy's nearest existing folder holds it
    while (!QFileInfo::exists(existing) && QFileInfo(existing).absolutePath() != existing)
        existing = QFileInfo(existing).absolutePath();
    const QStorageInfo storage(existing);
    const QLocale locale;
    QMessageBox box(QMessageBox::Question, tr("Import EasyNLP model"),
                    tr("Converting %1 writes a copy of about %2 into %3 (%4 free there).\n\n"
                       "Or use the folder where it is: nothing is copied, it is converted each time it is loaded, "
                       "and it must stay in place.")
                        .arg(QDir::toNativeSeparators(easyNlpDir), locale.formattedDataSize(bytes),
                             QDir::toNativeSeparators(copyDir), locale.formattedDataSize(storage.bytesAvailable())),
                    QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("importQuestion"));
    auto* copy = box.addButton(tr("Convert into a copy"), QMessageBox::AcceptRole);
    auto* inPlace = box.addButton(tr("Use in place"), QMessageBox::ActionRole);
    copy->setObjectName(QStringLiteral("importCopy"));
    inPlace->setObjectName(QStringLiteral("importInPlace"));
    // A copy that cannot fit is not offered (a half-written model helps no one).
    if (storage.isValid() && storage.bytesAvailable() < bytes) {
        copy->setEnabled(false);
        box.setInformativeText(tr("There is not enough free space for a copy."));
    }
    box.setDefaultButton(inPlace);
    box.exec();
    if (box.clickedButton() == copy) return ImportChoice::Copy;
    if (box.clickedButton() == inPlace) return ImportChoice::InPlace;
    return ImportChoice::Cancel;
}

ModelManagerDialog::ModelManagerDialog(ModelService* models, QWidget* parent) : QDialog(parent), m_models(models) {
    setWindowTitle(tr("Models"));
    auto* layout = new QVBoxLayout(this);
    m_current = new QLabel(this);
    m_current->setWordWrap(true);
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("modelList"));
    m_card = new QLabel(this);
    m_card->setObjectName(QStringLiteral("modelCard"));
    m_card->setWordWrap(true);
    m_card->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* row = new QHBoxLayout;
    auto* load = new QPushButton(tr("Load"), this);
    auto* add = new QPushButton(tr("Add model folder…"), this);
    auto* import = new QPushButton(tr("Import EasyNLP folder…"), this);
    auto* remove = new QPushButton(tr("Forget"), this);
    row->addWidget(load);
    row->addWidget(add);
    row->addWidget(import);
    row->addWidget(remove);
    row->addStretch(1);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_current);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_card);
    layout->addLayout(row);
    layout->addWidget(close);

    const auto loadSelected = [this]() {
        if (auto* it = m_list->currentItem()) Q_EMIT loadRequested(it->data(Qt::UserRole).toString());
    };
    connect(load, &QPushButton::clicked, this, loadSelected);
    connect(m_list, &QListWidget::itemActivated, this, loadSelected);
    connect(add, &QPushButton::clicked, this, [this]() {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Shenbi or EasyNLP model folder"));
        if (d.isEmpty()) return;
        const ModelEntry entry = ModelEntry::directory(d);
        modelcatalogue::remember(entry);
        refresh();
        Q_EMIT loadRequested(entry.key());
    });
    connect(import, &QPushButton::clicked, this, [this]() {
        const QString d = QFileDialog::getExistingDirectory(
            this, tr("EasyNLP ARTIST folder (pytorch_model.bin, config.json, vocab.txt)"));
        if (!d.isEmpty()) Q_EMIT importRequested(d);
    });
    connect(remove, &QPushButton::clicked, this, [this]() {
        auto* it = m_list->currentItem();
        if (!it) return;
        if (const std::optional<ModelEntry> entry = ModelEntry::parse(it->data(Qt::UserRole).toString()))
            modelcatalogue::forget(*entry);
        refresh();
    });
    connect(m_models, &ModelService::modelChanged, this, &ModelManagerDialog::refresh);
    connect(m_list, &QListWidget::currentItemChanged, this, &ModelManagerDialog::showCard);
    refresh();
    resize(640, 460);
}

void ModelManagerDialog::refresh() {
    const ModelInfo& i = m_models->info();
    m_current->setText(i.isNull() ? tr("No model loaded.")
                                  : tr("<b>%1</b><br>checksum %2 · %3 px · %4 text tokens · fusion %5 · %6")
                                        .arg(i.id.toHtmlEscaped(), i.checksum.left(16))
                                        .arg(i.resolution)
                                        .arg(i.textLen)
                                        .arg(i.fusion, i.device));
    const QString selected = m_list->currentItem() ? m_list->currentItem()->data(Qt::UserRole).toString() : QString();
    m_list->clear();
    for (const ModelEntry& e : modelcatalogue::entries()) {
        const QString key = e.key();
        auto* it = new QListWidgetItem(entryLabel(e), m_list);
        it->setData(Qt::UserRole, key);
        it->setToolTip(QDir::toNativeSeparators(e.path));
        if (e.describes(i)) {
            QFont bold = it->font();
            bold.setBold(true);
            it->setFont(bold);
            it->setText(tr("%1 (open)").arg(it->text()));
            if (selected.isEmpty()) m_list->setCurrentItem(it);
        }
        if (key == selected) m_list->setCurrentItem(it);
    }
    showCard();
}

void ModelManagerDialog::showCard() {
    const QListWidgetItem* it = m_list->currentItem();
    const std::optional<ModelEntry> entry =
        it ? ModelEntry::parse(it->data(Qt::UserRole).toString()) : std::optional<ModelEntry>();
    if (!entry || entry->isRandom()) {
        m_card->setText(!entry ? QString() : tr("Untrained: draws noise. For trying the studio and for tests."));
        return;
    }
    const EntryCard card = readCard(entry->path);
    QString text = card.description.isEmpty() ? tr("This model says nothing about what it draws.")
                                              : card.description.toHtmlEscaped();
    if (!card.examples.isEmpty()) {
        QStringList shown;
        for (const QString& e : card.examples.mid(0, 6)) shown << e.toHtmlEscaped();
        text += QStringLiteral("<br>") + tr("Draws well: %1").arg(shown.join(QStringLiteral(" · ")));
    }
    m_card->setText(text);
}

}  // namespace shenbi::ui
