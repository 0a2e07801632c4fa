#include "core/data/tsv_reader.h"

#include <cerrno>
#include <cstring>

namespace shenbi {

bool strip_utf8_bom(std::string& first_line) {
    if (first_line.compare(0, 3, "\xEF\xBB\xBF") != 0) return false;
    first_line.erase(0, 3);
    return true;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t tab = line.find('\t', start);
        if (tab == std::string_view::npos) {
            out.push_back(line.substr(start));
            return out;
        }
        out.push_back(line.substr(start, tab - start));
        start = tab + 1;
    }
}

Result<TsvReader> TsvReader::open(const std::filesystem::path& path) {
    std::error_code ec;
    // An ifstream opens a directory and then reads nothing: "0 rows" would look like success.
    if (std::filesystem::is_directory(path, ec))
        return make_error(ErrorCode::InvalidArgument, "cannot read " + path.string() + ": it is a directory");
    auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*in) {
        const int err = errno;
        return make_error(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          "cannot open " + path.string() + ": " + std::strerror(err));
    }
    TsvReader r;
    r.path_ = path;
    r.in_ = std::move(in);
    return r;
}

bool TsvReader::next(TsvRow& row) {
    while (std::getline(*in_, row.text)) {
        ++line_;
        if (!row.text.empty() && row.text.back() == '\r') row.text.pop_back();
        if (line_ == 1) strip_utf8_bom(row.text);
        if (row.text.empty()) continue;
        row.line = line_;
        row.fields = split_tabs(row.text);
        return true;
    }
    return false;
}

std::string TsvReader::where(const TsvRow& row) const {
    return path_.string() + ":" + std::to_string(row.line);
}

}  // namespace shenbi
