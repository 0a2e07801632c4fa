// Flags shared by the commands that load a model:
//   --model DIR | --preset NAME --random-weights [--seed-weights N]
//   --device auto|cpu|cuda[:N]  --threads N  --precision fp32|bf16
#pragma once

#include <memory>
#include <string>

#include "app/cli/command.h"
#include "core/model/model_bundle.h"
#include "core/util/result.h"

namespace shenbi::cli {

extern const char* const kModelFlagsUsage;

// --model, else the bundled default model (core/util/resources.h).
Result<std::string> model_dir_from_args(const Args& args);
Result<std::shared_ptr<ModelBundle>> load_model_from_args(const Args& args);

}  // namespace shenbi::cli
