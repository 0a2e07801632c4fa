#include "core/eval/inception_v3.h"

#include <cstdlib>

#include <opencv2/imgproc.hpp>
#include <torch/nn/functional.h>

#include "core/eval/nsfwjs_weights.h"
#include "core/image/image_io.h"
#include "core/util/guard.h"

namespace shenbi {

namespace fs = std::filesystem;

KerasConvBNImpl::KerasConvBNImpl(std::int64_t in,
                                 std::int64_t out,
                                 std::int64_t kh,
                                 std::int64_t kw,
                                 std::int64_t stride_,
                                 bool same)
    : stride(stride_), pad_h(same ? (kh - 1) / 2 : 0), pad_w(same ? (kw - 1) / 2 : 0) {
    weight = register_buffer("weight", torch::zeros({out, in, kh, kw}));
    beta = register_buffer("beta", torch::zeros({out}));
    moving_mean = register_buffer("moving_mean", torch::zeros({out}));
    moving_variance = register_buffer("moving_variance", torch::ones({out}));
}

torch::Tensor KerasConvBNImpl::forward(const torch::Tensor& x) {
    auto y = torch::conv2d(x, weight, {}, {stride, stride}, {pad_h, pad_w});
    // Inference BN without gamma: (y - mean) / sqrt(var + 1e-3) + beta, per channel.
    const auto inv = torch::rsqrt(moving_variance + 1e-3).view({1, -1, 1, 1});  // (1, C, 1, 1)
    y = (y - moving_mean.view({1, -1, 1, 1})) * inv + beta.view({1, -1, 1, 1});
    return torch::relu(y);
}

namespace {

// One row per conv2d_N: in, out, kh, kw, stride, same (data/inception/topology_mixed5.txt).
struct ConvSpec {
    std::int64_t in, out, kh, kw, stride;
    bool same;
};

std::vector<ConvSpec> conv_specs() {
    std::vector<ConvSpec> s(51);
    s[1] = {3, 32, 3, 3, 2, false};
    s[2] = {32, 32, 3, 3, 1, false};
    s[3] = {32, 64, 3, 3, 1, true};
    s[4] = {64, 80, 1, 1, 1, false};
    s[5] = {80, 192, 3, 3, 1, false};
    // mixed0..2: b 1x1 64 | b+1 1x1 48 -> b+2 5x5 64 | b+3 1x1 64 -> b+4 3x3 96 -> b+5 3x3 96 | pool -> b+6 1x1
    const std::int64_t in35[] = {192, 256, 288}, pool35[] = {32, 64, 64};
    for (int i = 0; i < 3; ++i) {
        const int b = 6 + 7 * i;
        const auto in = in35[i];
        s[b] = {in, 64, 1, 1, 1, true};
        s[b + 1] = {in, 48, 1, 1, 1, true};
        s[b + 2] = {48, 64, 5, 5, 1, true};
        s[b + 3] = {in, 64, 1, 1, 1, true};
        s[b + 4] = {64, 96, 3, 3, 1, true};
        s[b + 5] = {96, 96, 3, 3, 1, true};
        s[b + 6] = {in, pool35[i], 1, 1, 1, true};
    }
    // mixed3: 27 3x3/2 384 | 28 1x1 64 -> 29 3x3 96 -> 30 3x3/2 96 | maxpool
    s[27] = {288, 384, 3, 3, 2, false};
    s[28] = {288, 64, 1, 1, 1, true};
    s[29] = {64, 96, 3, 3, 1, true};
    s[30] = {96, 96, 3, 3, 2, false};
    // mixed4 (c 128), mixed5 (c 160): b 1x1 192 | b+1 1x1 c -> b+2 1x7 c -> b+3 7x1 192 |
    // b+4 1x1 c -> b+5 7x1 c -> b+6 1x7 c -> b+7 7x1 c -> b+8 1x7 192 | pool -> b+9 1x1 192
    const std::int64_t c17[] = {128, 160};
    for (int i = 0; i < 2; ++i) {
        const int b = 31 + 10 * i;
        const auto c = c17[i];
        s[b] = {768, 192, 1, 1, 1, true};
        s[b + 1] = {768, c, 1, 1, 1, true};
        s[b + 2] = {c, c, 1, 7, 1, true};
        s[b + 3] = {c, 192, 7, 1, 1, true};
        s[b + 4] = {768, c, 1, 1, 1, true};
        s[b + 5] = {c, c, 7, 1, 1, true};
        s[b + 6] = {c, c, 1, 7, 1, true};
        s[b + 7] = {c, c, 7, 1, 1, true};
        s[b + 8] = {c, 192, 1, 7, 1, true};
        s[b + 9] = {768, 192, 1, 1, 1, true};
    }
    return s;
}

// Keras "same" average pooling divides by the in-bounds pixels only.
torch::Tensor avg_pool_same(const torch::Tensor& x) {
    return torch::avg_pool2d(x, {3, 3}, {1, 1}, {1, 1}, /*ceil_mode=*/false, /*count_include_pad=*/false);
}

torch::Tensor max_pool_valid(const torch::Tensor& x) {
    return torch::max_pool2d(x, {3, 3}, {2, 2});
}

}  // namespace

InceptionV3Mixed5Impl::InceptionV3Mixed5Impl() {
    const auto specs = conv_specs();
    convs.assign(specs.size(), KerasConvBN(nullptr));
    for (std::size_t n = 1; n < specs.size(); ++n) {
        const auto& s = specs[n];
        convs[n] =
            register_module("conv2d_" + std::to_string(n), KerasConvBN(s.in, s.out, s.kh, s.kw, s.stride, s.same));
    }
}

torch::Tensor InceptionV3Mixed5Impl::block_35(int b, const torch::Tensor& x) {
    auto b1 = conv(b, x);
    auto b5 = conv(b + 2, conv(b + 1, x));
    auto b3 = conv(b + 5, conv(b + 4, conv(b + 3, x)));
    auto bp = conv(b + 6, avg_pool_same(x));
    return torch::cat({b1, b5, b3, bp}, 1);
}

torch::Tensor InceptionV3Mixed5Impl::reduce_35_to_17(const torch::Tensor& x) {
    auto b3 = conv(27, x);
    auto bd = conv(30, conv(29, conv(28, x)));
    return torch::cat({b3, bd, max_pool_valid(x)}, 1);
}

torch::Tensor InceptionV3Mixed5Impl::block_17(int b, const torch::Tensor& x) {
    auto b1 = conv(b, x);
    auto b7 = conv(b + 3, conv(b + 2, conv(b + 1, x)));
    auto bd = conv(b + 8, conv(b + 7, conv(b + 6, conv(b + 5, conv(b + 4, x)))));
    auto bp = conv(b + 9, avg_pool_same(x));
    return torch::cat({b1, b7, bd, bp}, 1);
}

InceptionOutputs InceptionV3Mixed5Impl::forward(const torch::Tensor& x) {
    auto h = conv(3, conv(2, conv(1, x)));  // (B, 64, 147, 147)
    h = max_pool_valid(h);                  // (B, 64, 73, 73)
    h = conv(5, conv(4, h));                // (B, 192, 71, 71)
    h = max_pool_valid(h);                  // (B, 192, 35, 35)
    h = block_35(6, h);                     // mixed0 (B, 256, 35, 35)
    h = block_35(13, h);                    // mixed1 (B, 288, 35, 35)
    InceptionOutputs out;
    out.mixed2 = block_35(20, h);     // (B, 288, 35, 35)
    h = reduce_35_to_17(out.mixed2);  // mixed3 (B, 768, 17, 17)
    h = block_17(31, h);              // mixed4
    out.mixed5 = block_17(41, h);     // (B, 768, 17, 17)
    return out;
}

Result<InceptionV3Mixed5> load_inception_nsfwjs(const fs::path& model_dir) {
    return guarded(model_dir.string(), [&]() -> Result<InceptionV3Mixed5> {
        auto weights = read_nsfwjs_weights(model_dir, [](const std::string& name) {
            // conv2d_1..50 and batch_normalization_1..50: the layers up to mixed5.
            const auto slash = name.find('/');
            const auto under = name.rfind('_', slash);
            if (slash == std::string::npos || under == std::string::npos) return false;
            const std::string layer = name.substr(0, under);
            const int n = std::atoi(name.substr(under + 1, slash - under - 1).c_str());
            return (layer == "conv2d" || layer == "batch_normalization") && n >= 1 && n <= 50;
        });
        if (!weights) return weights.error();
        InceptionV3Mixed5 net;
        torch::NoGradGuard no_grad;
        for (std::size_t n = 1; n < net->convs.size(); ++n) {
            auto& c = net->convs[n];
            const std::string k = "conv2d_" + std::to_string(n) + "/kernel";
            const std::string bn = "batch_normalization_" + std::to_string(n) + "/";
            const auto take = [&](const std::string& key, torch::Tensor& dst, torch::Tensor src) -> Status {
                if (!src.defined())
                    return make_error(ErrorCode::ShapeMismatch, model_dir.string() + ": missing tensor " + key);
                if (src.sizes() != dst.sizes())
                    return make_error(ErrorCode::ShapeMismatch, model_dir.string() + ": tensor " + key + " has shape " +
                                                                    c10::str(src.sizes()) + ", expected " +
                                                                    c10::str(dst.sizes()));
                dst.copy_(src);
                return Status::success();
            };
            const auto get = [&](const std::string& key) {
                const auto it = weights->find(key);
                return it == weights->end() ? torch::Tensor() : it->second;
            };
            auto kernel = get(k);
            // Keras [kh, kw, in, out] -> (out, in, kh, kw)
            if (kernel.defined() && kernel.dim() == 4) kernel = kernel.permute({3, 2, 0, 1}).contiguous();
            SHENBI_TRY_STATUS(take(k, c->weight, kernel));
            SHENBI_TRY_STATUS(take(bn + "beta", c->beta, get(bn + "beta")));
            SHENBI_TRY_STATUS(take(bn + "moving_mean", c->moving_mean, get(bn + "moving_mean")));
            SHENBI_TRY_STATUS(take(bn + "moving_variance", c->moving_variance, get(bn + "moving_variance")));
        }
        net->eval();
        return net;
    });
}

fs::path default_nsfwjs_model_dir() {
    if (const char* env = std::getenv("SHENBI_NSFWJS_DIR"); env && *env) return env;
    fs::path cache;
    if (const char* c = std::getenv("SHENBI_CACHE"); c && *c)
        cache = c;
    else if (const char* home = std::getenv("HOME"); home && *home)
        cache = fs::path(home) / ".cache" / "shenbi";
    return cache / "npm" / "nsfwjs-4.4.0" / "package" / "dist" / "models" / "inception_v3";
}

torch::Tensor inception_input(const std::vector<cv::Mat>& images) {
    auto batch = torch::empty({static_cast<std::int64_t>(images.size()), 3, 299, 299});
    for (std::size_t i = 0; i < images.size(); ++i) {
        cv::Mat rgb;
        const cv::Mat& src = images[i];
        if (src.channels() == 4) {
            rgb = composite_on_white(src);  // RGBA -> RGB
        } else if (src.channels() == 1) {
            cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
        } else {
            rgb = src;
        }
        cv::Mat resized, f;
        cv::resize(rgb, resized, {299, 299}, 0, 0, cv::INTER_LINEAR);
        resized.convertTo(f, CV_32FC3, 1.0 / 127.5, -1.0);
        auto hwc = torch::from_blob(f.data, {299, 299, 3}, torch::kFloat32);  // (H, W, C)
        batch[static_cast<std::int64_t>(i)].copy_(hwc.permute({2, 0, 1}));    // (C, H, W)
    }
    return batch;
}

Result<torch::Tensor> inception_features(InceptionV3Mixed5& net, const std::vector<cv::Mat>& images, int batch) {
    if (batch < 1) return make_error(ErrorCode::InvalidArgument, "inception_features: batch must be >= 1");
    return guarded("inception features", [&]() -> Result<torch::Tensor> {
        torch::InferenceMode guard;
        std::vector<torch::Tensor> parts;
        for (std::size_t start = 0; start < images.size(); start += static_cast<std::size_t>(batch)) {
            const auto end = std::min(images.size(), start + static_cast<std::size_t>(batch));
            const std::vector<cv::Mat> chunk(images.begin() + static_cast<long>(start),
                                             images.begin() + static_cast<long>(end));
            parts.push_back(net->forward(inception_input(chunk)).mixed5.mean({2, 3}));  // (b, 768)
        }
        return parts.empty() ? torch::empty({0, 768}) : torch::cat(parts, 0);
    });
}

}  // namespace shenbi
