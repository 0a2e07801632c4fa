// What the studio says about the open model:
// the editor links what the model is given (one-character names, the entity
// cap); the placeholder cycles the model's own example prompts and the status
// bar says what it knows; the model manager lists models by name, marks the
// open one, shows its card, lists an import at once and asks before copying.
#include <gtest/gtest.h>

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>

#include <qcoro/qcorotask.h>

#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/model/model_bundle.h"
#include "testsupport.h"
#include "ui/mainwindow.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"
#include "ui/widgets/dialogs.h"
#include "ui/widgets/prompteditor.h"

namespace shenbi::ui {
namespace {

// A tiny random model saved as a Shenbi directory, with a name, a card and
// the scene model's rule for one-character names.
QString saveModel(const QString& dir, const std::string& name, bool singleChars, const ModelCard& card) {
    auto config = ModelConfig::preset("tiny").value();
    config.name = name;
    config.gpt.single_char_entities = singleChars;
    config.card = card;
    const Status st = save_model_dir(*make_random_bundle(config, 5), std::filesystem::path(dir.toStdString()));
    EXPECT_TRUE(st.ok()) << st.message();
    return dir;
}

QStringList names(const QList<EntitySpan>& spans) {
    QStringList out;
    for (const auto& s : spans) out << s.name;
    return out;
}

QListWidgetItem* itemFor(QListWidget* list, const QString& entry) {
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->data(Qt::UserRole).toString() == entry) return list->item(i);
    return nullptr;
}

class ModelCardTest : public ::testing::Test {
protected:
    void SetUp() override { QSettings().clear(); }
    void TearDown() override { QSettings().clear(); }
    QTemporaryDir dataDir;
    QTemporaryDir models;
};

// Item 4: 猫 was never linked, though the scene model is given it.
TEST_F(ModelCardTest, EditorLinksOneCharacterNamesExactlyAsTheModelIsGiven) {
    auto studio = test::makeStudio(dataDir.path());  // a random tiny model: ARTIST's rule
    MainWindow window(studio.get());
    window.show();
    PromptEditor* editor = window.editor();
    editor->setPrompt(QStringLiteral("一只猫坐在月亮上"));
    EXPECT_TRUE(editor->allSpans().isEmpty());

    const QString dir = saveModel(models.filePath(QStringLiteral("scene")), "scene-like", true, {});
    ASSERT_TRUE(QCoro::waitFor(studio->models()->loadDirectory(dir, QStringLiteral("cpu"))).ok);
    ASSERT_TRUE(test::waitUntil([&] { return editor->allSpans().size() == 1; }, 5000));
    const EntitySpan cat = editor->allSpans().first();
    EXPECT_EQ(cat.name, QStringLiteral("猫"));
    EXPECT_EQ(cat.begin, 2);
    EXPECT_EQ(cat.end, 3);
    EXPECT_EQ(names(editor->sentSpans()), QStringList{QStringLiteral("猫")});

    // Longest match (no 猫 inside 熊猫) and no ambiguous character (上).
    editor->setPrompt(QStringLiteral("熊猫在上"));
    EXPECT_EQ(names(editor->allSpans()), QStringList{QStringLiteral("熊猫")});

    // The tiny model takes 4 entities: the label lists the 4 it is given.
    editor->setPrompt(QStringLiteral("猫龙猫龙猫龙"));
    EXPECT_EQ(editor->allSpans().size(), 6);
    EXPECT_EQ(editor->sentSpans().size(), 4);

    // Back to a model without the rule: 猫 is no longer shown.
    ASSERT_TRUE(QCoro::waitFor(studio->models()->loadRandom(QStringLiteral("tiny"), 1)).ok);
    editor->setPrompt(QStringLiteral("一只猫坐在月亮上"));
    EXPECT_TRUE(editor->allSpans().isEmpty());
}

// Item 8: the placeholder suggested 江南水乡的石桥与垂柳, which gives blobs.
TEST_F(ModelCardTest, PlaceholderCyclesTheModelsExamplesAndTheStatusBarSaysWhatItKnows) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    PromptEditor* editor = window.editor();
    // A model without examples gets a plain hint, never a prompt it cannot draw.
    EXPECT_FALSE(editor->placeholderText().contains(QStringLiteral("江南")));

    ModelCard card;
    card.description = "Cats and dragons, 16 px";
    card.examples = {"一只猫", "两条龙"};
    const QString dir = saveModel(models.filePath(QStringLiteral("cats")), "cats-and-dragons", false, card);
    ASSERT_TRUE(QCoro::waitFor(studio->models()->loadDirectory(dir, QStringLiteral("cpu"))).ok);
    EXPECT_EQ(editor->examplePrompts(), (QStringList{QStringLiteral("一只猫"), QStringLiteral("两条龙")}));
    EXPECT_TRUE(editor->placeholderText().contains(QStringLiteral("一只猫")))
        << editor->placeholderText().toStdString();
    ASSERT_TRUE(test::waitUntil([&] { return editor->placeholderText().contains(QStringLiteral("两条龙")); }, 8000))
        << editor->placeholderText().toStdString();
    auto* label = window.findChild<QLabel*>(QStringLiteral("modelLabel"));
    ASSERT_NE(label, nullptr);
    EXPECT_TRUE(label->toolTip().contains(QStringLiteral("Cats and dragons"))) << label->toolTip().toStdString();
    EXPECT_TRUE(label->toolTip().contains(QStringLiteral("两条龙")));
    EXPECT_EQ(window.statusBar()->currentMessage(), QStringLiteral("Cats and dragons, 16 px"));
}

// Item 5: an import appeared only after reopening, rows showed paths, the
// open model was not marked, and a 300 MB copy was written without asking.
TEST_F(ModelCardTest, ModelManagerListsByNameMarksTheOpenModelAndAsksBeforeCopying) {
    auto studio = test::makeStudio(dataDir.path());
    MainWindow window(studio.get());
    window.show();
    ModelCard card;
    card.description = "Cats and dragons, 16 px";
    card.examples = {"一只猫"};
    const QString named = saveModel(models.filePath(QStringLiteral("folder-a")), "cats-and-dragons", false, card);
    ModelManagerDialog::rememberModel(QStringLiteral("dir:") + named);
    ASSERT_TRUE(QCoro::waitFor(studio->models()->loadDirectory(named, QStringLiteral("cpu"))).ok);

    ModelManagerDialog* dialog = window.openModelManager();
    auto* list = dialog->findChild<QListWidget*>(QStringLiteral("modelList"));
    ASSERT_NE(list, nullptr);
    QListWidgetItem* row = itemFor(list, QStringLiteral("dir:") + named);
    ASSERT_NE(row, nullptr);
    EXPECT_TRUE(row->text().startsWith(QStringLiteral("cats-and-dragons"))) << row->text().toStdString();
    EXPECT_FALSE(row->text().contains(models.path()));
    EXPECT_TRUE(row->font().bold());
    EXPECT_FALSE(itemFor(list, QStringLiteral("random:tiny"))->font().bold());
    auto* cardLabel = dialog->findChild<QLabel*>(QStringLiteral("modelCard"));
    ASSERT_NE(cardLabel, nullptr);
    EXPECT_TRUE(cardLabel->text().contains(QStringLiteral("Cats and dragons"))) << cardLabel->text().toStdString();
    EXPECT_TRUE(cardLabel->text().contains(QStringLiteral("一只猫")));

    // A LoRA adapter folder is listed as such, with its base's card.
    const QString adapter = models.filePath(QStringLiteral("my-style"));
    {
        auto base = load_model_dir(named.toStdString(), c10::kCPU).value();
        ASSERT_TRUE(attach_lora(base->net->transformer, LoraConfig{}, 1).ok());
        ASSERT_TRUE(save_lora(base->net->transformer, adapter.toStdString(), base->checksum, named.toStdString()).ok());
    }
    ModelManagerDialog::rememberModel(QStringLiteral("dir:") + adapter);
    dialog->refresh();
    QListWidgetItem* adapted = itemFor(list, QStringLiteral("dir:") + adapter);
    ASSERT_NE(adapted, nullptr);
    EXPECT_EQ(adapted->text(), QStringLiteral("my-style (LoRA on cats-and-dragons)"));
    list->setCurrentItem(adapted);
    EXPECT_TRUE(cardLabel->text().contains(QStringLiteral("Cats and dragons"))) << cardLabel->text().toStdString();
    list->setCurrentItem(itemFor(list, QStringLiteral("dir:") + named));  // refresh() rebuilt the rows

    // Importing asks first, with the size; "Convert into a copy" writes it
    // under the data folder and the list shows it at once, marked open.
    const QString source = saveModel(models.filePath(QStringLiteral("to-import")), "imported-one", false, {});
    qint64 bytes = 0;
    for (QDirIterator it(source, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
        bytes += QFileInfo(it.next()).size();
    QString question;
    QTimer answer;
    QObject::connect(&answer, &QTimer::timeout, [&] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        question = box->text();
        box->findChild<QAbstractButton*>(QStringLiteral("importCopy"))->click();
    });
    answer.start(20);
    Q_EMIT dialog->importRequested(source);
    answer.stop();
    EXPECT_TRUE(question.contains(QLocale().formattedDataSize(bytes))) << question.toStdString();
    const QString copy = QDir(studio->dataDir()).filePath(QStringLiteral("models/to-import"));
    ASSERT_TRUE(test::waitUntil(
        [&] {
            QListWidgetItem* it = itemFor(list, QStringLiteral("dir:") + copy);
            return it && it->font().bold();
        },
        30000));
    EXPECT_TRUE(itemFor(list, QStringLiteral("dir:") + copy)->text().startsWith(QStringLiteral("imported-one")));
    row = itemFor(list, QStringLiteral("dir:") + named);
    ASSERT_NE(row, nullptr);
    EXPECT_FALSE(row->font().bold());

    // "Use in place" copies nothing and lists the folder at once.
    const QString inPlace = saveModel(models.filePath(QStringLiteral("in-place")), "kept-here", false, {});
    QObject::disconnect(&answer, nullptr, nullptr, nullptr);
    QObject::connect(&answer, &QTimer::timeout, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget()))
            box->findChild<QAbstractButton*>(QStringLiteral("importInPlace"))->click();
    });
    answer.start(20);
    Q_EMIT dialog->importRequested(inPlace);
    answer.stop();
    EXPECT_NE(itemFor(list, QStringLiteral("dir:") + inPlace), nullptr);
    EXPECT_FALSE(QFileInfo::exists(QDir(studio->dataDir()).filePath(QStringLiteral("models/in-place"))));
    dialog->close();
}

}  // namespace
}  // namespace shenbi::ui
