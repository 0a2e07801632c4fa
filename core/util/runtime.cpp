#include "core/util/runtime.h"

#include <thread>

#include <dlfcn.h>
#include <sys/resource.h>
#include <torch/torch.h>

namespace shenbi {

bool cuda_available() {
    return torch::cuda::is_available();
}

Result<c10::Device> parse_device(const std::string& name) {
    if (name.empty() || name == "auto") return cuda_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    if (name == "cpu") return c10::Device(c10::kCPU);
    if (name.rfind("cuda", 0) == 0) {
        if (!cuda_available()) {
            return make_error(ErrorCode::Unsupported,
                              "device '" + name + "' requested but this LibTorch has no usable CUDA");
        }
        try {
            return c10::Device(name);
        } catch (...) {
        }
    }
    return make_error(ErrorCode::InvalidArgument, "unknown device '" + name + "' (expected auto, cpu, cuda or cuda:N)");
}

namespace {

using OpenBlasSetThreads = void (*)(int);
using OpenBlasGetThreads = int (*)();

OpenBlasSetThreads openblas_set_threads() {
    static const auto fn = reinterpret_cast<OpenBlasSetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    return fn;
}

OpenBlasGetThreads openblas_get_threads() {
    static const auto fn = reinterpret_cast<OpenBlasGetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn;
}

}  // namespace

bool blas_is_openblas() {
    return openblas_set_threads() != nullptr;
}

double peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void set_compute_threads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    if (auto fn = openblas_set_threads()) fn(threads);
}

int compute_threads() {
    return at::get_num_threads();
}

ScopedIntraOpThreads::ScopedIntraOpThreads(int threads) : previous_(at::get_num_threads()) {
    at::set_num_threads(threads);
}

ScopedIntraOpThreads::~ScopedIntraOpThreads() {
    at::set_num_threads(previous_);
}

GemmBoundScope::GemmBoundScope(const c10::Device& device) {
    if (!device.is_cpu() || !blas_is_openblas()) return;
    previous_ = at::get_num_threads();
    at::set_num_threads(1);
}

GemmBoundScope::~GemmBoundScope() {
    if (previous_ > 0) at::set_num_threads(previous_);
}

OpenMpBoundScope::OpenMpBoundScope(const c10::Device& device) {
    if (!device.is_cpu() || !openblas_set_threads() || !openblas_get_threads()) return;
    previous_ = openblas_get_threads()();
    openblas_set_threads()(1);
}

OpenMpBoundScope::~OpenMpBoundScope() {
    if (previous_ > 0) openblas_set_threads()(previous_);
}

}  // namespace shenbi
