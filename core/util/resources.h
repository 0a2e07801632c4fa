// Where Shenbi's bundled data (default model, knowledge graph) is found at
// run time. Never a path compiled in: an installed copy must work wherever it
// is unpacked, and must not depend on the build tree it came from.
//
// Lookup order for share/shenbi/<sub>:
//   1. an environment variable (SHENBI_MODEL_DIR, SHENBI_KNOWLEDGE_DIR),
//   2. <dir of the executable>/../share/shenbi/<sub>  (the installed layout),
//   3. the source tree, when the executable runs from a build folder inside
//      it: the nearest ancestor of the executable's folder that has
//      resources/<sub> next to a CMakeLists.txt.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace shenbi {

// The folder of the running executable (/proc/self/exe); empty if unknown.
std::filesystem::path executable_dir();

// The candidates of the lookup above, in order, for `sub` (e.g.
// "models/default"); `env_var` may be null. Exposed for error messages.
std::vector<std::filesystem::path> data_dir_candidates(const std::string& sub, const char* env_var);

// The first candidate for which `accept` holds, made absolute and clean.
std::optional<std::filesystem::path> find_data_dir(const std::string& sub,
                                                   const char* env_var,
                                                   const std::function<bool(const std::filesystem::path&)>& accept);

// The bundled default model: a Shenbi model directory (model.json) or an
// EasyNLP one (pytorch_model.bin).
std::optional<std::filesystem::path> default_model_dir();
// The bundled knowledge graph (a folder with triples.tsv).
std::optional<std::filesystem::path> default_knowledge_dir();

// "looked in: A, B, C" for the error when nothing is found.
std::string describe_candidates(const std::string& sub, const char* env_var);

}  // namespace shenbi
