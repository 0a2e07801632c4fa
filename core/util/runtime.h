// Run-time choice of compute device and CPU threads (never hard-coded).
#pragma once

#include <string>

#include <c10/core/Device.h>

#include "core/util/result.h"

namespace shenbi {

// "auto" (CUDA when this LibTorch has it and a GPU is present, else CPU),
// "cpu", "cuda", "cuda:N". Asking for CUDA where it is unavailable is an error.
Result<c10::Device> parse_device(const std::string& name);
bool cuda_available();

// Intra-op threads for LibTorch (it starts at 1 on Debian's build). 0 = all cores.
void set_compute_threads(int threads);
int compute_threads();

}  // namespace shenbi
