#include "core/model/decode_kernels.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <vector>

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/torch.h>

#include "core/util/cpu_features.h"

// This file is compiled with -fopenmp (core/CMakeLists.txt): at::parallel_for
// is an inline OpenMP loop, serial without it.

namespace shenbi {
namespace {

// Output rows per task: enough work to amortise a hand-off, and a multiple
// of the kernels' two rows per pass.
constexpr std::int64_t kGrainRows = 32;
// Rows of x per pass over the weights (see run_linear).
constexpr std::int64_t kBlockRows = 16;

// A dense CPU tensor of one of `types`.
bool plain_cpu(const torch::Tensor& t, std::initializer_list<torch::ScalarType> types) {
    if (!t.defined() || !t.device().is_cpu() || t.layout() != torch::kStrided || t.is_quantized()) return false;
    return std::find(types.begin(), types.end(), t.scalar_type()) != types.end();
}

constexpr std::initializer_list<torch::ScalarType> kFloatTypes = {torch::kFloat32, torch::kBFloat16};

bool plain_cpu_float(const torch::Tensor& t) {
    return plain_cpu(t, {torch::kFloat32});
}

bool autograd_off(const torch::Tensor& t) {
    return !torch::GradMode::is_enabled() || !t.requires_grad();
}

// Runs `rows_fn(x_block, y_block, o_begin, o_end)` over the output rows in
// parallel, for blocks of kBlockRows rows of x: a block stays in L1/L2 while
// the weights stream past it once. `prepare_block(x_block)` runs first, on
// the calling thread (the integer product quantizes the block there).
template <typename P, typename F>
torch::Tensor run_linear(const torch::Tensor& x, std::int64_t out, P prepare_block, F rows_fn) {
    const std::int64_t in = x.size(-1);
    auto x2 = x.reshape({-1, in}).contiguous();  // (m, in)
    auto y = torch::empty({x2.size(0), out}, x2.options());
    for (std::int64_t r = 0; r < x2.size(0); r += kBlockRows) {
        const auto rows = torch::indexing::Slice(r, std::min(r + kBlockRows, x2.size(0)));
        const auto xb = x2.index({rows});  // (<= kBlockRows, in), contiguous
        auto yb = y.index({rows});         // (<= kBlockRows, out), contiguous
        prepare_block(xb);
        at::parallel_for(0, out, kGrainRows,
                         [&](std::int64_t begin, std::int64_t end) { rows_fn(xb, yb, begin, end); });
    }
    auto shape = x.sizes().vec();
    shape.back() = out;
    return y.view(shape);  // (..., out)
}

// The bias as a contiguous fp32 tensor (the caller keeps it alive while the
// kernels read it), or undefined.
torch::Tensor float_bias(const torch::Tensor& bias) {
    return bias.defined() ? bias.to(torch::kFloat32).contiguous() : bias;
}

// The kernels' view of x (m, in) -> y (m, out) for output rows [o0, o1).
simd::Product rows_of(const torch::Tensor& x, const float* bias, torch::Tensor& y, std::int64_t o0, std::int64_t o1) {
    return {x.data_ptr<float>(), x.size(0), x.size(1), x.size(1), bias, y.data_ptr<float>(), y.size(1), o0, o1};
}

const float* data_or_null(const torch::Tensor& t) {
    return t.defined() ? t.data_ptr<float>() : nullptr;
}

}  // namespace

bool integer_dot_available() {
    // With AVX-512 present, the VNNI flag is AVX512_VNNI (AVX_VNNI alone comes on CPUs without AVX-512).
    return decode_isa() == simd::Isa::Avx512 && cpu_features().vnni;
}

simd::Isa decode_isa() {
    const auto& cpu = cpu_features();
    if (cpu.avx512) return simd::Isa::Avx512;
    if (cpu.avx2 && cpu.fma) return simd::Isa::Avx2;
    return simd::Isa::None;
}

Int8Weight quantize_int8(const torch::Tensor& weight, Int8Product product) {
    torch::NoGradGuard no_grad;
    auto w = weight.detach().to(torch::kCPU, torch::kFloat32);              // (out, in)
    auto scales = (w.abs().amax(1) / 127.0).clamp_min(1e-12).contiguous();  // (out)
    auto values = torch::round(w / scales.unsqueeze(1)).clamp(-127, 127).to(torch::kInt8).contiguous();
    return {values, scales, values.sum(1, /*keepdim=*/false, torch::kInt32).contiguous(), product};
}

torch::Tensor dequantize(const Int8Weight& weight) {
    return weight.values.to(torch::kFloat32) * weight.scales.unsqueeze(1);
}

bool decode_rows_apply(const torch::Tensor& x) {
    if (decode_isa() == simd::Isa::None || x.dim() < 1) return false;
    return x.numel() / std::max<std::int64_t>(x.size(-1), 1) <= kDecodeMaxRows;
}

bool decode_linear_applies(const torch::Tensor& x, const torch::Tensor& weight) {
    if (!plain_cpu(x, kFloatTypes) || !plain_cpu(weight, kFloatTypes) || !weight.is_contiguous()) return false;
    return autograd_off(x) && autograd_off(weight) && decode_rows_apply(x);
}

torch::Tensor decode_linear(const torch::Tensor& x,
                            const torch::Tensor& weight,
                            const torch::Tensor& bias,
                            simd::Isa isa) {
    const bool bf16 = weight.scalar_type() == torch::kBFloat16;
    RECORD_FUNCTION(bf16 ? "shenbi::decode_linear_bf16" : "shenbi::decode_linear_fp32",
                    std::vector<c10::IValue>());  // a name in profiles
    TORCH_CHECK(plain_cpu(x, kFloatTypes) && plain_cpu(weight, kFloatTypes) && weight.is_contiguous() &&
                    x.size(-1) == weight.size(1),
                "decode_linear: fp32 or bf16 CPU tensors with matching widths expected");
    const auto bias_f = float_bias(bias);
    const float* b = data_or_null(bias_f);
    auto y = run_linear(
        x.to(torch::kFloat32), weight.size(0), [](const torch::Tensor&) {},
        [&](const torch::Tensor& x2, torch::Tensor& out, std::int64_t o0, std::int64_t o1) {
            const auto product = rows_of(x2, b, out, o0, o1);
            if (bf16) {
                simd::linear_bf16(isa, product,
                                  reinterpret_cast<const std::uint16_t*>(weight.data_ptr<at::BFloat16>()));
            } else {
                simd::linear_f32(isa, product, weight.data_ptr<float>());
            }
        });
    return y.to(x.scalar_type());  // a bf16 model's activations stay bf16
}

torch::Tensor decode_linear(const torch::Tensor& x,
                            const Int8Weight& weight,
                            const torch::Tensor& bias,
                            simd::Isa isa) {
    const bool integer = weight.product == Int8Product::IntegerDot;
    RECORD_FUNCTION(integer ? "shenbi::decode_linear_int8_vnni" : "shenbi::decode_linear_int8",
                    std::vector<c10::IValue>());
    const std::int64_t in = weight.values.size(1);
    TORCH_CHECK(x.size(-1) == in, "decode_linear: input width ", x.size(-1), " against int8 weight width ", in);
    TORCH_CHECK(!integer || (isa == simd::Isa::Avx512 && weight.row_sums.defined()),
                "decode_linear: the integer int8 product needs AVX512-VNNI and row sums");
    auto xf = x.to(torch::kFloat32);
    const auto bias_f = float_bias(bias);
    const float* b = data_or_null(bias_f);
    const std::int8_t* w = weight.values.data_ptr<std::int8_t>();
    const float* s = weight.scales.data_ptr<float>();
    std::vector<std::uint8_t> xq;  // the block of x quantized (IntegerDot)
    std::vector<float> xscale;
    auto prepare = [&](const torch::Tensor& xb) {
        if (!integer) return;
        xq.resize(static_cast<size_t>(xb.numel()));
        xscale.resize(static_cast<size_t>(xb.size(0)));
        simd::quantize_rows_u8(xb.data_ptr<float>(), xb.size(0), in, in, xq.data(), xscale.data());
    };
    auto y = run_linear(xf, weight.values.size(0), prepare,
                        [&](const torch::Tensor& x2, torch::Tensor& out, std::int64_t o0, std::int64_t o1) {
                            if (integer) {
                                simd::linear_i8_vnni(rows_of(x2, b, out, o0, o1), xq.data(), xscale.data(), w, s,
                                                     weight.row_sums.data_ptr<std::int32_t>());
                            } else {
                                simd::linear_i8(isa, rows_of(x2, b, out, o0, o1), w, s);
                            }
                        });
    return y.to(x.scalar_type());
}

bool decode_attention_applies(const torch::Tensor& q, const torch::Tensor& k_cache) {
    return q.dim() == 4 && q.size(2) == 1 && plain_cpu_float(q) && plain_cpu_float(k_cache) &&
           k_cache.is_contiguous() && autograd_off(q);
}

torch::Tensor decode_attention(const torch::Tensor& q,
                               const torch::Tensor& k_cache,
                               const torch::Tensor& v_cache,
                               std::int64_t length) {
    RECORD_FUNCTION("shenbi::decode_attention", std::vector<c10::IValue>());
    TORCH_CHECK(decode_attention_applies(q, k_cache) && plain_cpu_float(v_cache) && v_cache.is_contiguous() &&
                    length >= 1 && length <= k_cache.size(2),
                "decode_attention: one fp32 query per head over a contiguous cache expected");
    const std::int64_t heads = q.size(0) * q.size(1), hs = q.size(3), t_max = k_cache.size(2);
    auto qc = q.contiguous();          // (B, nh, 1, hs)
    auto out = torch::empty_like(qc);  // (B, nh, 1, hs)
    const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
    at::parallel_for(0, heads, 1, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> scores(static_cast<size_t>(length));
        for (std::int64_t h = begin; h < end; ++h) {
            simd::attend_one(qc.data_ptr<float>() + h * hs, k_cache.data_ptr<float>() + h * t_max * hs,
                             v_cache.data_ptr<float>() + h * t_max * hs, length, hs, scale, scores.data(),
                             out.data_ptr<float>() + h * hs);
        }
    });
    return out;
}

}  // namespace shenbi
