// The studio window end to end: type, generate with a tiny model, cancel,
// find the result in history after the window (and services) are rebuilt,
// export, and restore parameters by dropping an exported file.
#include "ui/mainwindow.h"

#include <gtest/gtest.h>

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QDropEvent>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QMouseEvent>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include "testsupport.h"
#include "ui/services/generationservice.h"
#include "ui/services/historystore.h"
#include "ui/services/metadata.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"
#include "ui/widgets/gallery.h"
#include "ui/widgets/historypanel.h"
#include "ui/widgets/layoutdialog.h"
#include "ui/widgets/paramspanel.h"
#include "ui/widgets/prompteditor.h"
#include "ui/widgets/queuepanel.h"
#include "ui/widgets/redrawdialog.h"

namespace shenbi::ui {
namespace {

// Waits (up to `ms`) until the history's newest entry has a tooltip that
// contains `text`; a failure shows the tooltip it had.
::testing::AssertionResult newestHistoryTooltipContains(MainWindow& window, const QString& text, int ms) {
    auto* list = window.historyPanel()->findChild<QListWidget*>();
    if (!list) return ::testing::AssertionFailure() << "no history list";
    if (test::waitUntil([&] { return list->count() > 0 && list->item(0)->toolTip().contains(text); }, ms))
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << (list->count() ? list->item(0)->toolTip().toStdString()
                                                           : std::string("empty"));
}

class MainWindowTest : public ::testing::Test {
protected:
    void SetUp() override { QSettings().clear(); }
    void TearDown() override { QSettings().clear(); }
    QTemporaryDir dataDir;
};

TEST_F(MainWindowTest, GenerateRestartFindInHistoryExportAndReimport) {
    const QString prompt = QStringLiteral("故宫的大熊猫");
    qint64 historyId = -1;
    QList<QImage> images;
    QTemporaryDir exportDir;
    QStringList exported;
    {
        auto studio = test::makeStudio(dataDir.path());
        MainWindow window(studio.get());
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        window.editor()->setFocus();
        test::imeType(window.editor(), prompt);
        ASSERT_TRUE(test::waitUntil([&] { return window.editor()->activeSpans().size() == 2; }, 3000));
        EXPECT_EQ(window.tokenLabel()->text(), QStringLiteral("6/8"));

        window.params()->setSeed(4242, true);
        QTest::mouseClick(window.generateButton(), Qt::LeftButton);
        ASSERT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
        const int n = window.params()->candidates();
        ASSERT_EQ(window.gallery()->candidates().size(), n);
        EXPECT_EQ(window.gallery()->count(), n);
        EXPECT_EQ(window.gallery()->record().request.seed, 4242u);
        EXPECT_EQ(window.progressBar()->value(), window.progressBar()->maximum());
        historyId = window.gallery()->record().historyId;
        ASSERT_GE(historyId, 0);
        for (const auto& c : window.gallery()->candidates()) images << c.image;
        window.gallery()->setStarred(1, true);

        // Export: PNG x2 nearest, JPEG, WebP.
        ExportOptions png;
        png.directory = exportDir.path();
        png.scale = 2;
        png.filter = UpscaleFilter::Nearest;
        exported = window.exportCandidates({0, 1}, png);
        ASSERT_EQ(exported.size(), 2);
        const QImage big(exported[0]);
        EXPECT_EQ(big.width(), images[0].width() * 2);
        for (const QString fmt : {QStringLiteral("jpg"), QStringLiteral("webp")}) {
            ExportOptions o = png;
            o.format = fmt;
            o.scale = 1;
            const auto files = window.exportCandidates({0}, o);
            ASSERT_EQ(files.size(), 1) << fmt.toStdString();
            EXPECT_TRUE(files[0].endsWith(QStringLiteral(".") + fmt));
        }

        // An unfinished prompt stays when the window closes.
        window.editor()->setPrompt(QStringLiteral("未完成的长城"));
        window.close();
    }

    // A fresh studio over the same data directory: a restart.
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    EXPECT_EQ(window.editor()->prompt(), QStringLiteral("未完成的长城"));
    EXPECT_EQ(window.params()->seed(), 4242u);
    window.historyPanel()->setFilter(QStringLiteral("大熊猫"));
    ASSERT_EQ(window.historyPanel()->visibleCount(), 1);
    EXPECT_EQ(window.historyPanel()->visibleIds().front(), historyId);
    window.historyPanel()->setFilter(QStringLiteral("没有这个"));
    EXPECT_EQ(window.historyPanel()->visibleCount(), 0);
    window.openHistoryEntry(historyId);
    ASSERT_EQ(window.gallery()->candidates().size(), images.size());
    EXPECT_EQ(window.gallery()->candidates()[0].image, images[0]);
    EXPECT_TRUE(window.gallery()->candidates()[1].starred);
    EXPECT_EQ(window.gallery()->record().request.prompt, prompt);

    // Drop the exported PNG: prompt, seed and sampling come back.
    window.params()->setSeed(1, false);
    window.editor()->setPrompt(QStringLiteral("别的"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(exported[1])});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    EXPECT_EQ(window.editor()->prompt(), prompt);
    EXPECT_EQ(window.params()->seed(), 4242u);
    EXPECT_TRUE(window.params()->seedLocked());

    // "Use all" from the history does the same.
    window.editor()->setPrompt(QStringLiteral("别的"));
    window.recall(studio->history()->entry(historyId)->record, MainWindow::Recall::All);
    EXPECT_EQ(window.editor()->prompt(), prompt);
}

// Whether a request of the studio has started, and the last one's outcome.
struct Watch {
    bool started = false;
    GenerationOutcome outcome;
};
void watch(Studio& studio, QObject* context, Watch& w) {
    QObject::connect(studio.generation(), &GenerationService::progress, context,
                     [&w](int, int step, int, double, double) { w.started |= step > 0; });
    QObject::connect(studio.generation(), &GenerationService::jobFinished, context,
                     [&w](const GenerationOutcome& o) { w.outcome = o; });
}

TEST_F(MainWindowTest, CancelFromTheWindow) {
    auto studio = test::makeStudio(dataDir.path(), QStringLiteral("small"));
    MainWindow window(studio.get());
    window.show();
    window.editor()->setPrompt(QStringLiteral("长城的日出"));
    Watch w;
    watch(*studio, &window, w);
    QTest::mouseClick(window.generateButton(), Qt::LeftButton);
    EXPECT_EQ(window.generateButton()->text(), QStringLiteral("Add to queue"));
    ASSERT_TRUE(window.cancelButton()->isEnabled());
    ASSERT_TRUE(test::waitUntil([&] { return w.started; }, 60000));
    QTest::mouseClick(window.cancelButton(), Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return w.outcome.jobId > 0; }, 60000));
    EXPECT_EQ(w.outcome.status, JobStatus::Cancelled);
    EXPECT_FALSE(window.gallery()->hasResult());
    EXPECT_FALSE(window.cancelButton()->isEnabled());
    EXPECT_EQ(window.generateButton()->text(), QStringLiteral("Generate"));
    EXPECT_EQ(studio->history()->entry(w.outcome.record.historyId)->status, QStringLiteral("cancelled"));
}

// The gallery's "Reuse this request's seed" locks the request's seed (a
// candidate's own seed is derived from it, so typing that one drew other
// images): generating again with it draws the same candidates in their places.
TEST_F(MainWindowTest, ReusingTheRequestSeedDrawsTheSameCandidates) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    window.editor()->setPrompt(QStringLiteral("长城的日出"));
    window.params()->setSeed(99, false);
    QTest::mouseClick(window.generateButton(), Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
    QList<QImage> first;
    for (const auto& c : window.gallery()->candidates()) first << c.image;
    ASSERT_GE(first.size(), 2);
    const quint64 used = window.gallery()->record().request.seed;
    EXPECT_NE(window.gallery()->candidates()[1].seed, used);  // its own, derived

    window.params()->setSeed(1, false);
    window.gallery()->reuseRequestSeed();
    EXPECT_EQ(window.params()->seed(), used);
    EXPECT_TRUE(window.params()->seedLocked());
    window.gallery()->clearResult();
    QTest::mouseClick(window.generateButton(), Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
    ASSERT_EQ(window.gallery()->candidates().size(), first.size());
    for (int i = 0; i < first.size(); ++i) EXPECT_EQ(window.gallery()->candidates()[i].image, first[i]) << i;
}

// A negative prompt is greyed out (and not sent) without guidance; with it,
// it reaches the core (the same seed draws other images), the record, the
// history and the A1111 text, and comes back into the panel from there.
TEST_F(MainWindowTest, NegativePromptSteersAndIsRecorded) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    auto* guidance = window.params()->findChild<QDoubleSpinBox*>(QStringLiteral("guidance"));
    auto* negative = window.params()->findChild<QLineEdit*>(QStringLiteral("negativePrompt"));
    ASSERT_TRUE(guidance && negative);
    guidance->setValue(1.0);
    negative->setText(QStringLiteral("日出"));
    EXPECT_FALSE(negative->isEnabled());
    EXPECT_TRUE(window.params()->takeRequest(QStringLiteral("猫")).negativePrompt.isEmpty());

    guidance->setValue(3.0);
    EXPECT_TRUE(negative->isEnabled());
    window.editor()->setPrompt(QStringLiteral("长城的日出"));
    const auto draw = [&](const QString& against) {
        negative->setText(against);
        window.params()->setSeed(99, true);
        window.gallery()->clearResult();
        QTest::mouseClick(window.generateButton(), Qt::LeftButton);
        EXPECT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
        QList<QImage> images;
        for (const auto& c : window.gallery()->candidates()) images << c.image;
        return images;
    };
    const QList<QImage> plain = draw(QString());
    const QList<QImage> steered = draw(QStringLiteral("  日出 "));
    ASSERT_EQ(plain.size(), steered.size());
    EXPECT_NE(plain, steered);
    const GenerationRecord record = window.gallery()->record();
    EXPECT_EQ(record.request.negativePrompt, QStringLiteral("日出"));
    const auto stored = studio->history()->entry(record.historyId);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->record.request.negativePrompt, QStringLiteral("日出"));

    const QString a1111 = record.a1111Parameters(0, 1);
    EXPECT_TRUE(a1111.contains(QStringLiteral("\nNegative prompt: 日出\n"))) << a1111.toStdString();
    const auto restored = metadata::recordFromA1111(a1111);
    EXPECT_EQ(restored.request.prompt, QStringLiteral("长城的日出"));
    EXPECT_EQ(restored.request.negativePrompt, QStringLiteral("日出"));
    negative->clear();
    window.params()->apply(restored.request, true);
    EXPECT_EQ(negative->text(), QStringLiteral("日出"));
    EXPECT_EQ(window.params()->takeRequest(QStringLiteral("长城的日出")).negativePrompt, QStringLiteral("日出"));
}

// Colours (beside Guidance): sent with the request, recorded in its JSON and
// the A1111 parameters, restored by apply(); 0 (as Guidance) costs nothing,
// and a value below a guidance scale is taken as 0.
TEST_F(MainWindowTest, ColourGuidanceIsSentRecordedAndRestored) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    auto* colours = window.params()->findChild<QDoubleSpinBox*>(QStringLiteral("colourGuidance"));
    ASSERT_NE(colours, nullptr);
    EXPECT_EQ(colours->text(), QStringLiteral("colours as guidance"));
    EXPECT_EQ(window.params()->takeRequest(QStringLiteral("猫")).colourGuidance, 0.0);
    colours->setValue(0.5);
    EXPECT_EQ(window.params()->takeRequest(QStringLiteral("猫")).colourGuidance, 0.0);
    colours->setValue(2.0);
    window.editor()->setPrompt(QStringLiteral("红色的长城"));
    window.params()->setSeed(5, true);
    window.gallery()->clearResult();
    QTest::mouseClick(window.generateButton(), Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
    const GenerationRecord record = window.gallery()->record();
    EXPECT_EQ(record.request.colourGuidance, 2.0);
    EXPECT_EQ(record.toJson().value(QStringLiteral("sampling")).toObject().value(QStringLiteral("colour_guidance")),
              QJsonValue(2.0));
    const auto stored = studio->history()->entry(record.historyId);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->record.request.colourGuidance, 2.0);
    EXPECT_TRUE(record.a1111Parameters(0, 1).contains(QStringLiteral("Colour CFG scale: 2")));
    EXPECT_EQ(metadata::recordFromA1111(record.a1111Parameters(0, 1)).request.colourGuidance, 2.0);
    colours->setValue(0);
    window.params()->apply(stored->record.request, true);
    EXPECT_EQ(window.params()->colourGuidance(), 2.0);
}

// Plan the layout: a prompt naming two objects is drawn from two halves with
// their own prompts; the record, its JSON, the history and its tooltip name the parts, and the
// checkbox comes back with the request.
TEST_F(MainWindowTest, PlannedLayoutDrawsEachObjectInItsHalfAndIsRecorded) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    auto* layout = window.params()->findChild<QCheckBox*>(QStringLiteral("layout"));
    ASSERT_NE(layout, nullptr);
    auto* partsGuidance = window.params()->findChild<QDoubleSpinBox*>(QStringLiteral("layoutGuidance"));
    ASSERT_NE(partsGuidance, nullptr);
    partsGuidance->setValue(0.5);  // below a guidance scale: as Guidance
    EXPECT_EQ(window.params()->layoutGuidance(), 0.0);
    partsGuidance->setValue(3.0);
    window.editor()->setPrompt(QStringLiteral("日出和长城"));
    // Before generating, the window says which parts the prompt will be drawn in.
    layout->setChecked(true);
    EXPECT_EQ(window.layoutLabel()->toolTip().section(QLatin1Char('\n'), 0, 0),
              QStringLiteral("Layout: 日出在左边 · 长城在右边"));
    layout->setChecked(false);
    EXPECT_TRUE(window.layoutLabel()->text().isEmpty());
    window.editor()->setPrompt(QStringLiteral("日出"));
    layout->setChecked(true);
    EXPECT_TRUE(window.layoutLabel()->text().isEmpty());  // one object: drawn whole
    window.editor()->setPrompt(QStringLiteral("日出和长城"));
    // The regions in the record are the core's GenerationResult::regions: the
    // plan reached generate(). (The tiny model's near-uniform logits give the
    // same codes either way; Layout.* in test_sampling checks the drawing.)
    const auto draw = [&](bool planned) {
        layout->setChecked(planned);
        window.params()->setSeed(7, true);
        window.gallery()->clearResult();
        QTest::mouseClick(window.generateButton(), Qt::LeftButton);
        EXPECT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
    };
    draw(false);
    EXPECT_TRUE(window.gallery()->record().regions.isEmpty());
    EXPECT_FALSE(window.gallery()->record().request.layout);
    draw(true);

    const GenerationRecord record = window.gallery()->record();
    EXPECT_TRUE(record.request.layout);
    EXPECT_EQ(record.request.layoutGuidance, 3.0);
    ASSERT_EQ(record.regions.size(), 2);
    EXPECT_EQ(record.regions[0].cells, QRect(0, 0, 2, 4));
    EXPECT_EQ(record.regions[0].prompt, QStringLiteral("日出在左边"));
    EXPECT_EQ(record.regions[1].cells, QRect(2, 0, 2, 4));
    EXPECT_EQ(record.regions[1].prompt, QStringLiteral("长城在右边"));
    const auto json = record.toJson();
    EXPECT_TRUE(json.value(QStringLiteral("sampling")).toObject().value(QStringLiteral("layout")).toBool());
    EXPECT_EQ(json.value(QStringLiteral("sampling")).toObject().value(QStringLiteral("layout_guidance")).toDouble(),
              3.0);
    EXPECT_EQ(json.value(QStringLiteral("layout")).toArray().size(), 2);

    const auto stored = studio->history()->entry(record.historyId);
    ASSERT_TRUE(stored.has_value());
    ASSERT_EQ(stored->record.regions.size(), 2);
    EXPECT_EQ(stored->record.regions[1].prompt, QStringLiteral("长城在右边"));
    EXPECT_TRUE(newestHistoryTooltipContains(window, QStringLiteral("Layout: 日出在左边 · 长城在右边"), 3000));

    layout->setChecked(false);
    partsGuidance->setValue(0);
    window.params()->apply(stored->record.request, false);
    EXPECT_TRUE(layout->isChecked());
    EXPECT_EQ(partsGuidance->value(), 3.0);
}

// Draw in parts: the dialog opens on the planned layout of the editor's
// prompt; a part is removed, another dragged and added; accepted, the job
// draws exactly those parts (the record's regions are the core's), the
// request keeps them ("parts") and reads them back from its JSON.
TEST_F(MainWindowTest, DrawInPartsQueuesTheHandPlacedParts) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    window.editor()->setPrompt(QStringLiteral("日出和长城"));
    LayoutDialog* dialog = window.openLayoutDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_EQ(dialog->parts().size(), 2);
    EXPECT_EQ(dialog->parts()[0].prompt, QStringLiteral("日出在左边"));
    EXPECT_EQ(dialog->partList()->count(), 2);

    dialog->partList()->setCurrentRow(1);
    QTest::mouseClick(dialog->removeButton(), Qt::LeftButton);
    ASSERT_EQ(dialog->parts().size(), 1);
    EXPECT_FALSE(dialog->addButton()->isEnabled());  // no cells, no prompt yet
    dialog->picker()->setCells(QRect(2, 2, 2, 2));
    dialog->partPrompt()->setText(QStringLiteral("长城"));
    ASSERT_TRUE(dialog->addButton()->isEnabled());
    QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
    const QList<RegionRecord> parts = dialog->parts();
    ASSERT_EQ(parts.size(), 2);
    EXPECT_EQ(parts[1], (RegionRecord{QRect(2, 2, 2, 2), QStringLiteral("长城")}));

    window.gallery()->clearResult();
    dialog->accept();
    ASSERT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
    const GenerationRecord record = window.gallery()->record();
    EXPECT_EQ(record.request.prompt, QStringLiteral("日出和长城"));
    EXPECT_EQ(record.request.regions, parts);
    EXPECT_EQ(record.regions, parts);
    EXPECT_EQ(GenerationRequest::fromJson(record.request.toJson()).regions, parts);
    EXPECT_TRUE(promptSummary(record.request).contains(QStringLiteral("Layout: 日出在左边 · 长城")));
    // The history's tooltip lists the parts once (the request's and the record's are the same).
    ASSERT_TRUE(newestHistoryTooltipContains(window, QStringLiteral("Layout:"), 3000));
    const QString tooltip = window.historyPanel()->findChild<QListWidget*>()->item(0)->toolTip();
    EXPECT_EQ(tooltip.count(QStringLiteral("Layout:")), 1) << tooltip.toStdString();

    // Use all parameters brings the parts back in the dialog, ready to draw again.
    window.editor()->setPrompt(QString());
    window.recall(record, MainWindow::Recall::All);
    LayoutDialog* again = nullptr;
    ASSERT_TRUE(test::waitUntil(
        [&] {
            for (auto* d : window.findChildren<LayoutDialog*>())
                if (d->isVisible()) again = d;
            return again != nullptr;
        },
        3000));
    EXPECT_EQ(again->parts(), parts);
    EXPECT_EQ(again->prompt(), QStringLiteral("日出和长城"));
    again->reject();
}

// Redraw a region: a candidate's picture in the dialog, a drag over cells
// (1,1)-(2,2) of the tiny model's 4 x 4 grid, a new prompt; the new candidates
// keep every other cell's code, the record and the history name the cells. An
// image file is offered at the model's resolution; a file that is no image is
// refused naming it.
TEST_F(MainWindowTest, RedrawKeepsTheCellsOutsideTheRegion) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    window.editor()->setPrompt(QStringLiteral("长城的日出"));
    window.params()->setSeed(5, true);
    QTest::mouseClick(window.generateButton(), Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));
    const QList<qint64> before = window.gallery()->candidates().value(1).codes;
    const int grid = 4;
    ASSERT_EQ(before.size(), grid * grid);

    RedrawDialog* dialog = window.redrawCandidate(1);
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->promptEdit()->text(), QStringLiteral("长城的日出"));
    auto* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    EXPECT_FALSE(ok->isEnabled());  // no cells yet
    CellPicker* picker = dialog->picker();
    ASSERT_EQ(picker->grid(), grid);
    const int cell = std::min(picker->width(), picker->height()) / grid;
    const QPoint origin((picker->width() - cell * grid) / 2, (picker->height() - cell * grid) / 2);
    const auto centre = [&](int col, int row) { return origin + QPoint(col * cell + cell / 2, row * cell + cell / 2); };
    QTest::mousePress(picker, Qt::LeftButton, Qt::NoModifier, centre(2, 2));
    QMouseEvent move(QEvent::MouseMove, centre(1, 1), picker->mapToGlobal(centre(1, 1)), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(picker, &move);
    QTest::mouseRelease(picker, Qt::LeftButton, Qt::NoModifier, centre(1, 1));
    EXPECT_EQ(dialog->cells(), QRect(1, 1, 2, 2));
    EXPECT_TRUE(ok->isEnabled());
    dialog->promptEdit()->setText(QStringLiteral(" 日出 "));
    window.params()->setSeed(6, true);
    window.gallery()->clearResult();
    QTest::mouseClick(ok, Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return window.gallery()->hasResult(); }, 60000));

    const GenerationRecord record = window.gallery()->record();
    EXPECT_EQ(record.request.prompt, QStringLiteral("日出"));
    EXPECT_EQ(record.request.redrawCells, QRect(1, 1, 2, 2));
    EXPECT_EQ(record.toJson().value(QStringLiteral("redraw")).toObject().value(QStringLiteral("cells")).toArray(),
              (QJsonArray{1, 1, 2, 2}));
    int drawnDiffer = 0;
    for (const auto& c : window.gallery()->candidates()) {
        ASSERT_EQ(c.codes.size(), before.size());
        for (int i = 0; i < before.size(); ++i) {
            const bool inside = QRect(1, 1, 2, 2).contains(i % grid, i / grid);
            if (!inside) EXPECT_EQ(c.codes[i], before[i]) << "cell " << i;
            drawnDiffer += inside && c.codes[i] != before[i];
        }
    }
    EXPECT_GT(drawnDiffer, 0);
    const auto stored = studio->history()->entry(record.historyId);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->record.request.redrawCells, QRect(1, 1, 2, 2));
    EXPECT_FALSE(stored->record.request.isRedraw());  // no picture: read back, it draws a new image
    // Exported from the history, the record still names the cells.
    EXPECT_EQ(
        stored->record.toJson().value(QStringLiteral("redraw")).toObject().value(QStringLiteral("cells")).toArray(),
        (QJsonArray{1, 1, 2, 2}));
    EXPECT_TRUE(newestHistoryTooltipContains(window, QStringLiteral("日出\nRedraw of cells 1,1 to 2,2"), 5000));

    QTemporaryDir files;
    QString error;
    EXPECT_EQ(window.redrawImageFile(files.filePath(QStringLiteral("none.png")), &error), nullptr);
    EXPECT_TRUE(error.contains(QStringLiteral("none.png"))) << error.toStdString();
    QImage wide(48, 32, QImage::Format_RGB888);
    wide.fill(Qt::red);
    ASSERT_TRUE(wide.save(files.filePath(QStringLiteral("wide.png"))));
    RedrawDialog* fromFile = window.redrawImageFile(files.filePath(QStringLiteral("wide.png")), &error);
    ASSERT_NE(fromFile, nullptr);
    EXPECT_EQ(fromFile->picker()->grid(), grid);
    fromFile->reject();
}

// What the panel shows is what a request uses: a candidates box left at "0"
// becomes 1 (it used to keep the previous value), a 20-digit seed fits and
// round-trips, and a seed over 2^64 - 1 cannot be typed.
TEST_F(MainWindowTest, ParamsTakeWhatIsShown) {
    ParamsPanel panel;
    panel.show();
    auto* candidates = panel.findChild<QSpinBox*>(QStringLiteral("candidates"));
    ASSERT_NE(candidates, nullptr);
    candidates->setFocus();
    candidates->selectAll();
    QTest::keyClicks(candidates, QStringLiteral("0"));
    EXPECT_EQ(panel.takeRequest(QStringLiteral("猫")).candidates, 1);
    EXPECT_EQ(candidates->text(), QStringLiteral("1"));
    panel.setSeed(18446744073709551615ull, true);
    EXPECT_EQ(panel.takeRequest(QStringLiteral("猫")).seed, 18446744073709551615ull);
    auto* seed = panel.findChild<QLineEdit*>(QStringLiteral("seed"));
    ASSERT_NE(seed, nullptr);
    EXPECT_GE(seed->minimumWidth(), seed->fontMetrics().horizontalAdvance(seed->text()));
    seed->clear();
    QTest::keyClicks(seed, QStringLiteral("18446744073709551616"));  // 2^64: the last digit is refused
    EXPECT_EQ(seed->text(), QStringLiteral("1844674407370955161"));
}

// Closing while a request runs asks first: No keeps the window and the job,
// Yes cancels it and closes.
TEST_F(MainWindowTest, ClosingWhileGeneratingAsksFirst) {
    auto studio = test::makeStudio(dataDir.path(), QStringLiteral("small"));
    MainWindow window(studio.get());
    window.show();
    window.editor()->setPrompt(QStringLiteral("长城的日出"));
    Watch w;
    watch(*studio, &window, w);
    QTest::mouseClick(window.generateButton(), Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return w.started; }, 60000));
    QString asked;
    auto answer = [&](QMessageBox::StandardButton button) {
        QTimer::singleShot(50, [&asked, button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            asked = box->text();
            box->button(button)->click();
        });
    };
    answer(QMessageBox::No);
    EXPECT_FALSE(window.close());
    EXPECT_TRUE(asked.contains(QStringLiteral("running"))) << asked.toStdString();
    EXPECT_TRUE(window.isVisible());
    EXPECT_GT(studio->generation()->runningJob(), 0);
    asked.clear();
    answer(QMessageBox::Yes);
    EXPECT_TRUE(window.close());
    EXPECT_FALSE(asked.isEmpty());
    ASSERT_TRUE(test::waitUntil([&] { return w.outcome.jobId > 0; }, 60000));
    EXPECT_EQ(w.outcome.status, JobStatus::Cancelled);
}

// One image of the "small" model: slow enough that the first of a few
// queued requests is still running while a test works on the queue.
GenerationRequest queueRequest() {
    GenerationRequest r;
    r.prompt = QStringLiteral("长城的日出");
    r.candidates = 1;
    return r;
}

// Clicks the button of `parent` labelled `text`; false if it is missing or disabled.
bool clickButton(QWidget& parent, const QString& text) {
    for (auto* button : parent.findChildren<QPushButton*>())
        if (button->text() == text && button->isEnabled()) {
            QTest::mouseClick(button, Qt::LeftButton);
            return true;
        }
    return false;
}

// The queue list keeps the artist's selection on the same job while jobs
// ahead of it finish, and "Cancel selected" cancels that job, not a row.
TEST_F(MainWindowTest, QueueSelectionFollowsTheJobNotTheRow) {
    auto studio = test::makeStudio(dataDir.path(), QStringLiteral("small"));
    QueuePanel panel(studio->generation());
    panel.show();
    auto* gen = studio->generation();
    const auto r = queueRequest();
    const int first = gen->enqueue(r), second = gen->enqueue(r), third = gen->enqueue(r);
    ASSERT_GT(first, 0);
    auto* list = panel.findChild<QListWidget*>(QStringLiteral("queueList"));
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->count(), 3);
    list->item(2)->setSelected(true);  // the third job
    QListWidgetItem* picked = list->item(2);
    gen->cancel(first);
    ASSERT_TRUE(test::waitUntil([&] { return gen->runningJob() == second; }, 60000));
    ASSERT_EQ(list->selectedItems().size(), 1);
    EXPECT_EQ(list->selectedItems().front(), picked);
    EXPECT_EQ(picked->data(Qt::UserRole).toInt(), third);
    EXPECT_TRUE(clickButton(panel, QStringLiteral("Cancel selected")));
    EXPECT_EQ(gen->runningJob(), second);  // untouched
    const auto jobs = gen->jobs();
    EXPECT_TRUE(std::none_of(jobs.begin(), jobs.end(), [&](const auto& j) { return j.id == third; }));
    gen->cancelAll();
}

// Waiting requests can be reordered: Run next, Move up / down; the running
// one stays where it is, and the selection follows the job.
TEST_F(MainWindowTest, QueueReordersWaitingRequests) {
    auto studio = test::makeStudio(dataDir.path(), QStringLiteral("small"));
    QueuePanel panel(studio->generation());
    panel.show();
    auto* gen = studio->generation();
    const auto r = queueRequest();
    const int a = gen->enqueue(r), b = gen->enqueue(r), c = gen->enqueue(r), d = gen->enqueue(r);
    ASSERT_EQ(gen->runningJob(), a);
    const auto order = [&] {
        QList<int> ids;
        for (const auto& j : gen->jobs()) ids << j.id;
        return ids;
    };
    auto* list = panel.findChild<QListWidget*>(QStringLiteral("queueList"));
    ASSERT_NE(list, nullptr);
    list->item(3)->setSelected(true);  // d
    ASSERT_TRUE(clickButton(panel, QStringLiteral("Run next")));
    EXPECT_EQ(order(), (QList<int>{a, d, b, c}));
    ASSERT_EQ(list->selectedItems().size(), 1);
    EXPECT_EQ(list->selectedItems().front()->data(Qt::UserRole).toInt(), d);
    EXPECT_EQ(list->row(list->selectedItems().front()), 1);  // the rows follow the queue
    ASSERT_TRUE(clickButton(panel, QStringLiteral("Move down")));
    EXPECT_EQ(order(), (QList<int>{a, b, d, c}));
    ASSERT_TRUE(clickButton(panel, QStringLiteral("Move up")));
    EXPECT_EQ(order(), (QList<int>{a, d, b, c}));
    // Neither the running job nor a job at an end moves.
    EXPECT_FALSE(gen->move(a, 1));
    EXPECT_FALSE(gen->move(d, -1));
    EXPECT_FALSE(gen->move(c, 5));
    EXPECT_FALSE(gen->move(12345, 1));
    EXPECT_EQ(order(), (QList<int>{a, d, b, c}));
    list->clearSelection();
    list->item(0)->setSelected(true);  // the running job: nothing to move
    EXPECT_FALSE(clickButton(panel, QStringLiteral("Run next")));
    EXPECT_EQ(order(), (QList<int>{a, d, b, c}));
    // A selected block at an end of the queue cannot move past it: the
    // buttons that would do nothing are off.
    list->clearSelection();
    list->item(1)->setSelected(true);  // d, at the front of the waiting ones
    list->item(2)->setSelected(true);  // b
    EXPECT_FALSE(clickButton(panel, QStringLiteral("Move up")));
    EXPECT_FALSE(clickButton(panel, QStringLiteral("Run next")));
    EXPECT_EQ(order(), (QList<int>{a, d, b, c}));
    list->clearSelection();
    list->item(2)->setSelected(true);  // b
    list->item(3)->setSelected(true);  // c, at the back
    EXPECT_FALSE(clickButton(panel, QStringLiteral("Move down")));
    EXPECT_EQ(order(), (QList<int>{a, d, b, c}));
    ASSERT_TRUE(clickButton(panel, QStringLiteral("Move up")));  // the block moves as one
    EXPECT_EQ(order(), (QList<int>{a, b, c, d}));
    // Around a gap: d moves up past the unselected c, b cannot (first waiting).
    list->clearSelection();
    list->item(1)->setSelected(true);  // b
    list->item(3)->setSelected(true);  // d
    ASSERT_TRUE(clickButton(panel, QStringLiteral("Move up")));
    EXPECT_EQ(order(), (QList<int>{a, b, d, c}));
    gen->cancelAll();
}

// Help → Keyboard shortcuts lists the menus' shortcuts as they are bound.
TEST_F(MainWindowTest, ShortcutSheetReadsTheMenus) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    const QString sheet = window.shortcutsHtml();
    const auto keys = [](QKeySequence k) { return k.toString(QKeySequence::NativeText).toHtmlEscaped(); };
    EXPECT_TRUE(sheet.contains(keys(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return)))) << sheet.toStdString();
    EXPECT_TRUE(sheet.contains(QStringLiteral("Generate next (front of the queue)")));
    EXPECT_TRUE(sheet.contains(keys(QKeySequence(Qt::CTRL | Qt::Key_Period))));
    EXPECT_TRUE(sheet.contains(keys(QKeySequence::HelpContents)));
    EXPECT_TRUE(sheet.contains(QStringLiteral("Generate → Generate next")));  // mnemonics stripped
    EXPECT_FALSE(sheet.contains(QStringLiteral("&amp;")));
}

// A 10,000-character prompt links hundreds of names: the window stays within
// the screen, and a runaway saved geometry is clamped when it is restored.
TEST_F(MainWindowTest, LongPromptNeverWidensTheWindow) {
    auto studio = test::makeStudio(dataDir.path());
    const QRect avail = QGuiApplication::primaryScreen()->availableGeometry();
    {
        MainWindow window(studio.get());
        window.show();
        QString prompt;
        while (prompt.size() < 10000) prompt += QStringLiteral("故宫长城大熊猫");
        window.editor()->setPrompt(prompt);
        QTest::qWait(50);
        EXPECT_LE(window.width(), avail.width());
        auto* label = window.findChild<QLabel*>(QStringLiteral("entityLabel"));
        ASSERT_NE(label, nullptr);
        EXPECT_LE(label->sizeHint().width(), avail.width());
        window.resize(30000, 820);
        window.close();
    }
    MainWindow again(studio.get());
    again.show();
    QTest::qWait(50);
    EXPECT_LE(again.width(), avail.width());
}

// Esc closes popups and must never cancel a running request (three
// of four queued jobs were lost that way); Ctrl+. (Generate > Cancel running) does.
TEST_F(MainWindowTest, EscNeverCancelsCtrlPeriodDoes) {
    auto studio = test::makeStudio(dataDir.path(), QStringLiteral("small"));
    MainWindow window(studio.get());
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    window.editor()->setPrompt(QStringLiteral("长城的日出"));
    bool started = false;
    double firstEta = 0;  // the first step cannot know the time left yet
    QString firstEtaText;
    QObject::connect(
        studio->generation(), &GenerationService::progress, &window, [&](int, int step, int, double, double etaS) {
            if (step == 1) {
                firstEta = etaS;
                QTimer::singleShot(
                    0, &window, [&] { firstEtaText = window.findChild<QLabel*>(QStringLiteral("etaLabel"))->text(); });
            }
            started |= step > 0;
        });
    GenerationOutcome outcome;
    QObject::connect(studio->generation(), &GenerationService::jobFinished, &window,
                     [&](const GenerationOutcome& o) { outcome = o; });
    QTest::mouseClick(window.generateButton(), Qt::LeftButton);
    ASSERT_TRUE(test::waitUntil([&] { return started && !firstEtaText.isEmpty(); }, 60000));
    EXPECT_LT(firstEta, 0);
    EXPECT_TRUE(firstEtaText.contains(QStringLiteral("estimating"))) << firstEtaText.toStdString();
    window.editor()->setFocus();
    QTest::keyClick(window.editor(), Qt::Key_Escape);
    QTest::keyClick(&window, Qt::Key_Escape);
    QTest::qWait(200);
    EXPECT_LE(outcome.jobId, 0) << "Esc ended the running request";
    EXPECT_TRUE(window.cancelButton()->isEnabled());
    QTest::keyClick(window.editor(), Qt::Key_Period, Qt::ControlModifier);
    ASSERT_TRUE(test::waitUntil([&] { return outcome.jobId > 0; }, 60000));
    EXPECT_EQ(outcome.status, JobStatus::Cancelled);
}

}  // namespace
}  // namespace shenbi::ui
