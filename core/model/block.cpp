#include "core/model/block.h"

#include <torch/torch.h>

#include "core/model/projection.h"

namespace shenbi {

BlockImpl::BlockImpl(const GptConfig& c) {
    const auto ln_options = torch::nn::LayerNormOptions({c.n_embd}).eps(1e-5);
    ln1 = register_module("ln1", torch::nn::LayerNorm(ln_options));
    ln2 = register_module("ln2", torch::nn::LayerNorm(ln_options));
    attn = register_module("attn", CausalSelfAttention(c));
    mlp = register_module("mlp", torch::nn::Sequential(torch::nn::Linear(c.n_embd, 4 * c.n_embd),
                                                       torch::nn::GELU(),  // exact (erf) GELU, as released
                                                       torch::nn::Linear(4 * c.n_embd, c.n_embd)));
}

torch::Tensor BlockImpl::feed_forward(const torch::Tensor& x) {
    auto h = project(mlp->at<torch::nn::LinearImpl>(0), mlp0_lora.get(), mlp0_int8.get(), x);  // (B, T, 4C)
    h = mlp->at<torch::nn::GELUImpl>(1).forward(h);
    return project(mlp->at<torch::nn::LinearImpl>(2), mlp2_lora.get(), mlp2_int8.get(), h);  // (B, T, C)
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x) {
    auto h = x + attn(ln1(x));
    return h + feed_forward(ln2(h));
}

torch::Tensor BlockImpl::forward_cached(const torch::Tensor& x,
                                        torch::Tensor& k_cache,
                                        torch::Tensor& v_cache,
                                        int64_t start) {
    auto h = x + attn->forward_cached(ln1(x), k_cache, v_cache, start);
    return h + feed_forward(ln2(h));
}

}  // namespace shenbi
