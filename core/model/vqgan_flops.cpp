#include "core/model/vqgan_flops.h"

#include <algorithm>

namespace shenbi {
namespace {

double conv(double in, double out, int kernel, double pixels) {
    return 2.0 * kernel * kernel * in * out * pixels;
}

double resnet(double in, double out, double pixels) {
    return conv(in, out, 3, pixels) + conv(out, out, 3, pixels) + (in != out ? conv(in, out, 1, pixels) : 0.0);
}

double attention(double channels, double pixels) {
    // q, k, v, proj_out (1x1) + QK^T (N x N x C) + AV (N x N x C)
    return 4 * conv(channels, channels, 1, pixels) + 2 * 2.0 * pixels * pixels * channels;
}

}  // namespace

double vqgan_decode_flops(const VqganConfig& c) {
    const int levels = static_cast<int>(c.ch_mult.size());
    int res = c.resolution / c.downsample_factor();
    double pixels = static_cast<double>(res) * res;
    double block_in = static_cast<double>(c.ch) * c.ch_mult.back();
    double flops = conv(c.embed_dim, c.z_channels, 1, pixels);                      // post_quant_conv
    flops += conv(c.z_channels, block_in, 3, pixels);                               // conv_in
    flops += 2 * resnet(block_in, block_in, pixels) + attention(block_in, pixels);  // mid
    for (int i = levels - 1; i >= 0; --i) {
        const double block_out = static_cast<double>(c.ch) * c.ch_mult[static_cast<std::size_t>(i)];
        const bool has_attn =
            std::find(c.attn_resolutions.begin(), c.attn_resolutions.end(), res) != c.attn_resolutions.end();
        for (int b = 0; b < c.num_res_blocks + 1; ++b) {
            flops += resnet(block_in, block_out, pixels);
            block_in = block_out;
            if (has_attn) flops += attention(block_in, pixels);
        }
        if (i != 0) {
            res *= 2;
            pixels = static_cast<double>(res) * res;
            flops += conv(block_in, block_in, 3, pixels);  // upsample's conv, at the new size
        }
    }
    flops += conv(block_in, c.out_ch, 3, pixels);  // conv_out
    return flops;
}

}  // namespace shenbi
