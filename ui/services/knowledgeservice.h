// The knowledge graph as the prompt editor sees it: which entities a prompt
// mentions (UTF-16 spans + neighbours) and entity-name completion.
// Linking is a dictionary walk over an immutable graph (microseconds for a
// 32-token prompt), so it runs on the GUI thread after the editor's
// debounce; only loading the graph goes to a worker.
#pragma once

#include <QObject>
#include <QStringList>
#include <memory>

#include <qcoro/qcorotask.h>

#include "ui/services/types.h"

namespace shenbi {
class EntityLinker;
}

namespace shenbi::ui {

class KnowledgeService : public QObject {
    Q_OBJECT
public:
    explicit KnowledgeService(QObject* parent = nullptr);
    ~KnowledgeService() override;

    // Loads triples.tsv + entity2id.txt from `graphDir` off the GUI thread.
    // Returns an empty string on success, else the error.
    QCoro::Task<QString> load(QString graphDir);
    // Blocking variant, for tests.
    QString loadNow(const QString& graphDir);

    bool isLoaded() const { return static_cast<bool>(m_linker); }
    QString graphDir() const { return m_graphDir; }

    // All dictionary spans, nested and overlapping kept, ordered by start then end.
    QList<EntitySpan> link(const QString& text, int maxNeighbours = 8) const;
    // The open model's rule for one-character names (ModelInfo::singleCharEntities),
    // so that link() returns what that model is given.
    void setSingleCharEntities(bool on) { m_singleChars = on; }
    bool singleCharEntities() const { return m_singleChars; }
    QStringList complete(const QString& prefix, int limit = 20) const;

    // The bundled graph: $SHENBI_KNOWLEDGE_DIR, <app>/../share/shenbi/knowledge,
    // or resources/knowledge in the source tree. Empty when none exists.
    static QString defaultGraphDir();

private:
    QCoro::Task<QString> loadImpl(QString graphDir);  // lvalue arguments only (see ModelService::runLoad)
    std::shared_ptr<const EntityLinker> m_linker;
    QString m_graphDir;
    bool m_singleChars = false;
};

// Spans the editor underlines by default: longest-first, non-overlapping
// (the others stay available for re-linking by click).
QList<EntitySpan> defaultActiveSpans(const QList<EntitySpan>& all);

}  // namespace shenbi::ui
