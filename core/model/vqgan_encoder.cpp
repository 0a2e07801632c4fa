#include "core/model/vqgan_encoder.h"

#include <algorithm>

#include <torch/torch.h>

namespace shenbi {

ResolutionLevelImpl::ResolutionLevelImpl() {
    block = register_module("block", torch::nn::ModuleList());
    attn = register_module("attn", torch::nn::ModuleList());
}

torch::Tensor ResolutionLevelImpl::run_blocks(torch::Tensor h) {
    for (size_t i = 0; i < block->size(); ++i) {
        h = block[i]->as<ResnetBlock>()->forward(h);
        if (i < attn->size()) h = attn[i]->as<AttnBlock>()->forward(h);
    }
    return h;
}

VqganEncoderImpl::VqganEncoderImpl(const VqganConfig& c) {
    const int levels = static_cast<int>(c.ch_mult.size());
    conv_in = register_module("conv_in", make_conv(c.in_channels, c.ch, 3));
    down = register_module("down", torch::nn::ModuleList());
    int res = c.resolution;
    int block_in = c.ch;
    for (int i = 0; i < levels; ++i) {
        auto level = ResolutionLevel();
        const int block_out = c.ch * c.ch_mult[i];
        const bool has_attn =
            std::find(c.attn_resolutions.begin(), c.attn_resolutions.end(), res) != c.attn_resolutions.end();
        for (int b = 0; b < c.num_res_blocks; ++b) {
            level->block->push_back(ResnetBlock(block_in, block_out));
            block_in = block_out;
            if (has_attn) level->attn->push_back(AttnBlock(block_in));
        }
        if (i != levels - 1) {
            level->downsample = level->register_module("downsample", Downsample(block_in));
            res /= 2;
        }
        down->push_back(level);
    }
    mid = register_module("mid", MidBlock(block_in));
    norm_out = register_module("norm_out", make_group_norm(block_in));
    conv_out = register_module("conv_out", make_conv(block_in, c.z_channels, 3));
}

torch::Tensor VqganEncoderImpl::forward(const torch::Tensor& x) {
    auto h = conv_in(x);
    for (const auto& m : *down) {
        auto level = m->as<ResolutionLevel>();
        h = level->run_blocks(h);
        if (level->downsample) h = level->downsample(h);
    }
    h = mid(h);
    return conv_out(norm_silu(norm_out, h));
}

}  // namespace shenbi
