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
    for (std::int64_t panel = k_begin / 16; panel < k_end / 16; ++panel) {
        for (std::int64_t c = 0; c < c_channels; ++c) {
            // The panel's 16 output channels side by side, so that each of the
            // 36 positions is stored as 16 consecutive floats.
            float half[6][3][16];  // G g
            for (int lane = 0; lane < 16; ++lane) {
                const float* g = w + ((panel * 16 + lane) * c_channels + c) * 9;  // (3, 3)
                for (int i = 0; i < 6; ++i) {
                    for (int b = 0; b < 3; ++b) {
                        half[i][b][lane] = kG[i][0] * g[b] + kG[i][1] * g[3 + b] + kG[i][2] * g[6 + b];
                    }
                }
            }
            for (int i = 0; i < 6; ++i) {
                for (int j = 0; j < 6; ++j) {
                    float* out = u + (((i * 6 + j) * panels + panel) * c_channels + c) * 16;
                    for (int lane = 0; lane < 16; ++lane) {
                        out[lane] =
                            half[i][0][lane] * kG[j][0] + half[i][1][lane] * kG[j][1] + half[i][2][lane] * kG[j][2];
                    }
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
