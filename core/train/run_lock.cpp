#include "core/train/run_lock.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace shenbi {
namespace fs = std::filesystem;

namespace {

std::string holder_pid(int fd) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return pid.empty() ? "unknown" : pid;
}

bool is_stale_temp(const std::string& name) {
    if (name.size() > 7 && name.compare(name.size() - 7, 7, ".saving") == 0) return true;
    return name.size() > 1 && name[0] == '.' &&
           (name.find(".tmp") != std::string::npos || name.find(".saving-") != std::string::npos);
}

}  // namespace

Result<RunLock> RunLock::acquire(const fs::path& run_dir) {
    std::error_code ec;
    fs::create_directories(run_dir, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create run directory " + run_dir.string() + ": " + ec.message());
    const fs::path path = run_dir / ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return make_error(ErrorCode::Io, "cannot open " + path.string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        const std::string pid = holder_pid(fd);
        ::close(fd);
        if (err == EWOULDBLOCK)
            return make_error(ErrorCode::InvalidArgument, run_dir.string() + " is in use by another training (pid " +
                                                              pid +
                                                              "); wait for it, stop it, or choose another run "
                                                              "directory");
        return make_error(ErrorCode::Io, "cannot lock " + path.string() + ": " + std::strerror(err));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The pid is only for the message of a run that finds the lock taken.
    }
    return RunLock(fd, run_dir);
}

namespace {
thread_local fs::path t_covered;  // the run directory this thread's lent lock covers
}

RunLock::RunLock(RunLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      dir_(std::move(other.dir_)),
      covering_(std::exchange(other.covering_, false)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
        dir_ = std::move(other.dir_);
        covering_ = std::exchange(other.covering_, false);
    }
    return *this;
}

RunLock::~RunLock() {
    release();
}

void RunLock::release() {
    if (covering_) t_covered.clear();
    if (fd_ >= 0) ::close(fd_);  // releases the flock
    fd_ = -1;
    covering_ = false;
}

void RunLock::cover_training_on_this_thread() {
    t_covered = fs::absolute(dir_).lexically_normal();
    covering_ = true;
}

bool RunLock::covered_on_this_thread(const fs::path& run_dir) {
    return !t_covered.empty() && t_covered == fs::absolute(run_dir).lexically_normal();
}

Result<RunLock> lock_run_dir(const fs::path& run_dir, const std::function<void(const std::string&)>& message) {
    auto lock = RunLock::acquire(run_dir);
    if (!lock) return lock.error();
    for (const auto& t : remove_stale_temps(run_dir))
        if (message) message("removed " + t.string() + ", left by an interrupted run");
    return lock;
}

std::vector<fs::path> remove_stale_temps(const fs::path& run_dir) {
    std::vector<fs::path> removed;
    for (const fs::path& dir : {run_dir, run_dir / "checkpoints"}) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            if (!is_stale_temp(entry.path().filename().string())) continue;
            std::error_code rm;
            fs::remove_all(entry.path(), rm);
            if (!rm) removed.push_back(entry.path());
        }
    }
    return removed;
}

}  // namespace shenbi
