// Base64 as EasyNLP's TSVs use it: standard or url-safe alphabet, padding
// optional on input, standard alphabet with padding on output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

std::string base64_encode(const std::uint8_t* data, std::size_t size);
std::string base64_encode(const std::vector<std::uint8_t>& bytes);

// Accepts both alphabets ('+/' and '-_'), ignores ASCII whitespace, and
// rejects any other character or impossible length with the offset at fault.
Result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace shenbi
