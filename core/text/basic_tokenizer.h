// BERT's BasicTokenizer (do_lower_case=True, tokenize_chinese_chars=True):
// the split before WordPiece. Also what the entity lattice and the
// vocabulary builder see, so all three agree on what a "token" is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shenbi {

struct BasicToken {
    std::u32string chars;     // normalised (lower-cased, accents stripped)
    std::vector<int> origin;  // per char: index of the code point of the original text it came from
};

// Never fails: invalid UTF-8 bytes become U+FFFD and are dropped like BERT
// drops that character.
std::vector<BasicToken> basic_tokenize(std::string_view text);

}  // namespace shenbi
