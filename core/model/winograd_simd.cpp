#include "core/model/winograd_simd.h"

#include <algorithm>

#include <immintrin.h>

namespace shenbi::simd {

// G (6x3) of F(4x4, 3x3).
namespace {
constexpr float kG[6][3] = {{1.0f / 4, 0, 0},
                            {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                            {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                            {1.0f / 24, 1.0f / 12, 1.0f / 6},
                            {1.0f / 24, -1.0f / 12, 1.0f / 6},
                            {0, 0, 1}};
}  // namespace

void winograd_weights(const float* w,
                      std::int64_t k_channels,
                      std::int64_t c_channels,
                      float* u,
                      std::int64_t k_begin,
                      std::int64_t k_end) {
    const std::int64_t panels = k_channels / 16;
    for (std::int64_t k = k_begin; k < k_end; ++k) {
        for (std::int64_t c = 0; c < c_channels; ++c) {
            const float* g = w + (k * c_channels + c) * 9;  // (3, 3)
            float half[6][3];                               // G g
            for (int i = 0; i < 6; ++i) {
                for (int b = 0; b < 3; ++b) half[i][b] = kG[i][0] * g[b] + kG[i][1] * g[3 + b] + kG[i][2] * g[6 + b];
            }
            for (int i = 0; i < 6; ++i) {
                for (int j = 0; j < 6; ++j) {
                    const float value = half[i][0] * kG[j][0] + half[i][1] * kG[j][1] + half[i][2] * kG[j][2];
                    u[(((i * 6 + j) * panels + k / 16) * c_channels + c) * 16 + k % 16] = value;
                }
            }
        }
    }
}

namespace avx512 {
#pragma GCC push_options
#pragma GCC target("avx512f")
constexpr int kLanes = 16;
inline __m512 broadcast(float s) {
    return _mm512_set1_ps(s);
}
#include "core/model/winograd_simd.inc"
#pragma GCC pop_options
}  // namespace avx512

namespace avx2 {
#pragma GCC push_options
#pragma GCC target("avx2,fma")
constexpr int kLanes = 8;
inline __m256 broadcast(float s) {
    return _mm256_set1_ps(s);
}
#include "core/model/winograd_simd.inc"
#pragma GCC pop_options
}  // namespace avx2

void winograd_tiles(Isa isa, const WinogradConv& conv, std::int64_t t_begin, std::int64_t t_end, float* scratch) {
    if (isa == Isa::Avx512) {
        avx512::tiles(conv, t_begin, t_end, scratch);
    } else {
        avx2::tiles(conv, t_begin, t_end, scratch);
    }
}

}  // namespace shenbi::simd
