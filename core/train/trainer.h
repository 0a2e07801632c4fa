// Training and fine-tuning of the two ARTIST stages.
//
//   Stage 1 (TrainStage::Vqgan): L1 reconstruction + codebook/commitment
//   losses, optional EMA codebook with dead-code restart, optional patch
//   discriminator (hinge) after a warm-up.
//   Stage 2 (TrainStage::Gpt): the GPT on frozen VQGAN codes, computed once
//   per TSV and cached (run_dir/cache, or TrainOptions::code_cache_dir);
//   the entity table is frozen, the fusion projection (ent_emb) trains with
//   the rest of the GPT.
//
// Run directory layout (all files written atomically except the append-only
// metrics.csv):
//   checkpoints/step-00000100.ckpt   last `keep_last` training checkpoints
//   metrics.csv                      step,epoch,split,loss,lr,tokens_per_s,elapsed_s
//   samples/step-00000100/NN.png     fixed prompts (stage 2) or reconstructions (stage 1)
//   cache/codes-<key>.pt             stage 2 code cache (unless code_cache_dir is set)
//   model/                           the model directory at the end (load_model_dir)
//   best/                            the model directory at the lowest validation loss so far
//
// A checkpoint holds the trained module's weights and buffers, the optimizer
// (AdamW moments), the schedule position, the RNG state, the data position
// (epoch, batch) and the early-stopping state, so resuming continues the same
// run: the same batches in the same order with the same learning rates.
//
// Threading: train() runs on the calling thread (plus one data prefetch
// thread). Hooks are called on the calling thread. `cancel` / `pause` may be
// set from any thread; a cancel writes a checkpoint before returning
// ErrorCode::Cancelled.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/data/train_data.h"
#include "core/model/lora.h"
#include "core/train/distributed.h"
#include "core/train/mixed_precision.h"
#include "core/train/optim.h"
#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

enum class TrainStage { Vqgan, Gpt };

struct VqganTrainConfig {
    double codebook_weight = 1.0;
    bool ema_codebook = false;  // codebook by exponential moving average instead of gradients
    double ema_decay = 0.99;
    double dead_code_threshold = 0.03;  // EMA usage below this -> code restarted at a random encoder output
    std::int64_t disc_start = -1;       // step at which the patch discriminator starts; < 0: off
    double disc_weight = 0.1;           // generator's adversarial loss weight
    double disc_learning_rate = 1e-4;
    // Train post_quant_conv and the decoder only: the encoder, quant_conv and
    // codebook stay as they are, so every image keeps its codes and a GPT
    // trained on them still fits (a sharper decoder under an existing GPT).
    bool decoder_only = false;
};

struct TrainOptions {
    TrainStage stage = TrainStage::Gpt;
    std::filesystem::path train_tsv;
    std::filesystem::path val_tsv;  // optional
    std::filesystem::path run_dir;  // required
    // Stage 2: where the VQGAN codes of each table are cached, keyed by the
    // table's bytes and the VQGAN (core/train/gpt_stage.cpp); runs that share
    // it encode a table once. Empty: run_dir/cache.
    std::filesystem::path code_cache_dir;
    OptimConfig optim;
    int epochs = 2;
    int micro_batch = 8;          // per rank; the global batch is micro_batch * world_size
    std::int64_t max_steps = 0;   // > 0: the run is this many optimizer steps (the schedule spans them)
    std::int64_t stop_after = 0;  // > 0: stop (with a checkpoint) after this many steps of this session
    int save_every = 0;           // checkpoint every N steps; always at the end and on cancel
    int keep_last = 3;
    int eval_every = 0;           // validation loss + samples every M steps and at step 0; 0: at the end only
    int max_val_batches = 0;      // 0: the whole validation set
    int early_stop_patience = 0;  // evaluations without improvement before stopping; 0: off
    std::vector<std::string> sample_prompts;  // stage 2; stage 1 reconstructs validation images
    int sample_count = 4;                     // stage 1 reconstructions
    int sample_top_k = 100;
    std::uint64_t seed = 42;
    bool flip = false;  // stage 1: random horizontal flips
    // Stage 2, the knowledge technique: each linked entity of a training
    // caption has its characters replaced by [UNK] with this probability
    // while its knowledge vector stays, so the GPT learns to draw from the
    // vector alone (what an unseen alias gives it). 0: off.
    double entity_mask = 0;
    // Stage 2, for classifier-free guidance (SamplingParams::guidance): a
    // training caption is replaced by the empty prompt, without knowledge, with
    // this probability, so the GPT also learns the images of no prompt. 0: off.
    double text_dropout = 0;
    // Stage 2: the forward pass in bf16 autocast (core/train/mixed_precision.h),
    // on a CPU with native bf16; weights, gradients and optimizer stay fp32.
    MixedPrecision mixed = MixedPrecision::Off;
    // Stage 2: train LoRA adapters (core/model/lora.h) instead of the GPT,
    // whose weights stay frozen; run_dir/model and run_dir/best are then
    // adapter directories (core/io/lora_dir.h) naming the base model.
    std::optional<LoraConfig> lora;
    // LoRA: also write the model's entity table into model/ and best/ (the
    // run extended its base's table with the artist's own names).
    bool adapter_entities = false;
    bool resume = true;      // continue from the newest usable checkpoint in run_dir
    bool save_model = true;  // write run_dir/model at the end
    bool save_best = true;   // write run_dir/best at every validation improvement (rank 0)
    int prefetch = 4;        // batches decoded ahead
    int threads = 0;         // intra-op threads; 0: leave as is
    VqganTrainConfig vqgan;
    DistributedOptions dist;
};

struct StepEvent {
    std::int64_t step = 0;  // optimizer steps done
    std::int64_t total_steps = 0;
    std::int64_t epoch = 0;     // 0-based
    double epoch_fraction = 0;  // position within the epoch, 0..1
    double loss = 0;            // mean over the global batch
    double lr = 0;              // learning rate used for this step
    double grad_norm = 0;       // before clipping
    double tokens_per_s = 0;    // stage 2: sequence positions; stage 1: image codes (h*w per image)
    double elapsed_s = 0;       // this session
    double eta_s = 0;
};

struct ValidationEvent {
    std::int64_t step = 0;
    double loss = 0;
    double best = 0;
    bool improved = false;
};

struct SampleEvent {
    std::int64_t step = 0;
    std::vector<std::string> captions;  // prompts, or "reconstruction of <idx>"
    std::vector<cv::Mat> images;        // RGB8
    std::filesystem::path dir;          // where the PNGs were written (rank 0)
};

struct TrainHooks {
    std::function<void(const StepEvent&)> on_step;
    std::function<void(const ValidationEvent&)> on_validation;
    std::function<void(const SampleEvent&)> on_samples;
    std::function<void(const std::string&)> on_message;  // checkpoints, resume, bad rows, cache
    const std::atomic<bool>* cancel = nullptr;           // checked between steps
    const std::atomic<bool>* pause = nullptr;            // training waits while true
    // Finish now, as if the last step were reached: validation, checkpoint and
    // the model directories are written (TrainSummary::finished_early).
    const std::atomic<bool>* stop = nullptr;
    // Set from any thread; the trainer clears them when it has acted, after
    // the current step: a checkpoint, or a validation pass with samples.
    std::atomic<bool>* save_now = nullptr;
    std::atomic<bool>* sample_now = nullptr;
};

struct TrainSummary {
    std::int64_t steps = 0;  // optimizer steps done in total (including resumed ones)
    std::int64_t total_steps = 0;
    std::int64_t resumed_from = -1;  // step of the checkpoint resumed, -1 if fresh
    double last_loss = 0;
    double first_val_loss = -1;  // -1: no validation
    double last_val_loss = -1;
    double best_val_loss = -1;
    bool early_stopped = false;
    bool stopped = false;         // stop_after reached
    bool finished_early = false;  // TrainHooks::stop
    std::vector<BadRow> bad_rows;
    std::filesystem::path last_checkpoint;
    std::filesystem::path model_dir;
    std::filesystem::path best_model_dir;  // empty without validation or save_best
};

// Trains `model.net` in place (stage 1: first_stage_model; stage 2:
// transformer), on this rank of options.dist. `model` must not be used by
// other threads meanwhile. Errors: bad options, unreadable data, no usable
// rows, checkpoint write failures (the previous checkpoint stays intact),
// ErrorCode::Cancelled after a cancel (a checkpoint was written).
Result<TrainSummary> train(ModelBundle& model, const TrainOptions& options, const TrainHooks& hooks = {});

// Checkpoint files of a run directory, oldest first.
std::vector<std::filesystem::path> list_checkpoints(const std::filesystem::path& run_dir);

}  // namespace shenbi
