#include "core/format/state_dict.h"

#include <unordered_map>
#include <unordered_set>

#include "core/util/guard.h"

namespace shenbi {
namespace {

void collect(const torch::nn::Module& module, const std::string& prefix, StateDict& out) {
    // Walked by hand rather than with named_modules(), which needs the root to
    // be owned by a shared_ptr.
    for (const auto& p : module.named_parameters(/*recurse=*/false)) out.emplace_back(prefix + p.key(), p.value());
    for (const auto& b : module.named_buffers(/*recurse=*/false)) out.emplace_back(prefix + b.key(), b.value());
    for (const auto& c : module.named_children()) collect(*c.value(), prefix + c.key() + ".", out);
}

// Appends a titled section of at most `max_lines` entries.
void section(std::string& msg, const char* title, const std::vector<std::string>& lines, std::size_t max_lines) {
    if (lines.empty()) return;
    msg += "\n" + std::string(title) + " (" + std::to_string(lines.size()) + "):";
    for (std::size_t k = 0; k < lines.size() && k < max_lines; ++k) msg += "\n  " + lines[k];
    if (lines.size() > max_lines) msg += "\n  ... and " + std::to_string(lines.size() - max_lines) + " more";
}

}  // namespace

std::string shape_string(c10::IntArrayRef sizes) {
    std::string s = "[";
    for (std::size_t d = 0; d < sizes.size(); ++d) s += (d ? ", " : "") + std::to_string(sizes[d]);
    return s + "]";
}

StateDict module_state_dict(const torch::nn::Module& module) {
    StateDict out;
    collect(module, "", out);
    return out;
}

Status load_state_dict_strict(torch::nn::Module& module, const StateDict& state, std::size_t max_lines) {
    StateDict targets = module_state_dict(module);
    std::unordered_map<std::string, const torch::Tensor*> given;
    std::vector<std::string> missing, unexpected, mismatched;
    for (const auto& [key, t] : state) {
        if (!given.emplace(key, &t).second) unexpected.push_back(key + " (duplicate)");
    }
    std::unordered_set<std::string> wanted;
    for (const auto& [key, target] : targets) {
        wanted.insert(key);
        const auto it = given.find(key);
        if (it == given.end()) {
            missing.push_back(key + " " + shape_string(target.sizes()));
        } else if (!it->second->defined()) {
            mismatched.push_back(key + ": no tensor, model has " + shape_string(target.sizes()));
        } else if (it->second->sizes() != target.sizes()) {
            mismatched.push_back(key + ": checkpoint " + shape_string(it->second->sizes()) + ", model " +
                                 shape_string(target.sizes()));
        } else if (target.is_floating_point() && !it->second->is_floating_point()) {
            // copy_ would turn integers into weights without a word.
            mismatched.push_back(key + ": checkpoint dtype " + std::string(c10::toString(it->second->scalar_type())) +
                                 ", the model's weights are " + std::string(c10::toString(target.scalar_type())));
        }
    }
    for (const auto& [key, t] : state) {
        if (!wanted.count(key)) unexpected.push_back(key + (t.defined() ? " " + shape_string(t.sizes()) : ""));
    }
    if (!missing.empty() || !unexpected.empty() || !mismatched.empty()) {
        std::string msg = "checkpoint does not fit the model";
        section(msg, "missing keys", missing, max_lines);
        section(msg, "unexpected keys", unexpected, max_lines);
        section(msg, "mis-shaped keys", mismatched, max_lines);
        return make_error(ErrorCode::ShapeMismatch, msg);
    }
    return guarded("loading weights", [&]() -> Status {
        torch::NoGradGuard no_grad;
        std::vector<std::string> non_finite;  // damaged or diverged weights would draw noise, silently
        for (const auto& [key, target] : targets) {
            const torch::Tensor& t = *given.at(key);
            if (t.is_floating_point() && !torch::isfinite(t).all().item<bool>()) non_finite.push_back(key);
        }
        if (!non_finite.empty()) {
            std::string msg = "checkpoint holds NaN or infinite values";
            section(msg, "keys", non_finite, max_lines);
            return make_error(ErrorCode::Corrupt, msg);
        }
        for (auto& [key, target] : targets) {
            // copy_ converts dtype and device; the target keeps its own.
            target.copy_(*given.at(key));
        }
        return Status::success();
    });
}

}  // namespace shenbi
