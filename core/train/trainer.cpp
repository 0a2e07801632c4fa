// The generic training loop shared by both stages: schedule, data order,
// gradient synchronisation, clipping, checkpoints, validation, samples,
// metrics, pause/cancel. The stage-specific parts are in *_stage.cpp; the
// files a run writes besides its checkpoints in run_files.cpp.
#include "core/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/data/prefetcher.h"
#include "core/model/model_bundle.h"
#include "core/train/checkpoint.h"
#include "core/train/run_files.h"
#include "core/train/run_lock.h"
#include "core/train/stage.h"
#include "core/util/guard.h"
#include "core/util/runtime.h"

namespace shenbi {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<fs::path> list_checkpoints(const fs::path& run_dir) {
    std::vector<std::pair<std::int64_t, fs::path>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(checkpoint_dir(run_dir), ec)) {
        const auto step = checkpoint_step(entry.path());
        if (step >= 0) found.emplace_back(step, entry.path());
    }
    std::sort(found.begin(), found.end());
    std::vector<fs::path> out;
    for (auto& f : found) out.push_back(f.second);
    return out;
}

namespace {

std::int64_t parameter_count(const std::vector<torch::Tensor>& params) {
    std::int64_t n = 0;
    for (const auto& p : params) n += p.numel();
    return n;
}

const char* stage_name(TrainStage s) {
    return s == TrainStage::Vqgan ? "vqgan" : "gpt";
}

Status check_options(const ModelBundle& model, const TrainOptions& o) {
    if (!model.net) return make_error(ErrorCode::InvalidArgument, "no model to train");
    if (o.run_dir.empty()) return make_error(ErrorCode::InvalidArgument, "a run (checkpoint) directory is required");
    if (o.train_tsv.empty()) return make_error(ErrorCode::InvalidArgument, "a training table is required");
    if (o.micro_batch < 1) return make_error(ErrorCode::InvalidArgument, "micro batch size must be at least 1");
    if (o.max_steps <= 0 && o.epochs < 1) return make_error(ErrorCode::InvalidArgument, "epochs must be at least 1");
    if (o.optim.learning_rate < 0) return make_error(ErrorCode::InvalidArgument, "learning rate must not be negative");
    if (o.keep_last < 1) return make_error(ErrorCode::InvalidArgument, "keep_last must be at least 1");
    if (o.lora) {
        if (o.stage != TrainStage::Gpt)
            return make_error(ErrorCode::InvalidArgument, "LoRA adapters are trained on the GPT (stage 2) only");
        SHENBI_TRY_STATUS(o.lora->validate());
    }
    if (o.mixed != MixedPrecision::Off) {
        // The VQGAN's bf16 convolutions drew wrong colours in LibTorch 1.13 (core/model/vqgan.cpp).
        if (o.stage != TrainStage::Gpt)
            return make_error(ErrorCode::InvalidArgument, "--mixed_precision bf16 trains the GPT (stage 2) only");
        SHENBI_TRY_STATUS(check_mixed_precision(o.mixed, model.device));
    }
    return Status::success();
}

// What is checkpointed: the position in the run and the early-stopping state.
struct RunState {
    std::int64_t step = 0;
    std::int64_t epoch = 0;
    std::int64_t batch = 0;  // next batch index within the epoch
    double best_val = std::numeric_limits<double>::infinity();
    double first_val = -1;
    int bad_evals = 0;
};

// What the step loop carries from one step to the next: this session's
// only, never checkpointed.
struct SessionState {
    std::unique_ptr<Prefetcher<TrainBatch>> pre;  // this epoch's batches, decoded ahead
    std::int64_t steps = 0;                       // optimizer steps of this session
    double step_seconds = 0;                      // moving average
    // What was done after the last step, so that a request (Save now, Sample
    // now) or the end of the run does not do it again at the same step.
    bool just_saved = false, just_evaluated = false;
};

// One optimizer step, over the global batch (all ranks).
struct StepFigures {
    double lr = 0;
    double loss = 0;  // mean over the items
    double tokens = 0;
    double items = 0;
    double grad_norm = 0;  // before clipping
    double seconds = 0;
    bool stop = false;  // cancelled (on any rank)
};

// A validation pass's loss on this rank, summed over its items.
struct LossSum {
    double sum = 0, count = 0;
};

class Trainer {
public:
    Trainer(ModelBundle& model, const TrainOptions& o, const TrainHooks& hooks) : model_(model), o_(o), hooks_(hooks) {}

    // The run, in order: set-up, resume, the step loop, then the last
    // validation, checkpoint and model directory. What has to live for the
    // whole run (the lock, the GEMM thread setting, metrics.csv) is held here,
    // released in the reverse order on every return.
    Result<TrainSummary> run() {
        SHENBI_TRY_STATUS(check_options(model_, o_));
        if (o_.threads > 0) set_compute_threads(o_.threads);
        SHENBI_TRY_STATUS(connect());
        std::optional<RunLock> lock;
        SHENBI_TRY_STATUS(open_run_dir(lock));
        SHENBI_TRY_STATUS(prepare_stage());
        // Stage 2 is GEMM-bound once its codes are cached (prepare encodes them
        // with the VQGAN); which pool gets the cores depends on its precision.
        std::optional<GemmBoundScope> gemm_bound;
        if (o_.stage == TrainStage::Gpt && stage2_holds_openmp_for_blas(o_.mixed)) gemm_bound.emplace(model_.device);
        SHENBI_TRY_STATUS(plan_schedule());
        SHENBI_TRY_STATUS(make_optimizer());

        RunState st;
        TrainSummary summary;
        SHENBI_TRY_STATUS(resume(st, summary));

        const fs::path metrics_path = o_.run_dir / "metrics.csv";
        if (rank0_) SHENBI_TRY_STATUS(reset_metrics(metrics_path, summary.resumed_from > 0 ? st.step : 0));
        MetricsWriter metrics(rank0_ ? metrics_path : fs::path("/dev/null"), [this](const std::string& m) { say(m); });
        metrics_ = &metrics;
        say("training " + std::string(stage_name(o_.stage)) + ": " + std::to_string(n_train_) + " rows, " +
            std::to_string(stage_->val_size()) + " validation rows, global batch " + std::to_string(global_batch_) +
            ", " + std::to_string(total_) + " steps");

        start_ = Clock::now();
        SessionState session;
        if (st.step == 0 && o_.eval_every > 0) {
            auto ev = evaluate(st);
            if (!ev) return ev.error();
            session.just_evaluated = true;
        }
        SHENBI_TRY_STATUS(train_steps(st, summary, session));
        session.pre.reset();
        SHENBI_TRY_STATUS(finish(st, summary, session));
        model_.net->eval();
        return summary;
    }

private:
    void say(const std::string& m) const {
        if (rank0_ && hooks_.on_message) hooks_.on_message(m);
    }
    bool cancelled() const { return hooks_.cancel && hooks_.cancel->load(); }
    bool stop_requested() const { return hooks_.stop && hooks_.stop->load(); }
    // Reads and clears a request flag.
    static bool take(std::atomic<bool>* flag) { return flag && flag->exchange(false); }
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

    // ---- Set-up, in the order run() calls them.

    Status connect() {
        DistributedOptions dist = o_.dist;
        dist.device = model_.device;  // gradients and weights live there
        auto comm = connect_communicator(dist);
        if (!comm) return comm.error();
        comm_ = std::move(*comm);
        rank0_ = comm_->rank() == 0;
        return Status::success();
    }

    // Creates the run directory and takes its lock into `lock`, unless the
    // caller lent this thread one (RunLock::cover_training_on_this_thread).
    Status open_run_dir(std::optional<RunLock>& lock) {
        std::error_code ec;
        fs::create_directories(o_.run_dir, ec);
        if (ec)
            return make_error(ErrorCode::Io,
                              "cannot create run directory " + o_.run_dir.string() + ": " + ec.message());
        // rank 0 writes the directory; the other ranks are the same run
        if (comm_->rank() == 0 && !RunLock::covered_on_this_thread(o_.run_dir)) {
            auto taken = lock_run_dir(o_.run_dir, [this](const std::string& m) { say(m); });
            if (!taken) return taken.error();
            lock.emplace(std::move(*taken));
        }
        return Status::success();
    }

    // The stage, its data indexed (bad rows reported as they are found) and
    // the modules' modes: stage 2's frozen VQGAN stays in eval mode.
    Status prepare_stage() {
        log_.on_bad_row = [this](const BadRow& r) { say("bad row " + r.where() + ": " + r.reason + " (skipped)"); };
        stage_ = o_.stage == TrainStage::Vqgan ? make_vqgan_stage(model_) : make_gpt_stage(model_);
        model_.net->train();
        if (o_.stage == TrainStage::Gpt) model_.net->first_stage_model->eval();
        return stage_->prepare(o_, *comm_, log_, [this](const std::string& m) { say(m); });
    }

    // Rows, global batch and the run's length in optimizer steps.
    Status plan_schedule() {
        n_train_ = stage_->train_size();
        if (n_train_ == 0) {
            return make_error(ErrorCode::InvalidArgument, "no usable rows in " + o_.train_tsv.string() + " (" +
                                                              std::to_string(log_.count()) + " bad rows)");
        }
        global_batch_ = static_cast<std::int64_t>(o_.micro_batch) * comm_->world_size();
        batches_per_epoch_ = (n_train_ + global_batch_ - 1) / global_batch_;
        total_ = o_.max_steps > 0 ? o_.max_steps : o_.epochs * batches_per_epoch_;
        return Status::success();
    }

    // The trained parameters (the stage's module, or LoRA adapters) and AdamW.
    Status make_optimizer() {
        if (o_.lora) {
            // Only the adapters train; the GPT is frozen by attach_lora.
            SHENBI_TRY_STATUS(attach_lora(model_.net->transformer, *o_.lora, o_.seed));
            groups_.decay = lora_parameters(model_.net->transformer);
            for (std::size_t k = 0; k < groups_.decay.size(); ++k)
                groups_.decay_names.push_back("lora." + std::to_string(k));
            say("training LoRA adapters: rank " + std::to_string(o_.lora->rank) + ", " +
                std::to_string(groups_.decay.size() / 2) + " projections, " +
                std::to_string(parameter_count(groups_.decay)) + " parameters; the GPT stays frozen");
        } else {
            groups_ = split_params({{stage_->trained_prefix(), &stage_->trained_module()}});
        }
        params_ = groups_.all();
        opt_ = make_adamw(groups_, o_.optim);
        return comm_->broadcast(params_, 0);  // every rank starts from rank 0's weights
    }

    // The newest usable checkpoint, if resuming and there is one; a fresh run
    // seeds the RNG instead (a resumed one restores it).
    Status resume(RunState& st, TrainSummary& summary) {
        if (o_.resume) {
            auto ck = load_latest_checkpoint(o_.run_dir);
            if (!ck) return ck.error();
            for (const auto& s : ck->skipped) say("skipped unreadable checkpoint: " + s);
            if (ck->found()) {
                SHENBI_TRY_STATUS(restore(*ck, st));
                summary.resumed_from = st.step;
                say("resumed from " + ck->path.string() + " (step " + std::to_string(st.step) + ", epoch " +
                    std::to_string(st.epoch) + ")");
            }
        }
        if (summary.resumed_from < 0) torch::manual_seed(o_.seed);
        if (comm_->world_size() > 1) SHENBI_TRY_STATUS(check_same_step(st.step));
        return Status::success();
    }

    // ---- The step loop.

    // Steps until the run's total, stop_after, a stop request or an early
    // stop (each recorded in `summary`). A cancel writes a checkpoint and
    // returns ErrorCode::Cancelled.
    Status train_steps(RunState& st, TrainSummary& summary, SessionState& s) {
        const int world = comm_->world_size();
        while (st.step < total_) {
            if (o_.stop_after > 0 && s.steps >= o_.stop_after) {
                summary.stopped = true;
                break;
            }
            while (hooks_.pause && hooks_.pause->load() && !cancelled() && !stop_requested()) {
                SHENBI_TRY_STATUS(serve_requests(st, s));  // Save now works while paused
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            // One process acts on a cancel here; several ranks only together,
            // after the all-reduce of a step (StepFigures::stop), so that none
            // is left waiting in a collective.
            if (world == 1 && cancelled()) return cancel(st);
            if (world == 1 && stop_requested()) {
                say("stopped at step " + std::to_string(st.step) + " of " + std::to_string(total_));
                summary.finished_early = true;
                break;
            }
            SHENBI_TRY_STATUS(serve_requests(st, s));
            auto batch = next_batch(st, s);
            if (!batch) return batch.error();
            auto stop = train_step(*batch, st, summary, s);
            if (!stop) return stop.error();
            auto early_stop = scheduled_work(st, summary, s);
            if (!early_stop) return early_stop.error();
            if (*early_stop) break;
            if (*stop) return cancel(st);
        }
        return Status::success();
    }

    // This rank's next batch; a new epoch starts its own prefetcher.
    Result<TrainBatch> next_batch(RunState& st, SessionState& s) {
        if (st.batch >= batches_per_epoch_) {
            ++st.epoch;
            st.batch = 0;
            s.pre.reset();
        }
        if (!s.pre) s.pre = start_epoch(st.epoch, st.batch);
        auto batch = s.pre->next();
        if (!batch)
            return make_error(ErrorCode::Internal, "data loader ended early at batch " + std::to_string(st.batch));
        return std::move(*batch);
    }

    // This rank's items of global batch `b`: a contiguous slice.
    std::unique_ptr<Prefetcher<TrainBatch>> start_epoch(std::int64_t epoch, std::int64_t first_batch) {
        auto order = std::make_shared<std::vector<std::int64_t>>(epoch_order(n_train_, o_.seed, epoch));
        const std::int64_t rank = comm_->rank(), micro = o_.micro_batch, global = global_batch_, n = n_train_;
        TrainingStage* stage = stage_.get();
        return std::make_unique<Prefetcher<TrainBatch>>(
            first_batch, batches_per_epoch_, o_.prefetch, [=](std::int64_t b) {
                std::vector<std::int64_t> items;
                const std::int64_t begin = b * global + rank * micro;
                for (std::int64_t i = begin; i < std::min(begin + micro, std::min(n, (b + 1) * global)); ++i)
                    items.push_back((*order)[static_cast<std::size_t>(i)]);
                return stage->load_batch(items, epoch, false);
            });
    }

    // One optimizer step on every rank's batch, then its report. Returns
    // whether to cancel after it (any rank's cancel, agreed over the ranks).
    Result<bool> train_step(const TrainBatch& batch, RunState& st, TrainSummary& summary, SessionState& s) {
        const auto t0 = Clock::now();
        const double lr = scheduled_lr(o_.optim, st.step, total_);
        set_lr(*opt_, lr);
        auto step = forward_backward(batch, st.step);
        if (!step) return step.error();
        step->lr = lr;
        if (comm_->world_size() > 1) SHENBI_TRY_STATUS(average_over_ranks(*step));
        step->grad_norm = clip_and_update();
        SHENBI_TRY_STATUS(stage_->after_step(batch, st.step, *comm_));
        ++st.step;
        ++st.batch;
        ++s.steps;
        s.just_saved = s.just_evaluated = false;
        step->seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        s.step_seconds = s.steps == 1 ? step->seconds : 0.9 * s.step_seconds + 0.1 * step->seconds;
        SHENBI_TRY_STATUS(report_step(*step, st, summary, s));
        return step->stop;
    }

    // Forward and backward of this rank's batch: its loss, tokens and items.
    Result<StepFigures> forward_backward(const TrainBatch& batch, std::int64_t step) {
        opt_->zero_grad();
        auto out = stage_->forward_backward(batch, step);
        if (!out) return make_error(out.error().code, "step " + std::to_string(step + 1) + ": " + out.message());
        // A parameter the batch did not reach has no gradient (an empty batch
        // on this rank): a zero one keeps the all-reduce's tensors the same
        // on every rank.
        for (auto& p : params_) {
            if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        }
        StepFigures f;
        f.loss = out->loss;
        f.tokens = static_cast<double>(out->tokens);
        f.items = static_cast<double>(batch.count);
        f.stop = cancelled();
        return f;
    }

    // Weighted mean over ranks: each rank's mean gradient times its item
    // count, summed, divided by the global count. Equals one process's mean
    // over the combined batch. The loss, tokens and the stop flag travel in
    // the same collective.
    Status average_over_ranks(StepFigures& f) {
        auto stats = torch::tensor({f.items, f.loss * f.items, f.tokens, f.stop ? 1.0 : 0.0}, torch::kFloat64);
        std::vector<torch::Tensor> grads;
        for (auto& p : params_) grads.push_back(p.grad().mul_(f.items));
        auto stats32 = stats.to(torch::kFloat32);
        grads.push_back(stats32);
        SHENBI_TRY_STATUS(comm_->all_reduce_sum(grads));
        const double total_items = stats32[0].item<double>();
        for (std::size_t i = 0; i + 1 < grads.size(); ++i) grads[i].div_(std::max(total_items, 1.0));
        f.loss = total_items > 0 ? stats32[1].item<double>() / total_items : 0;
        f.tokens = stats32[2].item<double>();
        f.items = total_items;
        f.stop = stats32[3].item<double>() > 0;
        return Status::success();
    }

    // Clips the gradients and steps AdamW; returns the norm before clipping.
    double clip_and_update() {
        double grad_norm = 0;
        {
            torch::NoGradGuard no_grad;
            grad_norm = torch::nn::utils::clip_grad_norm_(params_, o_.optim.clip_grad_norm > 0
                                                                       ? o_.optim.clip_grad_norm
                                                                       : std::numeric_limits<double>::infinity());
        }
        opt_->step();
        return grad_norm;
    }

    // The step's event (hooks, metrics.csv). A loss that is not finite ends
    // the run before a checkpoint could keep the broken weights.
    Status report_step(const StepFigures& f, const RunState& st, TrainSummary& summary, const SessionState& s) {
        StepEvent ev;
        ev.step = st.step;
        ev.total_steps = total_;
        ev.epoch = st.epoch;
        ev.epoch_fraction = static_cast<double>(st.batch) / static_cast<double>(batches_per_epoch_);
        ev.loss = f.loss;
        ev.lr = f.lr;
        ev.grad_norm = f.grad_norm;
        ev.tokens_per_s = f.seconds > 0 ? f.tokens / f.seconds : 0;
        ev.elapsed_s = elapsed();
        ev.eta_s = s.step_seconds * static_cast<double>(total_ - st.step);
        summary.last_loss = f.loss;
        metrics_->row(st.step, static_cast<double>(st.epoch) + ev.epoch_fraction, "train", f.loss, f.lr,
                      ev.tokens_per_s, ev.elapsed_s);
        if (hooks_.on_step) hooks_.on_step(ev);
        if (!std::isfinite(f.loss)) {
            return make_error(ErrorCode::InvalidArgument,
                              "loss is " + std::to_string(f.loss) + " at step " + std::to_string(st.step) +
                                  " (learning rate too high?); the last checkpoint is kept");
        }
        return Status::success();
    }

    // The checkpoint and validation due after a step. Returns true at an
    // early stop.
    Result<bool> scheduled_work(RunState& st, TrainSummary& summary, SessionState& s) {
        if (o_.save_every > 0 && st.step % o_.save_every == 0) {
            SHENBI_TRY_STATUS(save(st));
            s.just_saved = true;
        }
        if (o_.eval_every > 0 && st.step % o_.eval_every == 0) {
            auto improved = evaluate(st);
            if (!improved) return improved.error();
            s.just_evaluated = true;
            if (o_.early_stop_patience > 0 && st.bad_evals >= o_.early_stop_patience) {
                say("early stop: validation loss did not improve in " + std::to_string(st.bad_evals) + " evaluations");
                summary.early_stopped = true;
                return true;
            }
        }
        return false;
    }

    // Save now / Sample now, between steps (or while paused): a checkpoint, or
    // a validation pass with samples, unless the last step already did it.
    Status serve_requests(RunState& st, SessionState& s) {
        if (st.step > 0 && take(hooks_.save_now) && !s.just_saved) {
            SHENBI_TRY_STATUS(save(st));
            s.just_saved = true;
        }
        if (st.step > 0 && take(hooks_.sample_now) && !s.just_evaluated) {
            auto ev = evaluate(st);
            if (!ev) return ev.error();
            s.just_evaluated = true;
        }
        return Status::success();
    }

    Status cancel(const RunState& st) {
        SHENBI_TRY_STATUS(save(st));
        return make_error(ErrorCode::Cancelled, "training cancelled at step " + std::to_string(st.step) +
                                                    "; checkpoint " + checkpoint_path(o_.run_dir, st.step).string());
    }

    // ---- The end of the run.

    // After the loop: the last validation (unless the last step had one, or
    // stop_after paused the run), the last checkpoint, model/ and the summary.
    Status finish(RunState& st, TrainSummary& summary, const SessionState& s) {
        if (!s.just_evaluated && stage_->val_size() > 0 && !summary.stopped) {
            auto ev = evaluate(st);
            if (!ev) return ev.error();
        }
        if (!s.just_saved) SHENBI_TRY_STATUS(save(st));
        summary.last_checkpoint = checkpoint_path(o_.run_dir, st.step);
        SHENBI_TRY_STATUS(write_final_model(st, summary));
        fill_summary(st, summary);
        return Status::success();
    }

    // run_dir/model, by rank 0, unless stop_after paused the run (it goes on later).
    Status write_final_model(const RunState& st, TrainSummary& summary) {
        if (!o_.save_model || !rank0_ || summary.stopped) return Status::success();
        summary.model_dir = o_.run_dir / "model";
        SHENBI_TRY_STATUS(save_trained_model(model_, summary.model_dir, o_, st.step));
        say("model written to " + summary.model_dir.string());
        return Status::success();
    }

    void fill_summary(const RunState& st, TrainSummary& summary) const {
        summary.steps = st.step;
        summary.total_steps = total_;
        summary.first_val_loss = st.first_val;
        summary.best_val_loss = std::isfinite(st.best_val) ? st.best_val : -1;
        // best/ may be an earlier session's (this one did not improve on it).
        std::error_code ec;
        if (o_.save_best && rank0_ &&
            (fs::exists(o_.run_dir / "best" / "model.json", ec) ||
             fs::exists(o_.run_dir / "best" / "adapter.json", ec)))
            summary.best_model_dir = o_.run_dir / "best";
        summary.last_val_loss = last_val_;
        summary.bad_rows = log_.rows();
    }

    // ---- Evaluation.

    // Validation loss (sharded over ranks) + samples; updates the early-stop
    // state. Returns whether the validation loss improved.
    Result<bool> evaluate(RunState& st) {
        bool improved = false;
        if (stage_->val_size() > 0) {
            auto validated = validate(st);
            if (!validated) return validated.error();
            improved = *validated;
        }
        if (rank0_ && (o_.stage == TrainStage::Vqgan || !o_.sample_prompts.empty())) SHENBI_TRY_STATUS(sample(st.step));
        return improved;
    }

    // The validation loss over all ranks: recorded (metrics.csv, hook), the
    // best and early-stop state updated, best/ written at an improvement.
    Result<bool> validate(RunState& st) {
        auto local = local_val_loss();
        if (!local) return local.error();
        auto stats = torch::tensor({local->sum, local->count}, torch::kFloat32);
        SHENBI_TRY_STATUS(comm_->all_reduce_sum({stats}));
        if (!(stats[1].item<double>() > 0)) return false;  // no rank had a usable validation row
        const double mean = stats[0].item<double>() / stats[1].item<double>();
        const bool improved = mean < st.best_val;
        if (improved) {
            st.best_val = mean;
            st.bad_evals = 0;
        } else {
            ++st.bad_evals;
        }
        if (st.first_val < 0) st.first_val = mean;
        last_val_ = mean;
        metrics_->row(st.step, static_cast<double>(st.epoch), "val", mean, scheduled_lr(o_.optim, st.step, total_), 0,
                      elapsed());
        char buf[160];
        std::snprintf(buf, sizeof buf, "step %lld: validation loss %.4f%s", static_cast<long long>(st.step), mean,
                      improved ? " (best)" : "");
        say(buf);
        if (improved && o_.save_best && rank0_) SHENBI_TRY_STATUS(save_best(st.step, mean));
        if (hooks_.on_validation) hooks_.on_validation({st.step, mean, st.best_val, improved});
        return improved;
    }

    // This rank's share of the validation set (every world_size-th row, up to
    // max_val_batches batches), in eval mode.
    Result<LossSum> local_val_loss() {
        const std::int64_t n = stage_->val_size();
        const bool was_training = stage_->trained_module().is_training();
        stage_->trained_module().eval();
        LossSum total;
        std::vector<std::int64_t> mine;
        for (std::int64_t i = comm_->rank(); i < n; i += comm_->world_size()) mine.push_back(i);
        std::int64_t batches = 0;
        for (std::size_t i = 0; i < mine.size(); i += static_cast<std::size_t>(o_.micro_batch)) {
            if (o_.max_val_batches > 0 && batches++ >= o_.max_val_batches) break;
            std::vector<std::int64_t> items(
                mine.begin() + static_cast<long>(i),
                mine.begin() + static_cast<long>(std::min(mine.size(), i + o_.micro_batch)));
            auto batch = stage_->load_batch(items, 0, true);
            if (batch.count == 0) continue;
            auto loss = stage_->eval_loss(batch);
            if (!loss) return loss.error();
            total.sum += *loss * static_cast<double>(batch.count);
            total.count += static_cast<double>(batch.count);
        }
        if (was_training) stage_->trained_module().train();
        return total;
    }

    // Rank 0: the fixed prompts' samples (stage 2) or reconstructions (stage
    // 1) under samples/step-N. A sample that cannot be written is reported,
    // not fatal: an error on rank 0 alone would leave the other ranks waiting
    // in their next collective, and a full disk stops the run at its next
    // checkpoint anyway (which keeps the previous one).
    Status sample(std::int64_t step) {
        auto samples = stage_->samples(o_);
        if (!samples) return samples.error();
        char name[32];
        std::snprintf(name, sizeof name, "step-%08lld", static_cast<long long>(step));
        samples->step = step;
        samples->dir = o_.run_dir / "samples" / name;
        if (auto written = write_samples(*samples); !written)
            say("the samples of step " + std::to_string(step) + " were not saved: " + written.message());
        if (hooks_.on_samples) hooks_.on_samples(*samples);
        return Status::success();
    }

    // run_dir/best: the model at its lowest validation loss so far, replaced
    // atomically at each improvement, so a run that overfits or spikes late
    // still leaves its best weights (what gets exported, not model/).
    Status save_best(std::int64_t step, double val_loss) {
        char loss[32];
        std::snprintf(loss, sizeof loss, "%.6f", val_loss);
        auto st = save_trained_model(model_, o_.run_dir / "best", o_, step, {{"best_val_loss", loss}});
        if (!st) return make_error(st.error().code, "cannot write the best model: " + st.message());
        say("best model (step " + std::to_string(step) + ") written to " + (o_.run_dir / "best").string());
        return Status::success();
    }

    // ---- Checkpoints.

    // A run resumes with the LoRA settings it started with (or without LoRA).
    Status check_same_lora(const nlohmann::json& meta, const fs::path& path) const {
        const nlohmann::json now =
            o_.lora ? nlohmann::json{{"rank", o_.lora->rank}, {"alpha", o_.lora->alpha}, {"targets", o_.lora->targets}}
                    : nlohmann::json();
        const nlohmann::json then = meta.contains("lora") ? meta.at("lora") : nlohmann::json();
        if (now == then) return Status::success();
        return make_error(ErrorCode::InvalidArgument,
                          path.string() + " was trained with " + (then.is_null() ? "no LoRA" : "LoRA " + then.dump()) +
                              ", this run asks for " + (now.is_null() ? "no LoRA" : "LoRA " + now.dump()) +
                              ": resume with the same settings, or start a new run directory");
    }

    Status check_same_step(std::int64_t step) {
        auto t = torch::tensor({static_cast<float>(step), 1.0f});
        SHENBI_TRY_STATUS(comm_->all_reduce_sum({t}));
        if (t[0].item<double>() != static_cast<double>(step) * t[1].item<double>()) {
            return make_error(ErrorCode::InvalidArgument,
                              "ranks resumed from different steps: put the run directory on storage every rank sees");
        }
        return Status::success();
    }

    std::string meta_json(const RunState& st) const {
        nlohmann::json j;
        j["format"] = "shenbi-train-checkpoint";
        j["version"] = 1;
        j["stage"] = stage_name(o_.stage);
        j["step"] = st.step;
        j["epoch"] = st.epoch;
        j["batch"] = st.batch;
        j["total_steps"] = total_;
        j["global_batch"] = global_batch_;
        j["seed"] = o_.seed;
        j["best_val"] = std::isfinite(st.best_val) ? st.best_val : -1.0;
        j["first_val"] = st.first_val;
        j["bad_evals"] = st.bad_evals;
        j["train_rows"] = n_train_;
        j["frozen"] = stage_->frozen_fingerprint();
        j["model_config"] = nlohmann::json::parse(to_json(model_.net->config()));
        if (o_.lora) j["lora"] = {{"rank", o_.lora->rank}, {"alpha", o_.lora->alpha}, {"targets", o_.lora->targets}};
        return j.dump();
    }

    Status save(const RunState& st) {
        if (!rank0_) return Status::success();
        return guarded("checkpoint", [&]() -> Status {
            torch::serialize::OutputArchive archive;
            write_string(archive, "meta", meta_json(st));
            torch::serialize::OutputArchive model, optim;
            stage_->trained_module().save(model);
            opt_->save(optim);
            archive.write("model", model);
            archive.write("optim", optim);
            if (o_.lora) {
                torch::serialize::OutputArchive adapters;
                lora_module(model_.net->transformer)->save(adapters);
                archive.write("lora", adapters);
            }
            archive.write("rng", cpu_rng_state(), /*is_buffer=*/true);
            stage_->save_extra(archive);
            auto path = save_checkpoint(o_.run_dir, st.step, archive, o_.keep_last);
            if (!path) return path.error();
            say("checkpoint " + path->string());
            return Status::success();
        });
    }

    Status restore(LoadedCheckpoint& ck, RunState& st) {
        return guarded("resume from " + ck.path.string(), [&]() -> Status {
            auto& a = *ck.archive;
            auto meta_text = read_string(a, "meta");
            if (!meta_text) return meta_text.error();
            const auto j = nlohmann::json::parse(*meta_text);
            if (j.value("stage", "") != stage_name(o_.stage)) {
                return make_error(ErrorCode::InvalidArgument, ck.path.string() + " is a " + j.value("stage", "?") +
                                                                  " checkpoint, not " + stage_name(o_.stage));
            }
            if (j.value("frozen", std::string()) != stage_->frozen_fingerprint()) {
                return make_error(ErrorCode::InvalidArgument,
                                  ck.path.string() + " was trained on other frozen weights (" +
                                      j.value("frozen", std::string()) + ", now " + stage_->frozen_fingerprint() +
                                      "): resume with the same model directory, or start a new run directory");
            }
            if (j.value("global_batch", global_batch_) != global_batch_) {
                say("note: the global batch changed from " + std::to_string(j.value("global_batch", 0)) + " to " +
                    std::to_string(global_batch_) + "; the data position is kept by batch index");
            }
            if (j.value("total_steps", total_) != total_) {
                say("note: the run now has " + std::to_string(total_) + " steps instead of " +
                    std::to_string(j.value("total_steps", 0)) + "; the schedule follows the new total");
            }
            SHENBI_TRY_STATUS(check_same_lora(j, ck.path));
            st.step = j.at("step").get<std::int64_t>();
            st.epoch = j.at("epoch").get<std::int64_t>();
            st.batch = j.at("batch").get<std::int64_t>();
            const double best = j.value("best_val", -1.0);
            st.best_val = best < 0 ? std::numeric_limits<double>::infinity() : best;
            st.first_val = j.value("first_val", -1.0);
            st.bad_evals = j.value("bad_evals", 0);
            torch::serialize::InputArchive model, optim;
            a.read("model", model);
            stage_->trained_module().load(model);
            a.read("optim", optim);
            opt_->load(optim);
            if (o_.lora) {
                torch::serialize::InputArchive adapters;
                a.read("lora", adapters);
                lora_module(model_.net->transformer)->load(adapters);  // in place: the module shares their tensors
            }
            torch::Tensor rng;
            a.read("rng", rng, true);
            set_cpu_rng_state(rng);
            return stage_->load_extra(a);
        });
    }

    ModelBundle& model_;
    const TrainOptions& o_;
    const TrainHooks& hooks_;
    std::unique_ptr<Communicator> comm_;
    bool rank0_ = true;
    BadRowLog log_;
    std::unique_ptr<TrainingStage> stage_;
    std::int64_t n_train_ = 0, global_batch_ = 0, batches_per_epoch_ = 0, total_ = 0;
    ParamGroups groups_;
    std::vector<torch::Tensor> params_;
    std::unique_ptr<torch::optim::AdamW> opt_;
    MetricsWriter* metrics_ = nullptr;
    Clock::time_point start_;
    double last_val_ = -1;
};

}  // namespace

Result<TrainSummary> train(ModelBundle& model, const TrainOptions& options, const TrainHooks& hooks) {
    return guarded("training", [&]() -> Result<TrainSummary> {
        Trainer trainer(model, options, hooks);
        return trainer.run();
    });
}

}  // namespace shenbi
