// shenbi: the desktop studio.
#include <QApplication>

#include "ui/mainwindow.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Shenbi"));
    QApplication::setOrganizationName(QStringLiteral("Shenbi"));
    shenbi::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
