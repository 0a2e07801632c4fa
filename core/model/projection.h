// One projection of the GPT (attention key/query/value/proj, mlp.0, mlp.2,
// head) as inference and training run it. Beside the checkpoint's Linear a
// block may hang, unregistered so the checkpoint keys stay as released:
// - a LoRA adapter (core/model/lora.h), added to the output;
// - an int8 copy of the weight (--precision int8, core/model/precision.h),
//   which then replaces the Linear's own (released) weight.
#pragma once

#include <memory>

#include <torch/nn/modules/linear.h>

namespace shenbi {

class LoraAdapterImpl;  // core/model/lora.h
struct Int8Weight;      // core/model/decode_kernels.h

// linear(x) (+ the adapter's update), computed by the decode kernels when
// they apply (a few rows on the CPU, no autograd), else by Linear::forward.
torch::Tensor project(torch::nn::LinearImpl& linear,
                      const LoraAdapterImpl* lora,
                      const Int8Weight* int8,
                      const torch::Tensor& x);

}  // namespace shenbi
