#include "ui/services/knowledgeservice.h"

#include <QPointer>
#include <algorithm>

#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include "core/knowledge/linker.h"
#include "core/util/guard.h"
#include "core/util/resources.h"

namespace shenbi::ui {

namespace {

struct LoadedGraph {
    std::shared_ptr<const EntityLinker> linker;
    QString error;
};

LoadedGraph loadGraph(const QString& dir) {
    LoadedGraph g;
    try {
        auto r = EntityLinker::load(std::filesystem::path(dir.toStdString()));
        if (r) {
            g.linker = std::make_shared<const EntityLinker>(std::move(r).value());
        } else {
            g.error = QString::fromStdString(r.message());
        }
    } catch (...) {
        g.error = QString::fromStdString(current_exception_message());
    }
    return g;
}

}  // namespace

KnowledgeService::KnowledgeService(QObject* parent) : QObject(parent) {}
KnowledgeService::~KnowledgeService() = default;

QString KnowledgeService::loadNow(const QString& graphDir) {
    auto g = loadGraph(graphDir);
    if (g.linker) {
        m_linker = std::move(g.linker);
        m_graphDir = graphDir;
    }
    return g.error;
}

QCoro::Task<QString> KnowledgeService::load(QString graphDir) {
    return loadImpl(graphDir);
}

QCoro::Task<QString> KnowledgeService::loadImpl(QString graphDir) {
    QPointer<KnowledgeService> self(this);
    QFuture<LoadedGraph> future = QtConcurrent::run([graphDir]() { return loadGraph(graphDir); });
    LoadedGraph g = co_await future;  // named future: see ModelService::runLoad
    if (!self) co_return g.error;
    if (g.linker) {
        m_linker = std::move(g.linker);
        m_graphDir = graphDir;
    }
    co_return g.error;
}

QList<EntitySpan> KnowledgeService::link(const QString& text, int maxNeighbours) const {
    QList<EntitySpan> out;
    if (!m_linker || text.isEmpty()) return out;
    try {
        const auto linked = m_linker->link(text.toStdString(), maxNeighbours, m_singleChars);
        out.reserve(static_cast<qsizetype>(linked.size()));
        for (const auto& e : linked) {
            EntitySpan s;
            s.name = QString::fromStdString(e.name);
            s.id = e.id;
            s.begin = codePointToUtf16(text, e.char_begin);
            s.end = codePointToUtf16(text, e.char_end);
            for (const auto& n : e.neighbours)
                s.neighbours.append({QString::fromStdString(n.relation), QString::fromStdString(n.other), n.outgoing});
            out.append(std::move(s));
        }
    } catch (...) {
        // A linker bug must not take the editor down; no underlines then, and the reason logged.
        qWarning("entity linking failed: %s", current_exception_message().c_str());
        out.clear();
    }
    return out;
}

QStringList KnowledgeService::complete(const QString& prefix, int limit) const {
    QStringList out;
    if (!m_linker || prefix.isEmpty()) return out;
    try {
        for (const auto& n : m_linker->complete(prefix.toStdString(), limit)) out << QString::fromStdString(n);
    } catch (...) {
        qWarning("entity completion failed: %s", current_exception_message().c_str());
        out.clear();
    }
    return out;
}

QString KnowledgeService::defaultGraphDir() {
    const auto dir = shenbi::default_knowledge_dir();
    return dir ? QString::fromStdString(dir->string()) : QString();
}

QList<EntitySpan> defaultActiveSpans(const QList<EntitySpan>& all) {
    QList<EntitySpan> sorted = all;
    std::stable_sort(sorted.begin(), sorted.end(), [](const EntitySpan& a, const EntitySpan& b) {
        if (a.length() != b.length()) return a.length() > b.length();
        return a.begin < b.begin;
    });
    QList<EntitySpan> chosen;
    for (const auto& s : sorted) {
        const bool clash =
            std::any_of(chosen.begin(), chosen.end(), [&](const EntitySpan& c) { return c.overlaps(s); });
        if (!clash) chosen.append(s);
    }
    std::sort(chosen.begin(), chosen.end(), [](const EntitySpan& a, const EntitySpan& b) { return a.begin < b.begin; });
    return chosen;
}

}  // namespace shenbi::ui
