// The flags of shenbi-cli train vqgan | train gpt | finetune: their usage
// text, and their reading into TrainOptions, every value parsed, range-checked
// and cross-checked before any work (CONTRIBUTING.md, "CLI flags").
//
// Flags follow EasyNLP's text2image example where they make sense
// (--tables, --learning_rate, --epoch_num, --micro_batch_size,
// --save_checkpoint_steps, --random_seed, --checkpoint_dir).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/cli/command.h"
#include "core/train/trainer.h"

namespace shenbi::cli {

// Usage text: the flags of every training command, and those of the VQGAN only.
extern const char* const kTrainFlags;
extern const char* const kVqganFlags;

// The numeric flags of a run that are not TrainOptions fields.
struct RunFlags {
    int nproc = 1;
    long long local_rank = 0;
    int threads = 0;  // 0: all cores
    std::uint64_t seed_weights = 42;
    int lora_rank = 0;  // 0: full fine-tune
    double lora_alpha = 0;
    double val_fraction = 0.1;
};

// A training command's flags, read and checked.
struct TrainRun {
    TrainOptions options;  // what train() gets (finetune --folder fills in its tables later)
    RunFlags flags;
    std::string folder, triples;  // finetune --folder, --triples; empty when not given
};

// Reads the flags of `train vqgan` / `train gpt` (stage) or `finetune`
// (finetune = true). std::nullopt: exit status 2, the problem printed on
// stderr or left in args.errors() (main() prints those).
std::optional<TrainRun> parse_train_flags(const Args& args, TrainStage stage, bool finetune);

}  // namespace shenbi::cli
