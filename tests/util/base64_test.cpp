#include "core/util/base64.h"

#include <gtest/gtest.h>

using namespace shenbi;

TEST(Base64, RoundTripsAllLengths) {
    std::vector<std::uint8_t> bytes;
    for (int n = 0; n < 40; ++n) {
        auto decoded = base64_decode(base64_encode(bytes));
        ASSERT_TRUE(decoded.ok()) << decoded.message();
        EXPECT_EQ(*decoded, bytes);
        bytes.push_back(static_cast<std::uint8_t>(n * 37 + 11));
    }
}

TEST(Base64, KnownVectors) {
    const std::string s = "foobar";
    EXPECT_EQ(base64_encode(reinterpret_cast<const std::uint8_t*>(s.data()), 4), "Zm9vYg==");
    EXPECT_EQ(base64_encode(reinterpret_cast<const std::uint8_t*>(s.data()), 6), "Zm9vYmFy");
}

TEST(Base64, AcceptsUrlSafeAndMissingPadding) {
    const std::vector<std::uint8_t> bytes{0xfb, 0xff, 0xfe};
    EXPECT_EQ(base64_encode(bytes), "+//+");
    auto d = base64_decode("-__-");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, bytes);
    auto unpadded = base64_decode("Zm9vYg");
    ASSERT_TRUE(unpadded.ok());
    EXPECT_EQ(unpadded->size(), 4u);
}

TEST(Base64, RejectsGarbageWithOffset) {
    auto d = base64_decode("Zm9v*mFy");
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.message().find("offset 4"), std::string::npos) << d.message();
    EXPECT_FALSE(base64_decode("Zm9vY").ok());  // 5 symbols cannot be whole bytes
}
