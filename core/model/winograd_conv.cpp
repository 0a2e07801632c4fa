#include "core/model/winograd_conv.h"

#include <memory>
#include <vector>

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/torch.h>

#include "core/model/decode_kernels.h"  // decode_isa
#include "core/model/winograd_simd.h"

// This file is compiled with -fopenmp (core/CMakeLists.txt), as decode_kernels.cpp.

namespace shenbi {
namespace {

thread_local bool direct_only = false;

// Below this many channels the transforms, which cost per channel, take
// what the GEMMs save, which scale with channels in times channels out: the
// bundled model's 32-channel decode ran 10% slower through Winograd.
constexpr std::int64_t kMinChannels = 64;

bool plain_fp32_cpu(const torch::Tensor& t) {
    return t.defined() && t.device().is_cpu() && t.layout() == torch::kStrided && !t.is_quantized() &&
           t.scalar_type() == torch::kFloat32;
}

bool pads_one(const torch::nn::detail::ConvNdOptions<2>& o) {
    const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    return padding && (*padding)->at(0) == 1 && (*padding)->at(1) == 1 &&
           c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode());
}

bool is_3x3_same(const torch::nn::detail::ConvNdOptions<2>& o) {
    const auto all_one = [](const torch::ExpandingArray<2>& a) { return a->at(0) == 1 && a->at(1) == 1; };
    return o.kernel_size()->at(0) == 3 && o.kernel_size()->at(1) == 3 && all_one(o.stride()) && all_one(o.dilation()) &&
           o.groups() == 1 && pads_one(o);
}

}  // namespace

bool winograd_conv_applies(const torch::Tensor& x, const torch::nn::Conv2dImpl& conv) {
    if (direct_only || decode_isa() == simd::Isa::None || torch::GradMode::is_enabled()) return false;
    if (!plain_fp32_cpu(x) || x.dim() != 4 || !plain_fp32_cpu(conv.weight) || !is_3x3_same(conv.options)) return false;
    const std::int64_t c = conv.options.in_channels(), k = conv.options.out_channels();
    if (x.size(1) != c || c % 16 != 0 || k % 16 != 0 || c < kMinChannels || k < kMinChannels) return false;
    // Every intra-op thread must get a full block of tiles: with fewer, threads
    // idle while oneDNN splits the same work finer. With 2 threads that leaves
    // artist-base's 16 px level (64 tiles for 4 images) to oneDNN, where the
    // weight transform would eat most of the gain.
    const simd::WinogradConv shape{nullptr, x.size(0), x.size(2), x.size(3), c};
    return shape.tiles() >= simd::kWinogradBlockTiles * at::get_num_threads();
}

torch::Tensor conv3x3(torch::nn::Conv2d& conv, const torch::Tensor& x) {
    if (winograd_conv_applies(x, *conv)) return winograd_conv3x3(x, conv->weight, conv->bias, decode_isa());
    return conv(x);
}

torch::Tensor winograd_conv3x3(const torch::Tensor& x,
                               const torch::Tensor& weight,
                               const torch::Tensor& bias,
                               simd::Isa isa) {
    RECORD_FUNCTION("shenbi::winograd_conv3x3", std::vector<c10::IValue>());  // a name in profiles
    const std::int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3), K = weight.size(0);
    TORCH_CHECK(isa != simd::Isa::None && plain_fp32_cpu(x) && plain_fp32_cpu(weight) && x.dim() == 4 &&
                    weight.sizes() == torch::IntArrayRef({K, C, 3, 3}) && C % 16 == 0 && K % 16 == 0,
                "winograd_conv3x3: fp32 CPU tensors, a (K, C, 3, 3) weight and channels in multiples of 16 expected");
    auto xh = x.permute({0, 2, 3, 1}).contiguous();  // (N, H, W, C): no copy when x is channels-last
    auto w = weight.contiguous();                    // (K, C, 3, 3)
    auto b = bias.defined() ? bias.to(torch::kFloat32).contiguous() : bias;
    auto u = torch::empty({36, K / 16, C, 16}, x.options());  // G g G^T, 16-column panels
    at::parallel_for(0, K / 16, 1, [&](std::int64_t begin, std::int64_t end) {
        simd::winograd_weights(w.data_ptr<float>(), K, C, u.data_ptr<float>(), begin * 16, end * 16);
    });
    auto y = torch::empty({N, H, W, K}, x.options());  // NHWC
    const simd::WinogradConv conv{
        xh.data_ptr<float>(), N, H, W, C, u.data_ptr<float>(), K, b.defined() ? b.data_ptr<float>() : nullptr,
        y.data_ptr<float>()};
    const std::int64_t block = simd::kWinogradBlockTiles;
    const std::int64_t blocks = (conv.tiles() + block - 1) / block;
    at::parallel_for(0, blocks, 1, [&](std::int64_t begin, std::int64_t end) {
        const auto scratch = std::make_unique<float[]>(static_cast<size_t>(simd::winograd_scratch_floats(conv)));
        simd::winograd_tiles(isa, conv, begin * block, std::min(end * block, conv.tiles()), scratch.get());
    });
    return y.permute({0, 3, 1, 2});  // (N, K, H, W), channels-last in memory
}

DirectConvolutionScope::DirectConvolutionScope() : previous_(direct_only) {
    direct_only = true;
}

DirectConvolutionScope::~DirectConvolutionScope() {
    direct_only = previous_;
}

}  // namespace shenbi
