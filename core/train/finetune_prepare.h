// What a FinetunePlan (finetune_plan.h) needs before train() runs, shared by
// the wizard's training service and `shenbi-cli finetune`: the folder split
// into tables, the artist's triples turned into entity vectors on the model,
// and the TrainOptions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/train/finetune_plan.h"
#include "core/train/trainer.h"
#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

using MessageFn = std::function<void(const std::string&)>;

// Extends `model.entities` with the names of `triples` it lacks (TransE
// vectors trained against the table's, entity_extension.h), using the
// bundled graph's relation vectors when the model's table is the bundled
// graph's. The result is kept in run_dir/knowledge and reused from there on
// a resume, so a continued run sees the same vectors. Returns the new names.
Result<std::vector<std::string>> apply_user_triples(ModelBundle& model,
                                                    const std::filesystem::path& triples,
                                                    const std::filesystem::path& run_dir,
                                                    std::uint64_t seed,
                                                    const MessageFn& message = {});

// A base that is itself a LoRA adapter directory (opened with its adapters
// attached): a full fine-tune merges them into the GPT first, so it starts
// from what the adapter learnt; a LoRA run is refused (one adapter per base),
// naming the adapter's own base to choose instead.
Status prepare_base(ModelBundle& model, bool lora);

// The options train() gets for a plan (data paths as given: a folder's
// tables are filled in by prepare_finetune).
TrainOptions finetune_train_options(const FinetunePlan& plan);

// The data and knowledge part, shared with `shenbi-cli finetune`: a folder
// (if given) split into run_dir/data, its tables set in `options`; the
// triples (if given) applied to `model`, with options.adapter_entities set.
// Uses options.run_dir and options.seed. Returns the new names; `left_out`
// (optional) gets the folder items not used, "file: reason".
Result<std::vector<std::string>> prepare_finetune_data(const std::filesystem::path& folder,
                                                       double val_fraction,
                                                       const std::filesystem::path& triples,
                                                       ModelBundle& model,
                                                       TrainOptions& options,
                                                       const MessageFn& message,
                                                       std::vector<std::string>* left_out = nullptr);

struct PreparedFinetune {
    TrainOptions options;
    std::vector<std::string> left_out;      // folder items not used, "file: reason"
    std::vector<std::string> new_entities;  // names the triples added
};
// validate_plan, then the folder's tables and the triples, on `model` (the
// plan's base model, loaded by the caller). Errors list every plan problem.
Result<PreparedFinetune> prepare_finetune(const FinetunePlan& plan, ModelBundle& model, const MessageFn& message = {});

}  // namespace shenbi
