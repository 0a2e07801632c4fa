// The prompt editor: plain text (IME friendly), knowledge-graph entities
// underlined as you type (debounced), a hover card per entity, Ctrl+click or
// the context menu to unlink / re-link (cycling through overlapping spans),
// entity-name completion, a token budget (text past the model's text_len is
// greyed out), Ctrl+Enter to generate, Up/Down through earlier prompts.
#pragma once

#include <QPlainTextEdit>
#include <QSet>
#include <QSyntaxHighlighter>
#include <QTimer>
#include <functional>

#include "ui/services/types.h"

class QCompleter;
class QStringListModel;

namespace shenbi::ui {

class KnowledgeService;

class EntityHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit EntityHighlighter(QTextDocument* doc);
    void setState(QList<EntitySpan> active, QList<EntitySpan> inactive, int truncateFrom);

protected:
    void highlightBlock(const QString& text) override;

private:
    QList<EntitySpan> m_active;
    QList<EntitySpan> m_inactive;
    int m_truncateFrom = -1;  // document position where dropped tokens start
};

class PromptEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit PromptEditor(KnowledgeService* knowledge, QWidget* parent = nullptr);

    QString prompt() const { return toPlainText(); }
    void setPrompt(const QString& text);

    // Token budget: `tokenEnds` gives each token's UTF-16 end offset. The
    // model takes the first `maxEntities` spans (0: no cap) of the lattice.
    void setTokenizer(std::function<QList<int>(const QString&)> tokenEnds, int limit, int maxEntities = 0);

    QList<EntitySpan> allSpans() const { return m_all; }
    QList<EntitySpan> activeSpans() const { return m_active; }
    // The active spans the model is sent: before the token limit and among
    // the first maxEntities spans of its lattice (all spans, start then end).
    QList<EntitySpan> sentSpans() const;
    // The open model's example prompts: the placeholder cycles through them
    // (none: a plain hint, never a prompt the model cannot draw).
    void setExamplePrompts(const QStringList& examples);
    QStringList examplePrompts() const { return m_examples; }
    QStringList unlinkedNames() const;
    void setUnlinkedNames(const QStringList& names);
    // Relinks now instead of after the debounce (tests, programmatic edits).
    void relinkNow();
    // Cycles the entities covering document position `pos`: each one, then none.
    void toggleAt(int pos);
    QString entityCardHtml(int pos) const;

    void setPromptHistory(const QStringList& newestFirst);
    void pushHistory(const QString& prompt);
    bool historyUp();
    bool historyDown();

    QCompleter* completer() const { return m_completer; }
    void updateCompletion();

Q_SIGNALS:
    void generateRequested(bool front);  // Ctrl+Enter; with Shift, at the front of the queue
    void entitiesChanged();
    void tokenCountChanged(int count, int limit);
    // A paste from which `removed` invisible or control characters were cleaned.
    void pasteCleaned(int removed);

protected:
    void keyPressEvent(QKeyEvent* e) override;
    void insertFromMimeData(const QMimeData* source) override;  // pasted text is cleaned (promptsanitizer.h)
    bool event(QEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;

private:
    void onTextChanged();
    void showNextExample();
    void recomputeActive();
    void updateTokens();
    void insertCompletion(const QString& completion);
    QString completionPrefix() const;
    QList<EntitySpan> spansAt(int pos) const;

    KnowledgeService* m_knowledge;
    EntityHighlighter* m_highlighter;
    QTimer m_debounce;
    QCompleter* m_completer;
    QStringListModel* m_completionModel;
    QList<EntitySpan> m_all;
    QList<EntitySpan> m_active;
    QSet<QString> m_disabled;  // entity names the user unlinked
    QSet<QString> m_forced;    // names preferred over overlapping longer spans
    std::function<QList<int>(const QString&)> m_tokenEnds;
    int m_tokenLimit = 0;
    int m_maxEntities = 0;
    QStringList m_examples;
    int m_exampleIndex = 0;
    QTimer m_exampleTimer;
    int m_tokenCount = 0;
    int m_truncateFrom = -1;
    QStringList m_history;  // newest first
    int m_historyIndex = -1;
    QString m_draft;
    QString m_lastText;
    bool m_settingText = false;
    bool m_userEdited = false;  // since the last relink: only typing opens the completion popup
};

}  // namespace shenbi::ui
