// Runs a fuzz target's LLVMFuzzerTestOneInput once over every file in the
// folders (or files) given: the committed seeds and every crash a fuzzing
// run found. Built with any compiler, so CI replays them on every change
// (ctest: fuzz_replay_<target>); libFuzzer itself needs clang (scripts/fuzz.sh).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_input.h"

namespace fs = std::filesystem;

namespace {

int replay(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", file.c_str());
        return 1;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg = argv[i];
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(arg))
                if (entry.is_regular_file() && entry.path().filename().string()[0] != '.')
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                if (replay(f) != 0) return 1;
                ++inputs;
            }
        } else if (fs::exists(arg, ec)) {
            if (replay(arg) != 0) return 1;
            ++inputs;
        }  // a target without regressions has no folder for them: nothing to replay
    }
    std::fprintf(stderr, "replayed %d inputs, none crashed\n", inputs);
    return inputs > 0 ? 0 : 1;  // no input at all means a wrong path, not a pass
}
