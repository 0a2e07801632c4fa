#include "core/train/mixed_precision.h"

#include <ATen/autocast_mode.h>

#include "core/model/precision.h"
#include "core/util/cpu_features.h"

namespace shenbi {

Result<MixedPrecision> mixed_precision_from_string(const std::string& name) {
    if (name == "off") return MixedPrecision::Off;
    if (name == "bf16") return MixedPrecision::BFloat16;
    return make_error(ErrorCode::InvalidArgument, "unknown mixed precision '" + name + "' (known: off, bf16)");
}

std::string to_string(MixedPrecision mode) {
    return mode == MixedPrecision::BFloat16 ? "bf16" : "off";
}

Status check_mixed_precision(MixedPrecision mode, const c10::Device& device) {
    if (mode == MixedPrecision::Off) return Status::success();
    if (!device.is_cpu()) {
        return make_error(ErrorCode::Unsupported, "--mixed_precision bf16 runs on the CPU only for now (not tried on " +
                                                      device.str() + "); use --mixed_precision off");
    }
    if (!cpu_runs_precision(WeightPrecision::BFloat16)) {
        return make_error(ErrorCode::Unsupported,
                          "--mixed_precision bf16 needs a CPU with native bf16 (AVX512_BF16 or AMX); on this one (" +
                              cpu_features().model + ") it would run slower than fp32: use --mixed_precision off");
    }
    return Status::success();
}

bool stage2_holds_openmp_for_blas(MixedPrecision mode) {
    return mode == MixedPrecision::Off;
}

AutocastScope::AutocastScope(MixedPrecision mode) : active_(mode == MixedPrecision::BFloat16) {
    if (!active_) return;
    previous_enabled_ = at::autocast::is_cpu_enabled();
    previous_dtype_ = at::autocast::get_autocast_cpu_dtype();
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
    if (!active_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();  // the casts of the weights
    at::autocast::set_cpu_enabled(previous_enabled_);
    at::autocast::set_autocast_cpu_dtype(previous_dtype_);
}

}  // namespace shenbi
