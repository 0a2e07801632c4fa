// Flags shared by the commands that load a model:
//   --model DIR | --preset NAME --random-weights [--seed-weights N]
//   --device auto|cpu|cuda[:N]  --threads N  --precision fp32|bf16
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "app/cli/command.h"
#include "core/model/model_bundle.h"
#include "core/sampling/generate.h"
#include "core/util/result.h"

namespace shenbi::cli {

extern const char* const kModelFlagsUsage;

// Reads the numeric model flags (--threads, --seed-weights) so that a bad
// value is in args.errors() before any work; load_model_from_args reads
// them again (the errors are recorded once).
void read_model_flags(const Args& args);

// Reads and range-checks the model and sampling flags (--threads, --seed,
// --candidates, --guidance ...) before the model loads, so that a bad value
// (--candidates x, --threads 0, --guidance 0) costs no work; false when
// args.errors() holds one (main() prints them).
bool generation_flags_parse(const Args& args);

// The bundled knowledge graph (core/util/resources.h), said on stderr; where
// none is found, stderr names where it looked and resources/knowledge stands in.
std::filesystem::path default_graph_dir();

// --model, else the bundled default model (core/util/resources.h).
Result<std::string> model_dir_from_args(const Args& args);
// --precision, else `default_precision`; `forced_precision`, when not empty, over both.
Result<std::shared_ptr<ModelBundle>> load_model_from_args(const Args& args,
                                                          const std::string& default_precision = "auto",
                                                          const std::string& forced_precision = "");

// --candidates --seed --top_k --top_p --temperature --guidance --no-knowledge --full_recompute
extern const char* const kSamplingUsage;
// Sampling flags default to what the model recommends (model.json "sampling").
// Every value given is range-checked (args.errors()): call it once with
// std::nullopt before loading the model so that a bad one costs no work.
GenerationParams params_from_args(const Args& args, const std::optional<RecommendedSampling>& recommended);
// --layout_guidance G, --colour_guidance G, --knowledge_guidance G (`flag` without its dashes): 0 (the
// plain guidance) or 1..20; a value between is an error in args.errors().
// Used by the sampling flags and model export.
double guidance_or_zero_from_args(const Args& args, const std::string& flag, double fallback);

}  // namespace shenbi::cli
