// CPU features from /proc/cpuinfo, narrowed by the variables that cap
// LibTorch's and oneDNN's kernels (the benchmarks imitate an AVX2 CPU so).
#include "core/util/cpu_features.h"

#include <gtest/gtest.h>

namespace shenbi {
namespace {

const char* kSapphireRapids =
    "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\n"
    "flags\t\t: fpu sse2 fma avx avx2 avx512f avx512bw avx_vnni avx512_bf16 avx512_vnni amx_bf16 amx_tile amx_int8\n"
    "processor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu\n";
const char* kZen3 = "model name\t: AMD Ryzen 7 5800U with Radeon Graphics\nflags\t\t: fpu sse2 fma avx avx2\n";

TEST(CpuFeatures, ReadsTheFirstProcessorsFlags) {
    const auto f = parse_cpu_features(kSapphireRapids, "", "");
    EXPECT_EQ(f.model, "Intel(R) Xeon(R) Processor");
    EXPECT_TRUE(f.avx2 && f.fma && f.avx512 && f.avx512_bf16 && f.amx_bf16 && f.vnni);
    EXPECT_TRUE(f.native_bf16());
    EXPECT_FALSE(f.capped);

    const auto z = parse_cpu_features(kZen3, "", "");
    EXPECT_EQ(z.model, "AMD Ryzen 7 5800U with Radeon Graphics");
    EXPECT_TRUE(z.avx2);
    EXPECT_FALSE(z.avx512 || z.native_bf16() || z.vnni);
}

TEST(CpuFeatures, TheEnvironmentCapsWhatTheLibrariesUse) {
    const auto aten = parse_cpu_features(kSapphireRapids, "avx2", "");
    EXPECT_TRUE(aten.avx2);
    EXPECT_FALSE(aten.avx512 || aten.native_bf16());
    EXPECT_TRUE(aten.vnni);  // AVX-VNNI is 256-bit
    EXPECT_TRUE(aten.capped);

    const auto dnn = parse_cpu_features(kSapphireRapids, "", "AVX2");
    EXPECT_FALSE(dnn.avx512 || dnn.native_bf16() || dnn.vnni);

    EXPECT_FALSE(parse_cpu_features(kSapphireRapids, "default", "").avx2);
    EXPECT_TRUE(parse_cpu_features(kSapphireRapids, "avx512", "").native_bf16());
    EXPECT_FALSE(parse_cpu_features(kZen3, "avx2", "").capped);  // nothing to take away
}

TEST(CpuFeatures, SummaryNamesEveryFeature) {
    auto f = parse_cpu_features(kSapphireRapids, "", "");
    f.cores = 2;
    EXPECT_EQ(
        f.summary(),
        "Intel(R) Xeon(R) Processor, 2 cores: AVX2 yes, AVX-512 yes, native bf16 yes (AVX512_BF16, AMX), VNNI yes");
    EXPECT_EQ(parse_cpu_features("", "", "").model, "unknown CPU");
}

}  // namespace
}  // namespace shenbi
