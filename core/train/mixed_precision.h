// bf16 mixed precision for stage-2 training on the CPU (`--mixed_precision
// bf16`): the forward pass and the loss run under LibTorch's CPU autocast, so
// the GPT's products run in bf16 through oneDNN (AMX or AVX512_BF16), while
// the weights, their gradients, the optimizer state and the loss stay fp32
// (no loss scaling: bf16 has fp32's exponent range). On a CPU with AMX a
// 9216 x 256 x 768 product ran at about 1,100 GFLOP/s in bf16 against 40-60
// in fp32 (OpenBLAS); bench/train.md has the training steps side by side.
#pragma once

#include <string>

#include <c10/core/Device.h>

#include "core/util/result.h"

namespace shenbi {

enum class MixedPrecision { Off, BFloat16 };

// "off" or "bf16"; anything else is InvalidArgument naming both.
Result<MixedPrecision> mixed_precision_from_string(const std::string& name);
std::string to_string(MixedPrecision mode);

// Unsupported where the mode would not pay or is untried: bf16 on a CPU
// without native bf16 (LibTorch's fallback is several times slower than
// fp32), and on any device but the CPU (not tried on CUDA yet).
Status check_mixed_precision(MixedPrecision mode, const c10::Device& device);

// True when a stage-2 step in `mode` should run under GemmBoundScope
// (core/util/runtime.h): in fp32 its products are OpenBLAS's, which gets the
// cores; in bf16 they are oneDNN's, on the OpenMP pool, which then keeps its
// threads (2.0 s per step of the scene preset at batch 32 with the pool, 3.1 s
// held to one thread; bench/train.md). The trainer and step timing both ask here.
bool stage2_holds_openmp_for_blas(MixedPrecision mode);

// While one lives, forward passes on this thread autocast to `mode` on the
// CPU (Off: nothing changes). Wrap the forward pass and the loss, not the
// backward pass, as torch.autocast is used.
class AutocastScope {
public:
    explicit AutocastScope(MixedPrecision mode);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool active_ = false;
    bool previous_enabled_ = false;
    c10::ScalarType previous_dtype_ = c10::ScalarType::BFloat16;
};

}  // namespace shenbi
