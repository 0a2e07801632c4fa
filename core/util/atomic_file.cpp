#include "core/util/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace shenbi {
namespace fs = std::filesystem;
namespace {

fs::path temp_path_for(const fs::path& path) {
    std::random_device rd;
    return path.parent_path() / ("." + path.filename().string() + ".tmp" + std::to_string(rd() % 1000000));
}

// Why a write to an ofstream failed: errno when the failing write(2) left one
// that names a write error; errno is otherwise stale (a library call before
// may have set it, e.g. "Inappropriate ioctl for device").
std::string write_error(int saved_errno) {
    switch (saved_errno) {
        case ENOSPC:
        case EDQUOT:
        case EFBIG:
        case EIO:
        case EROFS:
        case EACCES:
        case EPERM:
            return std::strerror(saved_errno);
        default:
            return "write failed (disk full?)";
    }
}

// Flushes file contents to disk so that the rename never exposes a file whose
// blocks were not written yet (ext4 delayed allocation after a power cut).
bool fsync_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

Status write_file_atomic(const fs::path& path, const std::function<Status(std::ostream&)>& write) {
    const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return make_error(ErrorCode::Io,
                          "cannot write " + path.string() + ": directory " + dir.string() + " does not exist");
    }
    const fs::path tmp = temp_path_for(path);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
            return make_error(ErrorCode::Io, "cannot write " + path.string() + ": " + std::strerror(errno));
        }
        errno = 0;
        Status st = write(out);
        out.flush();
        const bool stream_ok = static_cast<bool>(out);
        const int saved_errno = errno;
        out.close();
        if (!st.ok() || !stream_ok || out.fail()) {
            fs::remove(tmp, ec);
            if (!st.ok()) return st;
            return make_error(ErrorCode::Io, "cannot write " + path.string() + ": " + write_error(saved_errno));
        }
    }
    if (!fsync_path(tmp)) {
        const std::string why = std::strerror(errno);
        fs::remove(tmp, ec);
        return make_error(ErrorCode::Io, "cannot write " + path.string() + ": fsync failed: " + why);
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        const std::string why = ec.message();  // before remove() overwrites ec
        fs::remove(tmp, ec);
        return make_error(ErrorCode::Io, "cannot replace " + path.string() + ": " + why);
    }
    return Status::success();
}

Status write_file_atomic(const fs::path& path, std::string_view bytes) {
    return write_file_atomic(path, [&](std::ostream& out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return Status::success();
    });
}

Result<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::NotFound, "cannot open " + path.string() + ": " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return make_error(ErrorCode::Io, "cannot read " + path.string());
    return ss.str();
}

}  // namespace shenbi
