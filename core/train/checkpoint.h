// Training checkpoints: step-NNNNNNNN.ckpt files (a LibTorch archive) in
// run_dir/checkpoints, written atomically (temp file, fsync, rename) and
// pruned to the newest `keep_last` only after the new one is in place, so a
// failed write (disk full, unwritable directory) never costs the previous one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/serialize/archive.h>

#include "core/util/result.h"

namespace shenbi {

std::filesystem::path checkpoint_dir(const std::filesystem::path& run_dir);
std::filesystem::path checkpoint_path(const std::filesystem::path& run_dir, std::int64_t step);
// Step encoded in a checkpoint file name, -1 if it is not one.
std::int64_t checkpoint_step(const std::filesystem::path& file);

Result<std::filesystem::path> save_checkpoint(const std::filesystem::path& run_dir,
                                              std::int64_t step,
                                              torch::serialize::OutputArchive& archive,
                                              int keep_last);

struct LoadedCheckpoint {
    std::filesystem::path path;
    std::int64_t step = 0;
    std::unique_ptr<torch::serialize::InputArchive> archive;
    std::vector<std::string> skipped;  // newer files that could not be read, with why
    bool found() const { return archive != nullptr; }
};
// The newest readable checkpoint; one without an archive (found() false) when
// there is none, with the unreadable ones in `skipped`.
Result<LoadedCheckpoint> load_latest_checkpoint(const std::filesystem::path& run_dir);

// The default CPU generator's state (torch.manual_seed / randperm / dropout).
torch::Tensor cpu_rng_state();
void set_cpu_rng_state(const torch::Tensor& state);

// Strings in archives (c10::IValue).
void write_string(torch::serialize::OutputArchive& archive, const std::string& key, const std::string& value);
Result<std::string> read_string(torch::serialize::InputArchive& archive, const std::string& key);

}  // namespace shenbi
