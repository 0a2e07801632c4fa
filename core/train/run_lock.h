// One training per run directory. Two runs writing the same checkpoints,
// metrics and model folders would mix their outputs, so a run holds an
// exclusive lock (flock on run_dir/.lock) for its whole life; a second run
// on the same directory fails at once, naming the holder's pid. The lock
// goes with its process, so a killed run never leaves the directory locked.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

class RunLock {
public:
    // Creates run_dir if needed.
    static Result<RunLock> acquire(const std::filesystem::path& run_dir);
    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

    // A caller that writes the run directory before train() (the wizard's
    // service: plan, tables, knowledge) takes the lock first and lends it:
    // train() on this thread, on this directory, then uses it instead of
    // taking its own. Until this lock is destroyed.
    void cover_training_on_this_thread();
    static bool covered_on_this_thread(const std::filesystem::path& run_dir);

private:
    void release();
    RunLock(int fd, std::filesystem::path dir) : fd_(fd), dir_(std::move(dir)) {}
    int fd_ = -1;
    std::filesystem::path dir_;
    bool covering_ = false;
};

// The lock, then what an interrupted run left removed, each removal reported
// through `message`: what train() and the wizard's service do first.
Result<RunLock> lock_run_dir(const std::filesystem::path& run_dir,
                             const std::function<void(const std::string&)>& message);

// What an interrupted write left in the run directory and its checkpoints/
// (a kill during write_file_atomic or a model-directory save: ".X.tmpN",
// ".X.saving-N", "X.saving"); call it holding the lock. Returns what it removed.
std::vector<std::filesystem::path> remove_stale_temps(const std::filesystem::path& run_dir);

}  // namespace shenbi
