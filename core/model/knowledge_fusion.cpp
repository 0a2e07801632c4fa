#include "core/model/knowledge_fusion.h"

#include <cmath>

#include <torch/torch.h>

namespace shenbi {

torch::Tensor easynlp_fusion(const torch::Tensor& x, const torch::Tensor& k) {
    auto s = (x.unsqueeze(1) * k).sum({2, 3});  // (B, N)
    s = s.masked_fill(s == 0, -1e30);
    auto alpha = torch::softmax(s, 1);                          // (B, N)
    return x + (alpha.unsqueeze(-1).unsqueeze(-1) * k).sum(1);  // (B, T, C)
}

torch::Tensor lattice_fusion(const torch::Tensor& x, const torch::Tensor& k, const torch::Tensor& mask) {
    const double scale = 1.0 / std::sqrt(static_cast<double>(x.size(-1)));
    auto s = (x.unsqueeze(1) * k).sum(-1) * scale;  // (B, N, T)
    // Uncovered slots get a large negative score rather than -inf so that a
    // token without any entity yields a finite softmax; masking the weights
    // afterwards zeroes its injection exactly.
    s = s.masked_fill(mask.logical_not(), -1e30);
    auto alpha = torch::softmax(s, 1) * mask.to(s.dtype());  // (B, N, T)
    return x + (alpha.unsqueeze(-1) * k).sum(1);             // (B, T, C)
}

KnowledgeInput entity_knowledge(const torch::Tensor& vectors, const torch::Tensor& words, const torch::Tensor& mask) {
    auto emb = vectors.index_select(0, words.reshape({-1}).to(vectors.device()));  // (B*N*T, D)
    return {emb.view({words.size(0), words.size(1), words.size(2), -1}), mask};    // (B, N, T, D)
}

}  // namespace shenbi
