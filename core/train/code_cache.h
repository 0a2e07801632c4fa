// The GPT stage's code cache: the VQGAN codes of one training table, in
// codes-<key>.pt files under a folder that several runs may share.
//
// A file holds the codes of every row whose image encoded and, for every row
// whose image did not, the reason (so a cached table reports the same bad
// rows as a freshly encoded one). Files are best effort: an unreadable one is
// ignored and the images are encoded again; a failed write costs only that.
// The folder keeps the kKeepCodeCaches most recently used files, since each
// table's codes stay valid forever and would otherwise pile up (33 MB per
// 64,000 rows of 16 x 16 codes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/util/result.h"

namespace shenbi {

inline constexpr std::size_t kKeepCodeCaches = 8;

struct CachedCodes {
    std::map<std::int64_t, torch::Tensor> codes;  // line -> (L) codes
    std::map<std::int64_t, std::string> bad;      // line -> why its image gave no codes
};

// The cache file; marks it as just used (its modification time), so that
// pruning keeps it.
Result<CachedCodes> read_code_cache(const std::filesystem::path& file);

// Writes atomically (a temporary file, then renamed), creating the folder.
Status write_code_cache(const std::filesystem::path& file, const CachedCodes& cached, std::int64_t img_len);

// Removes all but the `keep` most recently used codes-*.pt files of `dir`;
// returns the removed paths. Other files are left alone.
std::vector<std::filesystem::path> prune_code_caches(const std::filesystem::path& dir, std::size_t keep);

}  // namespace shenbi
