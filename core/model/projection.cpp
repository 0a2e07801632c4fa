#include "core/model/projection.h"

#include <torch/torch.h>

#include "core/model/decode_kernels.h"
#include "core/model/lora.h"

namespace shenbi {
namespace {

torch::Tensor base_output(torch::nn::LinearImpl& linear, const Int8Weight* int8, const torch::Tensor& x) {
    if (int8) {
        if (decode_rows_apply(x)) return decode_linear(x, *int8, linear.bias);
        // Many rows or no vector kernels: BLAS over the weight widened once.
        return torch::linear(x, dequantize(*int8).to(x.scalar_type()), linear.bias);
    }
    if (decode_linear_applies(x, linear.weight)) return decode_linear(x, linear.weight, linear.bias);
    return linear.forward(x);
}

}  // namespace

torch::Tensor project(torch::nn::LinearImpl& linear,
                      const LoraAdapterImpl* lora,
                      const Int8Weight* int8,
                      const torch::Tensor& x) {
    auto y = base_output(linear, int8, x);
    if (!lora) return y;
    // An adapter keeps the dtype it was attached in (Module::to() and
    // set_gpt_precision do not reach it): compute in its dtype, add in y's.
    return y + lora->delta(x.to(lora->lora_A.scalar_type())).to(y.scalar_type());
}

}  // namespace shenbi
