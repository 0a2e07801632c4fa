// Every request ever made, newest first (a page at a time, "Show more" for
// older ones), searchable by prompt text, filterable to starred ones, with
// "use prompt / use seed / use all" recall and reopening of the candidates.
#pragma once

#include <QTimer>
#include <QWidget>

#include "ui/services/historystore.h"

class QLineEdit;
class QListWidget;
class QPushButton;
class QToolButton;
class QListWidgetItem;

namespace shenbi::ui {

class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPanel(HistoryStore* store, QWidget* parent = nullptr);

    void refresh();
    void setFilter(const QString& text);  // as if typed into the search box
    void setStarredOnly(bool on);         // as if the ★ button were toggled
    void showMore();                      // as if "Show more" were clicked
    static constexpr int kPage = 200;     // requests listed per page
    int visibleCount() const;
    QList<qint64> visibleIds() const;

Q_SIGNALS:
    void openRequested(qint64 id);
    void usePrompt(const shenbi::ui::GenerationRecord& record);
    void useSeed(const shenbi::ui::GenerationRecord& record);
    void useAll(const shenbi::ui::GenerationRecord& record);

protected:
    void contextMenuEvent(QContextMenuEvent* e) override;

private:
    std::optional<HistoryEntry> entryOf(QListWidgetItem* item) const;

    HistoryStore* m_store;
    QLineEdit* m_search;
    QToolButton* m_starred;
    QListWidget* m_list;
    QPushButton* m_more;
    int m_limit = kPage;
    QTimer m_debounce;
};

}  // namespace shenbi::ui
