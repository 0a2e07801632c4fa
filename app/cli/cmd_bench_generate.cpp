// shenbi-cli bench generate: decoding speed of the KV-cached sampler against
// the released algorithm (full recompute every step), side by side in one
// run, plus peak memory, the memory-bandwidth floor of a token step and the
// compute floor of the VQGAN decode, with the CPU features that explain them.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include <torch/torch.h>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "app/cli/op_profile.h"
#include "core/model/decode_kernels.h"
#include "core/model/model_bundle.h"
#include "core/model/precision.h"
#include "core/model/vqgan_flops.h"
#include "core/model/winograd_conv.h"
#include "core/sampling/generate.h"
#include "core/util/cpu_features.h"
#include "core/util/runtime.h"

namespace shenbi::cli {
namespace {

using Clock = std::chrono::steady_clock;

// The best rate over `runs` timed calls of `once`, in units of `work` per
// second / 1e9 (GB/s, GFLOP/s): the best, as the others met interruptions.
template <class Fn>
double best_rate(int runs, double work, Fn&& once) {
    double best = 0;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        once();
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        best = std::max(best, work / sec / 1e9);
    }
    return best;
}

// Streaming read bandwidth of this machine (GB/s): a sum over a buffer much
// larger than the caches.
double measure_read_bandwidth() {
    auto buffer = torch::ones({64 * 1024 * 1024}, torch::kFloat32);  // 256 MiB
    return best_rate(5, static_cast<double>(buffer.numel() * 4), [&] {
        volatile float s = buffer.sum().item<float>();
        (void)s;
    });
}

// fp32 GEMM throughput of this machine (GFLOP/s) with the threads set: a
// square product large enough to reach the BLAS's peak.
double measure_gemm_gflops() {
    // As the GPT runs its products: the cores left to the BLAS's own pool
    // (GemmBoundScope); OpenMP's spinning pool beside it cut the figure 3x.
    GemmBoundScope gemm_bound(c10::kCPU);
    const std::int64_t n = 1536;
    auto a = torch::randn({n, n}), b = torch::randn({n, n});
    auto c = torch::mm(a, b);  // warm-up: thread pools, page faults
    return best_rate(8, 2.0 * n * n * n, [&] { torch::mm_out(c, a, b); });
}

// Throughput of a 3x3 convolution like the VQGAN decoder's (256
// channels at 64 x 64, batch 4), GFLOP/s with LibTorch's own pool: the
// decoder runs on convolutions, which may use another library than the BLAS.
double measure_conv_gflops(torch::ScalarType dtype) {
    c10::InferenceMode inference;
    auto x = torch::randn({4, 256, 64, 64}).to(dtype), w = torch::randn({256, 256, 3, 3}).to(dtype);
    auto y = torch::conv2d(x, w, {}, 1, 1);  // warm-up
    return best_rate(4, 2.0 * 9 * 256 * 256 * 64 * 64 * 4, [&] { y = torch::conv2d(x, w, {}, 1, 1); });
}

// Duration of every token step of one request; step 0 includes the prompt.
struct Timing {
    std::vector<double> step_ms;

    int steps() const { return static_cast<int>(step_ms.size()); }
    double prefill_ms() const { return step_ms.front(); }
    // Whole-request time in seconds if step cost grows linearly with position
    // (least-squares fit over the measured steps; the no-cache algorithm's
    // cost is linear in the sequence length).
    double extrapolated_request_s(int total_steps) const {
        const int n = steps();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n; ++i) {
            const double y = step_ms[static_cast<size_t>(i)];
            sx += i;
            sy += y;
            sxx += static_cast<double>(i) * i;
            sxy += i * y;
        }
        const double slope = n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
        const double intercept = (sy - slope * sx) / n;
        return (intercept * total_steps + slope * total_steps * (total_steps - 1) / 2.0) / 1e3;
    }

    // Mean over steps [from, to).
    double mean_ms(int from, int to) const {
        to = std::min(to, steps());
        from = std::max(from, 0);  // fewer steps than the window asks for
        double sum = 0;
        for (int i = from; i < to; ++i) sum += step_ms[static_cast<size_t>(i)];
        return to > from ? sum / (to - from) : 0;
    }
};

// Runs `steps` token steps of one request and stops it through the public
// cancel hook; per-step times come from the progress callback.
Result<Timing> time_steps(const ModelBundle& model, GenerationParams params, int steps) {
    std::atomic<bool> cancel{false};
    std::vector<Clock::time_point> stamps{Clock::now()};
    GenerationHooks hooks;
    hooks.cancel = &cancel;
    hooks.on_progress = [&](const GenerationProgress& p) {
        stamps.push_back(Clock::now());
        if (p.step >= steps) cancel = true;
    };
    auto result = generate(model, params, hooks);
    if (!result && result.error().code != ErrorCode::Cancelled) return result.error();
    if (stamps.size() < 3) return make_error(ErrorCode::InvalidArgument, "too few steps measured");
    Timing t;
    for (size_t i = 1; i < stamps.size(); ++i) {
        t.step_ms.push_back(std::chrono::duration<double, std::milli>(stamps[i] - stamps[i - 1]).count());
    }
    return t;
}

// Steps 1..steps of a request (the prompt's prefill left out) under the op
// profiler, which runs on the generating thread: the progress hook starts it.
Result<std::string> profile_steps_op_by_op(const ModelBundle& model, GenerationParams params, int steps) {
    std::atomic<bool> cancel{false};
    OpProfile profile;
    std::string table;
    GenerationHooks hooks;
    hooks.cancel = &cancel;
    hooks.on_progress = [&](const GenerationProgress& p) {
        if (p.step == 1) profile.start();
        if (p.step == steps + 1) {
            table = profile.finish(25, steps, "step");
            cancel = true;
        }
    };
    auto result = generate(model, params, hooks);
    if (!result && result.error().code != ErrorCode::Cancelled) return result.error();
    if (table.empty()) return make_error(ErrorCode::InvalidArgument, "too few steps to profile");
    return table;
}

std::string profile_vqgan_decode(const ModelBundle& model, int batch) {
    c10::InferenceMode inference;
    Vqgan vqgan = model.net->first_stage_model;
    auto codes = torch::randint(0, model.config.vqgan.n_embed, {batch, model.config.vqgan.num_tokens()}, torch::kLong);
    OpProfile profile;
    profile.start();
    vqgan->decode(codes.to(model.device));
    return profile.finish(12, 1, "decode");
}

// Seconds to decode `batch` random code grids with the VQGAN (the last stage
// of every request).
double time_vqgan_decode(const ModelBundle& model, int batch) {
    c10::InferenceMode inference;
    Vqgan vqgan = model.net->first_stage_model;
    auto codes = torch::randint(0, model.config.vqgan.n_embed, {batch, model.config.vqgan.num_tokens()}, torch::kLong);
    const auto t0 = Clock::now();
    vqgan->decode(codes.to(model.device)).to(torch::kCPU);
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The decode timed with the usual convolutions (Winograd where it applies,
// core/model/winograd_conv.h) and with direct ones only, each the best of two
// runs, interleaved so that both see the same machine.
struct DecodeTimes {
    double usual_s = 0, direct_s = 0;
};
DecodeTimes time_vqgan_decode_both_ways(const ModelBundle& model, int batch) {
    DecodeTimes best{1e30, 1e30};
    for (int run = 0; run < 2; ++run) {
        best.usual_s = std::min(best.usual_s, time_vqgan_decode(model, batch));
        DirectConvolutionScope direct;
        best.direct_s = std::min(best.direct_s, time_vqgan_decode(model, batch));
    }
    return best;
}

int run_bench_generate(const Args& args) {
    // Every numeric flag before the model loads. time_steps needs 2 steps at
    // least (the first holds the prompt); more than the image has are cut to it.
    const int steps = static_cast<int>(args.get_int("steps", 64, 2, 1'000'000));
    const int baseline_steps = static_cast<int>(args.get_int("baseline-steps", 16, 0, 1'000'000));
    if (baseline_steps == 1) args.error("--baseline-steps must be 0 (skip) or 2..1000000, got 1");
    const int candidates = static_cast<int>(args.get_int("candidates", 4, 1, 64));
    const int profile_steps = static_cast<int>(args.get_int("profile", 0, 0, 1'000'000));
    read_model_flags(args);
    if (!args.errors().empty()) return 2;  // main() prints them
    auto model = load_model_from_args(args);
    if (!model) {
        return fail("bench generate", model.message());
    }
    const auto& cfg = (*model)->config;
    GenerationParams params;
    params.prompt = args.get("prompt", "一只熊猫在竹林里吃竹子");
    params.candidates = candidates;
    params.seed = 1;
    params.preview_every = 0;
    const int measured = std::min(steps, cfg.gpt.img_len);

    std::printf("CPU: %s\n", cpu_features().summary().c_str());
    std::printf("model %s (%d layers, %d heads, %d wide), %d candidates, precision %s, device %s, %d threads\n",
                cfg.name.c_str(), cfg.gpt.n_layer, cfg.gpt.n_head, cfg.gpt.n_embd, params.candidates,
                to_string(gpt_precision(**model)).c_str(), (*model)->device.str().c_str(), compute_threads());
    std::printf("VQGAN decode in %s\n", c10::toString(vqgan_decode_dtype(**model)));
    std::printf("decoding steps: %s\n",
                uses_decode_kernels(**model)
                    ? (decode_isa() == simd::Isa::Avx512 ? "decode kernels, AVX-512" : "decode kernels, AVX2")
                    : "LibTorch / BLAS products");
    const double gemm_gflops = measure_gemm_gflops();  // before any model work leaves pools spinning
    const double conv_gflops = measure_conv_gflops(vqgan_decode_dtype(**model));
    auto cached = time_steps(**model, params, measured);
    if (!cached) {
        return fail("bench generate", cached.message());
    }
    Timing baseline;
    if (baseline_steps > 0) {
        params.full_recompute = true;
        auto b = time_steps(**model, params, std::min(baseline_steps, cfg.gpt.img_len));
        if (!b) {
            return fail("bench generate", b.message());
        }
        baseline = *b;
    }
    const double bandwidth = measure_read_bandwidth();
    const double weight_mb = static_cast<double>(gpt_bytes_read_per_step(**model)) / 1e6;
    const double floor_ms = weight_mb / 1e3 / bandwidth * 1e3;
    const double step_ms = cached->mean_ms(1, cached->steps());
    const double request_s = (cached->prefill_ms() + step_ms * (cfg.gpt.img_len - 1)) / 1e3;
    const int n = cached->steps();

    std::printf("\n| measure | value |\n|---|---|\n");
    std::printf("| KV cache: ms per token step (mean of steps 2..%d) | %.1f |\n", n, step_ms);
    std::printf("| KV cache: steps 2..9 / last 8 steps, ms | %.1f / %.1f |\n", cached->mean_ms(1, 9),
                cached->mean_ms(n - 8, n));
    std::printf("| prefill (prompt + first token), ms | %.1f |\n", cached->prefill_ms());
    std::printf("| seconds per request (%d tokens, extrapolated, before VQGAN decode) | %.1f |\n", cfg.gpt.img_len,
                request_s);
    if (baseline.steps() > 0) {
        const int m = baseline.steps();
        std::printf("| released algorithm (no cache): ms per step, mean of steps 1..%d | %.1f |\n", m,
                    baseline.mean_ms(0, m));
        std::printf("| released algorithm: step 1 / step %d, ms | %.1f / %.1f |\n", m, baseline.step_ms.front(),
                    baseline.step_ms.back());
        std::printf("| KV cache over the released algorithm, same %d steps | %.1fx |\n", m,
                    baseline.mean_ms(0, m) / cached->mean_ms(0, m));
        const double baseline_request_s = baseline.extrapolated_request_s(cfg.gpt.img_len);
        std::printf("| released algorithm: seconds per request (%d tokens, linear fit of %d steps) | %.1f |\n",
                    cfg.gpt.img_len, m, baseline_request_s);
        std::printf("| KV cache over the released algorithm, whole request (extrapolated) | %.1fx |\n",
                    baseline_request_s / request_s);
    }
    const double decode_gflop = vqgan_decode_flops(cfg.vqgan) * params.candidates / 1e9;
    const auto decode = time_vqgan_decode_both_ways(**model, params.candidates);
    const double decode_s = decode.usual_s;
    // The floor of the direct convolutions at the best rate this machine
    // showed for either kind of product; Winograd does 4x fewer multiply-adds
    // in most of them, so it may go under this floor.
    const double decode_floor_s = decode_gflop / std::max(gemm_gflops, conv_gflops);
    std::printf("| VQGAN decode of %d images, s (Winograd 3x3 where it applies) | %.2f |\n", params.candidates,
                decode_s);
    std::printf("| VQGAN decode of %d images, direct convolutions only, s | %.2f |\n", params.candidates,
                decode.direct_s);
    std::printf("| VQGAN decode, direct over Winograd (same run) | %.2fx |\n", decode.direct_s / decode_s);
    std::printf("| VQGAN decode work of the direct convolutions, GFLOP (%d images) | %.1f |\n", params.candidates,
                decode_gflop);
    std::printf("| measured fp32 GEMM (BLAS) / %s 3x3 convolution throughput, GFLOP/s | %.0f / %.0f |\n",
                c10::toString(vqgan_decode_dtype(**model)), gemm_gflops, conv_gflops);
    std::printf("| VQGAN decode compute floor (direct convolutions), s | %.2f |\n", decode_floor_s);
    std::printf("| VQGAN decode, distance to that floor: direct / with Winograd | %.2fx / %.2fx |\n",
                decode.direct_s / decode_floor_s, decode_s / decode_floor_s);
    std::printf("| whole request (%d tokens + decode of %d images), s | %.1f |\n", cfg.gpt.img_len, params.candidates,
                request_s + decode_s);
    std::printf("| GPT weights read per step, MB | %.0f |\n", weight_mb);
    std::printf("| measured read bandwidth, GB/s | %.1f |\n", bandwidth);
    std::printf("| bandwidth floor, ms per step | %.1f |\n", floor_ms);
    std::printf("| distance to floor | %.2fx |\n", step_ms / floor_ms);
    std::printf("| peak RSS, MB | %.0f |\n", peak_rss_mb());
    if (profile_steps > 0) {  // after the timings, which the profiler would slow
        params.full_recompute = false;
        auto table = profile_steps_op_by_op(**model, params, profile_steps);
        if (!table) return fail("bench generate", table.message());
        std::printf("\nPer-op profile of %d decoding steps (after the prompt), LibTorch's CPU profiler:\n\n%s",
                    profile_steps, table->c_str());
        std::printf("\nPer-op profile of the VQGAN decode of %d images:\n\n%s", params.candidates,
                    profile_vqgan_decode(**model, params.candidates).c_str());
    }
    return 0;
}

}  // namespace

SHENBI_COMMAND("bench generate",
               "time token steps: KV cache vs the released no-cache algorithm; memory; bandwidth floor",
               std::string("shenbi-cli bench generate --preset artist-base --random-weights [--candidates 4]\n"
                           "  --steps N            token steps to time with the KV cache (default 64)\n"
                           "  --baseline-steps N   steps of the released algorithm (default 16; 0 = skip)\n"
                           "  --prompt TEXT\n"
                           "  --profile N          then profile N more steps op by op (LibTorch's CPU profiler)\n") +
                   kModelFlagsUsage,
               run_bench_generate);

}  // namespace shenbi::cli
