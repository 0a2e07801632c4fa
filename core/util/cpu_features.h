// What this CPU offers the kernels LibTorch, oneDNN and OpenBLAS pick at run
// time: the vector extensions, native bf16 and int8 dot products. Read once
// from /proc/cpuinfo (Linux, x86-64; elsewhere everything reads false), then
// narrowed by the environment variables that cap those libraries' kernels
// (ATEN_CPU_CAPABILITY, ONEDNN_MAX_CPU_ISA), so that a benchmark run that
// imitates an AVX2-only CPU on an AVX-512 one sees itself as AVX2-only.
#pragma once

#include <string>

namespace shenbi {

struct CpuFeatures {
    std::string model;  // "Intel(R) Xeon(R) Processor", "AMD Ryzen 7 5800U ...", or "unknown CPU"
    int cores = 0;      // logical CPUs this process may run on
    bool avx2 = false;
    bool fma = false;
    bool avx512 = false;       // AVX-512 F
    bool avx512_bf16 = false;  // vdpbf16ps
    bool amx_bf16 = false;
    bool vnni = false;    // AVX512_VNNI or AVX_VNNI: int8 dot products
    bool capped = false;  // an environment variable took extensions away (see above)

    // bf16 products at least as fast as fp32 ones. Without AVX512_BF16 or
    // AMX, LibTorch converts each bf16 operand in a scalar-ish fallback: a
    // decoding step ran 7.4x slower than fp32 on a Zen 3 (bench/README.md).
    bool native_bf16() const { return avx512_bf16 || amx_bf16; }
    // "Intel(R) Xeon(R) Processor, 2 cores: AVX2 yes, AVX-512 yes, native bf16 yes (AVX512_BF16, AMX), VNNI yes"
    std::string summary() const;
};

const CpuFeatures& cpu_features();

// For tests: features from the text of a /proc/cpuinfo and the two
// environment variables' values (empty = unset).
CpuFeatures parse_cpu_features(const std::string& cpuinfo,
                               const std::string& aten_cpu_capability,
                               const std::string& onednn_max_cpu_isa);

}  // namespace shenbi
