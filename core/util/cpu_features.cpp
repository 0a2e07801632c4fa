#include "core/util/cpu_features.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <sched.h>

namespace shenbi {
namespace {

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// The value of the first "key : value" line of /proc/cpuinfo.
std::string field(const std::string& cpuinfo, const std::string& key) {
    std::istringstream in(cpuinfo);
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) != 0) continue;
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const auto start = line.find_first_not_of(" \t", colon + 1);
        return start == std::string::npos ? std::string() : line.substr(start);
    }
    return {};
}

int usable_cores() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    return 0;
}

std::string yes(bool b) {
    return b ? "yes" : "no";
}

}  // namespace

CpuFeatures parse_cpu_features(const std::string& cpuinfo,
                               const std::string& aten_cpu_capability,
                               const std::string& onednn_max_cpu_isa) {
    CpuFeatures f;
    f.model = field(cpuinfo, "model name");
    if (f.model.empty()) f.model = "unknown CPU";
    std::set<std::string> flags;
    std::istringstream words(field(cpuinfo, "flags"));
    for (std::string w; words >> w;) flags.insert(w);
    auto has = [&](const char* flag) { return flags.count(flag) > 0; };
    f.avx2 = has("avx2");
    f.fma = has("fma");
    f.avx512 = has("avx512f");
    f.avx512_bf16 = has("avx512_bf16");
    f.amx_bf16 = has("amx_bf16");
    f.vnni = has("avx512_vnni") || has("avx_vnni");

    // ATEN_CPU_CAPABILITY=default|avx2|avx512 caps LibTorch's own kernels;
    // ONEDNN_MAX_CPU_ISA=AVX2 (or SSE41, AVX, ...) caps oneDNN's.
    const std::string aten = upper(aten_cpu_capability), dnn = upper(onednn_max_cpu_isa);
    const bool no_avx512 = aten == "DEFAULT" || aten == "AVX2" || dnn == "SSE41" || dnn == "AVX" || dnn == "AVX2" ||
                           dnn == "AVX2_VNNI" || dnn == "AVX2_VNNI_2";
    const bool no_avx2 = aten == "DEFAULT" || dnn == "SSE41" || dnn == "AVX";
    if (no_avx512 && (f.avx512 || f.avx512_bf16 || f.amx_bf16)) {
        f.avx512 = f.avx512_bf16 = f.amx_bf16 = false;
        f.vnni = has("avx_vnni") && dnn != "AVX2";  // AVX-VNNI is a 256-bit extension
        f.capped = true;
    }
    if (no_avx2 && f.avx2) {
        f.avx2 = f.fma = f.vnni = false;
        f.capped = true;
    }
    return f;
}

const CpuFeatures& cpu_features() {
    static const CpuFeatures features = [] {
        std::ifstream in("/proc/cpuinfo");
        std::stringstream text;
        text << in.rdbuf();
        auto env = [](const char* name) {
            const char* v = std::getenv(name);
            return std::string(v ? v : "");
        };
        CpuFeatures f = parse_cpu_features(text.str(), env("ATEN_CPU_CAPABILITY"), env("ONEDNN_MAX_CPU_ISA"));
        f.cores = usable_cores();
        return f;
    }();
    return features;
}

std::string CpuFeatures::summary() const {
    std::string bf16 = yes(native_bf16());
    if (native_bf16()) {
        bf16 += " (";
        if (avx512_bf16) bf16 += "AVX512_BF16";
        if (avx512_bf16 && amx_bf16) bf16 += ", ";
        if (amx_bf16) bf16 += "AMX";
        bf16 += ")";
    }
    return model + ", " + std::to_string(cores) + " cores: AVX2 " + yes(avx2) + ", AVX-512 " + yes(avx512) +
           ", native bf16 " + bf16 + ", VNNI " + yes(vnni) + (capped ? " (capped by the environment)" : "");
}

}  // namespace shenbi
