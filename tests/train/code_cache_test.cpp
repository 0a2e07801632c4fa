// The GPT stage's code cache file (core/train/code_cache.h): what goes in
// comes back, a bad row's reason stays one reason whatever it held, and a
// shared folder keeps only the most recently used files.
#include "core/train/code_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include <torch/torch.h>

#include "core/data/train_data.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {
namespace fs = std::filesystem;

TEST(CodeCache, RoundTripsCodesAndBadRowReasons) {
    test::TempDir tmp("code-cache-file");
    const auto dir = tmp.path();
    BadRowLog log;  // where the GPT stage's reasons come from: newlines flattened
    log.add("t.tsv", 4, "cannot decode PNG:\nlibpng error\r\n");
    log.add("t.tsv", 9, "broken base64");
    CachedCodes in;
    in.codes[1] = torch::arange(16, torch::kInt16);
    in.codes[2] = torch::arange(16, 32, torch::kInt16);
    for (const auto& r : log.rows()) in.bad[r.line] = r.reason;
    ASSERT_TRUE(write_code_cache(dir / "sub" / "codes-1.pt", in, 16).ok());

    auto out = read_code_cache(dir / "sub" / "codes-1.pt");
    ASSERT_TRUE(out.ok()) << out.message();
    ASSERT_EQ(out->codes.size(), 2u);
    EXPECT_TRUE(out->codes.at(2).equal(in.codes.at(2)));
    ASSERT_EQ(out->bad.size(), 2u);
    EXPECT_EQ(out->bad.at(4), "cannot decode PNG: libpng error  ");
    EXPECT_EQ(out->bad.at(9), "broken base64");
}

TEST(CodeCache, UnreadableFileIsAnErrorNamingIt) {
    test::TempDir tmp("code-cache-bad");
    const auto dir = tmp.path();
    std::ofstream(dir / "codes-2.pt") << "not an archive";
    auto out = read_code_cache(dir / "codes-2.pt");
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.message().find("codes-2.pt"), std::string::npos) << out.message();
}

// Reading a file counts as using it: the pruned files are the least recently
// read or written, and files that are not code caches are never touched.
TEST(CodeCache, PruningKeepsTheMostRecentlyUsed) {
    test::TempDir tmp("code-cache-prune");
    const auto dir = tmp.path();
    CachedCodes one;
    one.codes[1] = torch::zeros({4}, torch::kInt16);
    const auto now = fs::file_time_type::clock::now();
    for (int i = 0; i < 5; ++i) {
        const auto f = dir / ("codes-" + std::to_string(i) + ".pt");
        ASSERT_TRUE(write_code_cache(f, one, 4).ok());
        fs::last_write_time(f, now - std::chrono::hours(10 - i));  // codes-0 is the oldest
    }
    std::ofstream(dir / "notes.txt") << "mine";
    fs::last_write_time(dir / "notes.txt", now - std::chrono::hours(100));
    ASSERT_TRUE(read_code_cache(dir / "codes-0.pt").ok());  // now the newest

    const auto removed = prune_code_caches(dir, 3);
    ASSERT_EQ(removed.size(), 2u);
    EXPECT_FALSE(fs::exists(dir / "codes-1.pt"));
    EXPECT_FALSE(fs::exists(dir / "codes-2.pt"));
    for (const char* kept : {"codes-0.pt", "codes-3.pt", "codes-4.pt", "notes.txt"})
        EXPECT_TRUE(fs::exists(dir / kept)) << kept;
    EXPECT_TRUE(prune_code_caches(dir, 3).empty());
    EXPECT_TRUE(prune_code_caches(dir / "missing", 0).empty());
}

}  // namespace
}  // namespace shenbi
