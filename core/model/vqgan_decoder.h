// VQGAN decoder: conv_in, mid, `up` levels (block.*, attn.*, upsample; up[i]
// is resolution level i, run from the deepest up), norm_out, conv_out.
// z (B, z_channels, h, w) -> image (B, out_ch, h*f, w*f); no tanh at the end.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>

#include "core/model/config.h"
#include "core/model/vqgan_blocks.h"
#include "core/model/vqgan_encoder.h"

namespace shenbi {

class VqganDecoderImpl : public torch::nn::Module {
public:
    explicit VqganDecoderImpl(const VqganConfig& config);
    torch::Tensor forward(const torch::Tensor& z);

    torch::nn::Conv2d conv_in{nullptr};
    MidBlock mid{nullptr};
    torch::nn::ModuleList up{nullptr};
    torch::nn::GroupNorm norm_out{nullptr};
    torch::nn::Conv2d conv_out{nullptr};
};
TORCH_MODULE(VqganDecoder);

}  // namespace shenbi
