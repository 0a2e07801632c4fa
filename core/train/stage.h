// Internal to core/train: what the generic training loop (trainer.cpp) needs
// from a stage (VQGAN or GPT). Not a public API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/serialize/archive.h>

#include "core/data/train_data.h"
#include "core/train/trainer.h"

namespace shenbi {

// A batch for one rank, produced on the prefetch thread.
struct TrainBatch {
    std::int64_t count = 0;           // usable items (rows that failed to decode are dropped)
    torch::Tensor images;             // stage 1: (n, 3, R, R)
    torch::Tensor text_ids;           // stage 2: (n, text_len) int64, not offset
    torch::Tensor codes;              // stage 2: (n, img_len) int64
    torch::Tensor words;              // stage 2: (n, N, text_len) int64 entity ids
    torch::Tensor words_mask;         // stage 2: (n, N, text_len) bool
    std::vector<std::int64_t> items;  // dataset indices (for EMA restarts and messages)
};

struct StepOutput {
    double loss = 0;  // mean over the batch
    std::int64_t tokens = 0;
};

class TrainingStage {
public:
    virtual ~TrainingStage() = default;

    // Index / cache data; logs bad rows. Called once, before anything else.
    virtual Status prepare(const TrainOptions& options,
                           Communicator& comm,
                           BadRowLog& log,
                           const std::function<void(const std::string&)>& message) = 0;
    virtual std::int64_t train_size() const = 0;
    virtual std::int64_t val_size() const = 0;

    // The module whose weights train and are checkpointed, and its name prefix
    // in the model ("first_stage_model" / "transformer").
    virtual torch::nn::Module& trained_module() = 0;
    virtual std::string trained_prefix() const = 0;

    // Thread-safe (prefetch thread). `val` selects the validation set.
    virtual TrainBatch load_batch(const std::vector<std::int64_t>& items, std::int64_t epoch, bool val) = 0;

    // Forward + backward of the batch's mean loss (gradients accumulate into
    // the trained module). An empty batch leaves the gradients untouched.
    virtual Result<StepOutput> forward_backward(const TrainBatch& batch, std::int64_t step) = 0;
    // After the optimizer step (EMA codebook, discriminator update).
    virtual Status after_step(const TrainBatch& batch, std::int64_t step, Communicator& comm) {
        return Status::success();
    }
    // Mean loss over a batch without gradients.
    virtual Result<double> eval_loss(const TrainBatch& batch) = 0;

    // Samples for the fixed prompts (stage 2) or reconstructions (stage 1).
    virtual Result<SampleEvent> samples(const TrainOptions& options) = 0;

    // Identifies the frozen parts the run depends on (stage 2: the VQGAN whose
    // codes it learns), so that a resume with other weights is refused.
    virtual std::string frozen_fingerprint() const { return ""; }

    // Extra state beyond the trained module and its optimizer.
    virtual void save_extra(torch::serialize::OutputArchive& archive) {}
    virtual Status load_extra(torch::serialize::InputArchive& archive) { return Status::success(); }
};

std::unique_ptr<TrainingStage> make_vqgan_stage(ModelBundle& model);
std::unique_ptr<TrainingStage> make_gpt_stage(ModelBundle& model);

}  // namespace shenbi
