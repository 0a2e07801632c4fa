#include "core/model/gpt.h"

#include <torch/torch.h>

#include "core/model/knowledge_fusion.h"
#include "core/model/projection.h"

namespace shenbi {

using torch::indexing::Slice;

GptImpl::GptImpl(const GptConfig& c) : config_(c) {
    tok_emb = register_module("tok_emb", torch::nn::Embedding(c.vocab_size(), c.n_embd));
    pos_emb = register_parameter("pos_emb", torch::zeros({1, c.block_size(), c.n_embd}));
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int i = 0; i < c.n_layer; ++i) blocks->push_back(Block(c));
    ln_f = register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.n_embd}).eps(1e-5)));
    head = register_module("head", torch::nn::Linear(torch::nn::LinearOptions(c.n_embd, c.img_vocab).bias(false)));
    if (c.fusion != FusionMode::None) {
        ent_emb = register_module("ent_emb", torch::nn::Linear(c.ent_dim, c.n_embd));
    }
    // minGPT initialisation, by module type: N(0, 0.02) weights, zero biases,
    // unit LayerNorms, zero position embeddings.
    torch::NoGradGuard no_grad;
    for (const auto& m : modules(/*include_self=*/false)) {
        if (auto* linear = m->as<torch::nn::Linear>()) {
            linear->weight.normal_(0.0, 0.02);
            if (linear->bias.defined()) linear->bias.zero_();
        } else if (auto* embedding = m->as<torch::nn::Embedding>()) {
            embedding->weight.normal_(0.0, 0.02);
        } else if (auto* norm = m->as<torch::nn::LayerNorm>()) {
            norm->weight.fill_(1.0);
            norm->bias.zero_();
        }
    }
    pos_emb.zero_();
}

KvCache GptImpl::make_cache(int64_t batch) const {
    KvCache cache;
    const auto options = pos_emb.options().requires_grad(false);
    for (int i = 0; i < config_.n_layer; ++i) {
        cache.keys.push_back(torch::zeros({batch, config_.n_head, config_.block_size(), config_.head_size()}, options));
        cache.values.push_back(torch::zeros_like(cache.keys.back()));
    }
    return cache;
}

torch::Tensor GptImpl::embed(const torch::Tensor& idx, int64_t start, const KnowledgeInput& knowledge) {
    const int64_t t = idx.size(1);
    TORCH_CHECK(start + t <= config_.block_size(), "sequence of ", start + t, " tokens exceeds block size ",
                config_.block_size());
    auto x = tok_emb(idx) + pos_emb.index({Slice(), Slice(start, start + t)});  // (B, t, C)
    if (config_.fusion == FusionMode::Lattice && knowledge.defined()) {
        TORCH_CHECK(start == 0 && t >= config_.text_len, "knowledge needs the whole text in one call");
        auto text = x.index({Slice(), Slice(0, config_.text_len)});  // (B, T_text, C)
        auto k = ent_emb(knowledge.emb.to(x.dtype()));               // (B, N, T_text, C)
        x = torch::cat({lattice_fusion(text, k, knowledge.mask), x.index({Slice(), Slice(config_.text_len)})}, 1);
    }
    return x;
}

torch::Tensor GptImpl::finish(torch::Tensor h, int64_t start, const KnowledgeInput& knowledge) {
    if (config_.fusion == FusionMode::EasyNLP && knowledge.defined()) {
        TORCH_CHECK(start == 0 && h.size(1) >= config_.text_len, "knowledge needs the whole text in one call");
        auto text = h.index({Slice(), Slice(0, config_.text_len)});  // (B, T_text, C)
        auto k = ent_emb(knowledge.emb.to(h.dtype()));               // (B, N, T_text, C)
        h = torch::cat({easynlp_fusion(text, k), h.index({Slice(), Slice(config_.text_len)})}, 1);
    }
    return project(*head, nullptr, head_int8.get(), ln_f(h));  // (B, t, img_vocab)
}

torch::Tensor GptImpl::forward(const torch::Tensor& idx, const KnowledgeInput& knowledge) {
    auto h = embed(idx, 0, knowledge);
    for (const auto& block : *blocks) h = block->as<Block>()->forward(h);
    return finish(h, 0, knowledge);
}

torch::Tensor GptImpl::forward_cached(const torch::Tensor& idx, KvCache& cache, const KnowledgeInput& knowledge) {
    const int64_t start = cache.length;
    TORCH_CHECK(start + idx.size(1) <= cache.capacity(), "KV cache full");
    auto h = embed(idx, start, knowledge);
    for (int i = 0; i < config_.n_layer; ++i) {
        h = blocks[i]->as<Block>()->forward_cached(h, cache.keys[i], cache.values[i], start);
    }
    cache.length = start + idx.size(1);
    return finish(h, start, knowledge);
}

}  // namespace shenbi
