// Main window of the Shenbi studio.
#pragma once

#include <QMainWindow>

namespace shenbi::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace shenbi::ui
