// Moving weights between a torch::nn::Module and a StateDict by checkpoint
// key (the module's registered names, "a.b.weight").
#pragma once

#include <torch/nn/module.h>

#include "core/format/torch_file.h"
#include "core/util/result.h"

namespace shenbi {

// Parameters and buffers of `module` under their dotted names, in PyTorch's
// state_dict() order (per module: own parameters, own buffers, then
// children). The tensors alias the module's storage (no copy).
StateDict module_state_dict(const torch::nn::Module& module);

// Copies `state` into `module` only if it fits exactly: every key of the
// module present, no other key, every shape equal. Otherwise nothing is
// copied and the Error (ErrorCode::ShapeMismatch) lists every missing,
// unexpected and mis-shaped key (both shapes), at most `max_lines` per kind
// followed by "... and N more". Values are converted to each parameter's
// dtype and device. Not thread-safe with respect to users of `module`.
Status load_state_dict_strict(torch::nn::Module& module, const StateDict& state, std::size_t max_lines = 20);

// "[1, 288, 768]"
std::string shape_string(c10::IntArrayRef sizes);

}  // namespace shenbi
