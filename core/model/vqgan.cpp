#include "core/model/vqgan.h"

#include <torch/torch.h>

namespace shenbi {

VqganImpl::VqganImpl(const VqganConfig& c) : config_(c) {
    encoder = register_module("encoder", VqganEncoder(c));
    decoder = register_module("decoder", VqganDecoder(c));
    quantize = register_module("quantize", VectorQuantizer(c.n_embed, c.embed_dim));
    quant_conv = register_module("quant_conv", make_conv(c.z_channels, c.embed_dim, 1));
    post_quant_conv = register_module("post_quant_conv", make_conv(c.embed_dim, c.z_channels, 1));
}

torch::Tensor VqganImpl::encode(const torch::Tensor& image) {
    return quantize->nearest_codes(quant_conv(encoder(image)));  // (B, h*w)
}

torch::Tensor VqganImpl::decode_grid(const torch::Tensor& codes) {
    const int64_t rows = codes.size(1), cols = codes.size(2);
    auto zq = quantize->lookup(codes.reshape({codes.size(0), rows * cols}), rows, cols);  // (B, D, rows, cols)
    // On the CPU, channels-last fp32 activations let oneDNN skip a layout
    // reorder around every convolution: the decode of 4 images at 256 px ran
    // 10-15% faster (bench/README.md). Not in bf16: LibTorch 1.13 drew wrong
    // colours there (test Precision.VqganDecodesInFp32AndBf16StaysOutOfChannelsLast).
    // The images come back in the usual layout.
    zq = zq.to(post_quant_conv->weight.scalar_type());  // the decoder's dtype: fp32 unless converted by hand
    if (zq.device().is_cpu() && zq.scalar_type() == torch::kFloat32) {
        zq = zq.contiguous(at::MemoryFormat::ChannelsLast);
    }
    return decoder(post_quant_conv(zq)).contiguous();
}

torch::Tensor VqganImpl::decode(const torch::Tensor& codes) {
    const int64_t g = config_.grid_size();
    return decode_grid(codes.view({codes.size(0), g, g}));  // (B, 3, R, R)
}

VqganOutput VqganImpl::forward(const torch::Tensor& image) {
    auto z = quant_conv(encoder(image));  // (B, D, h, w)
    auto q = quantize(z);
    return {decoder(post_quant_conv(q.quantized)), q.loss, q.codes, z};
}

}  // namespace shenbi
