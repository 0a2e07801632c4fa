#include "core/knowledge/id_files.h"

#include <charconv>
#include <optional>

#include "core/data/tsv_reader.h"
#include "core/util/atomic_file.h"

namespace shenbi {

Result<std::vector<std::string>> read_id_file(const std::filesystem::path& path) {
    auto reader = TsvReader::open(path);
    if (!reader) return reader.error();
    std::vector<std::string> names;
    std::vector<bool> taken;
    TsvRow row;
    bool first = true;
    std::optional<std::size_t> declared;  // the count line, when the file has one
    std::size_t entries = 0;
    while (reader->next(row)) {
        if (first) {
            first = false;
            // The count line: a single integer. Tolerate files without it.
            if (row.fields.size() == 1) {
                std::size_t n = 0;
                const std::string_view text = row.fields[0];
                const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
                if (ec != std::errc() || p != text.data() + text.size())
                    return make_error(ErrorCode::Corrupt, reader->where(row) + ": the count line '" +
                                                              std::string(text) + "' is not a number");
                declared = n;
                continue;
            }
        }
        ++entries;
        if (row.fields.size() != 2) {
            return make_error(ErrorCode::Corrupt, reader->where(row) + ": expected name<TAB>id, got " +
                                                      std::to_string(row.fields.size()) + " fields");
        }
        const std::string_view id_text = row.fields[1];
        std::int64_t id = -1;
        const auto [p, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
        if (ec != std::errc() || p != id_text.data() + id_text.size() || id < 0 || id > (1LL << 31)) {
            return make_error(ErrorCode::Corrupt, reader->where(row) + ": bad id '" + std::string(id_text) + "'");
        }
        const auto uid = static_cast<std::size_t>(id);
        if (uid >= names.size()) {
            names.resize(uid + 1);
            taken.resize(uid + 1, false);
        }
        if (taken[uid])
            return make_error(ErrorCode::Corrupt, reader->where(row) + ": duplicate id " + std::to_string(id));
        taken[uid] = true;
        names[uid] = std::string(row.fields[0]);
    }
    if (names.empty()) return make_error(ErrorCode::Corrupt, path.string() + ": no entries");
    if (declared && *declared != entries)
        return make_error(ErrorCode::Corrupt, path.string() + ": declares " + std::to_string(*declared) +
                                                  " entries on its first line but holds " + std::to_string(entries) +
                                                  " (cut short?)");
    return names;
}

Status write_id_file(const std::filesystem::path& path, const std::vector<std::string>& names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].find_first_of("\t\n\r") != std::string::npos) {
            return make_error(ErrorCode::InvalidArgument,
                              path.string() + ": name of id " + std::to_string(i) + " contains a tab or newline");
        }
    }
    return write_file_atomic(path, [&](std::ostream& out) {
        out << names.size() << '\n';
        for (std::size_t i = 0; i < names.size(); ++i) out << names[i] << '\t' << i << '\n';
        return Status::success();
    });
}

}  // namespace shenbi
