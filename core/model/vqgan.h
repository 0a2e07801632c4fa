// VQGAN (taming-transformers VQModel): encoder, vector quantizer, decoder.
// Registered names follow the checkpoint keys under `first_stage_model.`:
//   encoder.*, decoder.*, quantize.embedding, quant_conv, post_quant_conv.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

#include "core/model/config.h"
#include "core/model/vector_quantizer.h"
#include "core/model/vqgan_decoder.h"
#include "core/model/vqgan_encoder.h"

namespace shenbi {

struct VqganOutput {
    torch::Tensor reconstruction;  // (B, 3, H, W) in [-1, 1] (not clamped)
    torch::Tensor codebook_loss;   // scalar: ||sg[z] - e||^2 + beta ||z - sg[e]||^2
    torch::Tensor codes;           // (B, h*w) int64, raster order
    torch::Tensor latents;         // (B, D, h, w): quant_conv's output before quantization (EMA codebook updates)
};

class VqganImpl : public torch::nn::Module {
public:
    explicit VqganImpl(const VqganConfig& config);

    // image (B, 3, H, W) in [-1, 1] -> codes (B, h*w) int64, raster order (row * w + col)
    torch::Tensor encode(const torch::Tensor& image);
    // codes (B, h*w) -> image (B, 3, H, W), roughly in [-1, 1], in the decoder's
    // dtype (fp32, or bf16: vqgan_decode_dtype() in core/model/precision.h)
    torch::Tensor decode(const torch::Tensor& codes);
    // codes (B, rows, cols) for any grid size (partial previews) -> (B, 3, rows*f, cols*f)
    torch::Tensor decode_grid(const torch::Tensor& codes);
    // Training forward with straight-through gradients.
    VqganOutput forward(const torch::Tensor& image);

    const VqganConfig& config() const { return config_; }

    VqganEncoder encoder{nullptr};
    VqganDecoder decoder{nullptr};
    VectorQuantizer quantize{nullptr};
    torch::nn::Conv2d quant_conv{nullptr};       // 1x1 z_channels -> embed_dim
    torch::nn::Conv2d post_quant_conv{nullptr};  // 1x1 embed_dim -> z_channels

private:
    VqganConfig config_;
};
TORCH_MODULE(Vqgan);

}  // namespace shenbi
