// Winograd F(4x4, 3x3) convolution loops over raw pointers (no LibTorch here:
// this file set compiles fast and with -O3), under core/model/winograd_conv.h.
// A 3x3 stride-1 convolution is done per 4x4 output tile as
//   Y = A^T [ (G g G^T) . (B^T d B) ] A
// (Lavin & Gray, 2016): 36 products per tile and channel pair instead of 144,
// so the multiply-adds of the convolution shrink 4x. The 36 element-wise
// products over all channel pairs become 36 small GEMMs per block of tiles.
// Activations are NHWC (channels-last), channels a multiple of 16.
#pragma once

#include <cstdint>

#include "core/model/decode_simd.h"  // simd::Isa

namespace shenbi::simd {

// Tiles per block: the 36 GEMMs of a block read its transformed input
// (36 x tiles x C floats) from L2 while each 16-column panel of the weights
// stays in L1. A multiple of every kernel's rows per pass (12, 6). 48 ran
// the 256-channel convolutions 20% faster than 96, and 128-channel ones alike.
constexpr std::int64_t kWinogradBlockTiles = 48;

// The weights' transform G g G^T for one convolution: w (K, C, 3, 3) ->
// u (36, K/16, C, 16), output channels [k_begin, k_end) (multiples of 16).
void winograd_weights(const float* w,
                      std::int64_t k_channels,
                      std::int64_t c_channels,
                      float* u,
                      std::int64_t k_begin,
                      std::int64_t k_end);

// One convolution, 3x3, stride 1, zero padding 1.
struct WinogradConv {
    const float* x = nullptr;  // (n, h, w, c) NHWC
    std::int64_t n = 0, h = 0, w = 0, c = 0;
    const float* u = nullptr;     // winograd_weights' output
    std::int64_t k = 0;           // output channels
    const float* bias = nullptr;  // k floats, or null
    float* y = nullptr;           // (n, h, w, k) NHWC

    std::int64_t tiles_h() const { return (h + 3) / 4; }
    std::int64_t tiles_w() const { return (w + 3) / 4; }
    std::int64_t tiles() const { return n * tiles_h() * tiles_w(); }
};

// Scratch floats that winograd_tiles needs for one block.
inline std::int64_t winograd_scratch_floats(const WinogradConv& conv) {
    return 36 * kWinogradBlockTiles * (conv.c + conv.k);
}

// Output tiles [t_begin, t_end) of the convolution (tile t = (image, tile row,
// tile column) in raster order), a block of kWinogradBlockTiles at a time.
// `scratch` holds winograd_scratch_floats(conv) floats. isa: Avx512 or Avx2.
void winograd_tiles(Isa isa, const WinogradConv& conv, std::int64_t t_begin, std::int64_t t_end, float* scratch);

}  // namespace shenbi::simd
