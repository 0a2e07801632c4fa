#include "ui/widgets/historypanel.h"

#include <QContextMenuEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QVBoxLayout>

#include "ui/services/promptsanitizer.h"

namespace shenbi::ui {

namespace {
QString statusText(const QString& status) {
    if (status == QStringLiteral("completed")) return {};
    if (status == QStringLiteral("cancelled")) return HistoryPanel::tr("cancelled");
    if (status == QStringLiteral("failed")) return HistoryPanel::tr("failed");
    if (status == QStringLiteral("running")) return HistoryPanel::tr("running");
    if (status == QStringLiteral("interrupted")) return HistoryPanel::tr("interrupted");
    return status;
}
}  // namespace

HistoryPanel::HistoryPanel(HistoryStore* store, QWidget* parent) : QWidget(parent), m_store(store) {
    setObjectName(QStringLiteral("historyPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setPlaceholderText(tr("Search prompts…"));
    m_search->setClearButtonEnabled(true);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setIconSize(QSize(56, 56));
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(false);
    m_list->setAlternatingRowColors(true);
    layout->addWidget(m_search);
    if (!m_store->isOpen()) {  // e.g. a history file from a newer Shenbi: say so where the history would be
        auto* off = new QLabel(tr("History is off: %1").arg(m_store->lastError()), this);
        off->setObjectName(QStringLiteral("historyOff"));
        off->setWordWrap(true);
        off->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(off);
        m_search->setEnabled(false);
    }
    layout->addWidget(m_list, 1);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, &HistoryPanel::refresh);
    connect(m_search, &QLineEdit::textChanged, this, [this]() { m_debounce.start(); });
    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* it) { Q_EMIT openRequested(it->data(Qt::UserRole).toLongLong()); });
    connect(m_store, &HistoryStore::changed, this, [this]() { m_debounce.start(); });
    refresh();
}

void HistoryPanel::setFilter(const QString& text) {
    m_search->setText(text);
    refresh();
}

void HistoryPanel::refresh() {
    m_debounce.stop();
    const qint64 current = m_list->currentItem() ? m_list->currentItem()->data(Qt::UserRole).toLongLong() : -1;
    m_list->clear();
    const QLocale locale;
    for (const auto& e : m_store->search(m_search->text())) {
        auto* it = new QListWidgetItem(m_list);
        it->setData(Qt::UserRole, e.id);
        QString prompt = e.prompt;
        if (prompt.size() > 60) prompt = prompt.left(58) + QStringLiteral("…");
        QString meta = locale.toString(e.created, QLocale::ShortFormat);
        meta += QStringLiteral(" · ") + tr("%n image(s)", nullptr, e.candidateCount);
        if (e.starredCount > 0) meta += QStringLiteral(" · ★%1").arg(e.starredCount);
        const QString st = statusText(e.status);
        if (!st.isEmpty()) meta += QStringLiteral(" · ") + st;
        it->setText(isolated(prompt) + QStringLiteral("\n") + meta);  // a stored prompt cannot reorder the date
        it->setToolTip(tr("%1\nSeed %2 · model %3").arg(e.prompt).arg(e.seed).arg(e.modelId));
        if (!e.thumb.isNull()) it->setIcon(QIcon(QPixmap::fromImage(e.thumb)));
        if (e.id == current) m_list->setCurrentItem(it);
    }
}

int HistoryPanel::visibleCount() const {
    return m_list->count();
}

QList<qint64> HistoryPanel::visibleIds() const {
    QList<qint64> ids;
    for (int i = 0; i < m_list->count(); ++i) ids << m_list->item(i)->data(Qt::UserRole).toLongLong();
    return ids;
}

std::optional<HistoryEntry> HistoryPanel::entryOf(QListWidgetItem* item) const {
    if (!item) return std::nullopt;
    return m_store->entry(item->data(Qt::UserRole).toLongLong());
}

void HistoryPanel::contextMenuEvent(QContextMenuEvent* e) {
    QListWidgetItem* item = m_list->itemAt(m_list->viewport()->mapFrom(this, e->pos()));
    const auto entry = entryOf(item);
    if (!entry) return;
    QMenu menu(this);
    QAction* open = menu.addAction(tr("Show candidates"));
    menu.addSeparator();
    QAction* prompt = menu.addAction(tr("Use prompt"));
    QAction* seed = menu.addAction(tr("Use seed"));
    QAction* all = menu.addAction(tr("Use all parameters"));
    menu.addSeparator();
    QAction* del = menu.addAction(tr("Delete from history"));
    QAction* chosen = menu.exec(e->globalPos());
    if (chosen == open) Q_EMIT openRequested(entry->id);
    if (chosen == prompt) Q_EMIT usePrompt(entry->record);
    if (chosen == seed) Q_EMIT useSeed(entry->record);
    if (chosen == all) Q_EMIT useAll(entry->record);
    if (chosen == del) m_store->remove(entry->id);
}

}  // namespace shenbi::ui
