#include "ui/widgets/prompteditor.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QMimeData>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>
#include <QToolTip>
#include <algorithm>

#include "ui/services/knowledgeservice.h"
#include "ui/services/promptsanitizer.h"

namespace shenbi::ui {

namespace {

constexpr int kDebounceMs = 150;
constexpr int kExampleMs = 5000;  // placeholder: the next example prompt
const QColor kEntityColor(0x1f, 0x6f, 0xd1);
const QColor kUnlinkedColor(0x99, 0x99, 0x99);

bool isWordChar(QChar c) {
    return c.isLetterOrNumber() || c.script() == QChar::Script_Han;
}

}  // namespace

// ---------------------------------------------------------------- highlighter

EntityHighlighter::EntityHighlighter(QTextDocument* doc) : QSyntaxHighlighter(doc) {}

void EntityHighlighter::setState(QList<EntitySpan> active, QList<EntitySpan> inactive, int truncateFrom) {
    m_active = std::move(active);
    m_inactive = std::move(inactive);
    m_truncateFrom = truncateFrom;
    rehighlight();
}

void EntityHighlighter::highlightBlock(const QString& text) {
    const int blockStart = currentBlock().position();
    const int blockEnd = blockStart + static_cast<int>(text.size());
    const auto apply = [&](int begin, int end, const QTextCharFormat& f) {
        const int b = std::max(begin, blockStart);
        const int e = std::min(end, blockEnd);
        if (e > b) setFormat(b - blockStart, e - b, f);
    };
    QTextCharFormat unlinked;
    unlinked.setUnderlineStyle(QTextCharFormat::DotLine);
    unlinked.setUnderlineColor(kUnlinkedColor);
    for (const auto& s : m_inactive) apply(s.begin, s.end, unlinked);
    QTextCharFormat linked;
    linked.setUnderlineStyle(QTextCharFormat::SingleUnderline);
    linked.setUnderlineColor(kEntityColor);
    linked.setForeground(kEntityColor.darker(130));
    linked.setBackground(QColor(0x1f, 0x6f, 0xd1, 24));
    for (const auto& s : m_active) apply(s.begin, s.end, linked);
    if (m_truncateFrom >= 0) {
        QTextCharFormat dropped;
        dropped.setForeground(QColor(0xb0, 0xb0, 0xb0));
        dropped.setFontStrikeOut(true);
        dropped.setToolTip(tr("Past the model's token limit: this text is not used."));
        apply(m_truncateFrom, blockEnd, dropped);
    }
}

// ---------------------------------------------------------------- editor

PromptEditor::PromptEditor(KnowledgeService* knowledge, QWidget* parent)
    : QPlainTextEdit(parent),
      m_knowledge(knowledge),
      m_highlighter(new EntityHighlighter(document())),
      m_completer(new QCompleter(this)),
      m_completionModel(new QStringListModel(this)) {
    setObjectName(QStringLiteral("promptEditor"));
    setExamplePrompts({});
    setTabChangesFocus(true);
    setMouseTracking(true);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    setFont(f);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &PromptEditor::relinkNow);
    connect(this, &QPlainTextEdit::textChanged, this, &PromptEditor::onTextChanged);
    m_exampleTimer.setInterval(kExampleMs);
    connect(&m_exampleTimer, &QTimer::timeout, this, &PromptEditor::showNextExample);

    m_completer->setModel(m_completionModel);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->popup()->setObjectName(QStringLiteral("entityCompletionPopup"));
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this, &PromptEditor::insertCompletion);
}

QList<EntitySpan> PromptEditor::sentSpans() const {
    QList<EntitySpan> out;
    int given = 0;  // lattice spans the model takes, in its order (m_all's)
    for (const auto& s : m_all) {
        if (m_disabled.contains(s.name) || (m_truncateFrom >= 0 && s.begin >= m_truncateFrom)) continue;
        if (m_maxEntities > 0 && given++ >= m_maxEntities) break;
        if (std::any_of(m_active.begin(), m_active.end(), [&](const EntitySpan& a) { return a.sameSpan(s); }))
            out.append(s);
    }
    return out;
}

void PromptEditor::setExamplePrompts(const QStringList& examples) {
    m_examples = examples;
    m_exampleIndex = 0;
    if (m_examples.isEmpty()) {
        m_exampleTimer.stop();
        setPlaceholderText(tr("Describe the picture in Chinese (Ctrl+Enter to generate)"));
        return;
    }
    showNextExample();
    if (m_examples.size() > 1) m_exampleTimer.start();
}

void PromptEditor::showNextExample() {
    if (m_examples.isEmpty()) return;
    const QString example = m_examples.at(m_exampleIndex % m_examples.size());
    m_exampleIndex = (m_exampleIndex + 1) % m_examples.size();
    setPlaceholderText(tr("Describe the picture in Chinese, e.g. %1 (Ctrl+Enter to generate)").arg(example));
}

void PromptEditor::insertFromMimeData(const QMimeData* source) {
    if (!source || !source->hasText()) return;
    const auto clean = sanitizePrompt(source->text());
    textCursor().insertText(clean.text);
    if (clean.removed > 0) Q_EMIT pasteCleaned(clean.removed);
}

void PromptEditor::setPrompt(const QString& text) {
    m_settingText = true;
    if (text != toPlainText()) {
        // One undoable edit (setPlainText would clear the undo history), so a
        // prompt replaced by a recall or a dropped image comes back with Ctrl+Z.
        QTextCursor all(document());
        all.beginEditBlock();
        all.select(QTextCursor::Document);
        all.insertText(text);
        all.endEditBlock();
    }
    m_settingText = false;
    moveCursor(QTextCursor::End);
    relinkNow();
}

void PromptEditor::setTokenizer(std::function<QList<int>(const QString&)> tokenEnds, int limit, int maxEntities) {
    m_tokenEnds = std::move(tokenEnds);
    m_tokenLimit = limit;
    m_maxEntities = maxEntities;
    relinkNow();
}

void PromptEditor::onTextChanged() {
    // Re-highlighting also signals textChanged: only real edits count.
    const QString text = toPlainText();
    if (text == m_lastText) return;
    m_lastText = text;
    if (!m_settingText) {
        m_historyIndex = -1;
        m_userEdited = true;
    }
    updateTokens();  // cheap, and the counter should not lag
    m_debounce.start();
}

void PromptEditor::updateTokens() {
    const QString text = toPlainText();
    const QList<int> ends = m_tokenEnds ? m_tokenEnds(text) : QList<int>{};
    m_tokenCount = static_cast<int>(ends.size());
    const int newTruncate = (m_tokenLimit > 0 && m_tokenCount > m_tokenLimit) ? ends.at(m_tokenLimit - 1) : -1;
    const bool changed = newTruncate != m_truncateFrom;
    m_truncateFrom = newTruncate;
    if (changed) {
        QList<EntitySpan> inactive;
        for (const auto& s : m_all)
            if (!std::any_of(m_active.begin(), m_active.end(), [&](const EntitySpan& a) { return a.sameSpan(s); }))
                inactive.append(s);
        m_highlighter->setState(m_active, inactive, m_truncateFrom);
    }
    Q_EMIT tokenCountChanged(m_tokenCount, m_tokenLimit);
}

void PromptEditor::relinkNow() {
    m_debounce.stop();
    m_all = m_knowledge ? m_knowledge->link(toPlainText()) : QList<EntitySpan>{};
    recomputeActive();
    updateTokens();
    // A restored draft, a loaded graph or a new model relinks too, but only
    // typing may open the popup (which would take over Up/Down history).
    if (hasFocus() && m_userEdited) updateCompletion();
    m_userEdited = false;
}

void PromptEditor::recomputeActive() {
    // Forced names first, then longest-first over what is left; unlinked names never.
    QList<EntitySpan> candidates;
    QList<EntitySpan> forced;
    for (const auto& s : m_all) {
        if (m_disabled.contains(s.name)) continue;
        (m_forced.contains(s.name) ? forced : candidates).append(s);
    }
    QList<EntitySpan> chosen = defaultActiveSpans(forced);
    for (const auto& s : defaultActiveSpans(candidates)) {
        if (!std::any_of(chosen.begin(), chosen.end(), [&](const EntitySpan& c) { return c.overlaps(s); }))
            chosen.append(s);
    }
    // Second pass: a candidate displaced only by a forced span may still fit.
    for (const auto& s : candidates) {
        if (!std::any_of(chosen.begin(), chosen.end(), [&](const EntitySpan& c) { return c.overlaps(s); }))
            chosen.append(s);
    }
    std::sort(chosen.begin(), chosen.end(), [](const EntitySpan& a, const EntitySpan& b) { return a.begin < b.begin; });
    m_active = chosen;
    QList<EntitySpan> inactive;
    for (const auto& s : m_all)
        if (!std::any_of(m_active.begin(), m_active.end(), [&](const EntitySpan& a) { return a.sameSpan(s); }))
            inactive.append(s);
    m_highlighter->setState(m_active, inactive, m_truncateFrom);
    Q_EMIT entitiesChanged();
}

QStringList PromptEditor::unlinkedNames() const {
    QStringList names(m_disabled.begin(), m_disabled.end());
    names.sort();
    return names;
}

void PromptEditor::setUnlinkedNames(const QStringList& names) {
    m_disabled = QSet<QString>(names.begin(), names.end());
    m_forced.clear();
    recomputeActive();
}

QList<EntitySpan> PromptEditor::spansAt(int pos) const {
    QList<EntitySpan> out;
    for (const auto& s : m_all)
        if (s.contains(pos)) out.append(s);
    std::sort(out.begin(), out.end(), [](const EntitySpan& a, const EntitySpan& b) {
        return a.length() != b.length() ? a.length() > b.length() : a.begin < b.begin;
    });
    return out;
}

void PromptEditor::toggleAt(int pos) {
    const auto here = spansAt(pos);
    if (here.isEmpty()) return;
    int current = -1;
    for (int i = 0; i < here.size(); ++i) {
        if (std::any_of(m_active.begin(), m_active.end(), [&](const EntitySpan& a) { return a.sameSpan(here[i]); })) {
            current = i;
            break;
        }
    }
    // Order: longest ... shortest, then none, then longest again.
    const int next = current < 0 ? 0 : current + 1;
    for (const auto& s : here) {
        m_forced.remove(s.name);
        m_disabled.insert(s.name);
    }
    if (next < here.size()) {
        m_disabled.remove(here[next].name);
        m_forced.insert(here[next].name);
    }
    recomputeActive();
}

QString PromptEditor::entityCardHtml(int pos) const {
    const auto here = spansAt(pos);
    if (here.isEmpty()) return {};
    QString html;
    for (const auto& s : here) {
        const bool active =
            std::any_of(m_active.begin(), m_active.end(), [&](const EntitySpan& a) { return a.sameSpan(s); });
        html += QStringLiteral(
                    "<p style='margin:2px'><b style='font-size:large'>%1</b> &nbsp;<span style='color:%2'>%3</span>")
                    .arg(s.name.toHtmlEscaped(), active ? QStringLiteral("#1f6fd1") : QStringLiteral("#999"),
                         active ? tr("linked") : tr("not linked"));
        if (s.id >= 0) html += QStringLiteral(" <span style='color:#999'>#%1</span>").arg(s.id);
        html += QStringLiteral("</p>");
        if (!s.neighbours.isEmpty()) {
            html += QStringLiteral("<table cellspacing=2 style='margin-left:6px'>");
            for (const auto& n : s.neighbours) {
                html += QStringLiteral("<tr><td style='color:#777'>%1</td><td>%2 %3</td></tr>")
                            .arg(n.relation.toHtmlEscaped(), n.outgoing ? QStringLiteral("→") : QStringLiteral("←"),
                                 n.other.toHtmlEscaped());
            }
            html += QStringLiteral("</table>");
        } else {
            html +=
                QStringLiteral("<p style='color:#777;margin-left:6px'>%1</p>").arg(tr("No relations in the graph."));
        }
    }
    html += QStringLiteral("<p style='color:#777;font-size:small'>%1</p>")
                .arg(here.size() > 1 ? tr("Ctrl+click cycles through the overlapping entities.")
                                     : tr("Ctrl+click to unlink or link again."));
    return html;
}

bool PromptEditor::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QTextCursor c = cursorForPosition(help->pos() - viewport()->pos());
        const QString html = entityCardHtml(c.position());
        if (!html.isEmpty()) {
            QToolTip::showText(help->globalPos(), html, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QPlainTextEdit::event(e);
}

void PromptEditor::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ControlModifier)) {
        const int pos = cursorForPosition(e->position().toPoint()).position();
        if (!spansAt(pos).isEmpty()) {
            toggleAt(pos);
            return;
        }
    }
    QPlainTextEdit::mousePressEvent(e);
}

void PromptEditor::contextMenuEvent(QContextMenuEvent* e) {
    QMenu* menu = createStandardContextMenu();
    const int pos = cursorForPosition(e->pos()).position();
    const auto here = spansAt(pos);
    if (!here.isEmpty()) {
        menu->addSeparator();
        menu->addSection(tr("Knowledge"));
        for (const auto& s : here) {
            const bool active =
                std::any_of(m_active.begin(), m_active.end(), [&](const EntitySpan& a) { return a.sameSpan(s); });
            QAction* a = menu->addAction(active ? tr("Unlink “%1”").arg(s.name) : tr("Link “%1”").arg(s.name));
            const QString name = s.name;
            connect(a, &QAction::triggered, this, [this, name, active, here]() {
                if (active) {
                    m_disabled.insert(name);
                    m_forced.remove(name);
                } else {
                    for (const auto& o : here) m_forced.remove(o.name);
                    m_disabled.remove(name);
                    m_forced.insert(name);
                }
                recomputeActive();
            });
        }
    }
    if (!m_disabled.isEmpty()) {
        QAction* reset = menu->addAction(tr("Link all entities again"));
        connect(reset, &QAction::triggered, this, [this]() { setUnlinkedNames({}); });
    }
    menu->exec(e->globalPos());
    delete menu;
}

// ---------------------------------------------------------------- completion

QString PromptEditor::completionPrefix() const {
    const QTextCursor c = textCursor();
    const QString block = c.block().text();
    int i = c.positionInBlock();
    const int end = i;
    while (i > 0 && isWordChar(block.at(i - 1)) && end - i < 8) --i;
    return block.mid(i, end - i);
}

void PromptEditor::updateCompletion() {
    const QString word = completionPrefix();
    QStringList found;
    QString prefix;
    // Chinese has no spaces: try the longest tail of the current run first.
    for (int len = std::min<int>(static_cast<int>(word.size()), 6); len >= 1 && found.isEmpty(); --len) {
        prefix = word.right(len);
        found = m_knowledge ? m_knowledge->complete(prefix, 12) : QStringList{};
        found.removeAll(prefix);
        // A single character matches too much to be useful unless it is all we have.
        if (len == 1 && word.size() > 1) found.clear();
    }
    if (found.isEmpty() || word.isEmpty()) {
        m_completer->popup()->hide();
        return;
    }
    m_completionModel->setStringList(found);
    m_completer->setCompletionPrefix(QString());
    m_completer->popup()->setProperty("shenbiPrefix", prefix);
    QRect r = cursorRect();
    r.setWidth(m_completer->popup()->sizeHintForColumn(0) +
               m_completer->popup()->verticalScrollBar()->sizeHint().width() + 16);
    m_completer->complete(r);
}

void PromptEditor::insertCompletion(const QString& completion) {
    const QString prefix = m_completer->popup()->property("shenbiPrefix").toString();
    QTextCursor c = textCursor();
    c.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, static_cast<int>(prefix.size()));
    c.insertText(completion);
    setTextCursor(c);
    m_completer->popup()->hide();
    relinkNow();
}

// ---------------------------------------------------------------- keys and history

void PromptEditor::keyPressEvent(QKeyEvent* e) {
    const bool popup = m_completer->popup()->isVisible();
    if (popup) {
        switch (e->key()) {
            case Qt::Key_Enter:
            case Qt::Key_Return:
            case Qt::Key_Tab:
                if (!(e->modifiers() & Qt::ControlModifier)) {
                    const QModelIndex idx = m_completer->popup()->currentIndex();
                    if (idx.isValid()) {
                        insertCompletion(idx.data().toString());
                        return;
                    }
                }
                break;
            case Qt::Key_Escape:
                m_completer->popup()->hide();
                return;
            default:
                break;
        }
    }
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) && (e->modifiers() & Qt::ControlModifier)) {
        m_completer->popup()->hide();
        Q_EMIT generateRequested(e->modifiers() & Qt::ShiftModifier);
        return;
    }
    if (!popup && e->modifiers() == Qt::NoModifier) {
        if (e->key() == Qt::Key_Up && textCursor().blockNumber() == 0 && historyUp()) return;
        if (e->key() == Qt::Key_Down && textCursor().blockNumber() == document()->blockCount() - 1 && historyDown())
            return;
    }
    QPlainTextEdit::keyPressEvent(e);
}

void PromptEditor::setPromptHistory(const QStringList& newestFirst) {
    m_history = newestFirst;
    m_historyIndex = -1;
}

void PromptEditor::pushHistory(const QString& prompt) {
    const QString p = prompt.trimmed();
    if (p.isEmpty()) return;
    m_history.removeAll(p);
    m_history.prepend(p);
    m_historyIndex = -1;
}

bool PromptEditor::historyUp() {
    if (m_historyIndex + 1 >= m_history.size()) return false;
    if (m_historyIndex < 0) m_draft = toPlainText();
    ++m_historyIndex;
    setPrompt(m_history.at(m_historyIndex));
    m_settingText = false;
    return true;
}

bool PromptEditor::historyDown() {
    if (m_historyIndex < 0) return false;
    --m_historyIndex;
    const int keep = m_historyIndex;
    setPrompt(keep < 0 ? m_draft : m_history.at(keep));
    m_historyIndex = keep;
    return true;
}

}  // namespace shenbi::ui
