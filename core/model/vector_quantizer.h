// Nearest-code vector quantizer (taming VectorQuantizer2, legacy loss):
// key `quantize.embedding.weight` (n_embed, embed_dim).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>

namespace shenbi {

struct QuantizerOutput {
    torch::Tensor quantized;  // (B, D, h, w), straight-through gradient to z
    torch::Tensor loss;       // scalar: ||sg[z_q] - z||^2 * beta + ||z_q - sg[z]||^2
    torch::Tensor codes;      // (B, h*w) int64
};

class VectorQuantizerImpl : public torch::nn::Module {
public:
    VectorQuantizerImpl(int n_embed, int embed_dim, double beta = 0.25);

    QuantizerOutput forward(const torch::Tensor& z);      // z (B, D, h, w)
    torch::Tensor nearest_codes(const torch::Tensor& z);  // (B, D, h, w) -> (B, h*w)
    torch::Tensor lookup(const torch::Tensor& codes,
                         int64_t rows,
                         int64_t cols);  // (B, rows*cols) -> (B, D, rows, cols)

    torch::nn::Embedding embedding{nullptr};
    double beta;
};
TORCH_MODULE(VectorQuantizer);

}  // namespace shenbi
