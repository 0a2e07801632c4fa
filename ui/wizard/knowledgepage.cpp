#include "ui/wizard/knowledgepage.h"

#include <QCompleter>
#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPair>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <filesystem>
#include <functional>

#include <QtConcurrent/QtConcurrentRun>

#include "core/data/tsv_reader.h"
#include "core/io/model_dir.h"
#include "core/knowledge/coverage.h"
#include "core/knowledge/entity_extension.h"
#include "core/knowledge/entity_table.h"
#include "core/knowledge/id_files.h"
#include "core/text/tokenizer.h"
#include "core/util/guard.h"
#include "ui/services/knowledgeservice.h"
#include "ui/wizard/datapage.h"
#include "ui/wizard/finetunewizard.h"

namespace shenbi::ui {

using Counts = QList<QPair<QString, qint64>>;

// The worker's result in Qt types, plus the entity table, which is immutable
// once loaded and only read on the GUI thread after the hand-over.
struct KnowledgeCoverage {
    std::shared_ptr<const shenbi::EntityTable> entities;  // null: none read
    bool hasGraph = false;                                // the base model has an entity2id.txt
    QStringList relations;                                // the bundled graph's, for completion
    QString error;                                        // no coverage, and why (naming the file)
    QString note;                                         // e.g. only the first rows of a TSV were read
    qint64 captions = 0;
    qint64 linked = 0;
    Counts top;
    Counts unlinked;
};

// The relation column's editor completes the bundled graph's relation names:
// a triple with a relation the graph has reuses that relation's vector
// instead of training a new one.
class RelationDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void setRelations(const QStringList& relations) { m_relations = relations; }

    QWidget* createEditor(QWidget* parent,
                          const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override {
        QWidget* editor = QStyledItemDelegate::createEditor(parent, option, index);
        auto* line = qobject_cast<QLineEdit*>(editor);
        if (line && !m_relations.isEmpty()) {
            auto* completer = new QCompleter(m_relations, line);
            completer->setCaseSensitivity(Qt::CaseInsensitive);
            completer->setFilterMode(Qt::MatchContains);
            line->setCompleter(completer);
        }
        return editor;
    }

private:
    QStringList m_relations;
};

namespace {

constexpr int kTopCount = 20;
// A TSV may hold millions of rows (with images): a sample shows the picture.
constexpr std::size_t kMaxTsvCaptions = 20000;

struct CoverageInput {
    QString baseDir;
    QString graphDir;  // the bundled graph: relation names for completion
    QStringList captions;
    QString trainTsv;  // read instead of `captions` when set
    bool singleChars = false;
};

std::filesystem::path toPath(const QString& path) {
    return std::filesystem::path(path.toStdString());
}
QString fromPath(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

CoverageInput coverageInput(FinetuneWizard& wizard, const DataPage& data) {
    CoverageInput in;
    in.baseDir = wizard.baseModel().dir;
    in.graphDir = KnowledgeService::defaultGraphDir();
    in.singleChars = wizard.baseModel().singleCharEntities;
    const shenbi::FinetunePlan& plan = wizard.plan();
    if (plan.folder.empty() && !plan.train_tsv.empty())
        in.trainTsv = fromPath(plan.train_tsv);
    else
        in.captions = data.captions();
    return in;
}

QStringList readRelations(const QString& graphDir) {
    QStringList out;
    if (graphDir.isEmpty()) return out;
    auto names = shenbi::read_id_file(toPath(graphDir) / "relation2id.txt");
    if (!names) return out;  // completion is a convenience: the column stays plain text
    for (const std::string& name : *names)
        if (!name.empty()) out << QString::fromStdString(name);
    return out;
}

shenbi::Result<std::vector<std::string>> tsvCaptions(const std::filesystem::path& file) {
    auto reader = shenbi::TsvReader::open(file);
    if (!reader) return reader.error();
    std::vector<std::string> out;
    shenbi::TsvRow row;
    while (out.size() < kMaxTsvCaptions && reader->next(row))
        if (row.fields.size() >= 2) out.emplace_back(row.fields[1]);  // idx, text, ...
    return out;
}

// The captions to count: the data page's, or the training TSV's text column.
shenbi::Result<std::vector<std::string>> coverageCaptions(const CoverageInput& in, QString& note) {
    if (in.trainTsv.isEmpty()) {
        std::vector<std::string> out;
        for (const QString& caption : in.captions) out.push_back(caption.toStdString());
        return out;
    }
    auto rows = tsvCaptions(toPath(in.trainTsv));
    if (rows && rows->size() >= kMaxTsvCaptions)
        note = KnowledgePage::tr("(the first %1 rows of the TSV)").arg(static_cast<int>(kMaxTsvCaptions));
    return rows;
}

Counts toQt(const std::vector<std::pair<std::string, std::int64_t>>& counts) {
    Counts out;
    for (const auto& [name, count] : counts) out.append(qMakePair(QString::fromStdString(name), qint64{count}));
    return out;
}

// The base model's entity names; false when there are none to count with.
bool loadEntities(const std::filesystem::path& base, KnowledgeCoverage& out) {
    std::error_code ec;
    out.hasGraph = !base.empty() && std::filesystem::is_regular_file(base / "entity2id.txt", ec);
    if (!out.hasGraph) return false;
    auto table = shenbi::EntityTable::load_names(base / "entity2id.txt");
    if (!table) {
        out.error = QString::fromStdString(table.message());
        return false;
    }
    out.entities = std::make_shared<const shenbi::EntityTable>(std::move(table).value());
    return true;
}

void countCoverage(const CoverageInput& in, const std::filesystem::path& base, KnowledgeCoverage& out) {
    const auto tokenizer = shenbi::BertTokenizer::from_file(base / "vocab.txt");
    if (!tokenizer) {
        out.error = QString::fromStdString(tokenizer.message());
        return;
    }
    const auto captions = coverageCaptions(in, out.note);
    if (!captions) {
        out.error = QString::fromStdString(captions.message());
        return;
    }
    bool singleChars = in.singleChars;  // the studio's record of the model, unless model.json says
    if (const auto config = shenbi::read_model_config(base)) singleChars = config->gpt.single_char_entities;
    const shenbi::CaptionCoverage c =
        shenbi::caption_coverage(*captions, *out.entities, *tokenizer, singleChars, kTopCount);
    out.captions = c.captions;
    out.linked = c.linked;
    out.top = toQt(c.top_entities);
    out.unlinked = toQt(c.unlinked_words);
}

// The worker's whole job. Never throws: nothing may cross the QFuture.
KnowledgeCoverage computeCoverage(const CoverageInput& in) {
    KnowledgeCoverage out;
    try {
        out.relations = readRelations(in.graphDir);
        // An adapter that carries its own (extended) table links with it; the
        // vocabulary is always its base model's.
        const std::filesystem::path own = toPath(in.baseDir);
        const std::filesystem::path base = toPath(wizardModelFilesDir(in.baseDir));
        std::error_code ec;
        const bool ownTable = std::filesystem::is_regular_file(own / "entity2id.txt", ec);
        if (loadEntities(ownTable ? own : base, out)) countCoverage(in, base, out);
    } catch (...) {
        out.error = QString::fromStdString(shenbi::current_exception_message());
    }
    return out;
}

void fillCounts(QListWidget* list, const Counts& counts) {
    list->clear();
    for (const auto& [name, count] : counts)
        list->addItem(KnowledgePage::tr("%1 — %n caption(s)", nullptr, static_cast<int>(count)).arg(name));
}

QListWidget* countList(QWidget* parent, const QString& objectName) {
    auto* list = new QListWidget(parent);
    list->setObjectName(objectName);
    list->setSelectionMode(QAbstractItemView::NoSelection);
    return list;
}

QLayout* titled(QWidget* parent, const QString& title, QWidget* widget) {
    auto* column = new QVBoxLayout;
    column->addWidget(new QLabel(title, parent));
    column->addWidget(widget, 1);
    return column;
}

QTableWidget* makeTriplesTable(QWidget* parent) {
    auto* table = new QTableWidget(0, 3, parent);
    table->setObjectName(QStringLiteral("triplesTable"));
    table->setHorizontalHeaderLabels(
        {KnowledgePage::tr("Head"), KnowledgePage::tr("Relation"), KnowledgePage::tr("Tail")});
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    return table;
}

}  // namespace

// ---------------------------------------------------------------- layout

KnowledgePage::KnowledgePage(FinetuneWizard* wizard, DataPage* data)
    : QWizardPage(wizard), m_wizard(wizard), m_data(data) {
    setTitle(tr("Knowledge"));
    setSubTitle(tr("What the model's knowledge graph finds in your captions, and your own facts for what it lacks."));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildCoverageBox(), 1);
    layout->addWidget(buildTriplesBox(), 1);
}

KnowledgePage::~KnowledgePage() = default;

QGroupBox* KnowledgePage::buildCoverageBox() {
    auto* box = new QGroupBox(tr("What the model already knows"), this);
    m_summary = new QLabel(box);
    m_summary->setObjectName(QStringLiteral("coverageSummary"));
    m_graphNote = new QLabel(tr("This model has no knowledge graph: triples cannot reach it"), box);
    m_graphNote->setObjectName(QStringLiteral("noGraphNote"));
    m_graphNote->setWordWrap(true);
    m_graphNote->hide();
    m_coverageError = wizardErrorLabel(box);
    m_coverageError->setObjectName(QStringLiteral("coverageError"));
    m_entityList = countList(box, QStringLiteral("entityList"));
    m_unlinkedList = countList(box, QStringLiteral("unlinkedList"));
    auto* lists = new QHBoxLayout;
    lists->addLayout(titled(box, tr("Most linked entities"), m_entityList));
    lists->addLayout(titled(box, tr("Words that link nothing"), m_unlinkedList));
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(m_summary);
    layout->addWidget(m_graphNote);
    layout->addWidget(m_coverageError);
    layout->addLayout(lists, 1);
    return box;
}

QGroupBox* KnowledgePage::buildTriplesBox() {
    m_triplesBox = new QGroupBox(tr("Your own triples"), this);
    auto* intro = new QLabel(
        tr("One fact per row: a head, a relation and a tail, e.g. %1.").arg(QStringLiteral("阿花 · 是一种 · 猫")),
        m_triplesBox);
    intro->setWordWrap(true);
    m_triplesTable = makeTriplesTable(m_triplesBox);
    m_relationDelegate = new RelationDelegate(m_triplesTable);
    m_triplesTable->setItemDelegateForColumn(1, m_relationDelegate);
    m_newNames = new QLabel(m_triplesBox);
    m_newNames->setObjectName(QStringLiteral("newNames"));
    m_newNames->setWordWrap(true);
    m_newNames->hide();
    m_triplesError = wizardErrorLabel(m_triplesBox);
    m_triplesError->setObjectName(QStringLiteral("triplesError"));
    auto* layout = new QVBoxLayout(m_triplesBox);
    layout->addWidget(intro);
    layout->addWidget(m_triplesTable, 1);
    layout->addLayout(buildTripleButtons());
    layout->addWidget(m_newNames);
    layout->addWidget(m_triplesError);
    connect(m_triplesTable, &QTableWidget::itemChanged, this, &KnowledgePage::updateNewNames);
    return m_triplesBox;
}

QLayout* KnowledgePage::buildTripleButtons() {
    auto* add = new QPushButton(tr("Add row"), m_triplesBox);
    auto* remove = new QPushButton(tr("Remove row"), m_triplesBox);
    auto* load = new QPushButton(tr("Load TSV…"), m_triplesBox);
    add->setObjectName(QStringLiteral("addTripleRow"));
    remove->setObjectName(QStringLiteral("removeTripleRow"));
    load->setObjectName(QStringLiteral("loadTriples"));
    auto* row = new QHBoxLayout;
    row->addWidget(add);
    row->addWidget(remove);
    row->addWidget(load);
    row->addStretch(1);
    connect(add, &QPushButton::clicked, this, &KnowledgePage::addEmptyRow);
    connect(remove, &QPushButton::clicked, this, &KnowledgePage::removeSelectedRows);
    connect(load, &QPushButton::clicked, this, &KnowledgePage::browseTriples);
    return row;
}

// ---------------------------------------------------------------- coverage

void KnowledgePage::initializePage() {
    const CoverageInput in = coverageInput(*m_wizard, *m_data);
    const int id = ++m_runId;
    showComputing();
    auto* watcher = new QFutureWatcher<KnowledgeCoverage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id]() {
        watcher->deleteLater();
        if (id == m_runId) showCoverage(watcher->result());  // a newer run replaced this one otherwise
    });
    watcher->setFuture(QtConcurrent::run([in]() { return computeCoverage(in); }));
}

void KnowledgePage::showComputing() {
    m_summary->setText(tr("Counting the entities your captions link…"));
    wizardShowError(m_coverageError, {});
    m_entityList->clear();
    m_unlinkedList->clear();
}

void KnowledgePage::showCoverage(const KnowledgeCoverage& coverage) {
    m_entities = coverage.entities;
    m_hasGraph = coverage.hasGraph;
    m_relationDelegate->setRelations(coverage.relations);
    m_triplesBox->setEnabled(m_hasGraph);
    m_graphNote->setVisible(!m_hasGraph);
    showCounts(coverage);
    updateNewNames();
}

void KnowledgePage::showCounts(const KnowledgeCoverage& coverage) {
    fillCounts(m_entityList, coverage.top);
    fillCounts(m_unlinkedList, coverage.unlinked);
    wizardShowError(m_coverageError, coverage.error.isEmpty()
                                         ? QString()
                                         : tr("Cannot count the entities of the captions: %1").arg(coverage.error));
    QString text;
    if (m_hasGraph && coverage.error.isEmpty()) {
        text = tr("%1 of %2 captions link an entity").arg(coverage.linked).arg(coverage.captions);
        if (!coverage.note.isEmpty()) {
            text += QLatin1Char(' ');
            text += coverage.note;
        }
    }
    m_summary->setText(text);
}

// ---------------------------------------------------------------- triples

void KnowledgePage::setTriples(const QList<QStringList>& rows) {
    m_triplesTable->setRowCount(0);
    for (const QStringList& row : rows) appendRow(row.value(0), row.value(1), row.value(2));
    updateNewNames();
}

QList<QStringList> KnowledgePage::triples() const {
    QList<QStringList> rows;
    for (int r = 0; r < m_triplesTable->rowCount(); ++r)
        rows.append(QStringList{cellText(r, 0), cellText(r, 1), cellText(r, 2)});
    return rows;
}

QString KnowledgePage::cellText(int row, int column) const {
    const QTableWidgetItem* item = m_triplesTable->item(row, column);
    return item ? wizardOneLine(item->text()) : QString();  // a tab would split the TSV line
}

void KnowledgePage::appendRow(const QString& head, const QString& relation, const QString& tail) {
    const QSignalBlocker blocker(m_triplesTable);  // callers update the new names once, after all rows
    const int row = m_triplesTable->rowCount();
    m_triplesTable->insertRow(row);
    m_triplesTable->setItem(row, 0, new QTableWidgetItem(head));
    m_triplesTable->setItem(row, 1, new QTableWidgetItem(relation));
    m_triplesTable->setItem(row, 2, new QTableWidgetItem(tail));
}

void KnowledgePage::addEmptyRow() {
    appendRow({}, {}, {});
    const int row = m_triplesTable->rowCount() - 1;
    m_triplesTable->setCurrentCell(row, 0);
    m_triplesTable->editItem(m_triplesTable->item(row, 0));
}

void KnowledgePage::removeSelectedRows() {
    QList<int> rows;
    for (const QModelIndex& index : m_triplesTable->selectionModel()->selectedRows()) rows << index.row();
    if (rows.isEmpty() && m_triplesTable->currentRow() >= 0) rows << m_triplesTable->currentRow();
    std::sort(rows.begin(), rows.end(), std::greater<>());  // from the bottom, so the rows above keep their index
    for (int row : rows) m_triplesTable->removeRow(row);
    updateNewNames();
}

void KnowledgePage::browseTriples() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Triples file"), QString(),
                                                      tr("Triples (*.tsv *.txt *.csv);;All files (*)"));
    if (!file.isEmpty()) loadTriplesFile(file);
}

bool KnowledgePage::loadTriplesFile(const QString& file) {
    const auto loaded = shenbi::read_user_triples(toPath(file));
    if (!loaded) {
        wizardShowError(m_triplesError,
                        tr("Cannot load the triples: %1").arg(QString::fromStdString(loaded.message())));
        return false;
    }
    wizardShowError(m_triplesError, {});
    for (const shenbi::UserTriple& t : *loaded)
        appendRow(QString::fromStdString(t.head), QString::fromStdString(t.relation), QString::fromStdString(t.tail));
    updateNewNames();
    return true;
}

// Heads and tails the entity table lacks: the names training will give vectors.
void KnowledgePage::updateNewNames() {
    const auto isNew = [this](const QString& name) {
        return !name.isEmpty() && m_entities && m_entities->id_of(name.toStdString()) < 0;
    };
    QStringList fresh;
    for (const QStringList& row : triples())
        for (const QString& name : {row.at(0), row.at(2)})
            if (isNew(name) && !fresh.contains(name)) fresh << name;
    m_newNames->setText(
        tr("New names (get knowledge vectors when training starts): %1").arg(fresh.join(QStringLiteral(", "))));
    m_newNames->setVisible(!fresh.isEmpty());
}

QStringList KnowledgePage::rowErrors() const {
    const QString empty[] = {tr("Row %1: the head is empty"), tr("Row %1: the relation is empty"),
                             tr("Row %1: the tail is empty")};
    QStringList errors;
    const QList<QStringList> rows = triples();
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < 3; ++c)
            if (rows.at(r).at(c).isEmpty()) errors << empty[c].arg(r + 1);
    return errors;
}

bool KnowledgePage::validatePage() {
    shenbi::FinetunePlan& plan = m_wizard->plan();
    const QList<QStringList> rows = triples();
    if (rows.isEmpty() || !m_hasGraph) {  // nothing the model could read
        plan.triples.clear();
        wizardShowError(m_triplesError, {});
        return true;
    }
    const QStringList errors = rowErrors();
    QString file;
    const QString error = errors.isEmpty() ? writeTriples(rows, &file) : errors.join(QLatin1Char('\n'));
    wizardShowError(m_triplesError, error);
    if (!error.isEmpty()) return false;
    plan.triples = toPath(file);
    return true;
}

// run_dir/triples.tsv, which the plan (and `shenbi-cli finetune --triples`) names.
QString KnowledgePage::writeTriples(const QList<QStringList>& rows, QString* file) const {
    const QString runDir = fromPath(m_wizard->plan().run_dir);
    if (runDir.isEmpty()) return tr("No run folder is set.");
    if (!QDir().mkpath(runDir)) return tr("Cannot create the run folder %1").arg(QDir::toNativeSeparators(runDir));
    *file = QDir(runDir).filePath(QStringLiteral("triples.tsv"));
    QByteArray bytes;
    for (const QStringList& row : rows) bytes += row.join(QLatin1Char('\t')).toUtf8() + '\n';
    const QString error = wizardSaveFile(*file, bytes);
    return error.isEmpty() ? QString() : tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(*file), error);
}

}  // namespace shenbi::ui
