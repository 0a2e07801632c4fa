// Help > About lists the licences and attribution of the bundled data and libraries.
#include <gtest/gtest.h>

#include <QTableWidget>

#include "ui/widgets/aboutdialog.h"

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

}  // namespace
}  // namespace shenbi::ui
