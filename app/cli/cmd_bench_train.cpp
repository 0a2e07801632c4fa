// shenbi-cli bench train: the speed and memory of a training step.
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "app/cli/command.h"
#include "core/model/model_bundle.h"
#include "core/train/mixed_precision.h"
#include "core/train/step_timing.h"
#include "core/util/runtime.h"

namespace shenbi::cli {
namespace {

// --mixed_precision off|bf16|both: the modes to time, one after the other on
// the same weights (both: fp32 and bf16 side by side). Errors go to args.
std::vector<MixedPrecision> mixed_modes(const Args& args) {
    const std::string name = args.get("mixed_precision", "off");
    std::vector<MixedPrecision> modes{MixedPrecision::Off, MixedPrecision::BFloat16};
    if (name != "both") {
        auto mode = mixed_precision_from_string(name);
        if (!mode) {
            args.error("--mixed_precision: " + mode.message() + " or both");
            return {};
        }
        modes = {*mode};
    }
    for (const auto mode : modes) {
        if (auto st = check_mixed_precision(mode, c10::Device(c10::kCPU)); !st) args.error(st.message());
    }
    return modes;
}

// One stage-2 optimizer step as train() does it (forward, CE on the image
// positions, backward, clip, AdamW) on random ids, timed after a warm-up step.
int run_bench_train(const Args& args) {
    const int threads = threads_flag(args);
    const int steps = static_cast<int>(args.get_int("steps", 3, 1, 10000));
    const int batch_small = static_cast<int>(args.get_int("batch_small", 8, 1, 1024));
    const int batch_base = static_cast<int>(args.get_int("batch_base", 1, 1, 1024));
    const auto modes = mixed_modes(args);
    if (!args.errors().empty()) return 2;  // before any model is made
    set_compute_threads(threads);
    const std::string only = args.get("preset");
    std::vector<std::pair<std::string, int>> runs{
        {"small", batch_small}, {"scene", batch_small}, {"artist-base", batch_base}};
    std::printf("threads %d, %d timed steps after 1 warm-up, fp32 weights, AdamW\n", compute_threads(), steps);
    std::printf("%-12s %6s %6s %6s %10s %12s %12s %12s\n", "preset", "batch", "seq", "mixed", "params(M)", "s/step",
                "tokens/s", "peak RSS MB");
    for (const auto& [preset, batch] : runs) {
        if (!only.empty() && only != preset) continue;
        for (const auto mode : modes) {
            auto model = make_random_bundle(ModelConfig::preset(preset).value(), 1);  // the same weights each time
            StepTimingOptions timing;
            timing.micro_batch = batch;
            timing.steps = steps;
            timing.mixed = mode;
            auto t = time_train_steps(*model, timing);
            if (!t) {
                std::cerr << "error: " << preset << ": " << t.message() << "\n";
                return 1;
            }
            const double tokens = static_cast<double>(batch) * static_cast<double>(t->sequence);
            std::printf("%-12s %6d %6lld %6s %10.1f %12.3f %12.0f %12.0f\n", preset.c_str(), batch,
                        static_cast<long long>(t->sequence), to_string(mode).c_str(), t->trained_parameters / 1e6,
                        t->seconds_per_step, tokens / t->seconds_per_step, peak_rss_mb());
            std::fflush(stdout);
        }
    }
    return 0;
}

SHENBI_COMMAND("bench train",
               "tokens/s and peak RSS of a GPT stage-2 training step (small, scene, artist-base)",
               "shenbi-cli bench train [--preset small|scene|artist-base] [--steps 3] [--batch_small 8] [--batch_base "
               "1] [--threads N] [--mixed_precision off|bf16|both]",
               run_bench_train);

}  // namespace
}  // namespace shenbi::cli
