// Screenshots for the README: the main window in English and Chinese with a
// finished gallery. Runs only when SHENBI_SCREENSHOT_DIR is set:
//   SHENBI_SCREENSHOT_DIR=docs/screenshots build/bin/test_ui --gtest_filter=Screenshots.*
#include <gtest/gtest.h>

#include <QDir>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "testsupport.h"
#include "ui/i18n.h"
#include "ui/mainwindow.h"
#include "ui/services/generationservice.h"
#include "ui/services/knowledgeservice.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"
#include "ui/widgets/dialogs.h"
#include "ui/widgets/gallery.h"
#include "ui/widgets/historypanel.h"
#include "ui/widgets/layoutdialog.h"
#include "ui/widgets/paramspanel.h"
#include "ui/widgets/prompteditor.h"
#include "ui/widgets/redrawdialog.h"

namespace shenbi::ui {
namespace {

TEST(Screenshots, MainWindowInEnglishAndChinese) {
    const QString outDir = qEnvironmentVariable("SHENBI_SCREENSHOT_DIR");
    if (outDir.isEmpty()) GTEST_SKIP() << "set SHENBI_SCREENSHOT_DIR to write screenshots";
    QDir().mkpath(outDir);
    for (const QString lang : {QStringLiteral("en"), QStringLiteral("zh_CN")}) {
        QSettings().clear();
        applyLanguage(lang);
        QTemporaryDir dir;
        auto studio = std::make_unique<Studio>(dir.path());
        // The bundled graph and model when they exist, else the test graph and random weights.
        const QString graph = KnowledgeService::defaultGraphDir();
        studio->knowledge()->loadNow(graph.isEmpty() ? test::graphDir() : graph);
        const QString model = ModelManagerDialog::bundledModelDir();
        const LoadOutcome o = model.isEmpty()
                                  ? QCoro::waitFor(studio->models()->loadRandom(QStringLiteral("small"), 7))
                                  : QCoro::waitFor(studio->models()->loadDirectory(model, QStringLiteral("cpu")));
        ASSERT_TRUE(o.ok) << o.error.toStdString();
        MainWindow window(studio.get());
        window.resize(1360, 860);
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        // Two earlier requests for the history list. The prompts suit the
        // bundled scene model (objects, colours, counts, positions).
        for (const QString p : {QStringLiteral("两个红色的苹果"), QStringLiteral("一辆汽车在一棵树的左边")}) {
            window.editor()->setPrompt(p);
            window.generate();
            ASSERT_TRUE(test::waitUntil([&] { return !studio->generation()->isBusy(); }, 300000));
        }
        window.editor()->setPrompt(QStringLiteral("一只猫在一座房子的右边，浅蓝色背景"));
        window.params()->setSeed(20240531, true);
        window.generate();
        ASSERT_TRUE(test::waitUntil([&] { return !studio->generation()->isBusy(); }, 300000));
        ASSERT_TRUE(window.gallery()->hasResult());
        window.gallery()->setStarred(2, true);
        window.historyPanel()->refresh();
        QTest::qWait(200);
        const QString path = QDir(outDir).filePath(QStringLiteral("mainwindow-%1.png").arg(lang));
        ASSERT_TRUE(window.grab().save(path)) << path.toStdString();
        std::printf("[screenshot] %s\n", qPrintable(path));
        // The model manager with the open model's card.
        ModelManagerDialog* manager = window.openModelManager();
        manager->resize(720, 460);
        ASSERT_TRUE(QTest::qWaitForWindowExposed(manager));
        QTest::qWait(100);
        const QString managerPath = QDir(outDir).filePath(QStringLiteral("model-manager-%1.png").arg(lang));
        ASSERT_TRUE(manager->grab().save(managerPath)) << managerPath.toStdString();
        std::printf("[screenshot] %s\n", qPrintable(managerPath));
        manager->close();
        // Redraw a region: the right half of the starred candidate, for a panda.
        RedrawDialog* redraw = window.redrawCandidate(2);
        ASSERT_NE(redraw, nullptr);
        redraw->picker()->setCells(QRect(8, 0, 8, 16));
        redraw->promptEdit()->setText(QStringLiteral("一只熊猫"));
        ASSERT_TRUE(QTest::qWaitForWindowExposed(redraw));
        QTest::qWait(100);
        const QString redrawPath = QDir(outDir).filePath(QStringLiteral("redraw-%1.png").arg(lang));
        ASSERT_TRUE(redraw->grab().save(redrawPath)) << redrawPath.toStdString();
        std::printf("[screenshot] %s\n", qPrintable(redrawPath));
        redraw->reject();
        // Draw in parts: the planned halves of the editor's prompt, and a third
        // part being placed at the top.
        LayoutDialog* parts = window.openLayoutDialog();
        ASSERT_NE(parts, nullptr);
        parts->picker()->setCells(QRect(4, 0, 8, 4));
        parts->partPrompt()->setText(QStringLiteral("一个太阳在上面"));
        ASSERT_TRUE(QTest::qWaitForWindowExposed(parts));
        QTest::qWait(100);
        const QString partsPath = QDir(outDir).filePath(QStringLiteral("parts-%1.png").arg(lang));
        ASSERT_TRUE(parts->grab().save(partsPath)) << partsPath.toStdString();
        std::printf("[screenshot] %s\n", qPrintable(partsPath));
        parts->reject();
    }
    applyLanguage(QStringLiteral("en"));
    QSettings().clear();
}

}  // namespace
}  // namespace shenbi::ui
