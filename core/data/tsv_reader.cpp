#include "core/data/tsv_reader.h"

#include <cerrno>
#include <cstring>

namespace shenbi {

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
    auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*in) return make_error(ErrorCode::NotFound, "cannot open " + path.string() + ": " + std::strerror(errno));
    TsvReader r;
    r.path_ = path;
    r.in_ = std::move(in);
    return r;
}

bool TsvReader::next(TsvRow& row) {
    while (std::getline(*in_, row.text)) {
        ++line_;
        if (!row.text.empty() && row.text.back() == '\r') row.text.pop_back();
        if (row.text.empty()) continue;
        row.line = line_;
        row.fields = split_tabs(row.text);
        return true;
    }
    return false;
}

std::string TsvReader::where(const TsvRow& row) const { return path_.string() + ":" + std::to_string(row.line); }

}  // namespace shenbi
