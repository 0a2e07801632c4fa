// OpenKE's id files: `entity2id.txt` / `relation2id.txt` = a count line, then
// `name<TAB>id` per line. ARTIST's released entity map uses this format.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

// names[id]; ids may be sparse (holes stay empty strings). Errors name the
// file and line (missing tab, bad or duplicate id). The count line is
// informational: OpenKE files in the wild do not always match it.
Result<std::vector<std::string>> read_id_file(const std::filesystem::path& path);

// Writes names in id order; names must not contain tabs or newlines.
Status write_id_file(const std::filesystem::path& path, const std::vector<std::string>& names);

}  // namespace shenbi
