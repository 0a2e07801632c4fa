#include "ui/widgets/aboutdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/services/types.h"

namespace shenbi::ui {

QList<Credit> AboutDialog::credits() {
    // Keep in step with packaging/copyright (the Debian package's record of the same sources).
    return {
        {QStringLiteral("Noto Emoji (emoji-datasource-google 16.0.0)"), tr("images the bundled model was trained on"),
         QStringLiteral("Apache-2.0"), QStringLiteral("https://github.com/googlefonts/noto-emoji")},
        {QStringLiteral("Unicode CLDR (cldr-annotations-full, cldr-annotations-derived-full, cldr-localenames-full "
                        "48.2.0; unicode-cldr-core 41)"),
         tr("Chinese emoji names and keywords (captions), territories and languages (knowledge graph)"),
         QStringLiteral("Unicode-3.0, Unicode-DFS-2016"), QStringLiteral("https://cldr.unicode.org")},
        {QStringLiteral("emojibase-data 17.0.0"), tr("emoji groups and subgroups (knowledge graph)"),
         QStringLiteral("MIT"), QStringLiteral("https://emojibase.dev")},
        {QStringLiteral("emoji-datasource 16.0.0"), tr("emoji code points and image names"), QStringLiteral("MIT"),
         QStringLiteral("https://github.com/iamcal/emoji-data")},
        {QStringLiteral("rime-data-emoji (Debian 0.0~git20230219)"),
         tr("Chinese aliases and categories of emoji (knowledge graph)"), QStringLiteral("LGPL-3.0-or-later"),
         QStringLiteral("https://github.com/rime/rime-emoji")},
        {QStringLiteral("OpenCC 1.1.6"), tr("traditional to simplified Chinese conversion of the graph's words"),
         QStringLiteral("Apache-2.0"), QStringLiteral("https://github.com/BYVoid/OpenCC")},
        {QStringLiteral("ARTIST (Alibaba EasyNLP)"), tr("the model architecture and checkpoint format re-implemented"),
         QStringLiteral("Apache-2.0"), QStringLiteral("https://github.com/alibaba/EasyNLP")},
        {QStringLiteral("Qt 6"), tr("user interface"), QStringLiteral("LGPL-3.0-only"),
         QStringLiteral("https://www.qt.io")},
        {QStringLiteral("LibTorch (PyTorch)"), tr("neural network engine"), QStringLiteral("BSD-3-Clause"),
         QStringLiteral("https://pytorch.org")},
        {QStringLiteral("OpenBLAS"), tr("matrix products on the CPU"), QStringLiteral("BSD-3-Clause"),
         QStringLiteral("https://www.openblas.net")},
        {QStringLiteral("OpenCV"), tr("image encoding and resizing"), QStringLiteral("Apache-2.0"),
         QStringLiteral("https://opencv.org")},
        {QStringLiteral("QCoro"), tr("coroutines over Qt"), QStringLiteral("MIT"),
         QStringLiteral("https://github.com/qcoro/qcoro")},
        {QStringLiteral("JSON for Modern C++"), tr("model and metadata files"), QStringLiteral("MIT"),
         QStringLiteral("https://github.com/nlohmann/json")},
    };
}

AboutDialog::AboutDialog(const QString& modelDir, const QString& graphDir, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About Shenbi"));
    auto* tabs = new QTabWidget(this);

    const QString none = tr("not found");
    auto* about =
        new QLabel(tr("<h3>Shenbi 神笔 %1</h3><p>Knowledge-enhanced Chinese text-to-image generation: a native "
                      "re-implementation of ARTIST (Alibaba EasyNLP).</p><p>Entities of the prompt are linked "
                      "to a knowledge graph; hover an underlined word to see what the model is told.</p>"
                      "<p>Licence: Apache-2.0.</p><p>Bundled model: %2<br>Knowledge graph: %3</p>")
                       .arg(appVersion(), (modelDir.isEmpty() ? none : modelDir.toHtmlEscaped()),
                            (graphDir.isEmpty() ? none : graphDir.toHtmlEscaped())),
                   tabs);
    about->setWordWrap(true);
    about->setTextInteractionFlags(Qt::TextSelectableByMouse);
    about->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    about->setContentsMargins(12, 12, 12, 12);
    tabs->addTab(about, tr("About"));

    const QList<Credit> rows = credits();
    auto* table = new QTableWidget(static_cast<int>(rows.size()), 4, tabs);
    table->setObjectName(QStringLiteral("creditsTable"));
    table->setHorizontalHeaderLabels({tr("Component"), tr("Used for"), tr("Licence"), tr("Source")});
    for (int r = 0; r < rows.size(); ++r) {
        const Credit& c = rows[r];
        const QStringList cells{c.name, c.usedFor, c.licence, c.source};
        for (int col = 0; col < cells.size(); ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            item->setToolTip(cells[col]);
            table->setItem(r, col, item);
        }
    }
    table->setWordWrap(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table->horizontalHeader()->setStretchLastSection(true);
    // Fixed widths that wrap, so all four columns fit the dialog without scrolling sideways.
    table->setColumnWidth(0, 250);
    table->setColumnWidth(1, 250);
    table->setColumnWidth(2, 130);
    table->setColumnWidth(3, 230);
    table->resizeRowsToContents();
    tabs->addTab(table, tr("Credits and licences"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(buttons);
    resize(900, 560);
}

}  // namespace shenbi::ui
