// Winograd F(4x4, 3x3) convolutions (core/model/winograd_conv.h) against
// LibTorch's direct convolution, on every vector ISA this CPU has, and the
// rule that decides where they run.
#include "core/model/winograd_conv.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "core/model/config.h"
#include "core/model/decode_kernels.h"
#include "core/model/model_bundle.h"
#include "core/model/vqgan.h"

using namespace shenbi;

namespace {

std::vector<simd::Isa> vector_isas_here() {
    std::vector<simd::Isa> out;
    if (decode_isa() != simd::Isa::None) out.push_back(simd::Isa::Avx2);
    if (decode_isa() == simd::Isa::Avx512) out.push_back(simd::Isa::Avx512);
    return out;
}

double max_relative_error(const torch::Tensor& got, const torch::Tensor& want) {
    return ((got - want).abs().max() / want.abs().max()).item<double>();
}

// Holds LibTorch's intra-op threads at `n` for one test (the Winograd rule counts them).
class ThreadsScope {
public:
    explicit ThreadsScope(int n) : previous_(at::get_num_threads()) { at::set_num_threads(n); }
    ~ThreadsScope() { at::set_num_threads(previous_); }

private:
    int previous_;
};

}  // namespace

// Sizes that are not multiples of the 4x4 tile (the clipped last row and
// column), one pixel wide, several images, with and without bias, input in
// either memory layout, several blocks of tiles (and a partial last one).
TEST(WinogradConv, EqualsLibTorchConvolution) {
    if (vector_isas_here().empty()) GTEST_SKIP() << "no AVX2 on this CPU: the Winograd path is never taken";
    torch::NoGradGuard no_grad;
    torch::manual_seed(5);
    struct Case {
        int64_t n, c, k, h, w;
        bool bias, channels_last;
    };
    const Case cases[] = {{1, 16, 16, 4, 4, true, true},   {2, 32, 48, 7, 10, true, false},
                          {3, 16, 32, 13, 1, false, true}, {1, 64, 16, 1, 9, true, true},
                          {2, 48, 64, 45, 37, true, true}, {1, 16, 16, 2, 2, false, false}};
    for (const auto isa : vector_isas_here()) {
        for (const auto& c : cases) {
            auto x = torch::randn({c.n, c.c, c.h, c.w});
            if (c.channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
            auto weight = torch::randn({c.k, c.c, 3, 3}) * 0.1;
            auto bias = c.bias ? torch::randn({c.k}) : torch::Tensor();
            const auto want = torch::conv2d(x, weight, bias, 1, 1);
            const auto got = winograd_conv3x3(x, weight, bias, isa);
            ASSERT_EQ(got.sizes(), want.sizes());
            EXPECT_TRUE(got.is_contiguous(at::MemoryFormat::ChannelsLast));
            EXPECT_LT(max_relative_error(got, want), 1e-4) << (isa == simd::Isa::Avx512 ? "avx512 " : "avx2 ") << c.n
                                                           << "x" << c.c << "->" << c.k << " at " << c.h << "x" << c.w;
        }
    }
}

// Only fp32 3x3 stride-1 'same' convolutions without autograd, channels in
// multiples of 16 and at least 64, enough tiles for the threads; never in a
// DirectConvolutionScope.
TEST(WinogradConv, AppliesOnlyWhereItShould) {
    if (vector_isas_here().empty()) GTEST_SKIP() << "no AVX2 on this CPU: the Winograd path is never taken";
    ThreadsScope threads(1);
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(64, 80, 3).padding(1));
    const auto x = torch::randn({1, 64, 96, 96});  // 576 tiles: 12 blocks
    {
        torch::NoGradGuard no_grad;
        EXPECT_TRUE(winograd_conv_applies(x, *conv));
        EXPECT_TRUE(winograd_conv_applies(torch::randn({1, 64, 28, 28}), *conv));   // 49 tiles: one block
        EXPECT_FALSE(winograd_conv_applies(torch::randn({1, 64, 24, 28}), *conv));  // 42 tiles: part of one
        EXPECT_FALSE(winograd_conv_applies(x.to(torch::kBFloat16), *conv));
        EXPECT_FALSE(winograd_conv_applies(torch::randn({1, 80, 96, 96}), *conv));  // the module's own error
        torch::nn::Conv2d strided(torch::nn::Conv2dOptions(64, 80, 3).padding(1).stride(2));
        torch::nn::Conv2d unpadded(torch::nn::Conv2dOptions(64, 80, 3));
        torch::nn::Conv2d odd_channels(torch::nn::Conv2dOptions(64, 3, 3).padding(1));
        torch::nn::Conv2d few_channels(torch::nn::Conv2dOptions(64, 48, 3).padding(1));
        torch::nn::Conv2d one_by_one(torch::nn::Conv2dOptions(64, 80, 1));
        for (auto* other : {&strided, &unpadded, &odd_channels, &few_channels, &one_by_one}) {
            EXPECT_FALSE(winograd_conv_applies(x, **other));
        }
        EXPECT_FALSE(winograd_conv_applies(torch::randn({1, 48, 96, 96}),
                                           *torch::nn::Conv2d(torch::nn::Conv2dOptions(48, 80, 3).padding(1))));
        DirectConvolutionScope direct;
        EXPECT_FALSE(winograd_conv_applies(x, *conv));
    }
    EXPECT_TRUE(torch::GradMode::is_enabled());
    EXPECT_FALSE(winograd_conv_applies(x, *conv));  // training keeps LibTorch's convolution and its gradient
}

// A whole VQGAN decode through the Winograd path draws what the direct one
// draws. The "small" preset has 64 channels at 64 px, where the rule lets
// Winograd in for 4 images on one thread (asserted, so that the comparison
// is not direct against direct).
TEST(WinogradConv, VqganDecodeMatchesTheDirectConvolutions) {
    if (vector_isas_here().empty()) GTEST_SKIP() << "no AVX2 on this CPU: the Winograd path is never taken";
    ThreadsScope threads(1);
    const auto config = ModelConfig::preset("small").value();
    auto model = make_random_bundle(config, 4);
    auto vqgan = model->net->first_stage_model;
    c10::InferenceMode inference;
    auto top = vqgan->decoder->up[0]->as<ResolutionLevel>()->block[0]->as<ResnetBlock>();
    ASSERT_TRUE(winograd_conv_applies(torch::randn({4, 64, 64, 64}), *top->conv2));  // 64 -> 64 at 64 px
    torch::manual_seed(9);
    auto codes = torch::randint(0, config.vqgan.n_embed, {4, config.vqgan.num_tokens()}, torch::kLong);
    const auto fast = vqgan->decode(codes);
    torch::Tensor direct;
    {
        DirectConvolutionScope scope;
        direct = vqgan->decode(codes);
    }
    EXPECT_LT(max_relative_error(fast, direct), 1e-4);
}
