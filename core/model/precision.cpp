#include "core/model/precision.h"

#include <torch/torch.h>

#include "core/model/model_bundle.h"
#include "core/util/guard.h"

namespace shenbi {

Result<WeightPrecision> weight_precision_from_string(const std::string& name) {
    if (name == "fp32" || name == "float32") return WeightPrecision::Float32;
    if (name == "bf16" || name == "bfloat16") return WeightPrecision::BFloat16;
    return make_error(ErrorCode::InvalidArgument, "unknown precision '" + name + "' (expected fp32 or bf16)");
}

std::string to_string(WeightPrecision precision) {
    return precision == WeightPrecision::BFloat16 ? "bf16" : "fp32";
}

Status set_gpt_precision(ModelBundle& model, WeightPrecision precision) {
    return guarded("set GPT precision", [&]() -> Status {
        model.net->transformer->to(precision == WeightPrecision::BFloat16 ? torch::kBFloat16 : torch::kFloat32);
        return Status::success();
    });
}

std::int64_t gpt_bytes_read_per_step(const ModelBundle& model) {
    std::int64_t bytes = 0;
    for (const auto& p : model.net->transformer->named_parameters()) {
        if (p.key() == "tok_emb.weight" || p.key() == "pos_emb") continue;
        bytes += p.value().numel() * static_cast<std::int64_t>(p.value().element_size());
    }
    return bytes;
}

}  // namespace shenbi
