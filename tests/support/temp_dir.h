// Temporary directories for the tests: the one home of the helper (every area
// includes it; header-only, no Qt, no LibTorch).
//   temp_dir(name)  a fresh empty directory the test leaves behind (to look
//                   into after a failure);
//   TempDir         a fresh empty directory removed with everything in it
//                   at the end of its scope.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace shenbi::test {

// A fresh, empty directory under the system's temp folder:
// shenbi-<name>-<pid>-<n>. The process id keeps parallel test runs (ctest -j)
// apart, n (this process's count) two directories of one name; a leftover of
// an earlier process with the same id is removed first. Without a name, the
// running test's name.
inline std::filesystem::path temp_dir(const std::string& name = {}) {
    static std::atomic<int> made{0};
    std::string stem = name;
    if (stem.empty()) {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        stem = info ? info->name() : "test";
    }
    std::replace(stem.begin(), stem.end(), '/', '_');  // a parameterised test's name holds one
    const auto dir = std::filesystem::temp_directory_path() /
                     ("shenbi-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// temp_dir(name) for one scope: removed, with all it holds, by the destructor.
class TempDir {
public:
    explicit TempDir(const std::string& name = {}) : path_(temp_dir(name)) {}
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace shenbi::test
