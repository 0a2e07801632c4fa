// shenbi: the desktop studio.
#include <QApplication>
#include <QIcon>
#include <QPointer>
#include <QSettings>
#include <QTimer>
#include <functional>
#include <memory>

#include "ui/i18n.h"
#include "ui/mainwindow.h"
#include "ui/services/studio.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Shenbi"));
    QApplication::setOrganizationName(QStringLiteral("Shenbi"));
    QApplication::setApplicationVersion(QStringLiteral(SHENBI_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/shenbi.svg")));
    shenbi::ui::configureFonts();
    shenbi::ui::applyLanguage(QSettings().value(QStringLiteral("ui/language")).toString());

    shenbi::ui::Studio studio;
    // A language switch rebuilds the window (its state goes through QSettings);
    // the studio, with the loaded model, the queue and the history, stays.
    std::unique_ptr<shenbi::ui::MainWindow> window;
    std::function<void()> open = [&]() {
        auto next = std::make_unique<shenbi::ui::MainWindow>(&studio);
        QObject::connect(next.get(), &shenbi::ui::MainWindow::restartRequested, &app, [&]() {
            // Later, so the old window's slot returns before it is destroyed.
            QTimer::singleShot(0, &app, open);
        });
        next->show();
        window = std::move(next);
    };
    open();
    // After the window is up: a fine-tune that did not finish (crash, power
    // cut, quit while training) is offered again.
    QTimer::singleShot(0, &app, [&]() {
        if (window) window->offerUnfinishedRuns();
    });
    return QApplication::exec();
}
