// Streaming reader for EasyNLP's tab-separated files: one row at a time,
// never the whole file, each row with its 1-based line number so that a
// caller can report "file:line: why" for rows it cannot use.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

struct TsvRow {
    std::int64_t line = 0;                 // 1-based line number in the file
    std::string text;                      // the whole line without the newline
    std::vector<std::string_view> fields;  // views into `text`
};

class TsvReader {
public:
    static Result<TsvReader> open(const std::filesystem::path& path);

    // Reads the next non-empty line into `row`; false at end of file.
    // A '\r' before the newline is dropped (files edited on Windows).
    bool next(TsvRow& row);

    const std::filesystem::path& path() const { return path_; }
    // "path:line" for messages.
    std::string where(const TsvRow& row) const;

private:
    std::filesystem::path path_;
    std::unique_ptr<std::ifstream> in_;
    std::int64_t line_ = 0;
};

std::vector<std::string_view> split_tabs(std::string_view line);

// Removes the UTF-8 byte-order mark (Windows editors write one) from the
// start of a file's first line, where it is not part of the first field;
// true when there was one.
bool strip_utf8_bom(std::string& first_line);

}  // namespace shenbi
