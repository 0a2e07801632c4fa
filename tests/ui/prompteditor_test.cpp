// The prompt editor: typing links entities (underlined, longest span wins),
// Ctrl+click cycles overlapping spans, hover card, completion, token budget,
// Ctrl+Enter, prompt history.
#include "ui/widgets/prompteditor.h"

#include <gtest/gtest.h>

#include <QAbstractItemView>
#include <QClipboard>
#include <QCompleter>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

#include "testsupport.h"
#include "ui/services/knowledgeservice.h"
#include "ui/services/promptsanitizer.h"

namespace shenbi::ui {
namespace {

// Underlined character ranges of the first block, as the highlighter left them.
QList<QPair<int, int>> underlinedRanges(PromptEditor& editor) {
    QList<QPair<int, int>> out;
    const QTextBlock block = editor.document()->firstBlock();
    for (const auto& r : block.layout()->formats()) {
        if (r.format.fontUnderline() || r.format.underlineStyle() == QTextCharFormat::SingleUnderline)
            out.append({r.start, r.start + r.length});
    }
    return out;
}

class PromptEditorTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(knowledge.loadNow(test::graphDir()).isEmpty());
        editor = std::make_unique<PromptEditor>(&knowledge);
        editor->resize(600, 120);
        editor->show();
        editor->setFocus();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(editor.get()));
    }
    KnowledgeService knowledge;
    std::unique_ptr<PromptEditor> editor;
};

TEST_F(PromptEditorTest, TypingUnderlinesLinkedEntities) {
    test::imeType(editor.get(), QStringLiteral("北京大学和故宫的大熊猫"));
    // The debounce fires by itself; no explicit relink.
    ASSERT_TRUE(test::waitUntil([&] { return editor->activeSpans().size() == 3; }, 3000))
        << editor->activeSpans().size();
    const auto active = editor->activeSpans();
    EXPECT_EQ(active[0].name, QStringLiteral("北京大学"));
    EXPECT_EQ(active[0].begin, 0);
    EXPECT_EQ(active[0].end, 4);
    EXPECT_EQ(active[1].name, QStringLiteral("故宫"));
    EXPECT_EQ(active[2].name, QStringLiteral("大熊猫"));
    // 北京 and 熊猫 are known but hidden under the longer spans.
    QStringList all;
    for (const auto& s : editor->allSpans()) all << s.name;
    EXPECT_TRUE(all.contains(QStringLiteral("北京")));
    EXPECT_TRUE(all.contains(QStringLiteral("熊猫")));

    const auto ranges = underlinedRanges(*editor);
    EXPECT_TRUE(ranges.contains(qMakePair(0, 4))) << ranges.size();
    EXPECT_TRUE(ranges.contains(qMakePair(5, 7)));
    EXPECT_TRUE(ranges.contains(qMakePair(8, 11)));
}

TEST_F(PromptEditorTest, ReplacedPromptComesBackWithUndo) {
    // A recall or a dropped image replaces the prompt; the artist's text must
    // not be lost with it.
    editor->setPrompt(QStringLiteral("北京大学"));
    editor->setPrompt(QStringLiteral("一只熊猫"));
    ASSERT_EQ(editor->toPlainText(), QStringLiteral("一只熊猫"));
    editor->undo();
    EXPECT_EQ(editor->toPlainText(), QStringLiteral("北京大学"));
    EXPECT_TRUE(test::waitUntil(  // re-linked after the undo
        [&] {
            return editor->activeSpans().size() == 1 && editor->activeSpans()[0].name == QStringLiteral("北京大学");
        },
        3000));
    editor->redo();
    EXPECT_EQ(editor->toPlainText(), QStringLiteral("一只熊猫"));
}

TEST_F(PromptEditorTest, CtrlClickCyclesOverlappingSpansAndHoverCardShowsNeighbours) {
    editor->setPrompt(QStringLiteral("北京大学"));
    ASSERT_EQ(editor->activeSpans().size(), 1);
    EXPECT_EQ(editor->activeSpans()[0].name, QStringLiteral("北京大学"));
    const QString card = editor->entityCardHtml(1);
    EXPECT_TRUE(card.contains(QStringLiteral("北京大学")));
    EXPECT_TRUE(card.contains(QStringLiteral("位于")));
    EXPECT_TRUE(card.contains(QStringLiteral("大学")));

    // The active entity covering 京 (position 1), "" for none.
    const auto activeAt1 = [&]() {
        for (const auto& a : editor->activeSpans())
            if (a.contains(1)) return a.name;
        return QString();
    };
    editor->toggleAt(1);  // longest -> next (北京); 大学 becomes free and links too
    EXPECT_EQ(activeAt1(), QStringLiteral("北京"));
    EXPECT_TRUE(editor->unlinkedNames().contains(QStringLiteral("北京大学")));
    editor->toggleAt(1);  // -> none
    EXPECT_EQ(activeAt1(), QString());
    editor->toggleAt(1);  // -> longest again
    EXPECT_EQ(activeAt1(), QStringLiteral("北京大学"));
    EXPECT_EQ(editor->activeSpans().size(), 1);

    // A real Ctrl+click does the same.
    const QPoint at = editor->cursorRect(QTextCursor(editor->document()->findBlockByNumber(0))).center() + QPoint(4, 0);
    QTest::mouseClick(editor->viewport(), Qt::LeftButton, Qt::ControlModifier, at);
    EXPECT_EQ(activeAt1(), QStringLiteral("北京"));
}

TEST_F(PromptEditorTest, CompletesEntityNames) {
    test::imeType(editor.get(), QStringLiteral("一只大熊"));
    editor->updateCompletion();
    ASSERT_TRUE(editor->completer()->popup()->isVisible());
    EXPECT_EQ(editor->completer()->completionModel()->index(0, 0).data().toString(), QStringLiteral("大熊猫"));
    QTest::keyClick(editor->completer()->popup(), Qt::Key_Down);
    QTest::keyClick(editor.get(), Qt::Key_Return);
    EXPECT_EQ(editor->prompt(), QStringLiteral("一只大熊猫"));
}

// A prompt set by the program (a restored draft, a recalled record) relinks
// but does not open the completion popup, so Up still walks the history.
TEST_F(PromptEditorTest, OnlyTypingOpensCompletion) {
    editor->setPromptHistory({QStringLiteral("故宫")});
    editor->setPrompt(QStringLiteral("一只大熊"));
    EXPECT_FALSE(editor->completer()->popup()->isVisible());
    QTest::keyClick(editor.get(), Qt::Key_Up);
    EXPECT_EQ(editor->prompt(), QStringLiteral("故宫"));
    editor->setPrompt(QString());
    test::imeType(editor.get(), QStringLiteral("一只大熊"));
    editor->relinkNow();
    EXPECT_TRUE(editor->completer()->popup()->isVisible());
}

// Pasted text loses what the artist cannot see: control characters, a
// zero-width space that would split 红苹果, a right-to-left override; the
// editor says how many it removed.
TEST_F(PromptEditorTest, PastedTextIsCleaned) {
    const QString dirty = QStringLiteral("红") + QChar(0x200B) + QStringLiteral("苹果") + QChar(0x01) + QChar(0x1B) +
                          QChar(0x202E) + QStringLiteral("\t2024");
    const auto clean = sanitizePrompt(dirty);
    EXPECT_EQ(clean.text, QStringLiteral("红苹果 2024"));
    EXPECT_EQ(clean.removed, 5);
    QSignalSpy cleaned(editor.get(), &PromptEditor::pasteCleaned);
    QGuiApplication::clipboard()->setText(dirty);
    editor->paste();
    EXPECT_EQ(editor->prompt(), QStringLiteral("红苹果 2024"));
    ASSERT_EQ(cleaned.count(), 1);
    EXPECT_EQ(cleaned.first().at(0).toInt(), 5);
    // A stored prompt shown among other text is isolated.
    EXPECT_EQ(isolated(QStringLiteral("abc")), QChar(0x2068) + QStringLiteral("abc") + QChar(0x2069));
}

TEST_F(PromptEditorTest, TokenBudgetCtrlEnterAndHistory) {
    // One token per character, limit 8 (the tiny model's text_len).
    editor->setTokenizer(
        [](const QString& p) {
            QList<int> ends;
            for (int i = 1; i <= p.size(); ++i) ends << i;
            return ends;
        },
        8);
    QSignalSpy tokens(editor.get(), &PromptEditor::tokenCountChanged);
    test::imeType(editor.get(), QStringLiteral("江南水乡的石桥与垂柳"));
    ASSERT_FALSE(tokens.isEmpty());
    EXPECT_EQ(tokens.last().at(0).toInt(), 10);
    EXPECT_EQ(tokens.last().at(1).toInt(), 8);
    // Characters past the limit are struck out.
    bool struck = false;
    for (const auto& r : editor->document()->firstBlock().layout()->formats())
        struck |= r.format.fontStrikeOut() && r.start == 8;
    EXPECT_TRUE(struck);

    QSignalSpy generate(editor.get(), &PromptEditor::generateRequested);
    QTest::keyClick(editor.get(), Qt::Key_Return, Qt::ControlModifier);
    ASSERT_EQ(generate.count(), 1);
    EXPECT_FALSE(generate.at(0).at(0).toBool());
    EXPECT_EQ(editor->document()->blockCount(), 1);  // Ctrl+Enter did not insert a newline
    QTest::keyClick(editor.get(), Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    ASSERT_EQ(generate.count(), 2);
    EXPECT_TRUE(generate.at(1).at(0).toBool());  // with Shift: at the front of the queue
    EXPECT_EQ(editor->document()->blockCount(), 1);

    editor->setPromptHistory({QStringLiteral("故宫"), QStringLiteral("长城")});
    editor->setPrompt(QStringLiteral("草稿"));
    QTest::keyClick(editor.get(), Qt::Key_Up);
    EXPECT_EQ(editor->prompt(), QStringLiteral("故宫"));
    QTest::keyClick(editor.get(), Qt::Key_Up);
    EXPECT_EQ(editor->prompt(), QStringLiteral("长城"));
    QTest::keyClick(editor.get(), Qt::Key_Down);
    QTest::keyClick(editor.get(), Qt::Key_Down);
    EXPECT_EQ(editor->prompt(), QStringLiteral("草稿"));
}

}  // namespace
}  // namespace shenbi::ui
