#include "core/text/basic_tokenizer.h"

#include "core/text/unicode_tables.h"
#include "core/text/utf8.h"

namespace shenbi {
namespace {

// Python's str.split() also breaks at these, which are neither Zs nor
// control characters; BERT's whitespace_tokenize inherits that.
bool python_split_space(char32_t cp) {
    return cp == 0x2028 || cp == 0x2029;
}

}  // namespace

std::vector<BasicToken> basic_tokenize(std::string_view text) {
    const std::u32string cps = utf8_decode(text);
    std::vector<BasicToken> out;
    BasicToken word;
    auto flush = [&] {
        if (!word.chars.empty()) out.push_back(std::move(word));
        word = BasicToken{};
    };
    std::u32string norm;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const char32_t cp = cps[i];
        const int pos = static_cast<int>(i);
        // _clean_text: drop NUL, U+FFFD and control characters.
        if (cp == 0 || cp == 0xFFFD || unicode::is_control(cp)) continue;
        if (unicode::is_whitespace(cp) || python_split_space(cp)) {
            flush();
            continue;
        }
        // _tokenize_chinese_chars puts spaces around CJK ideographs; they are
        // never punctuation, so each is a word of its own (normalised still:
        // compatibility ideographs U+F900.. decompose to unified ones).
        if (unicode::is_cjk(cp)) {
            flush();
            norm.clear();
            unicode::append_lower_stripped(cp, norm);
            for (char32_t c : norm) {
                word.chars.push_back(c);
                word.origin.push_back(pos);
            }
            flush();
            continue;
        }
        // Lower-casing and accent stripping act per character, then the
        // punctuation split makes every punctuation character a word.
        norm.clear();
        unicode::append_lower_stripped(cp, norm);
        for (char32_t c : norm) {
            if (unicode::is_punctuation(c)) {
                flush();
                word.chars.push_back(c);
                word.origin.push_back(pos);
                flush();
            } else {
                word.chars.push_back(c);
                word.origin.push_back(pos);
            }
        }
    }
    flush();
    return out;
}

}  // namespace shenbi
