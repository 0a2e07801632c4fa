#include "core/train/code_cache.h"

#include <algorithm>
#include <sstream>

#include <torch/torch.h>

#include "core/train/checkpoint.h"
#include "core/util/atomic_file.h"
#include "core/util/guard.h"

namespace shenbi {
namespace fs = std::filesystem;

Result<CachedCodes> read_code_cache(const fs::path& file) {
    auto cached = guarded("code cache " + file.string(), [&]() -> Result<CachedCodes> {
        torch::serialize::InputArchive in;
        in.load_from(file.string());
        torch::Tensor lines, codes, bad_lines;
        in.read("lines", lines);                        // (M) int64
        in.read("codes", codes);                        // (M, L) int16 or int32
        in.read("bad_lines", bad_lines);                // (B) int64
        auto reasons = read_string(in, "bad_reasons");  // B lines
        if (!reasons) return reasons.error();
        if (codes.dim() != 2 || codes.size(0) != lines.size(0))
            return make_error(ErrorCode::Corrupt, "codes do not match the line list");
        CachedCodes c;
        for (std::int64_t i = 0; i < lines.size(0); ++i) c.codes[lines[i].item<std::int64_t>()] = codes[i];
        std::istringstream rs(*reasons);
        std::string reason;
        for (std::int64_t i = 0; i < bad_lines.size(0); ++i) {
            if (!std::getline(rs, reason)) return make_error(ErrorCode::Corrupt, "fewer reasons than bad rows");
            c.bad[bad_lines[i].item<std::int64_t>()] = reason;
        }
        return c;
    });
    if (cached.ok()) {
        std::error_code ec;  // pruning order only: a read-only folder still reads
        fs::last_write_time(file, fs::file_time_type::clock::now(), ec);
    }
    return cached;
}

Status write_code_cache(const fs::path& file, const CachedCodes& cached, std::int64_t img_len) {
    return guarded("write code cache " + file.string(), [&]() -> Status {
        std::vector<std::int64_t> lines, bad;
        std::vector<torch::Tensor> rows;
        for (const auto& [line, codes] : cached.codes) {
            lines.push_back(line);
            rows.push_back(codes);
        }
        std::string reasons;  // BadRowLog keeps each reason on one line
        for (const auto& [line, why] : cached.bad) {
            bad.push_back(line);
            reasons += why + "\n";
        }
        torch::serialize::OutputArchive out;
        out.write("lines", torch::tensor(lines, torch::kInt64));
        out.write("codes", rows.empty() ? torch::zeros({0, img_len}, torch::kInt16) : torch::stack(rows));
        out.write("bad_lines", torch::tensor(bad, torch::kInt64));
        write_string(out, "bad_reasons", reasons);
        fs::create_directories(file.parent_path());
        std::ostringstream buf;
        out.save_to(buf);
        return write_file_atomic(file, buf.str());
    });
}

std::vector<fs::path> prune_code_caches(const fs::path& dir, std::size_t keep) {
    std::vector<std::pair<fs::file_time_type, fs::path>> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code fe;  // a file that vanished or cannot be read is skipped, not the rest
        const auto name = it->path().filename().string();
        if (!it->is_regular_file(fe) || name.rfind("codes-", 0) != 0 || it->path().extension() != ".pt") continue;
        const auto used = fs::last_write_time(it->path(), fe);
        if (!fe) found.emplace_back(used, it->path());
    }
    std::vector<fs::path> removed;
    if (found.size() <= keep) return removed;
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = keep; i < found.size(); ++i)
        if (std::error_code fe; fs::remove(found[i].second, fe)) removed.push_back(found[i].second);
    return removed;
}

}  // namespace shenbi
