// Cleaning of pasted prompts: text copied from web pages, chats and PDFs
// carries characters an artist cannot see but the tokenizer and the entity
// linker do (a zero-width space splits 红苹果 into 红 + 苹果; a right-to-left
// override reverses the neighbouring text in the history row).
#pragma once

#include <QString>

namespace shenbi::ui {

struct SanitizedPrompt {
    QString text;
    int removed = 0;  // characters dropped or replaced (line breaks and tabs become spaces)
};

// Drops C0/C1 control characters (tab and line breaks become a space), bidi
// embeddings, overrides, isolates and marks, zero-width characters and the
// BOM; then NFC.
SanitizedPrompt sanitizePrompt(const QString& text);

// A stored prompt for display among other text: wrapped in a first-strong
// isolate (U+2068 ... U+2069), so nothing in it can reorder its neighbours.
QString isolated(const QString& text);

}  // namespace shenbi::ui
