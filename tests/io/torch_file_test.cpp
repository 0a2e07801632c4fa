#include "core/format/torch_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>

#include <torch/torch.h>

#include "core/util/atomic_file.h"
#include "io_test_util.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

using test::io_data;
using test::TempDir;

std::map<std::string, torch::Tensor> as_map(const StateDict& sd) {
    std::map<std::string, torch::Tensor> m;
    for (const auto& [k, v] : sd) m[k] = v;
    return m;
}

// Values written by tests/data/io/make_fixtures.py.
TEST(TorchFile, ReadsPythonStateDict) {
    auto sd = read_state_dict(io_data("py_state_dict.pt"));
    ASSERT_TRUE(sd.ok()) << sd.message();
    std::vector<std::string> keys;
    for (const auto& [k, v] : *sd) keys.push_back(k);
    const std::vector<std::string> expected{"mask",   "0.weight", "0.bias",     "1.weight", "1.bias",  "f16", "bf16",
                                            "f64",    "i64",      "i32",        "i16",      "i8",      "u8",  "bool",
                                            "scalar", "base",     "transposed", "row2",     "expanded"};
    EXPECT_EQ(keys, expected);
    auto m = as_map(*sd);
    EXPECT_TRUE(m["0.weight"].equal(torch::arange(6, torch::kFloat32).reshape({2, 3}) / 4));
    EXPECT_TRUE(m["0.bias"].equal(torch::tensor({-1.0f, 1.0f})));
    EXPECT_TRUE(m["mask"].equal(torch::ones({1, 1, 3, 3}).tril()));
    EXPECT_EQ(m["f16"].scalar_type(), torch::kFloat16);
    EXPECT_TRUE(m["f16"].to(torch::kFloat32).equal(torch::tensor({0.5f, -2.0f, 65504.0f})));
    EXPECT_EQ(m["bf16"].scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(m["bf16"].to(torch::kFloat32).equal(torch::tensor({1.0f, -3.5f})));
    EXPECT_EQ(m["f64"].scalar_type(), torch::kFloat64);
    EXPECT_EQ(m["f64"][0][1].item<double>(), -1e300);
    EXPECT_EQ(m["i64"][0].item<std::int64_t>(), -(1LL << 40));
    EXPECT_EQ(m["i32"][1].item<std::int32_t>(), 1 << 30);
    EXPECT_EQ(m["i16"][0].item<std::int16_t>(), -300);
    EXPECT_EQ(m["i8"][0].item<std::int8_t>(), -128);
    EXPECT_EQ(m["u8"][1].item<std::uint8_t>(), 255);
    EXPECT_EQ(m["bool"].scalar_type(), torch::kBool);
    EXPECT_TRUE(m["bool"].equal(torch::tensor({true, false, true})));
    EXPECT_EQ(m["scalar"].dim(), 0);
    EXPECT_EQ(m["scalar"].item<float>(), 3.0f);
    const auto base = torch::arange(12, torch::kFloat32).reshape({3, 4});
    EXPECT_TRUE(m["base"].equal(base));
    EXPECT_TRUE(m["transposed"].equal(base.t()));
    EXPECT_FALSE(m["transposed"].is_contiguous());
    EXPECT_TRUE(m["row2"].equal(base[2]));
    EXPECT_EQ(m["row2"].storage_offset(), 8);
    // Views of one storage stay views of one storage.
    EXPECT_EQ(m["row2"].data_ptr<float>(), m["base"].data_ptr<float>() + 8);
    EXPECT_TRUE(m["expanded"].equal(torch::full({4, 5}, 1.5f)));
    EXPECT_EQ(m["expanded"].stride(0), 0);
}

TEST(TorchFile, ReadsPlainDict) {
    auto sd = read_state_dict(io_data("py_plain_dict.pt"));
    ASSERT_TRUE(sd.ok()) << sd.message();
    ASSERT_EQ(sd->size(), 2u);
    EXPECT_EQ((*sd)[0].first, "a");
    EXPECT_TRUE((*sd)[0].second.equal(torch::ones({2, 2})));
    EXPECT_TRUE((*sd)[1].second.equal(torch::zeros({3}, torch::kInt64)));
}

TEST(TorchFile, ReadsEntityTablesInEveryLayout) {
    const auto expected = torch::arange(8, torch::kFloat32).reshape({4, 2}) / 2;
    for (const char* name : {"py_tensor.pt", "py_list.pt", "py_openke.pt"}) {
        auto t = read_tensor_file(io_data(name));
        ASSERT_TRUE(t.ok()) << name << ": " << t.message();
        EXPECT_TRUE(t->equal(expected)) << name;
    }
}

TEST(TorchFile, RoundTripsDtypesAndViews) {
    TempDir dir;
    const auto base = torch::randn({4, 6});
    StateDict sd{{"f32", torch::randn({3, 2})},
                 {"f16", torch::randn({5}).to(torch::kFloat16)},
                 {"bf16", torch::randn({2, 2}).to(torch::kBFloat16)},
                 {"f64", torch::randn({2}, torch::kFloat64)},
                 {"i64", torch::tensor(std::vector<std::int64_t>{-(1LL << 50), 3})},
                 {"i32", torch::tensor({-1, 2}, torch::kInt32)},
                 {"i16", torch::tensor({-3, 4}, torch::kInt16)},
                 {"i8", torch::tensor({-5, 6}, torch::kInt8)},
                 {"u8", torch::tensor({7, 250}, torch::kUInt8)},
                 {"bool", torch::tensor({true, false})},
                 {"scalar", torch::tensor(2.5)},
                 {"empty", torch::empty({0, 3})},
                 {"base", base},
                 {"transposed", base.t()},
                 {"slice", base.slice(1, 2, 5)},
                 {"expanded", torch::full({1}, 0.25f).expand({1000, 1000})}};
    const auto path = dir / "weights.bin";
    ASSERT_TRUE(write_state_dict(path, sd).ok());
    // The expanded 1M-element view is stored as its one-element storage.
    EXPECT_LT(std::filesystem::file_size(path), 20000u);
    auto back = read_state_dict(path);
    ASSERT_TRUE(back.ok()) << back.message();
    ASSERT_EQ(back->size(), sd.size());
    for (std::size_t k = 0; k < sd.size(); ++k) {
        const auto& [key, want] = sd[k];
        const auto& [got_key, got] = (*back)[k];
        EXPECT_EQ(got_key, key);
        EXPECT_EQ(got.scalar_type(), want.scalar_type()) << key;
        EXPECT_EQ(got.sizes(), want.sizes()) << key;
        EXPECT_EQ(got.strides(), want.strides()) << key;
        EXPECT_TRUE(got.equal(want)) << key;
    }
    auto m = as_map(*back);
    EXPECT_EQ(m["slice"].data_ptr<float>(), m["base"].data_ptr<float>() + 2);
}

TEST(TorchFile, WriteRefusesDuplicateKeys) {
    TempDir dir;
    StateDict sd{{"a", torch::ones(1)}, {"a", torch::ones(1)}};
    auto st = write_state_dict(dir / "x.bin", sd);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("'a'"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(dir / "x.bin"));
}

TEST(TorchFile, LegacyFormatIsRefused) {
    const auto path = io_data("py_legacy.pt");
    auto sd = read_state_dict(path);
    ASSERT_FALSE(sd.ok());
    EXPECT_EQ(sd.error().code, ErrorCode::Unsupported);
    EXPECT_NE(sd.message().find(path.string()), std::string::npos);
    EXPECT_NE(sd.message().find("legacy"), std::string::npos);
}

TEST(TorchFile, MissingFileIsNotFound) {
    auto sd = read_state_dict("/nonexistent/shenbi/model.bin");
    ASSERT_FALSE(sd.ok());
    EXPECT_EQ(sd.error().code, ErrorCode::NotFound);
    EXPECT_NE(sd.message().find("/nonexistent/shenbi/model.bin"), std::string::npos);
}

TEST(TorchFile, RandomBytesAreAnError) {
    TempDir dir;
    std::mt19937 rng(7);
    std::string junk(4096, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    junk[0] = 'x';
    const auto path = dir / "junk.bin";
    ASSERT_TRUE(write_file_atomic(path, junk).ok());
    auto sd = read_state_dict(path);
    ASSERT_FALSE(sd.ok());
    EXPECT_NE(sd.message().find(path.string()), std::string::npos);
    // Random bytes behind a zip signature reach the zip reader.
    junk[0] = 'P', junk[1] = 'K', junk[2] = 3, junk[3] = 4;
    ASSERT_TRUE(write_file_atomic(path, junk).ok());
    sd = read_state_dict(path);
    ASSERT_FALSE(sd.ok());
    EXPECT_NE(sd.message().find(path.string()), std::string::npos);
}

TEST(TorchFile, TruncatedFileIsAnError) {
    auto bytes = read_file(io_data("py_state_dict.pt"));
    ASSERT_TRUE(bytes.ok());
    TempDir dir;
    const auto path = dir / "cut.pt";
    for (std::size_t n :
         {std::size_t{0}, std::size_t{3}, std::size_t{100}, bytes->size() / 2, bytes->size() - 30, bytes->size() - 1}) {
        ASSERT_TRUE(write_file_atomic(path, std::string_view(*bytes).substr(0, n)).ok());
        auto sd = read_state_dict(path);
        ASSERT_FALSE(sd.ok()) << n;
        EXPECT_NE(sd.message().find(path.string()), std::string::npos) << sd.message();
    }
}

TEST(TorchFile, CorruptRecordIsAnErrorNamingIt) {
    // Flip bytes inside the archive body: either the zip CRC or our checks
    // must catch it; never a crash.
    auto bytes = read_file(io_data("py_state_dict.pt"));
    ASSERT_TRUE(bytes.ok());
    TempDir dir;
    const auto path = dir / "flipped.pt";
    int errors = 0;
    for (std::size_t at = 40; at < bytes->size(); at += 97) {
        std::string b = *bytes;
        b[at] = static_cast<char>(b[at] ^ 0x5a);
        ASSERT_TRUE(write_file_atomic(path, b).ok());
        auto sd = read_state_dict(path);
        if (!sd.ok()) {
            ++errors;
            EXPECT_NE(sd.message().find(path.string()), std::string::npos) << sd.message();
        }
    }
    EXPECT_GT(errors, 0);
}

// One flipped byte inside a tensor's data: PyTorch's zip reader does not check
// CRCs, ours does, so the damaged record is named instead of loading.
TEST(TorchFile, AFlippedByteInTensorDataIsCaughtByTheZipCrc) {
    TempDir dir;
    const auto path = dir / "w.pt";
    ASSERT_TRUE(write_state_dict(path, {{"w", torch::full({4096}, 1.5f)}, {"b", torch::zeros({3})}}).ok());
    ASSERT_TRUE(read_state_dict(path).ok());
    auto bytes = read_file(path).value();
    const std::string pattern = std::string("\x00\x00\xc0\x3f", 4) + std::string("\x00\x00\xc0\x3f", 4);
    const auto at = bytes.find(pattern);
    ASSERT_NE(at, std::string::npos);
    bytes[at + 1000] = static_cast<char>(bytes[at + 1000] ^ 0x01);  // one bit of one weight
    ASSERT_TRUE(write_file_atomic(path, bytes).ok());
    auto sd = read_state_dict(path);
    ASSERT_FALSE(sd.ok());
    EXPECT_EQ(sd.error().code, ErrorCode::Corrupt);
    EXPECT_NE(sd.message().find("w.pt: record data/0 is damaged"), std::string::npos) << sd.message();
}

}  // namespace
}  // namespace shenbi
