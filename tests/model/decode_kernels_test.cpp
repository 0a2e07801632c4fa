// The decode kernels (core/model/decode_kernels.h) against LibTorch's own
// products, on every vector ISA this CPU has; int8 weights and the precision
// switch that installs them.
#include "core/model/decode_kernels.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "core/model/precision.h"
#include "core/sampling/generate.h"
#include "core/util/cpu_features.h"
#include "tests/support/tiny_model.h"

using namespace shenbi;

namespace {

// The ISAs to try here: the scalar loops always, the vector ones this CPU has.
std::vector<simd::Isa> isas_here() {
    std::vector<simd::Isa> out{simd::Isa::None};
    if (decode_isa() != simd::Isa::None) out.push_back(simd::Isa::Avx2);
    if (decode_isa() == simd::Isa::Avx512) out.push_back(simd::Isa::Avx512);
    return out;
}

const char* name(simd::Isa isa) {
    return isa == simd::Isa::Avx512 ? "avx512" : isa == simd::Isa::Avx2 ? "avx2" : "scalar";
}

double max_relative_error(const torch::Tensor& got, const torch::Tensor& want) {
    return ((got - want).abs().max() / want.abs().max()).item<double>();
}

}  // namespace

// Widths that are and are not multiples of 8 and 16 (the vector tails), odd
// output counts (the last unpaired row), 1..9 input rows (passes of four).
TEST(DecodeKernels, Fp32LinearEqualsLibTorch) {
    torch::manual_seed(3);
    torch::NoGradGuard no_grad;
    for (auto isa : isas_here()) {
        for (std::int64_t in : {7, 16, 40, 96}) {
            for (std::int64_t out : {1, 5, 33}) {
                auto w = torch::randn({out, in}), b = torch::randn({out});
                for (std::int64_t rows : {1, 3, 4, 9, 37}) {
                    auto x = torch::randn({rows, 1, in});  // (rows, 1, in): the GPT's (B, t, C)
                    auto want = torch::linear(x, w, b);
                    EXPECT_LT(max_relative_error(decode_linear(x, w, b, isa), want), 1e-5)
                        << name(isa) << " in " << in << " out " << out << " rows " << rows;
                    EXPECT_LT(max_relative_error(decode_linear(x, w, {}, isa), torch::linear(x, w)), 1e-5);
                }
            }
        }
    }
}

TEST(DecodeKernels, Int8WeightsRoundWithinHalfAStepAndMultiplyAsDequantized) {
    torch::manual_seed(4);
    torch::NoGradGuard no_grad;
    auto w = torch::randn({37, 50});
    w[3].zero_();  // an all-zero row must not divide by zero
    const auto q = quantize_int8(w);
    EXPECT_EQ(q.values.scalar_type(), torch::kInt8);
    EXPECT_EQ(q.values.sizes(), w.sizes());
    EXPECT_EQ(q.bytes(), 37 * 50 + 37 * 4 + 37 * 4);  // values, scales, row sums
    const auto step = q.scales.unsqueeze(1);          // (out, 1)
    EXPECT_TRUE(((dequantize(q) - w).abs() <= step * 0.5 + 1e-7).all().item<bool>());
    EXPECT_EQ(q.values.abs().amax().item<int>(), 127);  // the full range is used
    auto b = torch::randn({37});
    for (auto isa : isas_here()) {
        for (std::int64_t rows : {1, 4, 6, 21}) {
            auto x = torch::randn({rows, 50});
            EXPECT_LT(max_relative_error(decode_linear(x, q, b, isa), torch::linear(x, dequantize(q), b)), 1e-5)
                << name(isa) << " rows " << rows;
        }
    }
}

// The integer product (AVX512-VNNI) quantizes each row of x to 8 bits: it
// equals LibTorch over those rounded activations, and stays within about a
// percent of the weight-only product.
TEST(DecodeKernels, Int8IntegerProductEqualsItsQuantizedReference) {
    if (!integer_dot_available()) GTEST_SKIP() << "no AVX512-VNNI on this CPU";
    torch::manual_seed(7);
    torch::NoGradGuard no_grad;
    for (std::int64_t in : {64, 100, 768}) {  // a multiple of 64, a tail, the GPT's width
        auto w = torch::randn({37, in});
        const auto q = quantize_int8(w, Int8Product::IntegerDot);
        auto widening = q;
        widening.product = Int8Product::WidenWeights;
        EXPECT_TRUE(torch::equal(q.row_sums, q.values.to(torch::kInt32).sum(1).to(torch::kInt32)));
        auto b = torch::randn({37});
        for (std::int64_t rows : {1, 4, 6, 21}) {
            auto x = torch::randn({rows, in});
            auto xscale = (x.abs().amax(1, true) / 127.0);        // (rows, 1)
            auto xq = torch::round(x * (1.0 / xscale)) * xscale;  // the activations it multiplies
            auto want = torch::linear(xq, dequantize(q), b);
            auto got = decode_linear(x, q, b, simd::Isa::Avx512);
            EXPECT_LT(max_relative_error(got, want), 1e-5) << "in " << in << " rows " << rows;
            auto widened = decode_linear(x, widening, b, simd::Isa::Avx512);
            EXPECT_LT(((got - widened).norm() / widened.norm()).item<double>(), 0.03);
        }
    }
}

TEST(DecodeKernels, AttentionOfOneQueryEqualsSoftmaxAttention) {
    torch::manual_seed(5);
    torch::NoGradGuard no_grad;
    const std::int64_t B = 3, nh = 2, t_max = 20, hs = 16;
    auto k_cache = torch::randn({B, nh, t_max, hs}), v_cache = torch::randn({B, nh, t_max, hs});
    auto q = torch::randn({B, 1, nh, hs}).transpose(1, 2);  // (B, nh, 1, hs), not contiguous, as split_heads gives
    using torch::indexing::Slice;
    for (std::int64_t length : {1, 2, 13, 20}) {
        auto k = k_cache.index({Slice(), Slice(), Slice(0, length)});
        auto v = v_cache.index({Slice(), Slice(), Slice(0, length)});
        auto want = torch::matmul(torch::softmax(torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(16.0), -1), v);
        EXPECT_LT(max_relative_error(decode_attention(q, k_cache, v_cache, length), want), 1e-5) << length;
    }
}

TEST(DecodeKernels, KernelsStayOutOfAutogradAndLargeBatches) {
    auto w = torch::randn({8, 16}, torch::requires_grad());
    auto x = torch::randn({2, 16});
    EXPECT_FALSE(decode_linear_applies(x, w));  // training: autograd must see the product
    torch::NoGradGuard no_grad;
    EXPECT_EQ(decode_linear_applies(x, w), decode_isa() != simd::Isa::None);
    EXPECT_FALSE(decode_linear_applies(torch::randn({kDecodeMaxRows + 1, 16}), w));  // large batches: BLAS
    EXPECT_FALSE(decode_linear_applies(x.to(torch::kFloat16), w.to(torch::kFloat16)));
}

// bf16 weights are widened in registers: the product equals fp32's over the
// same (rounded) weights, on every ISA here, native bf16 or not.
TEST(DecodeKernels, Bf16WeightsMultiplyAsTheirFp32Values) {
    torch::manual_seed(6);
    torch::NoGradGuard no_grad;
    auto w = torch::randn({19, 40}).to(torch::kBFloat16), b = torch::randn({19});
    for (auto isa : isas_here()) {
        for (std::int64_t rows : {1, 4, 7, 20}) {
            auto x = torch::randn({rows, 40});
            auto want = torch::linear(x, w.to(torch::kFloat32), b);
            auto got = decode_linear(x, w, b, isa);
            EXPECT_EQ(got.scalar_type(), torch::kFloat32);
            EXPECT_LT(max_relative_error(got, want), 1e-5) << name(isa) << " rows " << rows;
            auto got_bf16 = decode_linear(x.to(torch::kBFloat16), w, b, isa);  // a bf16 model's activations
            EXPECT_EQ(got_bf16.scalar_type(), torch::kBFloat16);
            EXPECT_LT(
                max_relative_error(got_bf16.to(torch::kFloat32),
                                   torch::linear(x.to(torch::kBFloat16).to(torch::kFloat32), w.to(torch::kFloat32), b)),
                1e-2);
        }
    }
}

TEST(Precision, NamesAutoAndRefusesOthers) {
    EXPECT_EQ(*weight_precision_from_string("int8"), WeightPrecision::Int8);
    EXPECT_EQ(*weight_precision_from_string("auto"), WeightPrecision::Auto);
    auto bad = weight_precision_from_string("int4");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("auto, fp32, bf16, int8 or w8a8"), std::string::npos) << bad.message();
    EXPECT_EQ(resolve_precision(WeightPrecision::Auto, torch::kCPU),
              decode_isa() != simd::Isa::None ? WeightPrecision::Int8 : WeightPrecision::Float32);
    EXPECT_EQ(resolve_precision(WeightPrecision::Auto, torch::Device(torch::kCUDA, 0)), WeightPrecision::Float32);
    EXPECT_EQ(resolve_precision(WeightPrecision::BFloat16, torch::kCPU), WeightPrecision::BFloat16);
}

// int8 weights: a quarter of the bytes per step, logits close to fp32's, and
// a one-way switch (the fp32 weights are freed).
TEST(Precision, Int8QuartersTheWeightBytesAndKeepsTheLogitsClose) {
    auto model = test::tiny_model(FusionMode::EasyNLP);
    torch::NoGradGuard no_grad;
    auto gpt = model->net->transformer;
    const auto& c = model->config.gpt;
    auto idx = torch::randint(0, c.img_vocab, {2, c.block_size()}, torch::kLong);
    const auto fp32_bytes = gpt_bytes_read_per_step(*model);
    auto want = gpt->forward(idx);  // (2, T, V) fp32

    ASSERT_TRUE(set_gpt_precision(*model, WeightPrecision::Int8).ok());
    EXPECT_EQ(gpt_precision(*model), WeightPrecision::Int8);
    EXPECT_EQ(gpt->head->weight.numel(), 0);  // freed
    const auto int8_bytes = gpt_bytes_read_per_step(*model);
    EXPECT_LT(int8_bytes, fp32_bytes * 0.4) << int8_bytes << " of " << fp32_bytes;
    auto got = gpt->forward(idx);  // many rows: the dequantized BLAS path
    EXPECT_LT(((got - want).norm() / want.norm()).item<double>(), 0.03);
    auto cache = gpt->make_cache(2);  // few rows: the int8 kernels
    using torch::indexing::Slice;
    gpt->forward_cached(idx.index({Slice(), Slice(0, c.block_size() - 1)}), cache);
    auto last = gpt->forward_cached(idx.index({Slice(), Slice(c.block_size() - 1)}), cache);
    EXPECT_LT(max_relative_error(last, got.index({Slice(), Slice(-1)})), 1e-4);

    EXPECT_TRUE(set_gpt_precision(*model, WeightPrecision::Int8).ok());  // again: nothing to do
    auto back = set_gpt_precision(*model, WeightPrecision::Float32);
    ASSERT_FALSE(back.ok());
    EXPECT_NE(back.message().find("load the model again"), std::string::npos) << back.message();
}

TEST(Precision, Int8GenerationRunsAndFollowsFp32OnGreedyCodes) {
    auto fp32 = test::tiny_model(FusionMode::Lattice);
    auto int8 = test::tiny_model(FusionMode::Lattice);
    ASSERT_TRUE(set_gpt_precision(*int8, WeightPrecision::Int8).ok());
    GenerationParams p;
    p.prompt = "一丁七";
    p.candidates = 2;
    p.preview_every = 0;
    p.sampling.top_k = 1;
    auto a = generate(*fp32, p), b = generate(*int8, p);
    ASSERT_TRUE(a.ok() && b.ok()) << (a.ok() ? b.message() : a.message());
    int same = 0, total = 0;
    for (size_t i = 0; i < a->candidates.size(); ++i) {
        for (size_t j = 0; j < a->candidates[i].codes.size(); ++j, ++total) {
            same += a->candidates[i].codes[j] == b->candidates[i].codes[j];
        }
    }
    // Random tiny weights have flat logits, the hardest case for rounding;
    // the bundled model's figure is in bench/README.md (bench agreement).
    EXPECT_GE(same, total / 2) << same << " of " << total;
}

// The VQGAN decodes in fp32 whatever the GPT's precision. A bf16 decoder
// in channels-last layout drew wrong colours in LibTorch 1.13 on the "small"
// preset (several channels per GroupNorm group: 0.71 relative error, against
// 0.06 for bf16 rounding in the usual layout): decode_grid keeps bf16 out of
// channels-last, checked here by converting the decoder by hand.
TEST(Precision, VqganDecodesInFp32AndBf16StaysOutOfChannelsLast) {
    const auto config = ModelConfig::preset("small").value();
    auto fp32 = make_random_bundle(config, 3);
    auto int8 = make_random_bundle(config, 3);
    ASSERT_TRUE(set_gpt_precision(*int8, WeightPrecision::Int8).ok());
    EXPECT_EQ(vqgan_decode_dtype(*int8), torch::kFloat32);
    c10::InferenceMode inference;
    const auto& vq = config.vqgan;
    torch::manual_seed(8);
    auto codes = torch::randint(0, vq.n_embed, {2, vq.num_tokens()}, torch::kLong);
    auto want = fp32->net->first_stage_model->decode(codes);  // (2, 3, R, R) fp32
    EXPECT_TRUE(torch::allclose(int8->net->first_stage_model->decode(codes), want));
    if (!cpu_features().native_bf16()) return;  // bf16 convolutions would take the slow fallback
    auto vqgan = int8->net->first_stage_model;
    vqgan->post_quant_conv->to(torch::kBFloat16);
    vqgan->decoder->to(torch::kBFloat16);
    EXPECT_EQ(vqgan_decode_dtype(*int8), torch::kBFloat16);
    auto got = vqgan->decode(codes).to(torch::kFloat32);
    EXPECT_LT(((got - want).norm() / want.norm()).item<double>(), 0.15);
}

// w8a8 (int8 activations too) where AVX512-VNNI exists, refused elsewhere
// with a message naming int8; either way the model is left as it was.
TEST(Precision, W8a8NeedsVnniAndIsNamed) {
    EXPECT_EQ(*weight_precision_from_string("w8a8"), WeightPrecision::W8A8);
    auto model = test::tiny_model(FusionMode::None);
    const auto st = set_gpt_precision(*model, WeightPrecision::W8A8);
    if (!integer_dot_available()) {
        ASSERT_FALSE(st.ok());
        EXPECT_NE(st.message().find("use --precision int8"), std::string::npos) << st.message();
        EXPECT_EQ(gpt_precision(*model), WeightPrecision::Float32);
        return;
    }
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(gpt_precision(*model), WeightPrecision::W8A8);
    EXPECT_EQ(to_string(gpt_precision(*model)), "w8a8");
    auto again = set_gpt_precision(*model, WeightPrecision::Int8);
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.message().find("w8a8 already"), std::string::npos) << again.message();
}
