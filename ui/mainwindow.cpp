#include "ui/mainwindow.h"

#include <QLabel>

namespace shenbi::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Shenbi"));
    setCentralWidget(new QLabel(tr("Shenbi studio: the editor, gallery and history are not built yet."), this));
    resize(1200, 800);
}

}  // namespace shenbi::ui
