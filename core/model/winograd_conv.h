// 3x3 convolutions of the VQGAN on the CPU through Winograd F(4x4, 3x3)
// (core/model/winograd_simd.h): 4x fewer multiply-adds than the direct
// convolution that oneDNN runs, for an fp32 rounding difference of about 1e-5
// of the output's range. The decode of 4 images at 256 px is nearly all 3x3
// convolutions; bench/README.md has the side-by-side times.
#pragma once

#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include "core/model/decode_simd.h"  // simd::Isa

namespace shenbi {

// True when conv(x) may go through winograd_conv3x3: a CPU with AVX2 + FMA or
// AVX-512 (after the caps of cpu_features()), fp32 tensors without autograd,
// a 3x3 kernel with stride 1, zero padding 1, no dilation or groups, channel
// counts that are multiples of 16 and at least 64, and a full block of 4x4
// tiles for every intra-op thread (small grids stay with oneDNN, which splits
// its work finer).
// False inside a DirectConvolutionScope.
bool winograd_conv_applies(const torch::Tensor& x, const torch::nn::Conv2dImpl& conv);

// conv(x) through winograd_conv3x3 where winograd_conv_applies, else the module's forward.
torch::Tensor conv3x3(torch::nn::Conv2d& conv, const torch::Tensor& x);

// x (N, C, H, W) fp32 on the CPU (channels-last is free; any layout is
// accepted), weight (K, C, 3, 3), bias (K) or undefined -> (N, K, H, W) in
// channels-last memory. isa: Avx512 or Avx2 (a test may pick either).
torch::Tensor winograd_conv3x3(const torch::Tensor& x,
                               const torch::Tensor& weight,
                               const torch::Tensor& bias,
                               simd::Isa isa);

// While one lives, winograd_conv_applies is false on this thread: the
// benchmark times the direct convolutions beside the Winograd ones.
class DirectConvolutionScope {
public:
    DirectConvolutionScope();
    ~DirectConvolutionScope();
    DirectConvolutionScope(const DirectConvolutionScope&) = delete;
    DirectConvolutionScope& operator=(const DirectConvolutionScope&) = delete;

private:
    bool previous_;
};

}  // namespace shenbi
