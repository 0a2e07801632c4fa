// The released ARTIST optimisation recipe: AdamW (0.9, 0.999), eps 1e-6,
// weight decay 1e-4 on weights only (not on biases or norm scales, i.e. on
// no parameter of fewer than 2 dimensions), linear warm-up over a fraction of
// the steps then linear decay to 0, gradient-norm clipping.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

namespace shenbi {

struct OptimConfig {
    double learning_rate = 4e-5;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-6;
    double weight_decay = 1e-4;
    double warmup_fraction = 0.1;  // of total steps
    double clip_grad_norm = 1.0;   // <= 0: off
};

// Linear warm-up then linear decay (HF get_linear_schedule_with_warmup):
// step counts optimizer updates already made (0 for the first one).
double scheduled_lr(const OptimConfig& config, std::int64_t step, std::int64_t total_steps);

// Trainable parameters (requires_grad) of `modules`, split into a decayed
// group (dim >= 2) and an undecayed one. Names are "prefix.key", in order.
struct ParamGroups {
    std::vector<std::string> decay_names, no_decay_names;
    std::vector<torch::Tensor> decay, no_decay;
    std::vector<torch::Tensor> all() const;
};
ParamGroups split_params(const std::vector<std::pair<std::string, torch::nn::Module*>>& modules);

std::unique_ptr<torch::optim::AdamW> make_adamw(const ParamGroups& groups, const OptimConfig& config);

// Sets every group's learning rate.
void set_lr(torch::optim::Optimizer& optimizer, double lr);

}  // namespace shenbi
