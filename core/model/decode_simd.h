// The vector loops under core/model/decode_kernels.h, over raw pointers (no
// LibTorch here, so this file compiles fast and with -O3). Each function does
// the output rows [o_begin, o_end) of one product (Product); the caller
// splits rows between threads. Any m and any `in` (a scalar tail handles what
// is not a multiple of the vector width).
#pragma once

#include <cstdint>

namespace shenbi::simd {

enum class Isa { None, Avx2, Avx512 };

// One product's operands, for the output rows [o_begin, o_end).
struct Product {
    const float* x = nullptr;  // m rows of `in` floats, ldx apart
    std::int64_t m = 0, ldx = 0, in = 0;
    const float* bias = nullptr;  // `out` floats, or null
    float* y = nullptr;           // m rows of `out` floats, ldy apart
    std::int64_t ldy = 0;
    std::int64_t o_begin = 0, o_end = 0;
};

// y[r][o] = sum_i x[r][i] w[o][i] + bias[o], w (out, in) fp32 row-major
void linear_f32(Isa isa, const Product& p, const float* w);
// The same with w (out, in) bf16 (the upper 16 bits of an fp32), widened in registers
void linear_bf16(Isa isa, const Product& p, const std::uint16_t* w);
// The same with w (out, in) int8 and one scale per row: w_f32[o][i] = scale[o] w[o][i]
void linear_i8(Isa isa, const Product& p, const std::int8_t* w, const float* scale);

// x's rows as unsigned bytes for the integer product: per row r,
// x[r][i] ~ xscale[r] * (xq[r][i] - 128), xscale[r] = max_i |x[r][i]| / 127.
// xq holds m rows of `in` bytes, back to back.
void quantize_rows_u8(const float* x,
                      std::int64_t m,
                      std::int64_t ldx,
                      std::int64_t in,
                      std::uint8_t* xq,
                      float* xscale);

// As linear_i8, but with AVX512-VNNI integer dot products over x quantized by
// quantize_rows_u8 (p.x is not read): y = (sum xq w - 128 row_sum[o]) xscale[r] scale[o] + bias[o],
// row_sum[o] = sum_i w[o][i]. Only on a CPU with AVX512_VNNI.
void linear_i8_vnni(const Product& p,
                    const std::uint8_t* xq,
                    const float* xscale,
                    const std::int8_t* w,
                    const float* scale,
                    const std::int32_t* row_sum);

// Attention of one query over `n` cached positions, for one (row, head):
// q (hs), k and v (n, hs) row-major, out (hs); `scores` is scratch for n floats.
void attend_one(const float* q,
                const float* k,
                const float* v,
                std::int64_t n,
                std::int64_t hs,
                float scale,
                float* scores,
                float* out);

}  // namespace shenbi::simd
