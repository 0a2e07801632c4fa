#include "ui/widgets/queuepanel.h"

#include <QHBoxLayout>
#include <QHash>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/services/generationservice.h"
#include "ui/services/promptsanitizer.h"

namespace shenbi::ui {

QueuePanel::QueuePanel(GenerationService* generation, QWidget* parent) : QWidget(parent), m_generation(generation) {
    setObjectName(QStringLiteral("queuePanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("queueList"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto* order = new QHBoxLayout;
    m_runNext = new QPushButton(tr("Run next"), this);
    m_runNext->setToolTip(tr("Move the selected waiting requests to the front of the queue"));
    m_up = new QPushButton(tr("Move up"), this);
    m_down = new QPushButton(tr("Move down"), this);
    order->addWidget(m_runNext);
    order->addWidget(m_up);
    order->addWidget(m_down);
    auto* buttons = new QHBoxLayout;
    m_cancel = new QPushButton(tr("Cancel selected"), this);
    m_cancelAll = new QPushButton(tr("Cancel all"), this);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_cancelAll);
    layout->addWidget(m_list, 1);
    layout->addLayout(order);
    layout->addLayout(buttons);
    connect(m_runNext, &QPushButton::clicked, this, [this]() {
        // Last first, so the selected requests keep their order at the front.
        const auto ids = selectedJobs();
        for (auto i = ids.size() - 1; i >= 0; --i) m_generation->runNext(ids[i]);
    });
    connect(m_up, &QPushButton::clicked, this, [this]() { moveSelected(-1); });
    connect(m_down, &QPushButton::clicked, this, [this]() { moveSelected(1); });
    connect(m_cancel, &QPushButton::clicked, this, [this]() {
        for (int id : selectedJobs()) m_generation->cancel(id);
    });
    connect(m_cancelAll, &QPushButton::clicked, m_generation, &GenerationService::cancelAll);
    connect(m_list, &QListWidget::itemSelectionChanged, this, &QueuePanel::updateButtons);
    connect(m_generation, &GenerationService::queueChanged, this, &QueuePanel::refresh);
    refresh();
}

QList<int> QueuePanel::waitingJobs() const {
    QList<int> ids;
    for (const auto& j : m_generation->jobs())
        if (j.status == JobStatus::Queued) ids << j.id;
    return ids;
}

QList<int> QueuePanel::selectedJobs() const {
    QList<int> ids;
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->isSelected()) ids << m_list->item(row)->data(Qt::UserRole).toInt();
    return ids;
}

// One place per click (places is -1 or 1), leading edge first; a request
// that cannot move (at the end of the queue, or behind one that could not)
// holds back those behind it, so a block at the end keeps its order.
void QueuePanel::moveSelected(int places) {
    const QList<int> queued = waitingJobs();
    QList<qsizetype> positions;
    for (int id : selectedJobs())
        if (queued.contains(id)) positions << queued.indexOf(id);
    if (places > 0) std::reverse(positions.begin(), positions.end());
    qsizetype edge = places < 0 ? 0 : queued.size() - 1;  // the first place not taken
    for (qsizetype pos : positions) {
        if (pos == edge) {  // stuck: the next one stops behind it
            edge -= places;
            continue;
        }
        m_generation->move(queued[pos], places);
        edge = pos;
    }
}

// Updated in place, keyed by job id: rows of finished jobs go, the others
// keep their items (and so the artist's selection), new jobs are appended.
// Rebuilding the list moved rows under the cursor as jobs finished.
void QueuePanel::refresh() {
    const auto jobs = m_generation->jobs();
    QHash<int, QListWidgetItem*> items;
    for (int row = m_list->count() - 1; row >= 0; --row) {
        const int id = m_list->item(row)->data(Qt::UserRole).toInt();
        if (std::any_of(jobs.begin(), jobs.end(), [&](const auto& j) { return j.id == id; }))
            items.insert(id, m_list->item(row));
        else
            delete m_list->takeItem(row);
    }
    for (int row = 0; row < jobs.size(); ++row) {
        const auto& job = jobs[row];
        QListWidgetItem* it = items.value(job.id);
        if (!it) {
            it = new QListWidgetItem;
            it->setData(Qt::UserRole, job.id);
            m_list->insertItem(row, it);
        } else if (m_list->row(it) != row) {  // moved in the queue: the item, and its selection, follow
            const bool selected = it->isSelected();
            m_list->insertItem(row, m_list->takeItem(m_list->row(it)));
            it->setSelected(selected);
        }
        QString prompt = job.request.prompt.simplified();
        if (prompt.size() > 40) prompt = prompt.left(38) + QStringLiteral("…");
        const QString state = job.status == JobStatus::Running ? tr("running") : tr("queued");
        it->setText(tr("%1 · %2 · %n image(s)", nullptr, job.request.candidates).arg(state, isolated(prompt)));
        it->setToolTip(promptSummary(job.request));
        QFont f = it->font();
        f.setBold(job.status == JobStatus::Running);
        it->setFont(f);
    }
    updateButtons();
}

void QueuePanel::updateButtons() {
    QList<int> waiting = waitingJobs();
    const QList<int> selected = selectedJobs();
    // A selected request can move towards an end while an unselected one
    // stands between it and that end; a block already there stays put.
    const auto canMove = [&](const QList<int>& towardsEnd) {
        bool passedUnselected = false;
        for (int id : towardsEnd) {
            if (!selected.contains(id))
                passedUnselected = true;
            else if (passedUnselected)
                return true;
        }
        return false;
    };
    const bool up = canMove(waiting);
    std::reverse(waiting.begin(), waiting.end());
    m_runNext->setEnabled(up);
    m_up->setEnabled(up);
    m_down->setEnabled(canMove(waiting));
    m_cancel->setEnabled(!m_list->selectedItems().isEmpty());
    m_cancelAll->setEnabled(m_list->count() > 0);
}

int QueuePanel::rowCount() const {
    return m_list->count();
}

}  // namespace shenbi::ui
