// Helpers shared by the tests/io suites (temporary directories:
// tests/support/temp_dir.h).
#pragma once

#include <filesystem>
#include <string>

namespace shenbi::test {

inline std::filesystem::path io_data(const std::string& name) {
    return std::filesystem::path(SHENBI_TEST_DATA_DIR) / "io" / name;
}

}  // namespace shenbi::test
