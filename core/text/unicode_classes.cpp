// Lookups over the generated tables in unicode_tables.cpp.
#include <algorithm>

#include "core/text/unicode_tables.h"
#include "core/text/utf8.h"

namespace shenbi::unicode {
namespace {

bool in_ranges(const CodeRange* table, std::size_t n, char32_t cp) {
    const CodeRange* end = table + n;
    const CodeRange* it = std::upper_bound(table, end, cp, [](char32_t c, const CodeRange& r) { return c < r.first; });
    return it != table && cp <= (it - 1)->last;
}

}  // namespace

bool is_whitespace(char32_t cp) {
    return in_ranges(kWhitespace, kWhitespace_size, cp);
}
bool is_control(char32_t cp) {
    return in_ranges(kControl, kControl_size, cp);
}
bool is_punctuation(char32_t cp) {
    return in_ranges(kPunctuation, kPunctuation_size, cp);
}

bool is_cjk(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
           (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

void append_lower_stripped(char32_t cp, std::u32string& out) {
    if (cp >= 0xAC00 && cp <= 0xD7A3) {
        // Hangul syllable: NFD is arithmetic (Unicode ch. 3.12), no table.
        const char32_t s = cp - 0xAC00;
        out.push_back(0x1100 + s / (21 * 28));
        out.push_back(0x1161 + (s % (21 * 28)) / 28);
        if (s % 28) out.push_back(0x11A7 + s % 28);
        return;
    }
    if (in_ranges(kLowerDrop, kLowerDrop_size, cp)) return;
    const LowerMapping* end = kLowerStrip + kLowerStrip_size;
    const LowerMapping* it =
        std::lower_bound(kLowerStrip, end, cp, [](const LowerMapping& m, char32_t c) { return m.cp < c; });
    if (it != end && it->cp == cp) {
        out += utf8_decode(it->utf8);
        return;
    }
    out.push_back(cp);
}

}  // namespace shenbi::unicode
