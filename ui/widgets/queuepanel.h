// The request queue: the running job and those waiting; waiting ones can be
// moved up or down or run next, and any can be cancelled.
#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace shenbi::ui {

class GenerationService;

class QueuePanel : public QWidget {
    Q_OBJECT
public:
    explicit QueuePanel(GenerationService* generation, QWidget* parent = nullptr);
    void refresh();
    int rowCount() const;

private:
    GenerationService* m_generation;
    QList<int> waitingJobs() const;   // ids in queue order, without the running one
    QList<int> selectedJobs() const;  // in queue order
    void moveSelected(int places);
    void updateButtons();

    QListWidget* m_list;
    QPushButton* m_runNext;
    QPushButton* m_up;
    QPushButton* m_down;
    QPushButton* m_cancel;
    QPushButton* m_cancelAll;
};

}  // namespace shenbi::ui
