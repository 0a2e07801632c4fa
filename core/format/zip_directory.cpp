#include "core/format/zip_directory.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace shenbi {
namespace fs = std::filesystem;
namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50, kZip64Locator = 0x07064b50, kZip64End = 0x06064b50,
                        kDirectoryEntry = 0x02014b50;

std::uint64_t le(const char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

// Reads `n` bytes at `offset`; false if the file is shorter.
bool read_at(std::ifstream& in, std::uint64_t offset, std::uint64_t n, std::vector<char>& out) {
    out.resize(n);
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(out.data(), static_cast<std::streamsize>(n));
    return static_cast<std::uint64_t>(in.gcount()) == n;
}

struct Directory {
    std::uint64_t offset = 0, size = 0;
};

// Where the central directory is: the end record (the last 22..65557 bytes),
// or, when its fields are saturated, the zip64 end record it points to.
Result<Directory> find_directory(std::ifstream& in, std::uint64_t file_size, const std::string& file) {
    auto corrupt = [&](const std::string& why) { return make_error(ErrorCode::Corrupt, file + ": " + why); };
    const std::uint64_t tail = std::min<std::uint64_t>(file_size, 22 + 65535);
    std::vector<char> buf;
    if (tail < 22 || !read_at(in, file_size - tail, tail, buf)) return corrupt("too short for a zip archive");
    std::int64_t at = static_cast<std::int64_t>(tail) - 22;
    while (at >= 0 && le(buf.data() + at, 4) != kEndOfDirectory) --at;
    if (at < 0) return corrupt("no zip end-of-directory record (cut short?)");
    const char* end = buf.data() + at;
    Directory d{le(end + 16, 4), le(end + 12, 4)};
    if (d.offset != 0xffffffffu && d.size != 0xffffffffu) return d;
    if (at < 20 || le(end - 20, 4) != kZip64Locator) return corrupt("zip64 archive without its locator");
    std::vector<char> rec;
    if (!read_at(in, le(end - 20 + 8, 8), 56, rec) || le(rec.data(), 4) != kZip64End)
        return corrupt("zip64 end-of-directory record missing");
    return Directory{le(rec.data() + 48, 8), le(rec.data() + 40, 8)};
}

}  // namespace

Result<std::map<std::string, std::uint32_t>> zip_member_crcs(const fs::path& path) {
    const std::string file = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::Io, file + ": cannot open: " + std::strerror(errno));
    std::error_code ec;
    const std::uint64_t file_size = fs::file_size(path, ec);
    if (ec) return make_error(ErrorCode::Io, file + ": " + ec.message());
    auto dir = find_directory(in, file_size, file);
    if (!dir) return dir.error();
    std::vector<char> cd;
    if (dir->offset + dir->size > file_size || !read_at(in, dir->offset, dir->size, cd))
        return make_error(ErrorCode::Corrupt, file + ": the zip directory lies beyond the end of the file");
    std::map<std::string, std::uint32_t> crcs;
    for (std::size_t at = 0; at + 46 <= cd.size();) {
        const char* e = cd.data() + at;
        if (le(e, 4) != kDirectoryEntry) return make_error(ErrorCode::Corrupt, file + ": damaged zip directory");
        const std::size_t name_len = le(e + 28, 2), extra_len = le(e + 30, 2), comment_len = le(e + 32, 2);
        if (at + 46 + name_len > cd.size()) return make_error(ErrorCode::Corrupt, file + ": damaged zip directory");
        const auto crc = static_cast<std::uint32_t>(le(e + 16, 4));
        if (crc != 0) crcs.emplace(std::string(e + 46, name_len), crc);
        at += 46 + name_len + extra_len + comment_len;
    }
    return crcs;
}

}  // namespace shenbi
