// Flags shared by the commands that load a model:
//   --model DIR | --preset NAME --random-weights [--seed-weights N]
//   --device auto|cpu|cuda[:N]  --threads N  --precision fp32|bf16
#pragma once

#include <memory>
#include <string>

#include "app/cli/command.h"
#include "core/model/model_bundle.h"
#include "core/sampling/generate.h"
#include "core/util/result.h"

namespace shenbi::cli {

extern const char* const kModelFlagsUsage;

// --model, else the bundled default model (core/util/resources.h).
Result<std::string> model_dir_from_args(const Args& args);
Result<std::shared_ptr<ModelBundle>> load_model_from_args(const Args& args);

// --candidates --seed --top_k --top_p --temperature --guidance --no-knowledge --full_recompute
extern const char* const kSamplingUsage;
// Sampling flags default to what the model recommends (model.json "sampling").
GenerationParams params_from_args(const Args& args, const std::optional<RecommendedSampling>& recommended);

}  // namespace shenbi::cli
