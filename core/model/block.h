// Pre-LN transformer block as released: x += attn(ln1(x)); x += mlp(ln2(x)).
// MLP = Sequential(Linear(C, 4C), GELU (erf), Linear(4C, C)) -> keys mlp.0, mlp.2.
#pragma once

#include <memory>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/normalization.h>

#include "core/model/attention.h"
#include "core/model/config.h"

namespace shenbi {

class LoraAdapterImpl;  // core/model/lora.h
struct Int8Weight;      // core/model/decode_kernels.h

class BlockImpl : public torch::nn::Module {
public:
    explicit BlockImpl(const GptConfig& config);

    torch::Tensor forward(const torch::Tensor& x);  // (B, T, C) -> (B, T, C)
    torch::Tensor forward_cached(const torch::Tensor& x, torch::Tensor& k_cache, torch::Tensor& v_cache, int64_t start);

    torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
    CausalSelfAttention attn{nullptr};
    torch::nn::Sequential mlp{nullptr};
    // Optional LoRA adapters of mlp.0 and mlp.2 (core/model/lora.h), not
    // registered: the checkpoint keys stay those above. Null: as released.
    std::shared_ptr<LoraAdapterImpl> mlp0_lora, mlp2_lora;
    // Optional int8 weights of mlp.0 and mlp.2 (core/model/precision.h).
    std::shared_ptr<const Int8Weight> mlp0_int8, mlp2_int8;

private:
    torch::Tensor feed_forward(const torch::Tensor& x);  // mlp(x), through project()
};
TORCH_MODULE(Block);

}  // namespace shenbi
