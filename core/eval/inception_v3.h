// InceptionV3 up to `mixed5`: the ImageNet-trained, frozen part of the Keras
// InceptionV3 inside nsfwjs (its later blocks were fine-tuned for another
// task). Image features for FID/KID in `shenbi-cli eval`; not the TF-FID
// Inception graph, so its FID is not comparable with published figures.
//
// Modules are named as the Keras layers (conv2d_N, batch_normalization_N);
// each conv is conv (no bias) -> BN (no gamma, eps 1e-3) -> ReLU.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>
#include <torch/nn/module.h>
#include <torch/types.h>

#include "core/util/result.h"

namespace shenbi {

// conv2d_N + batch_normalization_N + ReLU. Kernel size comes from the weights.
struct KerasConvBNImpl : torch::nn::Module {
    KerasConvBNImpl(std::int64_t in,
                    std::int64_t out,
                    std::int64_t kh,
                    std::int64_t kw,
                    std::int64_t stride,
                    bool same);
    torch::Tensor forward(const torch::Tensor& x);

    torch::Tensor weight;                              // (out, in, kh, kw)
    torch::Tensor beta, moving_mean, moving_variance;  // (out)
    std::int64_t stride;
    std::int64_t pad_h, pad_w;  // "same" with stride 1: (k - 1) / 2 per side; "valid": 0
};
TORCH_MODULE(KerasConvBN);

struct InceptionOutputs {
    torch::Tensor mixed2;  // (B, 288, 35, 35)
    torch::Tensor mixed5;  // (B, 768, 17, 17)
};

class InceptionV3Mixed5Impl : public torch::nn::Module {
public:
    InceptionV3Mixed5Impl();
    // x: (B, 3, 299, 299) RGB in [-1, 1] (Keras "tf" preprocessing, the
    // normalisation the frozen layers were trained with).
    InceptionOutputs forward(const torch::Tensor& x);

    // conv2d_1 .. conv2d_50, in Keras numbering (index 0 unused).
    std::vector<KerasConvBN> convs;

private:
    torch::Tensor conv(int n, const torch::Tensor& x) { return convs[n]->forward(x); }
    torch::Tensor block_35(int b, const torch::Tensor& x);  // mixed0..2, first conv b
    torch::Tensor block_17(int b, const torch::Tensor& x);  // mixed4..5, first conv b
    torch::Tensor reduce_35_to_17(const torch::Tensor& x);  // mixed3
};
TORCH_MODULE(InceptionV3Mixed5);

// Builds the network and loads the weights from nsfwjs's dist/models/inception_v3
// folder; every conv and BN tensor must be present with its expected shape.
Result<InceptionV3Mixed5> load_inception_nsfwjs(const std::filesystem::path& model_dir);

// The folder above: $SHENBI_NSFWJS_DIR, else the cache that
// data/inception/fetch.sh fills ($SHENBI_CACHE or ~/.cache/shenbi).
std::filesystem::path default_nsfwjs_model_dir();

// Images (8-bit RGB as core/image/image_io decodes them, or RGBA composited
// over white, or grey; any size) to the network's input: resized to 299x299
// (bilinear), scaled to [-1, 1].
// Returns (B, 3, 299, 299) float32.
torch::Tensor inception_input(const std::vector<cv::Mat>& images);

// Global-average-pooled mixed5 features, (B, 768), computed in batches of
// `batch` (>= 1); a LibTorch/OpenCV failure (e.g. out of memory) is an error.
Result<torch::Tensor> inception_features(InceptionV3Mixed5& net, const std::vector<cv::Mat>& images, int batch = 16);

}  // namespace shenbi
