// Building blocks of the taming-transformers VQGAN (one file: each is a few
// lines). Names follow the checkpoint keys: norm1, conv1, norm2, conv2,
// nin_shortcut; norm, q, k, v, proj_out; conv.
// Shapes: x (B, C, H, W).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>

namespace shenbi {

torch::nn::GroupNorm make_group_norm(int channels);  // 32 groups, eps 1e-6, affine
// silu(norm(x)), the pre-activation of every convolution in the VQGAN. Without
// autograd (decoding) the SiLU runs in place on the norm's fresh output: at
// 256 px an activation is 134 MB for 4 images, and a new one per op cost
// page faults as well as bandwidth.
torch::Tensor norm_silu(torch::nn::GroupNorm& norm, const torch::Tensor& x);

class ResnetBlockImpl : public torch::nn::Module {
public:
    ResnetBlockImpl(int in_channels, int out_channels);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::Conv2d nin_shortcut{nullptr};  // 1x1, only when channels change
};
TORCH_MODULE(ResnetBlock);

// Single-head self-attention over the H*W positions, scale C^-0.5.
class AttnBlockImpl : public torch::nn::Module {
public:
    explicit AttnBlockImpl(int channels);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::GroupNorm norm{nullptr};
    torch::nn::Conv2d q{nullptr}, k{nullptr}, v{nullptr}, proj_out{nullptr};
};
TORCH_MODULE(AttnBlock);

// pad (0, 1, 0, 1) then 3x3 stride 2 without padding.
class DownsampleImpl : public torch::nn::Module {
public:
    explicit DownsampleImpl(int channels);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Downsample);

// nearest x2 then 3x3.
class UpsampleImpl : public torch::nn::Module {
public:
    explicit UpsampleImpl(int channels);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample);

// The middle of encoder and decoder: block_1, attn_1, block_2.
class MidBlockImpl : public torch::nn::Module {
public:
    explicit MidBlockImpl(int channels);
    torch::Tensor forward(const torch::Tensor& x);
    ResnetBlock block_1{nullptr};
    AttnBlock attn_1{nullptr};
    ResnetBlock block_2{nullptr};
};
TORCH_MODULE(MidBlock);

torch::nn::Conv2d make_conv(int in_channels, int out_channels, int kernel, int stride = 1, int padding = -1);

}  // namespace shenbi
