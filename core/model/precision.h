// Weight precision of the GPT at inference time: a run-time option that
// trades a little accuracy for memory bandwidth (a decoding step reads every
// GPT weight once, so it is bound by weight bytes).
#pragma once

#include <string>

#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

enum class WeightPrecision { Float32, BFloat16 };

Result<WeightPrecision> weight_precision_from_string(const std::string& name);  // "fp32", "bf16"
std::string to_string(WeightPrecision precision);

// Converts the GPT (not the VQGAN, whose convolutions stay fp32) in place.
// Call before sharing the bundle with other threads. bf16 on a CPU without
// native bf16 (cpu_features()) is refused (ErrorCode::Unsupported): it would
// run several times slower than fp32.
Status set_gpt_precision(ModelBundle& model, WeightPrecision precision);

// Bytes of GPT weights one decoding step reads: every block, ln_f and the head
// (embedding tables are only indexed, one row per token).
std::int64_t gpt_bytes_read_per_step(const ModelBundle& model);

}  // namespace shenbi
