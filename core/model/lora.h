// LoRA adapters (Hu et al. 2021) for the knowledge GPT: beside a frozen
// Linear y = x W^T + b, a trainable low-rank update
//   y' = y + (alpha / r) x A^T B^T,   A (r, in) random, B (out, r) zero,
// so a freshly attached adapter leaves every output exactly as it was.
//
// Adapters hang off CausalSelfAttentionImpl (key/query/value/proj) and
// BlockImpl (mlp.0, mlp.2) as plain pointers, not registered submodules: the
// GPT's named_parameters() stay the released checkpoint keys, so
// module_state_dict(), save_model_dir() and load_state_dict_strict() never
// see an adapter. The price: Module::to(), train()/eval() and clone() do not
// reach adapters either. Attach after moving the model to its device and
// dtype (set_gpt_precision included); adapters take the dtype and device of
// the Linear they sit on.
//
// Adapter directories (files, checks, a base plus adapter opened as a
// model) are core/io/lora_dir.h.
//
// Thread-safety: attach/detach/merge change the model; none may run
// while another thread uses it (like loading weights).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include "core/format/state_dict.h"
#include "core/model/gpt.h"
#include "core/util/result.h"

namespace shenbi {

struct LoraConfig {
    int rank = 8;       // r
    double alpha = 16;  // the update is scaled by alpha / r
    // Linears of every block to adapt, named as in the checkpoint below
    // `transformer.blocks.{i}.` (lora_target_names() lists the known ones).
    std::vector<std::string> targets = {"attn.key", "attn.query", "attn.value", "attn.proj", "mlp.0", "mlp.2"};

    Status validate() const;  // rank >= 1, alpha > 0, targets known, non-empty, without repeats
    double scale() const { return alpha / rank; }
};

// The targets LoraConfig may name, in the order adapters are listed.
const std::vector<std::string>& lora_target_names();

// One adapter beside a Linear(in, out).
class LoraAdapterImpl : public torch::nn::Module {
public:
    // A is drawn kaiming-uniform (a = sqrt(5), as nn.Linear and PEFT: bound
    // 1/sqrt(in)) from `generator` on the CPU, then moved to device/dtype; B is zero.
    LoraAdapterImpl(int64_t in_features,
                    int64_t out_features,
                    int rank,
                    double alpha,
                    at::Generator& generator,
                    torch::Device device = torch::kCPU,
                    torch::ScalarType dtype = torch::kFloat32);

    // scale * x A^T B^T: x (..., in) -> (..., out)
    torch::Tensor delta(const torch::Tensor& x) const;
    // scale * B A: (out, in), the update of the Linear's weight (merging).
    torch::Tensor weight_delta() const;

    int rank() const { return static_cast<int>(lora_A.size(0)); }
    double alpha() const { return alpha_; }
    double scale() const { return alpha_ / rank(); }

    torch::Tensor lora_A;  // (rank, in)
    torch::Tensor lora_B;  // (out, rank)

private:
    double alpha_;
};
TORCH_MODULE(LoraAdapter);

// Adds an adapter to every targeted Linear of every block and freezes the
// whole GPT (requires_grad false on every base parameter); only the adapter
// parameters are trainable. A is drawn from a generator seeded with `seed`
// (the global RNG is not touched). Refused if adapters are attached already.
Status attach_lora(Gpt& gpt, const LoraConfig& config, std::uint64_t seed);

bool has_lora(const Gpt& gpt);

// The adapters' parameters (A then B, per block and target in
// lora_target_names() order), for the optimizer. Empty without adapters.
std::vector<torch::Tensor> lora_parameters(Gpt& gpt);

// Removes the adapters; the base weights are as before attach_lora, and
// trainable again (requires_grad true). No adapters: nothing to do.
Status detach_lora(Gpt& gpt);

// Folds every adapter into its Linear (W += scale * B A), then detaches:
// the outputs equal those with the adapters applied (up to float rounding).
// Without adapters: an Error (InvalidArgument).
Status merge_lora(Gpt& gpt);

// Rank, alpha and targets of the attached adapters; an error without any,
// or when blocks differ.
Result<LoraConfig> attached_lora_config(const Gpt& gpt);

// The attached adapters as one module whose state-dict keys are adapter
// files' ("transformer.blocks.0.attn.key.lora_A"). It shares the adapters'
// tensors: saving it or loading into it (training checkpoints, adapter
// files) reaches them. Empty without adapters.
std::shared_ptr<torch::nn::Module> lora_module(const Gpt& gpt);

// attach_lora with the adapters' tensors given (keys as lora_module's):
// every key and shape is checked (ErrorCode::ShapeMismatch naming the key
// and both shapes) before the model changes.
Status attach_lora_state(Gpt& gpt, const LoraConfig& config, const StateDict& state);

}  // namespace shenbi
