#include "core/model/precision.h"

#include <torch/torch.h>

#include "core/model/model_bundle.h"
#include "core/util/cpu_features.h"
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
    // Never silently slower than fp32: without native bf16 LibTorch computes
    // bf16 products through a conversion fallback several times slower.
    if (precision == WeightPrecision::BFloat16 && model.device.is_cpu() && !cpu_features().native_bf16()) {
        return make_error(ErrorCode::Unsupported,
                          "bf16 weights need a CPU with native bf16 (AVX512_BF16 or AMX); on this one (" +
                              cpu_features().model +
                              ") they would run several times slower than fp32: use --precision fp32");
    }
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
