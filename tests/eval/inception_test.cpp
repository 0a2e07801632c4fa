// The LibTorch InceptionV3 (up to mixed5) against activations computed once
// with tfjs on the same nsfwjs weights (tests/data/inception/reference_mixed5.json,
// made by data/inception/reference.mjs). The weights are fetched from npm by
// data/inception/fetch.sh (the ctest fixture fetch_nsfwjs), never committed.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include "core/eval/inception_v3.h"
#include "core/util/base64.h"

namespace shenbi {
namespace {

nlohmann::json reference() {
    std::ifstream in(SHENBI_TEST_DATA_DIR "/inception/reference_mixed5.json");
    return nlohmann::json::parse(in);
}

const nlohmann::json& find_case(const nlohmann::json& ref, const std::string& name) {
    for (const auto& c : ref["cases"])
        if (c["name"] == name) return c;
    throw std::runtime_error("no case " + name);
}

// v(y, x, c) = sin(0.05 x + 0.07 y + c), in double, stored as float32; (1, 3, 299, 299).
torch::Tensor formula_input() {
    auto x = torch::empty({1, 3, 299, 299});
    auto a = x.accessor<float, 4>();
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < 299; ++y)
            for (int xx = 0; xx < 299; ++xx) a[0][c][y][xx] = static_cast<float>(std::sin(0.05 * xx + 0.07 * y + c));
    return x;
}

// The lion of tests/data/train/emoji/val.tsv over white, nearest 64 -> 299,
// p / 127.5 - 1, exactly as reference.mjs builds it; (1, 3, 299, 299).
torch::Tensor emoji_input() {
    std::ifstream in(SHENBI_TEST_DATA_DIR "/train/emoji/val.tsv");
    std::string line, b64;
    while (std::getline(in, line))
        if (line.rfind("1f981\t", 0) == 0) b64 = line.substr(line.rfind('\t') + 1);
    auto bytes = base64_decode(b64);
    EXPECT_TRUE(bytes);
    const cv::Mat png = cv::imdecode(*bytes, cv::IMREAD_UNCHANGED);  // BGRA, 64x64
    EXPECT_EQ(png.type(), CV_8UC4);
    auto x = torch::empty({1, 3, 299, 299});
    auto a = x.accessor<float, 4>();
    for (int y = 0; y < 299; ++y)
        for (int xx = 0; xx < 299; ++xx) {
            const auto& px = png.at<cv::Vec4b>(y * png.rows / 299, xx * png.cols / 299);
            const double alpha = px[3];
            for (int c = 0; c < 3; ++c) {
                const double p = (px[2 - c] * alpha + 255.0 * (255.0 - alpha)) / 255.0;  // RGB from BGR
                a[0][c][y][xx] = static_cast<float>(static_cast<float>(p) / 127.5f - 1.0f);
            }
        }
    return x;
}

double max_abs_diff(const torch::Tensor& got, const nlohmann::json& expected) {
    const auto want = torch::tensor(expected.get<std::vector<float>>());
    EXPECT_EQ(got.numel(), want.numel());
    return (got.flatten() - want).abs().max().item<double>();
}

class Inception : public ::testing::Test {
protected:
    // The weights come from npm (the fixture fetch_nsfwjs). Where they could
    // not be fetched, the tests say so and skip; any other load error fails.
    static void SetUpTestSuite() {
        const auto dir = default_nsfwjs_model_dir();
        if (!std::filesystem::exists(dir / "model.min.js")) {
            missing_ = "no nsfwjs weights in " + dir.string() + " (data/inception/fetch.sh could not fetch them)";
            return;
        }
        auto loaded = load_inception_nsfwjs(dir);
        ASSERT_TRUE(loaded) << loaded.message();
        net_ = std::make_unique<InceptionV3Mixed5>(*loaded);
    }
    static void TearDownTestSuite() { net_.reset(); }
    void SetUp() override {
        if (!missing_.empty()) GTEST_SKIP() << missing_;
        ASSERT_NE(net_, nullptr);
    }
    static std::unique_ptr<InceptionV3Mixed5> net_;
    static std::string missing_;
};
std::unique_ptr<InceptionV3Mixed5> Inception::net_;
std::string Inception::missing_;

void expect_matches(InceptionV3Mixed5& net, const torch::Tensor& input, const nlohmann::json& ref) {
    torch::InferenceMode guard;
    const auto out = net->forward(input);
    ASSERT_EQ(out.mixed5.sizes(), torch::IntArrayRef({1, 768, 17, 17}));
    // Pooled features (what FID uses) and raw values, NHWC [y, x, c, v] in the reference.
    EXPECT_LT(max_abs_diff(out.mixed2.mean({2, 3}), ref["mixed2"]["pooled"]), 1e-4);
    EXPECT_LT(max_abs_diff(out.mixed5.mean({2, 3}), ref["mixed5"]["pooled"]), 1e-4);
    EXPECT_LT(max_abs_diff(out.mixed5[0].select(1, 8).select(1, 8), ref["mixed5"]["at_8_8"]), 1e-4);
    for (const auto& v : ref["mixed5"]["values"]) {
        const float got = out.mixed5[0][v[2].get<int>()][v[0].get<int>()][v[1].get<int>()].item<float>();
        EXPECT_NEAR(got, v[3].get<float>(), 1e-4);
    }
}

TEST_F(Inception, FormulaImageMatchesTfjs) {
    expect_matches(*net_, formula_input(), find_case(reference(), "formula"));
}

TEST_F(Inception, EmojiMatchesTfjs) {
    expect_matches(*net_, emoji_input(), find_case(reference(), "emoji_imagenet"));
}

// inception_features: batched, pooled, same figures as one forward.
TEST_F(Inception, FeaturesArePooledMixed5PerImage) {
    cv::Mat red(64, 64, CV_8UC3, cv::Scalar(255, 0, 0)), blue(80, 50, CV_8UC3, cv::Scalar(0, 0, 255));  // RGB
    auto features = inception_features(*net_, {red, blue, red}, 2);
    ASSERT_TRUE(features) << features.message();
    const torch::Tensor f = *features;
    ASSERT_EQ(f.sizes(), torch::IntArrayRef({3, 768}));
    EXPECT_TRUE(torch::allclose(f[0], f[2], 1e-5, 1e-5));
    EXPECT_GT((f[0] - f[1]).abs().max().item<float>(), 1e-2);
}

TEST(InceptionLoad, MissingFolderIsAnErrorNamingIt) {
    auto loaded = load_inception_nsfwjs("/nonexistent/inception_v3");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.message().find("/nonexistent/inception_v3"), std::string::npos) << loaded.message();
}

}  // namespace
}  // namespace shenbi
