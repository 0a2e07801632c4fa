#include "core/model/decode_simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>

// GCC 12's AVX-512 intrinsics (_mm512_reduce_add_ps, _mm512_cvtepu16_epi32
// ...) trip -Wuninitialized / -Wmaybe-uninitialized on their own masked
// builtins where they are inlined (GCC bug 105593): off for this file only.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

// Why these loops look as they do (measured on a 2-core Xeon, bench/README.md):
// - One pass streams each weight row once while the few input rows stay in
//   L1, so the product runs at memory speed; BLAS gemm packs the weight first
//   and reached a third of that at 4 rows.
// - Two weight rows per pass share every load of x, and m is taken four rows
//   at a time, so the accumulators (2 x 4) fit the 16 AVX2 registers.
// - int8 and bf16 weights are widened to fp32 in registers (weight-only:
//   the activations stay fp32, so the only error is the weights' rounding),
//   which needs no native bf16 or int8 instructions.

namespace shenbi::simd {
namespace {

struct Bf16 {  // a bf16 weight: the upper 16 bits of an fp32
    std::uint16_t bits;
};

inline float to_float(float w) {
    return w;
}
inline float to_float(std::int8_t w) {
    return static_cast<float>(w);
}
inline float to_float(Bf16 w) {
    const std::uint32_t u = static_cast<std::uint32_t>(w.bits) << 16;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

constexpr std::int64_t kRowsPerPass = 4;  // rows of x per pass over a weight row
// Software prefetch this many bytes ahead in the weight stream. The hardware
// prefetcher alone left one core at ~5 GB/s; 4 KiB ahead reached the
// machine's streaming bandwidth in fp32 (16 GB/s on 2 cores) and took int8
// from 6 to 9.5 GB/s (measured over 12 artist-base layers, cold caches).
constexpr int kPrefetchBytes = 4096;

// One prefetch per 64-byte line of each of the two weight rows.
template <typename W>
inline void prefetch_ahead(const W* w0, const W* w1, std::int64_t i) {
    if ((i * static_cast<std::int64_t>(sizeof(W))) % 64 == 0) {
        _mm_prefetch(reinterpret_cast<const char*>(w0 + i) + kPrefetchBytes, _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(w1 + i) + kPrefetchBytes, _MM_HINT_T0);
    }
}

// ---- scalar: the tails and CPUs without AVX2 -------------------------------

template <typename W>
void rows_scalar(const float* x,
                 std::int64_t m,
                 std::int64_t ldx,
                 const W* w,
                 const float* scale,
                 std::int64_t in,
                 std::int64_t i_begin,
                 const float* bias,
                 float* y,
                 std::int64_t ldy,
                 std::int64_t o,
                 bool add) {
    for (std::int64_t r = 0; r < m; ++r) {
        float s = 0;
        for (std::int64_t i = i_begin; i < in; ++i) s += x[r * ldx + i] * to_float(w[o * in + i]);
        if (scale) s *= scale[o];
        float& out = y[r * ldy + o];
        out = (add ? out : 0.0f) + s;
        if (bias && !add) out += bias[o];
    }
}

// ---- AVX2 + FMA ------------------------------------------------------------

__attribute__((target("avx2,fma"))) inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_hadd_ps(s, s);
    return _mm_cvtss_f32(_mm_hadd_ps(s, s));
}

__attribute__((target("avx2,fma"))) inline __m256 load8(const float* p) {
    return _mm256_loadu_ps(p);
}
__attribute__((target("avx2,fma"))) inline __m256 load8(const std::int8_t* p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}
__attribute__((target("avx2,fma"))) inline __m256 load8(const Bf16* p) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

// Output rows o and o + 1 (when `two`) for M rows of x; returns where the vector part stopped.
template <int M, typename W>
__attribute__((target("avx2,fma"))) std::int64_t
pass_avx2(const float* x, std::int64_t ldx, const W* w0, const W* w1, std::int64_t in, float* s0, float* s1) {
    __m256 a0[M], a1[M];
    for (int r = 0; r < M; ++r) a0[r] = a1[r] = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 8 <= in; i += 8) {
        prefetch_ahead(w0, w1, i);
        const __m256 v0 = load8(w0 + i), v1 = load8(w1 + i);
        for (int r = 0; r < M; ++r) {
            const __m256 xv = _mm256_loadu_ps(x + r * ldx + i);
            a0[r] = _mm256_fmadd_ps(v0, xv, a0[r]);
            a1[r] = _mm256_fmadd_ps(v1, xv, a1[r]);
        }
    }
    for (int r = 0; r < M; ++r) {
        s0[r] = hsum(a0[r]);
        s1[r] = hsum(a1[r]);
    }
    return i;
}

// ---- AVX-512F ----------------------------------------------------------------

__attribute__((target("avx512f"))) inline __m512 load16(const float* p) {
    return _mm512_loadu_ps(p);
}
__attribute__((target("avx512f"))) inline __m512 load16(const std::int8_t* p) {
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
}
__attribute__((target("avx512f"))) inline __m512 load16(const Bf16* p) {
    const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
}

template <int M, typename W>
__attribute__((target("avx512f"))) std::int64_t
pass_avx512(const float* x, std::int64_t ldx, const W* w0, const W* w1, std::int64_t in, float* s0, float* s1) {
    __m512 a0[M], a1[M];
    for (int r = 0; r < M; ++r) a0[r] = a1[r] = _mm512_setzero_ps();
    std::int64_t i = 0;
    for (; i + 16 <= in; i += 16) {
        prefetch_ahead(w0, w1, i);
        const __m512 v0 = load16(w0 + i), v1 = load16(w1 + i);
        for (int r = 0; r < M; ++r) {
            const __m512 xv = _mm512_loadu_ps(x + r * ldx + i);
            a0[r] = _mm512_fmadd_ps(v0, xv, a0[r]);
            a1[r] = _mm512_fmadd_ps(v1, xv, a1[r]);
        }
    }
    for (int r = 0; r < M; ++r) {
        s0[r] = _mm512_reduce_add_ps(a0[r]);
        s1[r] = _mm512_reduce_add_ps(a1[r]);
    }
    return i;
}

// ---- the driver: pairs of output rows, x four rows at a time ------------------

template <typename W>
using PassFn = std::int64_t (*)(const float*, std::int64_t, const W*, const W*, std::int64_t, float*, float*);

template <typename W>
PassFn<W> pass_for(Isa isa, std::int64_t rows) {
    if (isa == Isa::Avx512) {
        switch (rows) {
            case 1:
                return &pass_avx512<1, W>;
            case 2:
                return &pass_avx512<2, W>;
            case 3:
                return &pass_avx512<3, W>;
            default:
                return &pass_avx512<4, W>;
        }
    }
    switch (rows) {
        case 1:
            return &pass_avx2<1, W>;
        case 2:
            return &pass_avx2<2, W>;
        case 3:
            return &pass_avx2<3, W>;
        default:
            return &pass_avx2<4, W>;
    }
}

void store(float* y,
           std::int64_t ldy,
           std::int64_t rows,
           std::int64_t o,
           const float* s,
           const float* scale,
           const float* bias) {
    for (std::int64_t r = 0; r < rows; ++r) y[r * ldy + o] = s[r] * (scale ? scale[o] : 1.0f) + (bias ? bias[o] : 0.0f);
}

// The order every vector driver walks a product in: pairs of output rows
// (o and o + 1; `two` is false for an odd last row, whose pass computes it
// twice and keeps it once), and for each pair the rows of x, kRowsPerPass at
// a time: pass(o, two, r0, rows).
template <typename Pass>
void for_each_pass(const Product& p, Pass&& pass) {
    for (std::int64_t o = p.o_begin; o < p.o_end; o += 2) {
        const bool two = o + 1 < p.o_end;
        for (std::int64_t r0 = 0; r0 < p.m; r0 += kRowsPerPass) pass(o, two, r0, std::min(kRowsPerPass, p.m - r0));
    }
}

template <typename W>
void linear(Isa isa, const Product& p, const W* w, const float* scale) {
    const std::int64_t in = p.in, ldx = p.ldx, ldy = p.ldy;
    if (isa == Isa::None) {
        for (std::int64_t o = p.o_begin; o < p.o_end; ++o)
            rows_scalar(p.x, p.m, ldx, w, scale, in, 0, p.bias, p.y, ldy, o, false);
        return;
    }
    for_each_pass(p, [&](std::int64_t o, bool two, std::int64_t r0, std::int64_t rows) {
        const W* w0 = w + o * in;
        const W* w1 = two ? w0 + in : w0;
        const float* x = p.x + r0 * ldx;
        float* y = p.y + r0 * ldy;
        float s0[kRowsPerPass], s1[kRowsPerPass];
        const std::int64_t done = pass_for<W>(isa, rows)(x, ldx, w0, w1, in, s0, s1);
        store(y, ldy, rows, o, s0, scale, p.bias);
        if (two) store(y, ldy, rows, o + 1, s1, scale, p.bias);
        if (done < in) {  // the tail of `in` that is not a multiple of the vector width
            rows_scalar(x, rows, ldx, w, scale, in, done, nullptr, y, ldy, o, true);
            if (two) rows_scalar(x, rows, ldx, w, scale, in, done, nullptr, y, ldy, o + 1, true);
        }
    });
}

}  // namespace

void linear_f32(Isa isa, const Product& p, const float* w) {
    linear<float>(isa, p, w, nullptr);
}

void linear_bf16(Isa isa, const Product& p, const std::uint16_t* w) {
    static_assert(sizeof(Bf16) == 2);
    linear<Bf16>(isa, p, reinterpret_cast<const Bf16*>(w), nullptr);
}

void linear_i8(Isa isa, const Product& p, const std::int8_t* w, const float* scale) {
    linear<std::int8_t>(isa, p, w, scale);
}

void quantize_rows_u8(const float* x,
                      std::int64_t m,
                      std::int64_t ldx,
                      std::int64_t in,
                      std::uint8_t* xq,
                      float* xscale) {
    for (std::int64_t r = 0; r < m; ++r) {
        const float* row = x + r * ldx;
        float top = 0;
        for (std::int64_t i = 0; i < in; ++i) top = std::max(top, std::fabs(row[i]));
        const float scale = top > 0 ? top / 127.0f : 1.0f;
        const float inverse = 1.0f / scale;
        for (std::int64_t i = 0; i < in; ++i)
            xq[r * in + i] = static_cast<std::uint8_t>(std::lrint(row[i] * inverse) + 128);
        xscale[r] = scale;
    }
}

namespace {

// Output rows o and o + 1 against M rows of quantized x: 64 products per vpdpbusd.
template <int M>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) std::int64_t pass_vnni(const std::uint8_t* xq,
                                                                              std::int64_t in,
                                                                              const std::int8_t* w0,
                                                                              const std::int8_t* w1,
                                                                              std::int32_t* s0,
                                                                              std::int32_t* s1) {
    __m512i a0[M], a1[M];
    for (int r = 0; r < M; ++r) a0[r] = a1[r] = _mm512_setzero_si512();
    std::int64_t i = 0;
    for (; i + 64 <= in; i += 64) {
        prefetch_ahead(w0, w1, i);
        const __m512i v0 = _mm512_loadu_si512(w0 + i), v1 = _mm512_loadu_si512(w1 + i);
        for (int r = 0; r < M; ++r) {
            const __m512i xv = _mm512_loadu_si512(xq + r * in + i);
            a0[r] = _mm512_dpbusd_epi32(a0[r], xv, v0);
            a1[r] = _mm512_dpbusd_epi32(a1[r], xv, v1);
        }
    }
    for (int r = 0; r < M; ++r) {
        s0[r] = _mm512_reduce_add_epi32(a0[r]);
        s1[r] = _mm512_reduce_add_epi32(a1[r]);
    }
    return i;
}

using VnniPassFn = std::int64_t (*)(const std::uint8_t*,
                                    std::int64_t,
                                    const std::int8_t*,
                                    const std::int8_t*,
                                    std::int32_t*,
                                    std::int32_t*);

VnniPassFn vnni_pass_for(std::int64_t rows) {
    switch (rows) {
        case 1:
            return &pass_vnni<1>;
        case 2:
            return &pass_vnni<2>;
        case 3:
            return &pass_vnni<3>;
        default:
            return &pass_vnni<4>;
    }
}

}  // namespace

void linear_i8_vnni(const Product& p,
                    const std::uint8_t* xq,
                    const float* xscale,
                    const std::int8_t* w,
                    const float* scale,
                    const std::int32_t* row_sum) {
    const std::int64_t in = p.in;
    for_each_pass(p, [&](std::int64_t o, bool two, std::int64_t r0, std::int64_t rows) {
        const std::int8_t* w0 = w + o * in;
        const std::int8_t* w1 = two ? w0 + in : w0;
        const std::uint8_t* x = xq + r0 * in;
        std::int32_t s[2][kRowsPerPass];
        const std::int64_t done = vnni_pass_for(rows)(x, in, w0, w1, s[0], s[1]);
        for (int k = 0; k < (two ? 2 : 1); ++k) {
            const std::int8_t* wk = k == 0 ? w0 : w1;
            for (std::int64_t r = 0; r < rows; ++r) {
                std::int32_t sum = s[k][r];
                for (std::int64_t i = done; i < in; ++i) sum += static_cast<std::int32_t>(x[r * in + i]) * wk[i];
                const std::int64_t oo = o + k;
                p.y[(r0 + r) * p.ldy + oo] = static_cast<float>(sum - 128 * row_sum[oo]) * xscale[r0 + r] * scale[oo] +
                                             (p.bias ? p.bias[oo] : 0.0f);
            }
        }
    });
}

void attend_one(const float* q,
                const float* k,
                const float* v,
                std::int64_t n,
                std::int64_t hs,
                float scale,
                float* scores,
                float* out) {
    float top = -INFINITY;
    for (std::int64_t j = 0; j < n; ++j) {
        float s = 0;
#pragma omp simd reduction(+ : s)
        for (std::int64_t d = 0; d < hs; ++d) s += q[d] * k[j * hs + d];
        scores[j] = s * scale;
        top = std::max(top, scores[j]);
    }
    float total = 0;
    for (std::int64_t j = 0; j < n; ++j) total += scores[j] = std::exp(scores[j] - top);
    std::fill(out, out + hs, 0.0f);
    for (std::int64_t j = 0; j < n; ++j) {
        const float p = scores[j] / total;
#pragma omp simd
        for (std::int64_t d = 0; d < hs; ++d) out[d] += p * v[j * hs + d];
    }
}

}  // namespace shenbi::simd
