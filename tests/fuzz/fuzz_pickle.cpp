// The pickle reader (core/format/pickle.h) over arbitrary bytes: it must
// return an error or a value, never crash, hang or recurse without bound.
// A value it reads and the writer accepts must read back (round trip).
#include <string_view>

#include "core/format/pickle.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto value = shenbi::read_pickle(bytes, "fuzz");
    if (!value) return 0;
    (void)(*value)->describe();
    auto written = shenbi::write_pickle(**value);
    if (!written) return 0;  // e.g. Bytes, which torch.save never writes
    auto again = shenbi::read_pickle(*written, "round trip");
    if (!again) shenbi::fuzz::property_failed("a pickle written by write_pickle does not read back");
    return 0;
}
