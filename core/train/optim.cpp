#include "core/train/optim.h"

#include <algorithm>

namespace shenbi {

double scheduled_lr(const OptimConfig& config, std::int64_t step, std::int64_t total_steps) {
    const auto warmup = static_cast<std::int64_t>(config.warmup_fraction * static_cast<double>(total_steps));
    if (step < warmup)
        return config.learning_rate * static_cast<double>(step) /
               static_cast<double>(std::max<std::int64_t>(1, warmup));
    const double left =
        static_cast<double>(total_steps - step) / static_cast<double>(std::max<std::int64_t>(1, total_steps - warmup));
    return config.learning_rate * std::max(0.0, left);
}

std::vector<torch::Tensor> ParamGroups::all() const {
    std::vector<torch::Tensor> out = decay;
    out.insert(out.end(), no_decay.begin(), no_decay.end());
    return out;
}

ParamGroups split_params(const std::vector<std::pair<std::string, torch::nn::Module*>>& modules) {
    ParamGroups g;
    for (const auto& [prefix, module] : modules) {
        for (const auto& item : module->named_parameters(/*recurse=*/true)) {
            if (!item.value().requires_grad()) continue;
            const std::string name = prefix.empty() ? item.key() : prefix + "." + item.key();
            if (item.value().dim() >= 2) {
                g.decay_names.push_back(name);
                g.decay.push_back(item.value());
            } else {
                g.no_decay_names.push_back(name);
                g.no_decay.push_back(item.value());
            }
        }
    }
    return g;
}

std::unique_ptr<torch::optim::AdamW> make_adamw(const ParamGroups& groups, const OptimConfig& config) {
    auto options = [&](double wd) {
        return torch::optim::AdamWOptions(config.learning_rate)
            .betas({config.beta1, config.beta2})
            .eps(config.eps)
            .weight_decay(wd);
    };
    std::vector<torch::optim::OptimizerParamGroup> param_groups;
    param_groups.emplace_back(groups.decay, std::make_unique<torch::optim::AdamWOptions>(options(config.weight_decay)));
    param_groups.emplace_back(groups.no_decay, std::make_unique<torch::optim::AdamWOptions>(options(0.0)));
    return std::make_unique<torch::optim::AdamW>(std::move(param_groups), options(config.weight_decay));
}

void set_lr(torch::optim::Optimizer& optimizer, double lr) {
    for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace shenbi
