#include "core/model/lora.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/format/state_dict.h"
#include "core/util/guard.h"

namespace shenbi {
namespace fs = std::filesystem;
namespace {

constexpr const char* kKeyPrefix = "transformer.";  // the GPT's prefix in a full checkpoint (ArtistModel)

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// A Linear that a target names, and the slot its module reads the adapter from.
struct Site {
    std::string target;  // "attn.key"
    std::string key;     // checkpoint key of the Linear below the GPT, "blocks.0.attn.key"
    torch::nn::LinearImpl* linear = nullptr;
    std::shared_ptr<LoraAdapterImpl>* adapter = nullptr;
};

Site site(BlockImpl& block, const std::string& target) {
    auto& attn = *block.attn;
    if (target == "attn.key") return {target, target, attn.key.get(), &attn.key_lora};
    if (target == "attn.query") return {target, target, attn.query.get(), &attn.query_lora};
    if (target == "attn.value") return {target, target, attn.value.get(), &attn.value_lora};
    if (target == "attn.proj") return {target, target, attn.proj.get(), &attn.proj_lora};
    if (target == "mlp.0") return {target, target, &block.mlp->at<torch::nn::LinearImpl>(0), &block.mlp0_lora};
    if (target == "mlp.2") return {target, target, &block.mlp->at<torch::nn::LinearImpl>(2), &block.mlp2_lora};
    return {};  // unknown: LoraConfig::validate() refuses it first
}

// Every block's Linears named by `targets`, block by block. The blocks are
// reached through shared_ptrs, so a const GPT still yields writable slots.
std::vector<Site> sites(const GptImpl& gpt, const std::vector<std::string>& targets) {
    std::vector<Site> out;
    for (std::size_t i = 0; i < gpt.blocks->size(); ++i) {
        auto block = gpt.blocks->ptr<BlockImpl>(i);
        for (const auto& target : targets) {
            Site s = site(*block, target);
            if (!s.linear) continue;
            s.key = "blocks." + std::to_string(i) + "." + target;
            out.push_back(std::move(s));
        }
    }
    return out;
}

std::vector<Site> attached_sites(const GptImpl& gpt) {
    std::vector<Site> out;
    for (auto& s : sites(gpt, lora_target_names()))
        if (*s.adapter) out.push_back(std::move(s));
    return out;
}

std::shared_ptr<LoraAdapterImpl> make_adapter(const torch::nn::LinearImpl& linear,
                                              const LoraConfig& config,
                                              at::Generator& generator) {
    const auto& w = linear.weight;  // (out, in)
    return std::make_shared<LoraAdapterImpl>(w.size(1), w.size(0), config.rank, config.alpha, generator, w.device(),
                                             w.scalar_type());
}

// A module tree whose state-dict keys are the adapter file's keys
// ("transformer.blocks.0.attn.key.lora_A"), so that save and load name the
// tensors one way and load_state_dict_strict() checks every key and shape.
std::shared_ptr<torch::nn::Module> adapter_tree(const std::vector<Site>& chosen,
                                                const std::vector<std::shared_ptr<LoraAdapterImpl>>& adapters) {
    auto root = std::make_shared<torch::nn::Module>();
    for (std::size_t k = 0; k < chosen.size(); ++k) {
        const std::string path = kKeyPrefix + chosen[k].key;
        torch::nn::Module* parent = root.get();
        std::size_t begin = 0;
        for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', begin)) {
            const std::string part = path.substr(begin, dot - begin);
            auto children = parent->named_children();
            if (auto* child = children.find(part)) {
                parent = child->get();
            } else {
                parent = parent->register_module(part, std::make_shared<torch::nn::Module>()).get();
            }
            begin = dot + 1;
        }
        parent->register_module(path.substr(begin), adapters[k]);
    }
    return root;
}

// Freezes the base and plugs the adapters in; cannot fail.
void install(GptImpl& gpt,
             const std::vector<Site>& chosen,
             const std::vector<std::shared_ptr<LoraAdapterImpl>>& adapters) {
    for (auto& p : gpt.parameters()) p.set_requires_grad(false);
    for (std::size_t k = 0; k < chosen.size(); ++k) *chosen[k].adapter = adapters[k];
}

}  // namespace

const std::vector<std::string>& lora_target_names() {
    static const std::vector<std::string> names{"attn.key", "attn.query", "attn.value", "attn.proj", "mlp.0", "mlp.2"};
    return names;
}

Status LoraConfig::validate() const {
    if (rank < 1)
        return make_error(ErrorCode::InvalidArgument, "LoRA rank must be at least 1, got " + std::to_string(rank));
    if (!std::isfinite(alpha) || alpha <= 0)
        return make_error(ErrorCode::InvalidArgument, "LoRA alpha must be positive, got " + std::to_string(alpha));
    const auto& known = lora_target_names();
    if (targets.empty())
        return make_error(ErrorCode::InvalidArgument, "LoRA needs at least one target (known: " + join(known) + ")");
    std::set<std::string> seen;
    for (const auto& t : targets) {
        if (std::find(known.begin(), known.end(), t) == known.end()) {
            return make_error(ErrorCode::InvalidArgument,
                              "unknown LoRA target '" + t + "' (known: " + join(known) + ")");
        }
        if (!seen.insert(t).second)
            return make_error(ErrorCode::InvalidArgument, "LoRA target '" + t + "' is listed twice");
    }
    return Status::success();
}

LoraAdapterImpl::LoraAdapterImpl(int64_t in_features,
                                 int64_t out_features,
                                 int rank,
                                 double alpha,
                                 at::Generator& generator,
                                 torch::Device device,
                                 torch::ScalarType dtype)
    : alpha_(alpha) {
    // Drawn on the CPU in float32 so that a seed gives the same A on every device.
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    auto a = torch::empty({rank, in_features}, torch::kFloat32);  // (r, in)
    a.uniform_(-bound, bound, generator);
    lora_A = register_parameter("lora_A", a.to(device, dtype));
    lora_B = register_parameter("lora_B", torch::zeros({out_features, rank}, torch::dtype(dtype).device(device)));
}

torch::Tensor LoraAdapterImpl::delta(const torch::Tensor& x) const {
    auto down = torch::linear(x, lora_A);          // (..., r)
    return torch::linear(down, lora_B) * scale();  // (..., out)
}

torch::Tensor LoraAdapterImpl::weight_delta() const {
    return torch::matmul(lora_B, lora_A) * scale();  // (out, in)
}

namespace {

// What attach_lora and attach_lora_state both require of the GPT.
Status check_attachable(const Gpt& gpt) {
    if (has_lora(gpt))
        return make_error(ErrorCode::InvalidArgument, "the GPT has LoRA adapters already; detach or merge them first");
    if (gpt->head_int8)  // its fp32 weights are gone (set_gpt_precision)
        return make_error(ErrorCode::InvalidArgument, "LoRA adapters need fp32 or bf16 weights; this GPT is int8");
    return Status::success();
}

}  // namespace

Status attach_lora(Gpt& gpt, const LoraConfig& config, std::uint64_t seed) {
    SHENBI_TRY_STATUS(config.validate());
    SHENBI_TRY_STATUS(check_attachable(gpt));
    return guarded("attaching LoRA adapters", [&]() -> Status {
        auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
        const auto chosen = sites(*gpt, config.targets);
        std::vector<std::shared_ptr<LoraAdapterImpl>> adapters;
        for (const auto& s : chosen) adapters.push_back(make_adapter(*s.linear, config, generator));
        install(*gpt, chosen, adapters);  // only now: an exception above leaves the model as it was
        return Status::success();
    });
}

bool has_lora(const Gpt& gpt) {
    return !attached_sites(*gpt).empty();
}

std::vector<torch::Tensor> lora_parameters(Gpt& gpt) {
    std::vector<torch::Tensor> out;
    for (const auto& s : attached_sites(*gpt)) {
        out.push_back((*s.adapter)->lora_A);
        out.push_back((*s.adapter)->lora_B);
    }
    return out;
}

Status detach_lora(Gpt& gpt) {
    const auto attached = attached_sites(*gpt);
    if (attached.empty()) return Status::success();
    for (const auto& s : attached) s.adapter->reset();
    for (auto& p : gpt->parameters()) p.set_requires_grad(true);
    return Status::success();
}

Status merge_lora(Gpt& gpt) {
    const auto attached = attached_sites(*gpt);
    if (attached.empty()) return make_error(ErrorCode::InvalidArgument, "the GPT has no LoRA adapter to merge");
    if (gpt->head_int8)
        return make_error(ErrorCode::InvalidArgument, "LoRA adapters cannot be merged into int8 weights");
    auto merged = guarded("merging LoRA adapters", [&]() -> Status {
        torch::NoGradGuard no_grad;
        // Every update first: an exception leaves all weights as they were.
        std::vector<torch::Tensor> updates;
        for (const auto& s : attached)
            updates.push_back((*s.adapter)->weight_delta().to(s.linear->weight.scalar_type()));  // (out, in)
        for (std::size_t k = 0; k < attached.size(); ++k) attached[k].linear->weight.add_(updates[k]);
        return Status::success();
    });
    SHENBI_TRY_STATUS(merged);
    return detach_lora(gpt);
}

Result<LoraConfig> attached_lora_config(const Gpt& gpt) {
    const auto attached = attached_sites(*gpt);
    if (attached.empty()) return make_error(ErrorCode::InvalidArgument, "the GPT has no LoRA adapter");
    LoraConfig config;
    config.rank = attached.front().adapter->get()->rank();
    config.alpha = attached.front().adapter->get()->alpha();
    config.targets.clear();
    for (const auto& target : lora_target_names()) {
        const auto n =
            std::count_if(attached.begin(), attached.end(), [&](const Site& s) { return s.target == target; });
        if (n == 0) continue;
        if (static_cast<std::size_t>(n) != gpt->blocks->size())
            return make_error(ErrorCode::InvalidArgument, "LoRA adapters on " + target + " of only some blocks");
        config.targets.push_back(target);
    }
    for (const auto& s : attached) {
        const auto& a = **s.adapter;
        if (a.rank() != config.rank || a.alpha() != config.alpha)
            return make_error(ErrorCode::InvalidArgument, "LoRA adapters of different rank or alpha (" + s.key + ")");
    }
    return config;
}

std::shared_ptr<torch::nn::Module> lora_module(const Gpt& gpt) {
    const auto attached = attached_sites(*gpt);
    std::vector<std::shared_ptr<LoraAdapterImpl>> adapters;
    for (const auto& s : attached) adapters.push_back(*s.adapter);
    return adapter_tree(attached, adapters);
}

Status attach_lora_state(Gpt& gpt, const LoraConfig& config, const StateDict& state) {
    SHENBI_TRY_STATUS(config.validate());
    SHENBI_TRY_STATUS(check_attachable(gpt));
    return guarded("LoRA adapter tensors", [&]() -> Status {
        // Fresh adapters take the tensors' values; A's draw is overwritten.
        auto generator = at::make_generator<at::CPUGeneratorImpl>(0);
        const auto chosen = sites(*gpt, config.targets);
        std::vector<std::shared_ptr<LoraAdapterImpl>> adapters;
        for (const auto& s : chosen) adapters.push_back(make_adapter(*s.linear, config, generator));
        SHENBI_TRY_STATUS(load_state_dict_strict(*adapter_tree(chosen, adapters), state));
        install(*gpt, chosen, adapters);  // only now: a refused state leaves the model as it was
        return Status::success();
    });
}

}  // namespace shenbi
