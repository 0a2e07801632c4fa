// VQGAN encoder: conv_in, `down` levels (block.*, attn.*, downsample), mid,
// norm_out, conv_out. image (B, in_channels, R, R) -> z (B, z_channels, R/f, R/f).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>

#include "core/model/config.h"
#include "core/model/vqgan_blocks.h"

namespace shenbi {

// One resolution level: resnet blocks, attention where the resolution is
// listed, and a downsample (decoder: upsample) except at the last level.
class ResolutionLevelImpl : public torch::nn::Module {
public:
    torch::nn::ModuleList block{nullptr};
    torch::nn::ModuleList attn{nullptr};
    Downsample downsample{nullptr};
    Upsample upsample{nullptr};

    ResolutionLevelImpl();
    torch::Tensor run_blocks(torch::Tensor h);
};
TORCH_MODULE(ResolutionLevel);

class VqganEncoderImpl : public torch::nn::Module {
public:
    explicit VqganEncoderImpl(const VqganConfig& config);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv_in{nullptr};
    torch::nn::ModuleList down{nullptr};
    MidBlock mid{nullptr};
    torch::nn::GroupNorm norm_out{nullptr};
    torch::nn::Conv2d conv_out{nullptr};
};
TORCH_MODULE(VqganEncoder);

}  // namespace shenbi
