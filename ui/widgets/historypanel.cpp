#include "ui/widgets/historypanel.h"

#include <QContextMenuEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
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
    m_starred = new QToolButton(this);
    m_starred->setObjectName(QStringLiteral("historyStarred"));
    m_starred->setText(QStringLiteral("★"));
    m_starred->setCheckable(true);
    m_starred->setToolTip(tr("Only requests with a starred candidate"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setIconSize(QSize(56, 56));
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(false);
    m_list->setAlternatingRowColors(true);
    auto* filters = new QHBoxLayout;
    filters->addWidget(m_search, 1);
    filters->addWidget(m_starred);
    layout->addLayout(filters);
    if (!m_store->isOpen()) {  // e.g. a history file from a newer Shenbi: say so where the history would be
        auto* off = new QLabel(tr("History is off: %1").arg(m_store->lastError()), this);
        off->setObjectName(QStringLiteral("historyOff"));
        off->setWordWrap(true);
        off->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(off);
        m_search->setEnabled(false);
        m_starred->setEnabled(false);
    }
    layout->addWidget(m_list, 1);
    m_more = new QPushButton(tr("Show more"), this);
    m_more->setObjectName(QStringLiteral("historyMore"));
    m_more->setToolTip(tr("List %n older request(s)", nullptr, kPage));
    layout->addWidget(m_more);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, &HistoryPanel::refresh);
    // A new filter starts again at the first page.
    connect(m_search, &QLineEdit::textChanged, this, [this]() {
        m_limit = kPage;
        m_debounce.start();
    });
    connect(m_starred, &QToolButton::toggled, this, [this]() {
        m_limit = kPage;
        refresh();
    });
    connect(m_more, &QPushButton::clicked, this, &HistoryPanel::showMore);
    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* it) { Q_EMIT openRequested(it->data(Qt::UserRole).toLongLong()); });
    connect(m_store, &HistoryStore::changed, this, [this]() { m_debounce.start(); });
    refresh();
}

void HistoryPanel::setFilter(const QString& text) {
    m_search->setText(text);
    refresh();
}

void HistoryPanel::setStarredOnly(bool on) {
    if (m_starred->isChecked() != on) {
        m_starred->setChecked(on);  // toggled: the first page again
        return;
    }
    m_limit = kPage;
    refresh();
}

void HistoryPanel::showMore() {
    m_limit += kPage;
    refresh();
}

void HistoryPanel::refresh() {
    m_debounce.stop();
    const qint64 current = m_list->currentItem() ? m_list->currentItem()->data(Qt::UserRole).toLongLong() : -1;
    m_list->clear();
    const QLocale locale;
    // One request past the limit says whether there are more.
    auto entries = m_store->search(m_search->text(), m_limit + 1, m_starred->isChecked());
    m_more->setVisible(entries.size() > m_limit);
    if (entries.size() > m_limit) entries.resize(m_limit);
    for (const auto& e : entries) {
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
        QString summary = promptSummary(e.record.request);
        // Parts placed by hand are in promptSummary (the request's); a planned layout only in the record.
        if (const QString layout = layoutSummary(e.record.regions);
            e.record.request.regions.isEmpty() && !layout.isEmpty())
            summary += QStringLiteral("\n") + layout;
        it->setToolTip(tr("%1\nSeed %2 · model %3").arg(summary, QString::number(e.seed), e.modelId));
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
