#include "core/model/vector_quantizer.h"

#include <torch/torch.h>

namespace shenbi {

VectorQuantizerImpl::VectorQuantizerImpl(int n_embed, int embed_dim, double beta_) : beta(beta_) {
    embedding = register_module("embedding", torch::nn::Embedding(n_embed, embed_dim));
    torch::NoGradGuard no_grad;
    embedding->weight.uniform_(-1.0 / n_embed, 1.0 / n_embed);
}

torch::Tensor VectorQuantizerImpl::nearest_codes(const torch::Tensor& z) {
    const int64_t B = z.size(0), D = z.size(1);
    auto flat = z.permute({0, 2, 3, 1}).reshape({-1, D});  // (B*h*w, D)
    const auto& e = embedding->weight;                     // (n_embed, D)
    // ||z||^2 + ||e||^2 - 2 z.e ; ||z||^2 is constant per row, so it is left out of the argmin.
    auto dist = e.pow(2).sum(1).unsqueeze(0) - 2.0 * torch::matmul(flat, e.t());  // (B*h*w, n_embed)
    return dist.argmin(1).view({B, -1});                                          // (B, h*w)
}

torch::Tensor VectorQuantizerImpl::lookup(const torch::Tensor& codes, int64_t rows, int64_t cols) {
    const int64_t B = codes.size(0);
    return embedding(codes).view({B, rows, cols, -1}).permute({0, 3, 1, 2}).contiguous();  // (B, D, rows, cols)
}

QuantizerOutput VectorQuantizerImpl::forward(const torch::Tensor& z) {
    auto codes = nearest_codes(z.detach());
    auto zq = lookup(codes, z.size(2), z.size(3));
    auto loss = beta * (zq.detach() - z).pow(2).mean() + (zq - z.detach()).pow(2).mean();
    auto straight_through = z + (zq - z).detach();
    return {straight_through, loss, codes};
}

}  // namespace shenbi
