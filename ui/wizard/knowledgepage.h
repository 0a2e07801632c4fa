// The fine-tune wizard's knowledge page: how much of the captions the base
// model's knowledge graph reaches (core/knowledge/coverage.h, computed off the
// GUI thread with the model's own tokenizer and single-character rule), and
// the artist's own triples (head, relation, tail). Names the graph lacks get
// knowledge vectors when training starts (core/knowledge/entity_extension.h),
// so a character of the artist's ("阿花, 是一种, 猫") lands beside what it is.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QWizardPage>
#include <memory>

class QGroupBox;
class QLabel;
class QLayout;
class QListWidget;
class QTableWidget;

namespace shenbi {
class EntityTable;
}

namespace shenbi::ui {

class DataPage;
class FinetuneWizard;
class RelationDelegate;
struct KnowledgeCoverage;  // the worker's result (knowledgepage.cpp)

class KnowledgePage : public QWizardPage {
    Q_OBJECT
public:
    KnowledgePage(FinetuneWizard* wizard, DataPage* data);
    ~KnowledgePage() override;

    // Rows of (head, relation, tail); for tests and for restoring a plan.
    void setTriples(const QList<QStringList>& rows);
    // Every row, each cell trimmed to one line (empty cells kept).
    QList<QStringList> triples() const;
    // Appends the triples of a file (read_user_triples); false, with the error
    // (naming file:line) shown on the page, when it cannot be read.
    bool loadTriplesFile(const QString& file);

    // Starts the coverage of the data page's captions (or of the training TSV).
    void initializePage() override;
    bool validatePage() override;

private:
    QGroupBox* buildCoverageBox();
    QGroupBox* buildTriplesBox();
    QLayout* buildTripleButtons();
    void showComputing();
    void showCoverage(const KnowledgeCoverage& coverage);
    void showCounts(const KnowledgeCoverage& coverage);
    void appendRow(const QString& head, const QString& relation, const QString& tail);
    void addEmptyRow();
    void removeSelectedRows();
    void browseTriples();
    void updateNewNames();
    QStringList rowErrors() const;
    QString writeTriples(const QList<QStringList>& rows, QString* file) const;
    QString cellText(int row, int column) const;

    FinetuneWizard* m_wizard;
    DataPage* m_data;
    QLabel* m_summary = nullptr;
    QLabel* m_graphNote = nullptr;
    QLabel* m_coverageError = nullptr;
    QListWidget* m_entityList = nullptr;
    QListWidget* m_unlinkedList = nullptr;
    QGroupBox* m_triplesBox = nullptr;
    QTableWidget* m_triplesTable = nullptr;
    RelationDelegate* m_relationDelegate = nullptr;
    QLabel* m_newNames = nullptr;
    QLabel* m_triplesError = nullptr;

    std::shared_ptr<const shenbi::EntityTable> m_entities;  // the base model's names; null: none read
    bool m_hasGraph = true;  // false: the base model has no entity2id.txt, triples cannot reach it
    int m_runId = 0;         // a finished coverage that is not the latest is dropped
};

}  // namespace shenbi::ui
