// Causal self-attention as released (minGPT): separate key/query/value/proj
// linears with bias, scale 1/sqrt(hs), a float lower-triangular `mask`
// buffer (1, 1, block_size, block_size) kept for checkpoint compatibility.
#pragma once

#include <memory>

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include "core/model/config.h"

namespace shenbi {

class LoraAdapterImpl;  // core/model/lora.h
struct Int8Weight;      // core/model/decode_kernels.h

class CausalSelfAttentionImpl : public torch::nn::Module {
public:
    explicit CausalSelfAttentionImpl(const GptConfig& config);

    // x (B, T, C) at positions 0..T-1 -> (B, T, C)
    torch::Tensor forward(const torch::Tensor& x);
    // x (B, t, C) at positions start..start+t-1; reads keys/values of earlier
    // positions from (k_cache, v_cache) (B, nh, T_max, hs) and writes its own.
    torch::Tensor forward_cached(const torch::Tensor& x, torch::Tensor& k_cache, torch::Tensor& v_cache, int64_t start);

    torch::nn::Linear key{nullptr}, query{nullptr}, value{nullptr}, proj{nullptr};
    torch::Tensor mask;
    // Optional LoRA adapters of the four projections (core/model/lora.h),
    // deliberately not registered so the checkpoint keys stay those above.
    // Null (the default): the plain Linear.
    std::shared_ptr<LoraAdapterImpl> key_lora, query_lora, value_lora, proj_lora;
    // Optional int8 weights of the four (set_gpt_precision, core/model/precision.h).
    std::shared_ptr<const Int8Weight> key_int8, query_int8, value_int8, proj_int8;

private:
    torch::Tensor split_heads(const torch::Tensor& x) const;
    torch::Tensor merge_heads(const torch::Tensor& y) const;
    int n_head_;
};
TORCH_MODULE(CausalSelfAttention);

}  // namespace shenbi
