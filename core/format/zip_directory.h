// The CRC-32 a zip's central directory records for each member. PyTorch's
// reader (miniz built with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS) never
// checks them, so torch_file.cpp does: a checkpoint with one flipped byte
// must not load.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/util/result.h"

namespace shenbi {

// Member name -> CRC-32, read from the end-of-central-directory record (zip64
// too) and the central directory. Members whose CRC is recorded as 0 (a
// writer that skipped it) are left out.
Result<std::map<std::string, std::uint32_t>> zip_member_crcs(const std::filesystem::path& path);

}  // namespace shenbi
