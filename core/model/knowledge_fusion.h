// The two ways entity embeddings enter the GPT, as free functions so that
// they can be checked against hand-computed numbers, and the lookup that
// turns entity ids into the GPT's knowledge input.
// B = batch, N = entity slots, T = text tokens, C = n_embd, D = entity dim.
#pragma once

#include <torch/types.h>

#include "core/model/gpt.h"

namespace shenbi {

// As released in EasyNLP: x (B, T, C) is the transformer OUTPUT at the text
// positions, k (B, N, T, C) the projected entity embeddings. Each slot gets
// one score s_n = sum_{t,c} x*k_n (no scaling); a score of exactly 0 is
// replaced by -1e30; alpha = softmax over n; returns x + sum_n alpha_n k_n.
torch::Tensor easynlp_fusion(const torch::Tensor& x, const torch::Tensor& k);

// The paper's per-token fusion: x (B, T, C) token embeddings, k (B, N, T, C),
// mask (B, N, T) true where slot n covers token t. For each token, the
// covering entities are weighted by softmax_n(x_t . k_nt / sqrt(C)) and their
// weighted sum is added to x_t; tokens no entity covers are unchanged.
torch::Tensor lattice_fusion(const torch::Tensor& x, const torch::Tensor& k, const torch::Tensor& mask);

// The released words_mat lookup, for training and generation alike: vectors
// (E, D), words (B, N, T) entity ids (0 where no entity), mask (B, N, T).
// Returns emb (B, N, T, D) on vectors' device and the mask as given.
KnowledgeInput entity_knowledge(const torch::Tensor& vectors, const torch::Tensor& words, const torch::Tensor& mask);

}  // namespace shenbi
