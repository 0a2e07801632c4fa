#include "core/model/vqgan_decoder.h"

#include <algorithm>

#include <torch/torch.h>

#include "core/model/winograd_conv.h"

namespace shenbi {

VqganDecoderImpl::VqganDecoderImpl(const VqganConfig& c) {
    const int levels = static_cast<int>(c.ch_mult.size());
    int block_in = c.ch * c.ch_mult.back();
    int res = c.resolution / c.downsample_factor();
    conv_in = register_module("conv_in", make_conv(c.z_channels, block_in, 3));
    mid = register_module("mid", MidBlock(block_in));
    // Built deepest first (as the reference does) but stored so that up[i] is level i.
    std::vector<ResolutionLevel> built(static_cast<size_t>(levels), nullptr);
    for (int i = levels - 1; i >= 0; --i) {
        auto level = ResolutionLevel();
        const int block_out = c.ch * c.ch_mult[i];
        const bool has_attn =
            std::find(c.attn_resolutions.begin(), c.attn_resolutions.end(), res) != c.attn_resolutions.end();
        for (int b = 0; b < c.num_res_blocks + 1; ++b) {
            level->block->push_back(ResnetBlock(block_in, block_out));
            block_in = block_out;
            if (has_attn) level->attn->push_back(AttnBlock(block_in));
        }
        if (i != 0) {
            level->upsample = level->register_module("upsample", Upsample(block_in));
            res *= 2;
        }
        built[static_cast<size_t>(i)] = level;
    }
    up = register_module("up", torch::nn::ModuleList());
    for (auto& level : built) up->push_back(level);
    norm_out = register_module("norm_out", make_group_norm(block_in));
    conv_out = register_module("conv_out", make_conv(block_in, c.out_ch, 3));
}

torch::Tensor VqganDecoderImpl::forward(const torch::Tensor& z) {
    auto h = mid(conv3x3(conv_in, z));
    for (int i = static_cast<int>(up->size()) - 1; i >= 0; --i) {
        auto level = up[static_cast<size_t>(i)]->as<ResolutionLevel>();
        h = level->run_blocks(h);
        if (level->upsample) h = level->upsample(h);
    }
    return conv_out(norm_silu(norm_out, h));
}

}  // namespace shenbi
