#include "core/train/checkpoint.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/util/atomic_file.h"
#include "core/util/guard.h"

namespace shenbi {
namespace fs = std::filesystem;

fs::path checkpoint_dir(const fs::path& run_dir) {
    return run_dir / "checkpoints";
}

fs::path checkpoint_path(const fs::path& run_dir, std::int64_t step) {
    char name[64];
    std::snprintf(name, sizeof name, "step-%08lld.ckpt", static_cast<long long>(step));
    return checkpoint_dir(run_dir) / name;
}

std::int64_t checkpoint_step(const fs::path& file) {
    const std::string name = file.filename().string();
    if (name.size() != 18 || name.rfind("step-", 0) != 0 || name.substr(13) != ".ckpt") return -1;
    std::int64_t step = 0;
    for (std::size_t i = 5; i < 13; ++i) {
        if (name[i] < '0' || name[i] > '9') return -1;
        step = step * 10 + (name[i] - '0');
    }
    return step;
}

namespace {

std::vector<std::pair<std::int64_t, fs::path>> checkpoints_by_step(const fs::path& run_dir) {
    std::vector<std::pair<std::int64_t, fs::path>> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(checkpoint_dir(run_dir), ec)) {
        const auto step = checkpoint_step(entry.path());
        if (step >= 0 && entry.is_regular_file()) out.emplace_back(step, entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

Result<fs::path> save_checkpoint(const fs::path& run_dir,
                                 std::int64_t step,
                                 torch::serialize::OutputArchive& archive,
                                 int keep_last) {
    const fs::path dir = checkpoint_dir(run_dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return make_error(ErrorCode::Io, "cannot create checkpoint directory " + dir.string() + ": " + ec.message());
    const fs::path path = checkpoint_path(run_dir, step);
    // LibTorch's archive writer wants a stream; serialise to memory first so
    // that a torch exception cannot leave a half-written temp file behind.
    std::ostringstream buffer;
    auto st = guarded("serialise checkpoint", [&]() -> Status {
        archive.save_to(buffer);
        return Status::success();
    });
    if (!st.ok()) return st.error();
    st = write_file_atomic(path, buffer.str());
    if (!st.ok()) {
        return make_error(ErrorCode::Io, "checkpoint at step " + std::to_string(step) + " not written (" +
                                             st.message() + "); the previous checkpoint is kept");
    }
    if (keep_last > 0) {
        auto all = checkpoints_by_step(run_dir);
        for (std::size_t i = 0; i + static_cast<std::size_t>(keep_last) < all.size(); ++i)
            fs::remove(all[i].second, ec);
    }
    return path;
}

Result<LoadedCheckpoint> load_latest_checkpoint(const fs::path& run_dir) {
    auto all = checkpoints_by_step(run_dir);
    LoadedCheckpoint out;
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        auto archive = std::make_unique<torch::serialize::InputArchive>();
        auto st = guarded(it->second.string(), [&]() -> Status {
            archive->load_from(it->second.string());
            return Status::success();
        });
        if (!st.ok()) {
            out.skipped.push_back(st.message());
            continue;
        }
        out.path = it->second;
        out.step = it->first;
        out.archive = std::move(archive);
        return out;
    }
    return out;
}

torch::Tensor cpu_rng_state() {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
}

void set_cpu_rng_state(const torch::Tensor& state) {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
}

void write_string(torch::serialize::OutputArchive& archive, const std::string& key, const std::string& value) {
    archive.write(key, c10::IValue(value));
}

Result<std::string> read_string(torch::serialize::InputArchive& archive, const std::string& key) {
    c10::IValue value;
    if (!archive.try_read(key, value) || !value.isString()) {
        return make_error(ErrorCode::Corrupt, "checkpoint has no '" + key + "' entry");
    }
    return value.toStringRef();
}

}  // namespace shenbi
