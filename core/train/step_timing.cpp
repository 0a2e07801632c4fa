#include "core/train/step_timing.h"

#include <chrono>
#include <optional>

#include <torch/torch.h>

#include "core/model/model_bundle.h"
#include "core/train/gpt_loss.h"
#include "core/train/optim.h"
#include "core/util/guard.h"
#include "core/util/runtime.h"

namespace shenbi {

Result<StepTimingResult> time_train_steps(ModelBundle& model, const StepTimingOptions& options) {
    if (!model.net || !model.net->transformer) return make_error(ErrorCode::InvalidArgument, "the model has no GPT");
    if (options.micro_batch < 1 || options.steps < 1)
        return make_error(ErrorCode::InvalidArgument, "step timing needs a batch and at least one step");
    SHENBI_TRY_STATUS(check_mixed_precision(options.mixed, model.device));
    auto gpt = model.net->transformer;
    if (options.lora) SHENBI_TRY_STATUS(attach_lora(gpt, *options.lora, 1));
    auto result = guarded("timing training steps", [&]() -> Result<StepTimingResult> {
        gpt->train();
        const auto& c = gpt->config();
        const auto dev = model.device;
        ParamGroups groups;
        if (options.lora) {
            groups.decay = lora_parameters(gpt);
            for (std::size_t k = 0; k < groups.decay.size(); ++k)
                groups.decay_names.push_back("lora." + std::to_string(k));
        } else {
            groups = split_params({{"transformer", gpt.ptr().get()}});
        }
        auto opt = make_adamw(groups, OptimConfig{});
        auto params = groups.all();
        const std::int64_t batch = options.micro_batch;
        auto text = torch::randint(1, c.text_vocab, {batch, c.text_len}).to(dev);
        auto codes = torch::randint(0, c.img_vocab, {batch, c.img_len}).to(dev);
        KnowledgeInput know;
        if (c.fusion != FusionMode::None) {
            know.emb = torch::randn({batch, c.max_entities, c.text_len, c.ent_dim}).to(dev);
            know.mask = (torch::rand({batch, c.max_entities, c.text_len}) < 0.1).to(dev);
        }
        std::optional<GemmBoundScope> gemm_bound;  // as the trainer does for stage 2
        if (stage2_holds_openmp_for_blas(options.mixed)) gemm_bound.emplace(dev);
        double total = 0;
        for (int s = 0; s <= options.steps; ++s) {
            const auto t0 = std::chrono::steady_clock::now();
            opt->zero_grad();
            auto loss = gpt_image_loss(gpt, text, codes, know, options.mixed);
            loss.backward();
            torch::nn::utils::clip_grad_norm_(params, 1.0);
            opt->step();
            if (dev.is_cuda()) torch::cuda::synchronize();
            if (s > 0) total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        StepTimingResult r;
        r.seconds_per_step = total / options.steps;
        for (auto& p : params) r.trained_parameters += p.numel();
        r.sequence = c.text_len + c.img_len - 1;
        return r;
    });
    gpt->eval();
    if (options.lora) SHENBI_TRY_STATUS(detach_lora(gpt));
    return result;
}

}  // namespace shenbi
