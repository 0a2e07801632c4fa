// base64_decode (core/util/base64.h) over arbitrary text; what it accepts
// must survive encode -> decode unchanged.
#include <string_view>

#include "core/util/base64.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto decoded = shenbi::base64_decode(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!decoded) return 0;
    auto again = shenbi::base64_decode(shenbi::base64_encode(*decoded));
    if (!again || *again != *decoded) shenbi::fuzz::property_failed("base64 encode/decode is not a round trip");
    return 0;
}
