// Stage 1: the VQGAN first stage.
//
// loss = |x - x̂|₁ + w_cb · (β‖z - sg[e]‖² + ‖sg[z] - e‖²) [+ w_d · (-D(x̂)) after disc_start]
// With the EMA codebook the embedding takes no gradient (only the
// commitment term reaches the encoder); codes move to the running mean of the
// encoder outputs assigned to them, and codes whose usage decays below a
// threshold restart at random encoder outputs of the batch (rank 0 picks,
// every rank receives the same codebook).
// With decoder_only, the encoder, quant_conv and codebook take no gradient
// and the EMA does not run: the codes of every image stay the same.
// The discriminator is a small PatchGAN (conv 4×4 stride 2 + LeakyReLU, no
// normalisation so data-parallel ranks never diverge) trained with the
// hinge loss and its own AdamW.
#include <torch/torch.h>

#include "core/image/image_io.h"
#include "core/model/model_bundle.h"
#include "core/train/checkpoint.h"
#include "core/train/stage.h"
#include "core/util/guard.h"

namespace shenbi {
namespace fs = std::filesystem;

namespace {

class PatchDiscriminatorImpl : public torch::nn::Module {
public:
    PatchDiscriminatorImpl(int in_channels = 3, int ndf = 64, int n_layers = 3) {
        layers = register_module("layers", torch::nn::Sequential());
        int ch = in_channels;
        for (int i = 0; i < n_layers; ++i) {
            const int out = ndf * std::min(1 << i, 8);
            layers->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(ch, out, 4).stride(2).padding(1)));
            layers->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.2)));
            ch = out;
        }
        layers->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(ch, 1, 3).padding(1)));  // (B, 1, h, w) logits
    }
    torch::Tensor forward(const torch::Tensor& x) { return layers->forward(x); }
    torch::nn::Sequential layers{nullptr};
};
TORCH_MODULE(PatchDiscriminator);

class VqganStage final : public TrainingStage {
public:
    explicit VqganStage(ModelBundle& model) : model_(model), vq_(model.net->first_stage_model) {}

    Status prepare(const TrainOptions& options,
                   Communicator& comm,
                   BadRowLog& log,
                   const std::function<void(const std::string&)>& message) override {
        options_ = options;
        log_ = &log;
        resolution_ = vq_->config().resolution;
        auto train = TsvIndex::build(options.train_tsv, &log);
        if (!train) return train.error();
        train_ = std::move(*train);
        if (!options.val_tsv.empty()) {
            auto val = TsvIndex::build(options.val_tsv, &log);
            if (!val) return val.error();
            val_ = std::move(*val);
        }
        const auto& cfg = options.vqgan;
        if (cfg.decoder_only && cfg.ema_codebook)
            return make_error(ErrorCode::InvalidArgument,
                              "decoder_only keeps the codebook, so it cannot be an EMA codebook (drop ema_codebook)");
        if (cfg.decoder_only) {
            for (auto* frozen : {static_cast<torch::nn::Module*>(vq_->encoder.get()),
                                 static_cast<torch::nn::Module*>(vq_->quant_conv.get()),
                                 static_cast<torch::nn::Module*>(vq_->quantize.get())})
                for (auto& p : frozen->parameters()) p.set_requires_grad(false);
        }
        if (cfg.ema_codebook) {
            auto& e = vq_->quantize->embedding->weight;
            e.set_requires_grad(false);
            ema_count_ = torch::ones({e.size(0)});
            ema_sum_ = e.detach().clone();
        }
        if (cfg.disc_start >= 0) {
            disc_ = PatchDiscriminator(vq_->config().out_ch, 64, resolution_ >= 128 ? 3 : 2);
            disc_opt_ = std::make_unique<torch::optim::AdamW>(
                disc_->parameters(),
                torch::optim::AdamWOptions(cfg.disc_learning_rate).betas({0.5, 0.9}).weight_decay(0));
            SHENBI_TRY_STATUS(comm.broadcast(disc_->parameters(), 0));
        }
        return Status::success();
    }

    std::int64_t train_size() const override { return static_cast<std::int64_t>(train_.size()); }
    std::int64_t val_size() const override { return static_cast<std::int64_t>(val_.size()); }
    torch::nn::Module& trained_module() override { return *vq_; }
    std::string trained_prefix() const override { return "first_stage_model"; }

    TrainBatch load_batch(const std::vector<std::int64_t>& items, std::int64_t epoch, bool val) override {
        const TsvIndex& index = val ? val_ : train_;
        TrainBatch b;
        auto in = index.open_stream();
        std::vector<torch::Tensor> images;
        for (auto item : items) {
            const auto i = static_cast<std::size_t>(item);
            auto ex = index.read(in, i);
            if (!ex) {
                log_->add(index.path(), index.line(i), ex.message());
                continue;
            }
            const bool flip = !val && options_.flip && example_coin(options_.seed, epoch, item);
            auto img = decode_example_image(ex->image_base64, resolution_, flip);
            if (!img) {
                log_->add(index.path(), ex->line, img.message());
                continue;
            }
            images.push_back(*img);
            b.items.push_back(item);
        }
        b.count = static_cast<std::int64_t>(images.size());
        if (!images.empty()) b.images = torch::stack(images);  // (n, 3, R, R)
        return b;
    }

    Result<StepOutput> forward_backward(const TrainBatch& batch, std::int64_t step) override {
        return guarded("VQGAN step", [&]() -> Result<StepOutput> {
            last_z_ = torch::Tensor();
            last_rec_ = torch::Tensor();
            if (batch.count == 0) return StepOutput{};
            auto out = run(batch.images);
            auto loss = out.l1 + options_.vqgan.codebook_weight * out.codebook;
            if (disc_ && step >= options_.vqgan.disc_start) {
                for (auto& p : disc_->parameters()) p.set_requires_grad(false);
                loss = loss - options_.vqgan.disc_weight * disc_->forward(out.rec).mean();
                for (auto& p : disc_->parameters()) p.set_requires_grad(true);
            }
            loss.backward();
            last_z_ = out.z.detach();
            last_codes_ = out.codes;
            last_rec_ = out.rec.detach();
            return StepOutput{loss.item<double>(), batch.count * out.codes.size(1)};
        });
    }

    Status after_step(const TrainBatch& batch, std::int64_t step, Communicator& comm) override {
        return guarded("VQGAN update", [&]() -> Status {
            torch::NoGradGuard no_grad;
            if (options_.vqgan.ema_codebook) SHENBI_TRY_STATUS(ema_update(comm));
            if (disc_ && step >= options_.vqgan.disc_start) SHENBI_TRY_STATUS(disc_update(batch, comm));
            return Status::success();
        });
    }

    Result<double> eval_loss(const TrainBatch& batch) override {
        return guarded("VQGAN validation", [&]() -> Result<double> {
            torch::NoGradGuard no_grad;
            auto out = run(batch.images);
            return (out.l1 + options_.vqgan.codebook_weight * out.codebook).item<double>();
        });
    }

    Result<SampleEvent> samples(const TrainOptions& options) override {
        return guarded("VQGAN samples", [&]() -> Result<SampleEvent> {
            torch::NoGradGuard no_grad;
            SampleEvent ev;
            const bool val = val_.size() > 0;
            const auto& index = val ? val_ : train_;
            std::vector<std::int64_t> items;
            for (std::int64_t i = 0; i < std::min<std::int64_t>(options.sample_count, index.size()); ++i)
                items.push_back(i);
            auto batch = load_batch(items, 0, val);
            if (batch.count == 0) return ev;
            const bool was_training = vq_->is_training();
            vq_->eval();
            auto rec = run(batch.images).rec.clamp(-1, 1);
            if (was_training) vq_->train();
            for (std::int64_t i = 0; i < batch.count; ++i) {
                // original | reconstruction
                ev.images.push_back(tensor_to_image(torch::cat({batch.images[i], rec[i]}, 2)));
                ev.captions.push_back("line " + std::to_string(index.line(static_cast<std::size_t>(batch.items[i]))) +
                                      ": original | reconstruction");
            }
            return ev;
        });
    }

    void save_extra(torch::serialize::OutputArchive& archive) override {
        if (ema_count_.defined()) {
            archive.write("ema_count", ema_count_, true);
            archive.write("ema_sum", ema_sum_, true);
        }
        if (disc_) {
            torch::serialize::OutputArchive d, o;
            disc_->save(d);
            disc_opt_->save(o);
            archive.write("disc", d);
            archive.write("disc_optim", o);
        }
    }

    Status load_extra(torch::serialize::InputArchive& archive) override {
        return guarded("VQGAN checkpoint state", [&]() -> Status {
            if (ema_count_.defined()) {
                archive.read("ema_count", ema_count_, true);
                archive.read("ema_sum", ema_sum_, true);
            }
            if (disc_) {
                torch::serialize::InputArchive d, o;
                if (archive.try_read("disc", d) && archive.try_read("disc_optim", o)) {
                    disc_->load(d);
                    disc_opt_->load(o);
                }
            }
            return Status::success();
        });
    }

private:
    struct Forward {
        torch::Tensor z, codes, rec, l1, codebook;
    };

    Forward run(const torch::Tensor& x) {
        auto out = vq_->forward(x);
        Forward f;
        f.z = out.latents;  // (B, D, h, w)
        f.codes = out.codes;
        f.codebook = out.codebook_loss;
        f.rec = out.reconstruction;  // (B, 3, R, R)
        f.l1 = (x - f.rec).abs().mean();
        return f;
    }

    Status ema_update(Communicator& comm) {
        auto& weight = vq_->quantize->embedding->weight;  // (K, D)
        const auto K = weight.size(0), D = weight.size(1);
        auto count = torch::zeros({K});
        auto sum = torch::zeros({K, D});
        if (last_z_.defined()) {
            auto flat = last_z_.permute({0, 2, 3, 1}).reshape({-1, D});  // (B*h*w, D)
            auto codes = last_codes_.reshape({-1});
            count.index_add_(0, codes, torch::ones({codes.size(0)}));
            sum.index_add_(0, codes, flat);
        }
        SHENBI_TRY_STATUS(comm.all_reduce_sum({count, sum}));
        const double decay = options_.vqgan.ema_decay;
        ema_count_.mul_(decay).add_(count, 1 - decay);
        ema_sum_.mul_(decay).add_(sum, 1 - decay);
        const double n = ema_count_.sum().item<double>();
        auto smoothed = (ema_count_ + 1e-5) / (n + K * 1e-5) * n;  // Laplace smoothing
        weight.copy_(ema_sum_ / smoothed.unsqueeze(1));
        // Dead codes restart at random encoder outputs of this batch (rank 0's).
        auto dead = (ema_count_ < options_.vqgan.dead_code_threshold).nonzero().reshape({-1});
        if (dead.numel() > 0) {
            if (comm.rank() == 0 && last_z_.defined()) {
                auto flat = last_z_.permute({0, 2, 3, 1}).reshape({-1, D});
                auto pick = torch::randint(flat.size(0), {dead.numel()}, torch::kInt64);
                weight.index_copy_(0, dead, flat.index_select(0, pick));
            }
            SHENBI_TRY_STATUS(comm.broadcast({weight}, 0));
            ema_sum_.index_copy_(0, dead, weight.index_select(0, dead));
            ema_count_.index_fill_(0, dead, 1.0);
        }
        return Status::success();
    }

    Status disc_update(const TrainBatch& batch, Communicator& comm) {
        disc_opt_->zero_grad();
        std::vector<torch::Tensor> grads;
        if (last_rec_.defined()) {
            torch::AutoGradMode grad(true);
            auto real = disc_->forward(batch.images);
            auto fake = disc_->forward(last_rec_);
            auto d_loss = 0.5 * (torch::relu(1 - real).mean() + torch::relu(1 + fake).mean());
            d_loss.backward();
        }
        for (auto& p : disc_->parameters()) {
            if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
            grads.push_back(p.grad());
        }
        SHENBI_TRY_STATUS(comm.all_reduce_sum(grads));
        for (auto& g : grads) g.div_(comm.world_size());
        disc_opt_->step();
        return Status::success();
    }

    ModelBundle& model_;
    Vqgan vq_;
    TrainOptions options_;
    BadRowLog* log_ = nullptr;
    int resolution_ = 0;
    TsvIndex train_, val_;
    torch::Tensor ema_count_, ema_sum_;
    torch::Tensor last_z_, last_codes_, last_rec_;
    PatchDiscriminator disc_{nullptr};
    std::unique_ptr<torch::optim::AdamW> disc_opt_;
};

}  // namespace

std::unique_ptr<TrainingStage> make_vqgan_stage(ModelBundle& model) {
    return std::make_unique<VqganStage>(model);
}

}  // namespace shenbi
