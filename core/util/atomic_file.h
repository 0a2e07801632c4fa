// Crash-safe file writes: write a temp file beside the target, flush it to
// disk, then rename over the target. A failure (disk full, no permission)
// leaves the previous file untouched and returns an Error naming the path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

#include "core/util/result.h"

namespace shenbi {

Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// For writers that stream: `write` fills the stream; any stream failure or an
// Error from `write` aborts and removes the temp file.
Status write_file_atomic(const std::filesystem::path& path, const std::function<Status(std::ostream&)>& write);

Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace shenbi
