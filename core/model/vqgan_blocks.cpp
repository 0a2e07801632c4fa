#include "core/model/vqgan_blocks.h"

#include <cmath>

#include <torch/torch.h>

#include "core/model/winograd_conv.h"

namespace shenbi {

namespace F = torch::nn::functional;

torch::nn::GroupNorm make_group_norm(int channels) {
    return torch::nn::GroupNorm(torch::nn::GroupNormOptions(32, channels).eps(1e-6).affine(true));
}

torch::Tensor norm_silu(torch::nn::GroupNorm& norm, const torch::Tensor& x) {
    auto h = norm(x);
    return torch::GradMode::is_enabled() ? F::silu(h) : torch::silu_(h);
}

torch::nn::Conv2d make_conv(int in_channels, int out_channels, int kernel, int stride, int padding) {
    if (padding < 0) padding = kernel / 2;
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in_channels, out_channels, kernel).stride(stride).padding(padding));
}

ResnetBlockImpl::ResnetBlockImpl(int in_channels, int out_channels) {
    norm1 = register_module("norm1", make_group_norm(in_channels));
    conv1 = register_module("conv1", make_conv(in_channels, out_channels, 3));
    norm2 = register_module("norm2", make_group_norm(out_channels));
    conv2 = register_module("conv2", make_conv(out_channels, out_channels, 3));
    if (in_channels != out_channels) {
        nin_shortcut = register_module("nin_shortcut", make_conv(in_channels, out_channels, 1));
    }
}

torch::Tensor ResnetBlockImpl::forward(const torch::Tensor& x) {
    auto h = conv3x3(conv1, norm_silu(norm1, x));
    h = conv3x3(conv2, norm_silu(norm2, h));  // dropout 0 in the released config
    auto shortcut = nin_shortcut ? nin_shortcut(x) : x;
    return torch::GradMode::is_enabled() ? shortcut + h : h.add_(shortcut);  // in place: as norm_silu
}

AttnBlockImpl::AttnBlockImpl(int channels) {
    norm = register_module("norm", make_group_norm(channels));
    q = register_module("q", make_conv(channels, channels, 1));
    k = register_module("k", make_conv(channels, channels, 1));
    v = register_module("v", make_conv(channels, channels, 1));
    proj_out = register_module("proj_out", make_conv(channels, channels, 1));
}

torch::Tensor AttnBlockImpl::forward(const torch::Tensor& x) {
    const int64_t B = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    auto h = norm(x);
    auto qs = q(h).reshape({B, C, H * W}).permute({0, 2, 1});                                    // (B, HW, C)
    auto ks = k(h).reshape({B, C, H * W});                                                       // (B, C, HW)
    auto vs = v(h).reshape({B, C, H * W});                                                       // (B, C, HW)
    auto w = torch::softmax(torch::bmm(qs, ks) * (1.0 / std::sqrt(static_cast<double>(C))), 2);  // (B, HW_q, HW_k)
    auto out = torch::bmm(vs, w.permute({0, 2, 1})).reshape({B, C, H, W});                       // (B, C, H, W)
    return x + proj_out(out);
}

DownsampleImpl::DownsampleImpl(int channels) {
    conv = register_module("conv", make_conv(channels, channels, 3, 2, 0));
}

torch::Tensor DownsampleImpl::forward(const torch::Tensor& x) {
    return conv(F::pad(x, F::PadFuncOptions({0, 1, 0, 1}).mode(torch::kConstant).value(0)));
}

UpsampleImpl::UpsampleImpl(int channels) {
    conv = register_module("conv", make_conv(channels, channels, 3));
}

torch::Tensor UpsampleImpl::forward(const torch::Tensor& x) {
    auto up = F::interpolate(
        x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
    return conv3x3(conv, up);
}

MidBlockImpl::MidBlockImpl(int channels) {
    block_1 = register_module("block_1", ResnetBlock(channels, channels));
    attn_1 = register_module("attn_1", AttnBlock(channels));
    block_2 = register_module("block_2", ResnetBlock(channels, channels));
}

torch::Tensor MidBlockImpl::forward(const torch::Tensor& x) {
    return block_2(attn_1(block_1(x)));
}

}  // namespace shenbi
