// Seconds per stage-2 optimizer step of a model, measured from a few real
// steps on random ids of the model's shapes: forward, cross-entropy on the
// image positions, backward, clipping and AdamW, as train() does them. The
// fine-tune wizard's time estimates and `shenbi-cli bench train` both use it.
#pragma once

#include <cstdint>
#include <optional>

#include "core/model/lora.h"
#include "core/train/mixed_precision.h"
#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

struct StepTimingOptions {
    int micro_batch = 8;
    int steps = 2;                               // timed steps, after one untimed warm-up step
    std::optional<LoraConfig> lora;              // time LoRA training (adapters attached, then removed again)
    MixedPrecision mixed = MixedPrecision::Off;  // checked with check_mixed_precision before any step
};

struct StepTimingResult {
    double seconds_per_step = 0;
    std::int64_t trained_parameters = 0;
    std::int64_t sequence = 0;  // positions per row (text + image - 1)
};

// The optimizer steps change the weights: call it on a model loaded for the
// purpose (or one about to be reloaded). Errors: no GPT, a bad LoRA config.
Result<StepTimingResult> time_train_steps(ModelBundle& model, const StepTimingOptions& options);

}  // namespace shenbi
