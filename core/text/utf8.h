// UTF-8 <-> code points. Decoding never fails: an invalid byte becomes
// U+FFFD (which BERT's clean-up then drops), and spans stay counted in code
// points of what was decoded. That suits files (vocabularies, captions); a
// prompt a user typed is checked first with check_utf8, so that `generate`,
// `predict` and `link` refuse the same bytes with the same message instead of
// each decoding them its own way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace shenbi {

std::u32string utf8_decode(std::string_view text);
std::string utf8_encode(std::u32string_view cps);
void utf8_append(char32_t cp, std::string& out);
// Number of code points (invalid bytes count as one each).
std::size_t utf8_length(std::string_view text);

// Byte offset of the first byte utf8_decode would turn into U+FFFD (a stray
// continuation byte, a sequence cut short, an overlong form, a surrogate, a
// value above U+10FFFF); nullopt when `text` is valid UTF-8.
std::optional<std::size_t> utf8_first_invalid(std::string_view text);

// ErrorCode::InvalidArgument when `text` is not valid UTF-8, naming `what`
// ("the prompt"), the byte offset (from 0) and the byte:
//   "the prompt is not valid UTF-8: byte 0xff at offset 6".
// The one check for text that users give (prompts); call it before any work.
Status check_utf8(std::string_view text, const std::string& what);

}  // namespace shenbi
