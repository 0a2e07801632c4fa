// Kernels for decoding on the CPU, where one step multiplies a few rows (one
// new token for each candidate) by every weight of the GPT. Such a product
// reads each weight once for little arithmetic, so it is bound by memory
// bandwidth; BLAS gemm spends that time packing the weight instead (OpenBLAS
// moved 6-10 GB/s of weights at 4 rows where a plain read moves 20+;
// bench/README.md). These stream each weight row once, split between the
// intra-op (OpenMP) threads, with the input rows kept in L1.
//
// Also here: int8 weights (one fp32 scale per output row, a quarter of the
// bytes) and the attention of one new position over the KV cache.
#pragma once

#include <cstdint>

#include <torch/types.h>

#include "core/model/decode_simd.h"

namespace shenbi {

// The vector kernels this CPU runs (AVX-512F, else AVX2 + FMA, else none),
// after the caps of cpu_features() (ATEN_CPU_CAPABILITY, ONEDNN_MAX_CPU_ISA).
simd::Isa decode_isa();

// Rows of x up to which a product goes to these kernels rather than to BLAS.
// The kernels take x 16 rows at a time, each block one pass over the weights,
// so they stay bandwidth-bound up to about 16 rows and then become
// compute-bound. Even so they did the prompt's prefill (4 candidates x 33
// tokens) in 0.31 s where OpenBLAS took 0.81 (fp32; int8: 0.23 against
// 0.72, with its weights widened for BLAS), bench/README.md. Beyond this many
// rows (large batches) BLAS is left the work.
constexpr std::int64_t kDecodeMaxRows = 512;

// Weight of a Linear(in, out) as int8, symmetric per output row:
// w[o][i] ~ scales[o] * values[o][i], scales[o] = max_i |w[o][i]| / 127.
// How an int8 product is computed:
// - WidenWeights: each int8 weight widened to fp32 in registers, fp32
//   activations (weight-only quantization, --precision int8; any vector ISA);
// - IntegerDot: activations quantized per row to 8 bits too, AVX512-VNNI
//   integer dot products (--precision w8a8): memory-bound where widening is
//   compute-bound, at the price of the activations' rounding (bench/README.md).
enum class Int8Product { WidenWeights, IntegerDot };
// A CPU with AVX-512 and VNNI (after the caps of cpu_features()).
bool integer_dot_available();

struct Int8Weight {
    torch::Tensor values;    // (out, in) int8
    torch::Tensor scales;    // (out) fp32
    torch::Tensor row_sums;  // (out) int32: sum_i values[o][i], for the integer product
    Int8Product product = Int8Product::WidenWeights;

    std::int64_t bytes() const { return values.numel() + (scales.numel() + row_sums.numel()) * 4; }
};

// weight (out, in), any float dtype, on the CPU
Int8Weight quantize_int8(const torch::Tensor& weight, Int8Product product = Int8Product::WidenWeights);
torch::Tensor dequantize(const Int8Weight& weight);  // (out, in) fp32

// True when the kernels take x: a vector ISA, and at most kDecodeMaxRows rows
// (what int8 weights need; fp32 and bf16 ones check decode_linear_applies).
bool decode_rows_apply(const torch::Tensor& x);

// True when decode_linear(x, weight, ...) should take the kernel path: CPU
// tensors in fp32 or bf16, x of at most kDecodeMaxRows rows, no autograd,
// and a vector ISA.
bool decode_linear_applies(const torch::Tensor& x, const torch::Tensor& weight);

// x W^T + bias for x (..., in) on the CPU, W (out, in) fp32 or bf16 (widened
// to fp32 in registers: no native bf16 needed); bias (out) or undefined. The
// result has x's dtype. `isa` is decode_isa() unless a test picks one.
torch::Tensor decode_linear(const torch::Tensor& x,
                            const torch::Tensor& weight,
                            const torch::Tensor& bias,
                            simd::Isa isa = decode_isa());
// The same with int8 weights, for x of at most kDecodeMaxRows rows (more
// rows: torch::linear over dequantize(weight), as project() does).
// weight.product says how (IntegerDot needs integer_dot_available() and isa Avx512).
torch::Tensor decode_linear(const torch::Tensor& x,
                            const Int8Weight& weight,
                            const torch::Tensor& bias,
                            simd::Isa isa = decode_isa());

// softmax(q K^T / sqrt(hs)) V for one new position per (row, head) over the
// first `length` positions of the cache: q (B, nh, 1, hs), k_cache and
// v_cache (B, nh, T_max, hs), fp32 on the CPU -> (B, nh, 1, hs).
torch::Tensor decode_attention(const torch::Tensor& q,
                               const torch::Tensor& k_cache,
                               const torch::Tensor& v_cache,
                               std::int64_t length);
bool decode_attention_applies(const torch::Tensor& q, const torch::Tensor& k_cache);

}  // namespace shenbi
