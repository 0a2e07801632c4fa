// shenbi-cli train vqgan | train gpt | finetune: flags (train_flags.h), the
// model, the fine-tune's data, then train() with Ctrl-C as its cancel and a
// progress bar (train_progress.h); --nproc starts the ranks instead
// (train_launcher.h). The folder commands are in cmd_train_folder.cpp, bench
// train in cmd_bench_train.cpp.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "app/cli/train_flags.h"
#include "app/cli/train_launcher.h"
#include "app/cli/train_progress.h"
#include "core/model/model_bundle.h"
#include "core/train/distributed.h"
#include "core/train/finetune_prepare.h"
#include "core/train/trainer.h"

namespace shenbi::cli {
namespace {

// Ctrl-C (or SIGTERM) asks the run to stop: it writes a checkpoint and exits;
// a second one kills as usual.
std::atomic<bool> g_interrupted{false};
void on_sigint(int) {
    if (g_interrupted.exchange(true)) {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        std::raise(SIGINT);
    }
}

// The model to train: a directory (Shenbi or EasyNLP), or a preset with
// random weights when training from scratch; on this rank's GPU in a
// multi-GPU run. Returns 0, or the exit status after printing why not.
int load_model_to_train(const Args& args,
                        const TrainRun& run,
                        TrainStage stage,
                        bool finetune,
                        std::shared_ptr<ModelBundle>& model) {
    const TrainOptions& o = run.options;
    // Each rank of a multi-GPU run takes its own GPU: cuda:<local_rank>.
    std::string device = args.get("device", "auto");
    if (o.dist.world_size > 1 && (device == "cuda" || device == "auto") && torch::cuda::is_available()) {
        device = "cuda:" + std::to_string(run.flags.local_rank % static_cast<long long>(torch::cuda::device_count()));
    }
    const std::string precision = args.get("precision", "fp32");
    std::string dir = args.has("model") ? args.get("model") : args.get("pretrain_model_name_or_path");
    if (finetune && dir.empty()) {  // fine-tuning with no --model adapts the bundled model
        auto bundled = model_dir_from_args(args);
        if (!bundled) {
            std::cerr << "error: " << bundled.message() << "\n";
            return 2;
        }
        dir = *bundled;
    }
    std::vector<std::string> model_flags =
        !dir.empty() ? std::vector<std::string>{"--model", dir}
                     : std::vector<std::string>{"--preset", args.get("preset", "small"), "--random-weights",
                                                "--seed-weights", std::to_string(run.flags.seed_weights)};
    model_flags.insert(model_flags.end(), {"--device", device, "--precision", precision});
    // Not given: all cores. "--threads 0" would be refused, into this inner Args's errors(), printed by no one.
    if (run.flags.threads > 0) model_flags.insert(model_flags.end(), {"--threads", std::to_string(run.flags.threads)});
    auto loaded = load_model_from_args(Args(model_flags));
    if (!loaded) {
        std::cerr << "error: " << loaded.message() << "\n";
        return 1;
    }
    model = *loaded;
    if (stage == TrainStage::Gpt) {
        if (auto base = prepare_base(*model, o.lora.has_value()); !base) {
            std::cerr << "error: " << base.message() << "\n";
            return 2;
        }
    }
    return 0;
}

int run_training(const Args& args, TrainStage stage, bool finetune) {
    auto parsed = parse_train_flags(args, stage, finetune);
    if (!parsed) return 2;
    TrainRun& run = *parsed;
    TrainOptions& o = run.options;
    if (run.flags.nproc > 1) {
        if (!distributed_available()) {
            std::cerr << "error: this build has no distributed training (SHENBI_WITH_DISTRIBUTED)\n";
            return 1;
        }
        return spawn_local_world(run.flags.nproc, args);
    }

    const bool rank0 = o.dist.rank == 0;
    std::shared_ptr<ModelBundle> model;
    if (const int rc = load_model_to_train(args, run, stage, finetune, model); rc != 0) return rc;
    // The wizard's data preparation; every rank makes the same split (same folder, fraction and seed).
    const MessageFn say = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
    if (auto prepared = prepare_finetune_data(run.folder, run.flags.val_fraction, run.triples, *model, o,
                                              rank0 ? say : MessageFn());
        !prepared) {
        std::cerr << "error: " << prepared.message() << "\n";
        return 1;
    }

    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);  // a service manager or `kill` stops it the same way: with a checkpoint
    TrainProgress progress(rank0);
    TrainHooks hooks;
    hooks.cancel = &g_interrupted;
    hooks.on_message = [&](const std::string& m) { progress.message(m); };
    hooks.on_step = [&](const StepEvent& e) { progress.step(e); };
    auto result = train(*model, o, hooks);
    progress.close();
    if (!result) {
        std::cerr << (result.error().code == ErrorCode::Cancelled ? "stopped: " : "error: ") << result.message()
                  << "\n";
        return result.error().code == ErrorCode::Cancelled ? 130 : 1;
    }
    if (rank0) print_train_summary(*result);
    return 0;
}

const std::string kTrainUsage = std::string(kTrainFlags) + kModelFlagsUsage;

SHENBI_COMMAND("train vqgan",
               "train the VQGAN first stage (L1 + codebook, optional EMA / discriminator)",
               std::string("shenbi-cli train vqgan --tables train.tsv,val.tsv --checkpoint_dir runs/vq [--preset small "
                           "| --model DIR]\n\n") +
                   kTrainUsage + kVqganFlags,
               [](const Args& a) { return run_training(a, TrainStage::Vqgan, false); });
SHENBI_COMMAND(
    "train gpt",
    "train the knowledge GPT on frozen VQGAN codes (cached per table)",
    std::string(
        "shenbi-cli train gpt --tables train.tsv,val.tsv --checkpoint_dir runs/gpt --model DIR_WITH_VQGAN\n\n") +
        kTrainUsage,
    [](const Args& a) { return run_training(a, TrainStage::Gpt, false); });
SHENBI_COMMAND(
    "finetune",
    "fine-tune the GPT of a model directory (EasyNLP recipe: lr 4e-5, 2 epochs, batch 8)",
    std::string("shenbi-cli finetune --model DIR --tables train.tsv,val.tsv --checkpoint_dir runs/ft [--nproc 2]\n\n") +
        kTrainUsage,
    [](const Args& a) { return run_training(a, TrainStage::Gpt, true); });

}  // namespace
}  // namespace shenbi::cli
