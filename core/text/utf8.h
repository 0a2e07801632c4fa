// UTF-8 <-> code points. Prompts come from users and files, so decoding
// never fails: an invalid byte becomes U+FFFD (which BERT's clean-up then
// drops), and spans stay counted in code points of what was decoded.
#pragma once

#include <string>
#include <string_view>

namespace shenbi {

std::u32string utf8_decode(std::string_view text);
std::string utf8_encode(std::u32string_view cps);
void utf8_append(char32_t cp, std::string& out);
// Number of code points (invalid bytes count as one each).
std::size_t utf8_length(std::string_view text);

}  // namespace shenbi
