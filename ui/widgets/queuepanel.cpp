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
    auto* buttons = new QHBoxLayout;
    m_cancel = new QPushButton(tr("Cancel selected"), this);
    m_cancelAll = new QPushButton(tr("Cancel all"), this);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_cancelAll);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    connect(m_cancel, &QPushButton::clicked, this, [this]() {
        for (auto* it : m_list->selectedItems()) m_generation->cancel(it->data(Qt::UserRole).toInt());
    });
    connect(m_cancelAll, &QPushButton::clicked, m_generation, &GenerationService::cancelAll);
    connect(m_generation, &GenerationService::queueChanged, this, &QueuePanel::refresh);
    refresh();
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
    for (const auto& job : jobs) {
        QListWidgetItem* it = items.value(job.id);
        if (!it) {
            it = new QListWidgetItem(m_list);
            it->setData(Qt::UserRole, job.id);
        }
        QString prompt = job.request.prompt.simplified();
        if (prompt.size() > 40) prompt = prompt.left(38) + QStringLiteral("…");
        const QString state = job.status == JobStatus::Running ? tr("running") : tr("queued");
        it->setText(tr("%1 · %2 · %n image(s)", nullptr, job.request.candidates).arg(state, isolated(prompt)));
        QFont f = it->font();
        f.setBold(job.status == JobStatus::Running);
        it->setFont(f);
    }
    m_cancel->setEnabled(m_list->count() > 0);
    m_cancelAll->setEnabled(m_list->count() > 0);
}

int QueuePanel::rowCount() const {
    return m_list->count();
}

}  // namespace shenbi::ui
