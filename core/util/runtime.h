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

// Peak resident set size of this process so far, in MB (benchmarks).
double peak_rss_mb();

// For a scope on the calling thread, LibTorch's intra-op (OpenMP) pool uses
// `threads`. OpenMP thread counts are per calling thread, so this does not
// affect other threads.
class ScopedIntraOpThreads {
public:
    explicit ScopedIntraOpThreads(int threads);
    ~ScopedIntraOpThreads();
    ScopedIntraOpThreads(const ScopedIntraOpThreads&) = delete;
    ScopedIntraOpThreads& operator=(const ScopedIntraOpThreads&) = delete;

private:
    int previous_;
};

// For GEMM-bound work on the CPU (the GPT: generation and stage-2 training),
// leaves the cores to OpenBLAS's pool by running LibTorch's OpenMP pool with
// one thread for the scope; no-op on other devices or BLAS libraries. Why:
// the GPT alternates BLAS products (OpenBLAS's own threads) with element-wise
// ops (OpenMP threads), and on 2 cores the two pools' spinning threads
// preempt each other: a decoding step took 268 ms instead of 44 ms, a
// training step of the small preset 0.56 s instead of 0.27 s
// (bench/README.md, bench/train.md). Convolutions (the VQGAN) need the
// OpenMP pool: do not use this around them.
class GemmBoundScope {
public:
    explicit GemmBoundScope(const c10::Device& device);
    ~GemmBoundScope();
    GemmBoundScope(const GemmBoundScope&) = delete;
    GemmBoundScope& operator=(const GemmBoundScope&) = delete;

private:
    int previous_ = -1;  // -1: nothing changed
};

// The other way round, for work whose threads are LibTorch's OpenMP pool (the
// decode kernels, core/model/decode_kernels.h): OpenBLAS runs on the calling
// thread alone for the scope, so the two pools do not preempt each other;
// no-op on other devices or BLAS libraries. OpenBLAS's thread count is
// process-wide: do not overlap this with BLAS-heavy work on other threads.
class OpenMpBoundScope {
public:
    explicit OpenMpBoundScope(const c10::Device& device);
    ~OpenMpBoundScope();
    OpenMpBoundScope(const OpenMpBoundScope&) = delete;
    OpenMpBoundScope& operator=(const OpenMpBoundScope&) = delete;

private:
    int previous_ = -1;  // -1: nothing changed
};

}  // namespace shenbi
