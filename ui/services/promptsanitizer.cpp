#include "ui/services/promptsanitizer.h"

namespace shenbi::ui {

namespace {

bool invisible(char16_t c) {
    return (c >= 0x200B && c <= 0x200F) ||  // zero-width space, non-joiner, joiner; LRM, RLM
           (c >= 0x202A && c <= 0x202E) ||  // bidi embeddings and overrides
           (c >= 0x2060 && c <= 0x2069) ||  // word joiner ... bidi isolates
           c == 0x061C || c == 0xFEFF;      // Arabic letter mark, BOM / zero-width no-break space
}

}  // namespace

SanitizedPrompt sanitizePrompt(const QString& text) {
    SanitizedPrompt out;
    out.text.reserve(text.size());
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c == u'\t' || c == u'\n' || c == u'\r' || c == 0x2028 || c == 0x2029) {
            out.text.append(QLatin1Char(' '));
            ++out.removed;
        } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || invisible(c)) {
            ++out.removed;
        } else {
            out.text.append(ch);
        }
    }
    out.text = out.text.normalized(QString::NormalizationForm_C);
    return out;
}

QString isolated(const QString& text) {
    return QChar(0x2068) + text + QChar(0x2069);
}

}  // namespace shenbi::ui
