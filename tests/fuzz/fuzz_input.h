// Shared by the fuzz targets: the entry point libFuzzer calls, and a scratch
// file for the parsers that read from a path (one per process, in /dev/shm
// when it exists, so that a fuzzing run does not wear the disk).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace shenbi::fuzz {

inline std::filesystem::path scratch_file(const char* suffix) {
    const std::filesystem::path dir = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    return dir / ("shenbi-fuzz-" + std::to_string(::getpid()) + suffix);
}

// Writes the input to `path` (truncating) and returns it.
inline const std::filesystem::path& write_scratch(const std::filesystem::path& path,
                                                  const std::uint8_t* data,
                                                  std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

// Removes the scratch file when the process ends normally.
struct ScratchFile {
    std::filesystem::path path;
    explicit ScratchFile(const char* suffix) : path(scratch_file(suffix)) {}
    ~ScratchFile() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

// A property the parser promised does not hold: crash so that libFuzzer
// keeps the input (the replay test fails on it too).
[[noreturn]] inline void property_failed(const char* what) {
    std::fprintf(stderr, "fuzz property failed: %s\n", what);
    std::abort();
}

}  // namespace shenbi::fuzz
