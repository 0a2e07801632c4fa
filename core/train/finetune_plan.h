// A fine-tune as an artist describes it: the fine-tune wizard's settings and
// `shenbi-cli finetune`'s flags are the same thing, so the wizard can save a
// run (run_dir/finetune.json, read back to continue after a crash) and export
// the exact command that reproduces it.
//
//   data        a folder of images with same-named .txt captions (split into
//               run_dir/data/{train,val}.tsv by val_fraction and seed), or
//               EasyNLP TSVs
//   knowledge   optional user triples (head, relation, tail); names the
//               graph lacks get TransE vectors (core/knowledge/entity_extension.h)
//   method      full fine-tune of the GPT, or LoRA adapters (lora_rank > 0)
//
// No LibTorch here: the studio's headers include this one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

struct FinetunePlan {
    std::filesystem::path base_model;       // model directory to adapt (required)
    std::filesystem::path folder;           // images + .txt captions, or:
    std::filesystem::path train_tsv;        // EasyNLP TSV (with folder empty)
    std::filesystem::path val_tsv;          // optional, with train_tsv
    double val_fraction = 0.1;              // folder: share of usable images held out for validation
    std::filesystem::path triples;          // optional: head<TAB>relation<TAB>tail per line
    std::filesystem::path run_dir;          // required
    int lora_rank = 0;                      // 0: full fine-tune
    double lora_alpha = 0;                  // 0: 2 x rank
    std::vector<std::string> lora_targets;  // empty: every attention and MLP projection
    double learning_rate = 4e-5;
    double warmup_fraction = 0.1;
    int epochs = 2;
    std::int64_t max_steps = 0;  // > 0: instead of epochs
    int micro_batch = 8;
    int eval_every = 0;
    int save_every = 0;
    int early_stop_patience = 0;
    std::vector<std::string> prompts;  // fixed sample prompts
    std::uint64_t seed = 42;
    std::string device = "cpu";  // cpu, cuda, cuda:N
    int threads = 0;             // 0: LibTorch's default
    // "off" or "bf16": the forward pass in bf16 autocast, on a CPU with native
    // bf16 only (core/train/mixed_precision.h), 3.5-5.6x faster steps there.
    std::string mixed_precision = "off";

    bool lora() const { return lora_rank > 0; }
};

// Every problem at once, each naming its flag (as `shenbi-cli finetune`
// spells it) and the value; empty when the plan can run. Checks the files
// and folders it names exist, not their contents.
std::vector<std::string> validate_plan(const FinetunePlan& plan);
// Only the data and knowledge part: folder or tables, val_fraction, triples.
std::vector<std::string> validate_plan_data(const FinetunePlan& plan);

// The arguments after `shenbi-cli` that run this plan: "finetune", "--model", ...
std::vector<std::string> finetune_arguments(const FinetunePlan& plan);
// The same as one line a POSIX shell reads back: every argument quoted where needed.
std::string shell_command(const std::string& program, const std::vector<std::string>& arguments);

// run_dir/finetune.json: the plan, written atomically when a run starts, so
// that the studio can offer to continue it after a crash.
std::filesystem::path plan_path(const std::filesystem::path& run_dir);
Status save_plan(const FinetunePlan& plan, const std::filesystem::path& file);
Result<FinetunePlan> load_plan(const std::filesystem::path& file);

// The folder split into run_dir/data/train.tsv and val.tsv (the usable images
// only, check_image_folder's rules), the same split for the same folder,
// fraction and seed. At least one validation row when there are two usable
// images or more and val_fraction > 0.
struct FolderTables {
    std::filesystem::path train, val;  // val empty when nothing was held out
    std::int64_t train_rows = 0, val_rows = 0;
    std::vector<std::string> left_out;  // "file: reason"
};
Result<FolderTables> split_folder_tables(const std::filesystem::path& folder,
                                         double val_fraction,
                                         std::uint64_t seed,
                                         const std::filesystem::path& run_dir);

}  // namespace shenbi
