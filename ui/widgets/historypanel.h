// Every request ever made, newest first, searchable by prompt text, with
// "use prompt / use seed / use all" recall and reopening of the candidates.
#pragma once

#include <QTimer>
#include <QWidget>

#include "ui/services/historystore.h"

class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace shenbi::ui {

class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPanel(HistoryStore* store, QWidget* parent = nullptr);

    void refresh();
    void setFilter(const QString& text);  // as if typed into the search box
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
    QListWidget* m_list;
    QTimer m_debounce;
};

}  // namespace shenbi::ui
