#include "core/model/precision.h"

#include <functional>

#include <torch/torch.h>

#include "core/model/decode_kernels.h"
#include "core/model/model_bundle.h"
#include "core/util/cpu_features.h"
#include "core/util/guard.h"

namespace shenbi {
namespace {

using Int8Slot = std::shared_ptr<const Int8Weight>;

// Every projection of the GPT with the slot its int8 weight hangs in.
void for_each_projection(Gpt& gpt, const std::function<void(torch::nn::LinearImpl&, Int8Slot&)>& fn) {
    for (const auto& module : *gpt->blocks) {
        auto* block = module->as<BlockImpl>();
        auto& attn = *block->attn;
        fn(*attn.key, attn.key_int8);
        fn(*attn.query, attn.query_int8);
        fn(*attn.value, attn.value_int8);
        fn(*attn.proj, attn.proj_int8);
        fn(block->mlp->at<torch::nn::LinearImpl>(0), block->mlp0_int8);
        fn(block->mlp->at<torch::nn::LinearImpl>(2), block->mlp2_int8);
    }
    fn(*gpt->head, gpt->head_int8);
}

// The decode kernels run there: the CPU, with a vector ISA.
bool decode_kernels_on(const c10::Device& device) {
    return device.is_cpu() && decode_isa() != simd::Isa::None;
}

bool is_int8(const ModelBundle& model) {
    return model.net->transformer->head_int8 != nullptr;
}

// Int8 or W8A8: int8 weights, multiplied as `product` says.
Status to_int8(ModelBundle& model, Int8Product product) {
    const std::string name = product == Int8Product::IntegerDot ? "w8a8" : "int8";
    if (!model.device.is_cpu()) {
        return make_error(ErrorCode::Unsupported, name + " weights run on the CPU only; on " + model.device.str() +
                                                      " use --precision fp32 or bf16");
    }
    if (product == Int8Product::IntegerDot && !cpu_runs_precision(WeightPrecision::W8A8)) {
        return make_error(ErrorCode::Unsupported, "w8a8 needs a CPU with AVX-512 and VNNI; this one (" +
                                                      cpu_features().model + ") has not: use --precision int8");
    }
    return guarded("set GPT precision " + name, [&]() -> Status {
        torch::NoGradGuard no_grad;
        auto gpt = model.net->transformer;
        gpt->to(torch::kFloat32);  // from bf16, if it was; norms and biases stay fp32
        for_each_projection(gpt, [&](torch::nn::LinearImpl& linear, Int8Slot& slot) {
            slot = std::make_shared<const Int8Weight>(quantize_int8(linear.weight, product));
            linear.weight.set_data(torch::empty({0}, linear.weight.options()));  // freed: the int8 copy replaces it
        });
        // The VQGAN stays fp32. A bf16 decoder was tried (bench/README.md):
        // with channels-last it drew wrong colours in LibTorch 1.13, and in
        // the usual layout it was no faster (bf16 GroupNorm alone took 2.7 s).
        return Status::success();
    });
}

}  // namespace

Result<WeightPrecision> weight_precision_from_string(const std::string& name) {
    if (name == "fp32" || name == "float32") return WeightPrecision::Float32;
    if (name == "bf16" || name == "bfloat16") return WeightPrecision::BFloat16;
    if (name == "int8") return WeightPrecision::Int8;
    if (name == "w8a8") return WeightPrecision::W8A8;
    if (name == "auto") return WeightPrecision::Auto;
    return make_error(ErrorCode::InvalidArgument,
                      "unknown precision '" + name + "' (expected auto, fp32, bf16, int8 or w8a8)");
}

std::string to_string(WeightPrecision precision) {
    switch (precision) {
        case WeightPrecision::BFloat16:
            return "bf16";
        case WeightPrecision::Int8:
            return "int8";
        case WeightPrecision::W8A8:
            return "w8a8";
        case WeightPrecision::Auto:
            return "auto";
        case WeightPrecision::Float32:
            break;
    }
    return "fp32";
}

WeightPrecision resolve_precision(WeightPrecision precision, const c10::Device& device) {
    if (precision != WeightPrecision::Auto) return precision;
    return decode_kernels_on(device) ? WeightPrecision::Int8 : WeightPrecision::Float32;
}

bool cpu_runs_precision(WeightPrecision precision) {
    switch (precision) {
        case WeightPrecision::BFloat16:
            return cpu_features().native_bf16();
        case WeightPrecision::W8A8:
            return integer_dot_available();
        default:
            return true;
    }
}

Status set_gpt_precision(ModelBundle& model, WeightPrecision precision) {
    precision = resolve_precision(precision, model.device);
    if (is_int8(model)) {
        if (precision == gpt_precision(model)) return Status::success();
        return make_error(ErrorCode::InvalidArgument, "the GPT's weights are " + to_string(gpt_precision(model)) +
                                                          " already; load the model again for " + to_string(precision));
    }
    if (precision == WeightPrecision::Int8) return to_int8(model, Int8Product::WidenWeights);
    if (precision == WeightPrecision::W8A8) return to_int8(model, Int8Product::IntegerDot);
    // Never silently slower than fp32: without native bf16 LibTorch computes
    // bf16 products through a conversion fallback several times slower.
    if (precision == WeightPrecision::BFloat16 && model.device.is_cpu() && !cpu_runs_precision(precision)) {
        return make_error(ErrorCode::Unsupported,
                          "bf16 weights need a CPU with native bf16 (AVX512_BF16 or AMX); on this one (" +
                              cpu_features().model +
                              ") they would run several times slower than fp32: use --precision fp32 or int8");
    }
    return guarded("set GPT precision", [&]() -> Status {
        model.net->transformer->to(precision == WeightPrecision::BFloat16 ? torch::kBFloat16 : torch::kFloat32);
        return Status::success();
    });
}

WeightPrecision gpt_precision(const ModelBundle& model) {
    if (const auto& head = model.net->transformer->head_int8) {
        return head->product == Int8Product::IntegerDot ? WeightPrecision::W8A8 : WeightPrecision::Int8;
    }
    return model.net->transformer->head->weight.scalar_type() == torch::kBFloat16 ? WeightPrecision::BFloat16
                                                                                  : WeightPrecision::Float32;
}

torch::ScalarType vqgan_decode_dtype(const ModelBundle& model) {
    return model.net->first_stage_model->post_quant_conv->weight.scalar_type();
}

bool uses_decode_kernels(const ModelBundle& model) {
    return decode_kernels_on(model.device);
}

std::int64_t gpt_bytes_read_per_step(const ModelBundle& model) {
    std::int64_t bytes = 0;
    auto gpt = model.net->transformer;
    for (const auto& p : gpt->named_parameters()) {
        if (p.key() == "tok_emb.weight" || p.key() == "pos_emb") continue;
        bytes += p.value().numel() * static_cast<std::int64_t>(p.value().element_size());  // 0 for freed weights
    }
    for_each_projection(gpt, [&](torch::nn::LinearImpl&, Int8Slot& slot) {
        if (slot) bytes += slot->bytes();
    });
    return bytes;
}

}  // namespace shenbi
