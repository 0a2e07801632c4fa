#include "core/util/resources.h"

#include <cstdlib>
#include <system_error>

namespace shenbi {

namespace fs = std::filesystem;

fs::path executable_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path{} : exe.parent_path();
}

std::vector<fs::path> data_dir_candidates(const std::string& sub, const char* env_var) {
    std::vector<fs::path> out;
    if (env_var) {
        if (const char* env = std::getenv(env_var); env && *env) out.emplace_back(env);
    }
    const fs::path exe_dir = executable_dir();
    if (exe_dir.empty()) return out;
    out.push_back(exe_dir / ".." / "share" / "shenbi" / sub);
    std::error_code ec;
    for (fs::path p = exe_dir; !p.empty(); p = p.parent_path()) {
        if (fs::exists(p / "CMakeLists.txt", ec) && fs::exists(p / "resources" / sub, ec)) {
            out.push_back(p / "resources" / sub);
            break;
        }
        if (p == p.root_path()) break;
    }
    return out;
}

std::optional<fs::path> find_data_dir(const std::string& sub,
                                      const char* env_var,
                                      const std::function<bool(const fs::path&)>& accept) {
    for (const auto& c : data_dir_candidates(sub, env_var)) {
        if (!accept(c)) continue;
        std::error_code ec;
        const fs::path clean = fs::weakly_canonical(c, ec);
        return ec ? c.lexically_normal() : clean;
    }
    return std::nullopt;
}

std::optional<fs::path> default_model_dir() {
    return find_data_dir("models/default", "SHENBI_MODEL_DIR", [](const fs::path& d) {
        std::error_code ec;
        return fs::exists(d / "model.json", ec) || fs::exists(d / "pytorch_model.bin", ec);
    });
}

std::optional<fs::path> default_knowledge_dir() {
    return find_data_dir("knowledge", "SHENBI_KNOWLEDGE_DIR", [](const fs::path& d) {
        std::error_code ec;
        return fs::exists(d / "triples.tsv", ec);
    });
}

std::string describe_candidates(const std::string& sub, const char* env_var) {
    std::string out;
    if (env_var && !std::getenv(env_var)) out = std::string("$") + env_var + " (not set)";
    for (const auto& c : data_dir_candidates(sub, env_var)) {
        if (!out.empty()) out += ", ";
        out += c.lexically_normal().string();
    }
    return "looked in " + out;
}

}  // namespace shenbi
