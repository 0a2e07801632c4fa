#include "core/model/attention.h"

#include <cmath>

#include <torch/torch.h>

#include "core/model/decode_kernels.h"
#include "core/model/projection.h"

namespace shenbi {

CausalSelfAttentionImpl::CausalSelfAttentionImpl(const GptConfig& c) : n_head_(c.n_head) {
    key = register_module("key", torch::nn::Linear(c.n_embd, c.n_embd));
    query = register_module("query", torch::nn::Linear(c.n_embd, c.n_embd));
    value = register_module("value", torch::nn::Linear(c.n_embd, c.n_embd));
    proj = register_module("proj", torch::nn::Linear(c.n_embd, c.n_embd));
    const int64_t T = c.block_size();
    mask = register_buffer("mask", torch::tril(torch::ones({T, T})).view({1, 1, T, T}));
}

torch::Tensor CausalSelfAttentionImpl::split_heads(const torch::Tensor& x) const {
    const int64_t B = x.size(0), T = x.size(1), C = x.size(2);
    return x.view({B, T, n_head_, C / n_head_}).transpose(1, 2);  // (B, nh, T, hs)
}

torch::Tensor CausalSelfAttentionImpl::merge_heads(const torch::Tensor& y) const {
    const int64_t B = y.size(0), T = y.size(2);
    return y.transpose(1, 2).contiguous().view({B, T, -1});  // (B, T, C)
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x) {
    const int64_t T = x.size(1);
    auto k = split_heads(project(*key, key_lora.get(), key_int8.get(), x));        // (B, nh, T, hs)
    auto q = split_heads(project(*query, query_lora.get(), query_int8.get(), x));  // (B, nh, T, hs)
    auto v = split_heads(project(*value, value_lora.get(), value_int8.get(), x));  // (B, nh, T, hs)
    auto att = torch::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(static_cast<double>(k.size(-1))));
    att = att.masked_fill(mask.index({torch::indexing::Slice(), torch::indexing::Slice(), torch::indexing::Slice(0, T),
                                      torch::indexing::Slice(0, T)}) == 0,
                          -std::numeric_limits<float>::infinity());
    att = torch::softmax(att, -1);  // (B, nh, T, T)
    return project(*proj, proj_lora.get(), proj_int8.get(), merge_heads(torch::matmul(att, v)));
}

torch::Tensor CausalSelfAttentionImpl::forward_cached(const torch::Tensor& x,
                                                      torch::Tensor& k_cache,
                                                      torch::Tensor& v_cache,
                                                      int64_t start) {
    using torch::indexing::Slice;
    const int64_t t = x.size(1), end = start + t;
    auto k_new = split_heads(project(*key, key_lora.get(), key_int8.get(), x));        // (B, nh, t, hs)
    auto v_new = split_heads(project(*value, value_lora.get(), value_int8.get(), x));  // (B, nh, t, hs)
    k_cache.index_put_({Slice(), Slice(), Slice(start, end)}, k_new);
    v_cache.index_put_({Slice(), Slice(), Slice(start, end)}, v_new);
    auto q = split_heads(project(*query, query_lora.get(), query_int8.get(), x));  // (B, nh, t, hs)
    auto k = k_cache.index({Slice(), Slice(), Slice(0, end)});                     // (B, nh, end, hs)
    auto v = v_cache.index({Slice(), Slice(), Slice(0, end)});                     // (B, nh, end, hs)
    if (t == 1 && decode_attention_applies(q, k_cache)) {                          // a decoding step on the CPU
        return project(*proj, proj_lora.get(), proj_int8.get(),
                       merge_heads(decode_attention(q, k_cache, v_cache, end)));
    }
    auto att = torch::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(static_cast<double>(k.size(-1))));
    if (t > 1) {  // a single new token sees every earlier position; a block needs the causal mask
        att = att.masked_fill(mask.index({Slice(), Slice(), Slice(start, end), Slice(0, end)}) == 0,
                              -std::numeric_limits<float>::infinity());
    }
    att = torch::softmax(att, -1);  // (B, nh, t, end)
    return project(*proj, proj_lora.get(), proj_int8.get(), merge_heads(torch::matmul(att, v)));
}

}  // namespace shenbi
