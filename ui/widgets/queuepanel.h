// The request queue: the running job and those waiting, with cancel.
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
    QListWidget* m_list;
    QPushButton* m_cancel;
    QPushButton* m_cancelAll;
};

}  // namespace shenbi::ui
