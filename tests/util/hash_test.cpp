#include "core/util/hash.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace shenbi {
namespace {

// The published check values of both hashes.
TEST(Hash, KnownValues) {
    EXPECT_EQ(crc32("123456789", 9), 0xCBF43926u);
    EXPECT_EQ(crc32("", 0), 0u);
    EXPECT_EQ(fnv1a(""), kFnv1aOffset);
    EXPECT_EQ(fnv1a("a"), 0xaf63dc4c8601ec8cull);
    EXPECT_EQ(hex64(0xaf63dc4c8601ec8cull), "af63dc4c8601ec8c");
}

// Slicing by 8 agrees with the bytewise definition at every length and
// alignment, and a CRC can be continued across pieces.
TEST(Hash, Crc32IsTheBytewiseCrcAtEveryLengthAndAlignment) {
    std::mt19937 rng(3);
    std::string bytes(300, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    auto bytewise = [](const char* p, std::size_t n) {
        std::uint32_t c = 0xFFFFFFFFu;
        for (std::size_t i = 0; i < n; ++i) {
            c ^= static_cast<unsigned char>(p[i]);
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    };
    for (std::size_t start = 0; start < 9; ++start)
        for (std::size_t n = 0; start + n <= bytes.size(); n += 7)
            ASSERT_EQ(crc32(bytes.data() + start, n), bytewise(bytes.data() + start, n)) << start << " " << n;
    EXPECT_EQ(crc32(bytes.data() + 100, 200, crc32(bytes.data(), 100)), crc32(bytes.data(), 300));
}

}  // namespace
}  // namespace shenbi
