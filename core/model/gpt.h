// ARTIST's knowledge GPT (minGPT style, pre-LN), module names equal to the
// released checkpoint keys under `transformer.`:
//   tok_emb, pos_emb, blocks.{i}.{ln1,ln2,attn.{key,query,value,proj,mask},mlp.{0,2}},
//   ln_f, head, ent_emb.
// B = batch, T = sequence length, C = n_embd, N = entity slots, D = ent_dim.
#pragma once

#include <memory>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "core/model/block.h"
#include "core/model/config.h"
#include "core/model/kv_cache.h"

namespace shenbi {

struct Int8Weight;  // core/model/decode_kernels.h

// Entity knowledge for a batch, already looked up in the entity table.
struct KnowledgeInput {
    torch::Tensor emb;   // (B, N, T_text, D) float: entity vector at every token its span covers
    torch::Tensor mask;  // (B, N, T_text) bool: true where slot n covers token t (lattice fusion)
    bool defined() const { return emb.defined(); }
};

class GptImpl : public torch::nn::Module {
public:
    explicit GptImpl(const GptConfig& config);

    // Full forward over idx (B, T), T <= block_size. Returns logits over the
    // image vocabulary for every position: (B, T, img_vocab). `knowledge`
    // may be undefined (knowledge off).
    torch::Tensor forward(const torch::Tensor& idx, const KnowledgeInput& knowledge = {});

    // Incremental forward: idx (B, t) continues the sequence held in `cache`
    // (positions cache.length() .. +t). Returns logits (B, t, img_vocab) and
    // appends the new keys/values to the cache. Same results as forward().
    torch::Tensor forward_cached(const torch::Tensor& idx, KvCache& cache, const KnowledgeInput& knowledge = {});

    KvCache make_cache(int64_t batch) const;
    const GptConfig& config() const { return config_; }

    torch::nn::Embedding tok_emb{nullptr};
    torch::Tensor pos_emb;  // (1, block_size, C)
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::LayerNorm ln_f{nullptr};
    torch::nn::Linear head{nullptr};     // C -> img_vocab, no bias
    torch::nn::Linear ent_emb{nullptr};  // D -> C, with bias; absent when fusion == None
    // The head's int8 weight under --precision int8 (core/model/precision.h), unregistered.
    std::shared_ptr<const Int8Weight> head_int8;

private:
    torch::Tensor embed(const torch::Tensor& idx, int64_t start, const KnowledgeInput& knowledge);
    torch::Tensor finish(torch::Tensor h, int64_t start, const KnowledgeInput& knowledge);

    GptConfig config_;
};
TORCH_MODULE(Gpt);

}  // namespace shenbi
