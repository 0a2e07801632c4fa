#include "core/format/pickle.h"

#include <gtest/gtest.h>

namespace shenbi {
namespace {

using K = PickleValue::Kind;

TEST(Pickle, RoundTripsNestedValues) {
    auto d = PickleValue::dict(true);
    d->entries.emplace_back(PickleValue::string("name"), PickleValue::string("北京"));
    d->entries.emplace_back(PickleValue::string("ints"),
                            PickleValue::tuple({PickleValue::integer(0), PickleValue::integer(300),
                                                PickleValue::integer(-7), PickleValue::integer(1LL << 40)}));
    d->entries.emplace_back(
        PickleValue::string("list"),
        PickleValue::list({PickleValue::real(-2.5), PickleValue::none(), PickleValue::boolean(true)}));
    d->entries.emplace_back(
        PickleValue::string("call"),
        PickleValue::call(PickleValue::global("torch._utils", "_rebuild_tensor_v2"),
                          PickleValue::tuple({PickleValue::persistent_id(PickleValue::string("x"))})));
    auto bytes = write_pickle(*d);
    ASSERT_TRUE(bytes.ok()) << bytes.message();
    auto back = read_pickle(*bytes);
    ASSERT_TRUE(back.ok()) << back.message();
    const auto& r = **back;
    ASSERT_TRUE(r.is(K::Dict));
    EXPECT_TRUE(r.ordered);
    ASSERT_EQ(r.entries.size(), 4u);
    EXPECT_EQ(r.entries[0].second->str, "北京");
    const auto& ints = r.entries[1].second->items;
    ASSERT_EQ(ints.size(), 4u);
    EXPECT_EQ(ints[1]->i, 300);
    EXPECT_EQ(ints[2]->i, -7);
    EXPECT_EQ(ints[3]->i, 1LL << 40);
    EXPECT_DOUBLE_EQ(r.entries[2].second->items[0]->f, -2.5);
    EXPECT_TRUE(r.entries[2].second->items[1]->is(K::None));
    const auto& call = *r.entries[3].second;
    ASSERT_TRUE(call.is(K::Call));
    EXPECT_TRUE(call.items[0]->is_global("torch._utils", "_rebuild_tensor_v2"));
    EXPECT_TRUE(call.items[1]->items[0]->is(K::PersistentId));
}

TEST(Pickle, TruncatedInputIsAnError) {
    auto d = PickleValue::dict(false);
    d->entries.emplace_back(PickleValue::string("k"), PickleValue::integer(5));
    auto bytes = write_pickle(*d);
    ASSERT_TRUE(bytes.ok());
    for (std::size_t n = 0; n < bytes->size(); ++n) {
        auto r = read_pickle(std::string_view(*bytes).substr(0, n), "cut");
        EXPECT_FALSE(r.ok()) << n;
        if (!r.ok()) {
            EXPECT_NE(r.message().find("cut"), std::string::npos);
        }
    }
}

// Found by fuzz_pickle: memo references let APPEND put a list inside
// itself, a cycle of shared pointers that was never freed (LeakSanitizer) and
// would send any walker round for ever. Deep nesting would overflow a
// recursive walker or destructor. Both are refused, and nothing is kept.
TEST(Pickle, AValueInsideItselfOrNestedTooDeeplyIsRefused) {
    // PROTO 2, EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP: l = []; l.append(l)
    const std::string cycle{'\x80', '\x02', ']', 'q', '\x00', 'h', '\x00', 'a', '.'};
    auto r = read_pickle(cycle, "cycle.pkl");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Corrupt);
    EXPECT_NE(r.message().find("contains itself"), std::string::npos) << r.message();

    // 2001 lists, each appended to the one before: nested 2001 deep.
    const std::string deep = "\x80\x02" + std::string(2001, ']') + std::string(2000, 'a') + ".";
    r = read_pickle(deep, "deep.pkl");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("nested deeper than 1000"), std::string::npos) << r.message();

    // 500 deep is fine.
    const std::string ok = "\x80\x02" + std::string(500, ']') + std::string(499, 'a') + ".";
    r = read_pickle(ok, "ok.pkl");
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ((*r)->describe(), "list of 1");
}

TEST(Pickle, GarbageIsAnErrorNotACrash) {
    std::string junk;
    std::uint32_t x = 12345;
    for (int round = 0; round < 200; ++round) {
        junk.clear();
        for (int k = 0; k < 64; ++k) {
            x = x * 1664525u + 1013904223u;
            junk.push_back(static_cast<char>(x >> 24));
        }
        auto r = read_pickle(junk, "junk");
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::Corrupt);
        }
    }
}

}  // namespace
}  // namespace shenbi
