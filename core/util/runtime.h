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

// Threads for LibTorch's intra-op pool (it starts at 1 on Debian's build)
// and, when the BLAS is OpenBLAS, for OpenBLAS's own pool. 0 = all cores.
void set_compute_threads(int threads);
int compute_threads();

// True when the loaded BLAS is OpenBLAS (found at run time: libblas.so.3 is
// a Debian alternative, so this is not known at build time).
bool blas_is_openblas();

// For a scope on the calling thread, LibTorch's intra-op (OpenMP) pool uses
// `threads`. Why: a decoding step alternates OpenBLAS matrix-vector products
// (OpenBLAS's own threads) with small element-wise ops (OpenMP threads); on 2
// cores the two pools' spinning threads preempt each other and a step took
// 268 ms instead of 44 ms (bench/README.md). With one OpenMP thread the BLAS
// keeps both cores. OpenMP thread counts are per calling thread, so this does
// not affect other threads.
class ScopedIntraOpThreads {
public:
    explicit ScopedIntraOpThreads(int threads);
    ~ScopedIntraOpThreads();
    ScopedIntraOpThreads(const ScopedIntraOpThreads&) = delete;
    ScopedIntraOpThreads& operator=(const ScopedIntraOpThreads&) = delete;

private:
    int previous_;
};

}  // namespace shenbi
