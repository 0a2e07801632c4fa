// Help > About lists the licences and attribution of the bundled data and libraries.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QTabWidget>
#include <QTableWidget>
#include <algorithm>

#include "ui/i18n.h"
#include "ui/services/knowledgeservice.h"
#include "ui/widgets/aboutdialog.h"
#include "ui/widgets/dialogs.h"

namespace shenbi::ui {
namespace {

TEST(AboutDialog, CreditsNameEveryBundledSourceWithItsLicence) {
    AboutDialog dialog(QStringLiteral("/usr/share/shenbi/models/default"), QString());
    auto* table = dialog.findChild<QTableWidget*>(QStringLiteral("creditsTable"));
    ASSERT_NE(table, nullptr);
    QStringList rows;
    for (int r = 0; r < table->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < table->columnCount(); ++c) cells << table->item(r, c)->text();
        rows << cells.join(QStringLiteral(" | "));
    }
    const auto has = [&](const QString& name, const QString& licence) {
        return std::any_of(rows.begin(), rows.end(),
                           [&](const QString& row) { return row.contains(name) && row.contains(licence); });
    };
    EXPECT_TRUE(has(QStringLiteral("Noto Emoji"), QStringLiteral("Apache-2.0"))) << rows.join(u'\n').toStdString();
    EXPECT_TRUE(has(QStringLiteral("CLDR"), QStringLiteral("Unicode-3.0")));
    EXPECT_TRUE(has(QStringLiteral("rime-data-emoji"), QStringLiteral("LGPL-3.0")));
    EXPECT_TRUE(has(QStringLiteral("OpenCC"), QStringLiteral("Apache-2.0")));
    EXPECT_TRUE(has(QStringLiteral("emojibase"), QStringLiteral("MIT")));
    EXPECT_TRUE(has(QStringLiteral("Qt 6"), QStringLiteral("LGPL-3.0")));
    EXPECT_TRUE(has(QStringLiteral("LibTorch"), QStringLiteral("BSD-3-Clause")));
    for (const Credit& c : AboutDialog::credits()) {
        EXPECT_FALSE(c.usedFor.isEmpty()) << c.name.toStdString();
        EXPECT_TRUE(c.source.startsWith(QStringLiteral("https://"))) << c.name.toStdString();
    }
}

// docs/screenshots/about-credits-zh_CN.png, when SHENBI_SCREENSHOT_DIR is set (see screenshots_test.cpp).
TEST(Screenshots, AboutDialogCreditsInChinese) {
    const QString outDir = qEnvironmentVariable("SHENBI_SCREENSHOT_DIR");
    if (outDir.isEmpty()) GTEST_SKIP() << "set SHENBI_SCREENSHOT_DIR to write screenshots";
    QDir().mkpath(outDir);
    applyLanguage(QStringLiteral("zh_CN"));
    AboutDialog dialog(ModelManagerDialog::bundledModelDir(), KnowledgeService::defaultGraphDir());
    auto* tabs = dialog.findChild<QTabWidget*>();
    ASSERT_NE(tabs, nullptr);
    tabs->setCurrentIndex(1);
    dialog.show();
    QCoreApplication::processEvents();
    EXPECT_TRUE(dialog.grab().save(outDir + QStringLiteral("/about-credits-zh_CN.png")));
    applyLanguage(QStringLiteral("en"));
}

}  // namespace
}  // namespace shenbi::ui
