#include "core/data/train_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include <torch/torch.h>

#include "core/data/tsv_reader.h"
#include "core/image/image_io.h"
#include "core/text/tokenizer.h"
#include "core/util/atomic_file.h"
#include "core/util/base64.h"
#include "core/util/guard.h"
#include "core/util/hash.h"

namespace shenbi {
namespace fs = std::filesystem;

bool BadRowLog::add(const fs::path& file, std::int64_t line, std::string reason) {
    // One line per row: reports print "file:line: why", and the GPT stage's
    // code cache stores the reasons one per line.
    std::replace_if(
        reason.begin(), reason.end(), [](char ch) { return ch == '\n' || ch == '\r'; }, ' ');
    BadRow row{file.string(), line, std::move(reason)};
    {
        std::lock_guard lock(mutex_);
        if (!seen_.insert({row.file, line}).second) return false;
        rows_.push_back(row);
    }
    if (on_bad_row) on_bad_row(row);
    return true;
}

std::vector<BadRow> BadRowLog::rows() const {
    std::lock_guard lock(mutex_);
    return rows_;
}

std::size_t BadRowLog::count() const {
    std::lock_guard lock(mutex_);
    return rows_.size();
}

bool BadRowLog::contains(const fs::path& file, std::int64_t line) const {
    std::lock_guard lock(mutex_);
    return seen_.count({file.string(), line}) > 0;
}

namespace {

Result<std::vector<std::int64_t>> parse_ints(std::string_view text, const char* column) {
    std::vector<std::int64_t> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
        if (i >= text.size()) break;
        std::int64_t v = 0;
        const auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
        if (ec != std::errc() || (ptr != text.data() + text.size() && *ptr != ' ' && *ptr != ',')) {
            return make_error(ErrorCode::Corrupt, std::string(column) + " is not a list of integers");
        }
        out.push_back(v);
        i = static_cast<std::size_t>(ptr - text.data());
    }
    return out;
}

}  // namespace

Result<std::vector<LatticeEntity>> parse_lattice_columns(std::string_view lex_id,
                                                         std::string_view pos_s,
                                                         std::string_view pos_e) {
    auto ids = parse_ints(lex_id, "lex_id");
    if (!ids) return ids.error();
    auto starts = parse_ints(pos_s, "pos_s");
    if (!starts) return starts.error();
    auto ends = parse_ints(pos_e, "pos_e");
    if (!ends) return ends.error();
    const std::size_t n = ids->size();
    if (starts->size() != ends->size() || starts->size() < n) {
        return make_error(ErrorCode::Corrupt, "pos_s/pos_e lengths (" + std::to_string(starts->size()) + ", " +
                                                  std::to_string(ends->size()) + ") do not fit " + std::to_string(n) +
                                                  " entities of lex_id");
    }
    std::vector<LatticeEntity> out;
    const std::size_t first = starts->size() - n;
    for (std::size_t k = 0; k < n; ++k) {
        LatticeEntity e;
        e.id = (*ids)[k];
        e.token_begin = static_cast<int>((*starts)[first + k]);
        e.token_end = static_cast<int>((*ends)[first + k]);
        if (e.id < 0 || e.token_begin < 0 || e.token_end < e.token_begin) {
            return make_error(ErrorCode::Corrupt, "entity " + std::to_string(k) + " has an invalid id or span");
        }
        out.push_back(e);
    }
    return out;
}

Result<RawExample> parse_example_fields(const std::vector<std::string_view>& fields, std::int64_t line) {
    RawExample ex;
    ex.line = line;
    if (fields.size() != 3 && fields.size() != 7) {
        return make_error(ErrorCode::Corrupt,
                          "expected 3 columns (idx, text, imgbase64) or 7 (idx, text, lex_id, "
                          "pos_s, pos_e, token_len, imgbase64), got " +
                              std::to_string(fields.size()));
    }
    ex.idx = std::string(fields[0]);
    ex.text = std::string(fields[1]);
    ex.image_base64 = std::string(fields.back());
    if (ex.text.empty()) return make_error(ErrorCode::Corrupt, "empty text");
    if (ex.image_base64.empty()) return make_error(ErrorCode::Corrupt, "empty imgbase64");
    if (fields.size() == 7) {
        ex.has_knowledge = true;
        auto lattice = parse_lattice_columns(fields[2], fields[3], fields[4]);
        if (!lattice) return lattice.error();
        ex.entities = std::move(*lattice);
        auto len = parse_ints(fields[5], "token_len");
        if (!len || len->size() != 1) return make_error(ErrorCode::Corrupt, "token_len is not one integer");
        ex.token_len = static_cast<int>(len->front());
    }
    return ex;
}

Result<torch::Tensor> decode_example_image(const std::string& image_base64, int resolution, bool flip) {
    return guarded("image", [&]() -> Result<torch::Tensor> {
        auto bytes = base64_decode(image_base64);
        if (!bytes) return make_error(ErrorCode::Corrupt, "imgbase64: " + bytes.message());
        auto rgb = decode_image(*bytes);
        if (!rgb) return rgb.error();
        cv::Mat img = resize_center_crop(*rgb, resolution);
        if (flip) cv::flip(img, img, 1);
        return image_to_tensor(img).contiguous();
    });
}

Result<TsvIndex> TsvIndex::build(const fs::path& path, BadRowLog* log) {
    std::error_code dir_ec;
    if (fs::is_directory(path, dir_ec))
        return make_error(ErrorCode::InvalidArgument, "cannot read " + path.string() + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::NotFound, "cannot open " + path.string());
    TsvIndex index;
    index.path_ = path;
    std::uint64_t hash = kFnv1aOffset;
    std::string text;
    std::int64_t line = 0;
    while (true) {
        auto offset = static_cast<std::uint64_t>(in.tellg());
        if (!std::getline(in, text)) break;
        ++line;
        hash = fnv1a("\n", 1, fnv1a(text, hash));  // the line as read, with its newline
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (line == 1 && strip_utf8_bom(text)) offset += 3;  // a byte-order mark is not part of the idx
        if (text.empty()) continue;
        auto ex = parse_example_fields(split_tabs(text), line);
        if (!ex) {
            if (log) log->add(path, line, ex.message());
            continue;
        }
        index.offsets_.push_back(offset);
        index.lines_.push_back(line);
    }
    index.content_hash_ = hash;
    return index;
}

Result<RawExample> TsvIndex::read(std::ifstream& in, std::size_t i) const {
    if (i >= offsets_.size()) return make_error(ErrorCode::InvalidArgument, "row index out of range");
    in.clear();
    in.seekg(static_cast<std::streamoff>(offsets_[i]));
    std::string text;
    if (!std::getline(in, text)) {
        return make_error(ErrorCode::Io,
                          path_.string() + ":" + std::to_string(lines_[i]) + ": cannot read (file changed?)");
    }
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return parse_example_fields(split_tabs(text), lines_[i]);
}

namespace {

// SplitMix64: a tiny, portable mixer, so that orders do not depend on the
// standard library's distributions.
std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

}  // namespace

std::vector<std::int64_t> epoch_order(std::int64_t n, std::uint64_t seed, std::int64_t epoch) {
    std::vector<std::int64_t> order(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
    for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
    std::uint64_t state = splitmix(seed ^ splitmix(static_cast<std::uint64_t>(epoch) + 1));
    for (std::int64_t i = n - 1; i > 0; --i) {
        state = splitmix(state);
        const auto j = static_cast<std::int64_t>(state % static_cast<std::uint64_t>(i + 1));
        std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
    }
    return order;
}

bool example_coin(std::uint64_t seed, std::int64_t epoch, std::int64_t item) {
    return (splitmix(seed ^
                     splitmix(static_cast<std::uint64_t>(epoch) * 0x1000003ull + static_cast<std::uint64_t>(item))) &
            1u) != 0;
}

namespace {

bool is_image_file(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".webp" || ext == ".bmp";
}

// A caption file as one line: tabs and line breaks become spaces, trimmed.
std::string one_line(const std::string& text) {
    std::string out;
    for (char c : text) out += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
    const auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

// Reads and checks one image and its caption; `raw` gets the image file's bytes.
FolderItem check_item(const fs::path& image,
                      const FolderCheckOptions& o,
                      std::map<std::pair<std::size_t, std::uint64_t>, fs::path>& seen,
                      std::vector<std::uint8_t>& raw) {
    FolderItem item;
    item.image = image;
    item.caption_file = fs::path(image).replace_extension(".txt");
    if (auto caption = read_file(item.caption_file); !caption) {
        item.problems.push_back("no caption file " + item.caption_file.filename().string());
    } else {
        item.caption = one_line(*caption);
        if (item.caption.empty()) item.problems.push_back("empty caption in " + item.caption_file.filename().string());
    }
    auto bytes = read_file(image);
    if (!bytes) {
        item.problems.push_back(bytes.message());
        return item;
    }
    raw.assign(bytes->begin(), bytes->end());
    auto img = decode_image(raw);
    if (!img) {
        item.problems.push_back("unreadable or truncated image: " + img.message());
        return item;
    }
    item.width = img->cols;
    item.height = img->rows;
    const auto key = std::pair(bytes->size(), std::hash<std::string>{}(*bytes));
    if (auto [it, fresh] = seen.emplace(key, image); !fresh)
        item.problems.push_back("the same image as " + it->second.filename().string());
    if (o.tokenizer && !item.caption.empty()) {
        item.caption_tokens = static_cast<int>(o.tokenizer->tokenize(item.caption).size());
        if (o.text_len > 0 && item.caption_tokens > o.text_len) {
            item.warnings.push_back("caption is " + std::to_string(item.caption_tokens) +
                                    " tokens; the model reads the first " + std::to_string(o.text_len));
        }
    }
    return item;
}

// check_image_folder's walk. `on_usable` (optional) gets each usable item
// with the bytes already read, so that an import does not read them again.
using UsableItem = std::function<void(const FolderItem&, const std::vector<std::uint8_t>& bytes)>;

Result<FolderReport> walk_folder(const fs::path& folder, const FolderCheckOptions& o, const UsableItem& on_usable) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return make_error(ErrorCode::NotFound, folder.string() + " is not a directory");
    std::vector<fs::path> images;
    for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file() && is_image_file(it->path())) images.push_back(it->path());
    if (ec) return make_error(ErrorCode::Io, "cannot list " + folder.string() + ": " + ec.message());
    std::sort(images.begin(), images.end());
    FolderReport report;
    std::map<std::pair<std::size_t, std::uint64_t>, fs::path> seen;  // (size, hash) -> first image with those bytes
    std::map<std::pair<int, int>, int> sizes;
    std::vector<std::uint8_t> raw;
    for (const auto& image : images) {
        report.items.push_back(check_item(image, o, seen, raw));
        const FolderItem& item = report.items.back();
        if (item.width > 0) ++sizes[{item.width, item.height}];
        if (on_usable && item.usable()) on_usable(item, raw);
    }
    for (const auto& [wh, n] : sizes)
        report.sizes += (report.sizes.empty() ? "" : ", ") + std::to_string(wh.first) + "x" +
                        std::to_string(wh.second) + " (" + std::to_string(n) + ")";
    if (o.resolution > 0 && !sizes.empty()) {
        const std::string r = std::to_string(o.resolution);
        report.sizes += " -> " + r + "x" + r + ": shortest side scaled to " + r + ", centre crop";
    }
    return report;
}

}  // namespace

std::int64_t FolderReport::usable() const {
    return std::count_if(items.begin(), items.end(), [](const FolderItem& i) { return i.usable(); });
}

Result<FolderReport> check_image_folder(const fs::path& folder, const FolderCheckOptions& o) {
    return walk_folder(folder, o, {});
}

Result<FolderConversion> folder_to_tsv(const fs::path& folder, const fs::path& out_tsv) {
    return folder_to_tsvs(folder, out_tsv, {}, 0, 0);
}

Result<FolderConversion> folder_to_tsvs(const fs::path& folder,
                                        const fs::path& train_tsv,
                                        const fs::path& val_tsv,
                                        double val_fraction,
                                        std::uint64_t seed) {
    FolderConversion report;
    std::vector<std::string> rows;
    auto checked = walk_folder(folder, {}, [&](const FolderItem& item, const std::vector<std::uint8_t>& bytes) {
        std::error_code ec;
        fs::path rel = fs::relative(item.image, folder, ec);
        rel.replace_extension();
        rows.push_back(rel.generic_string() + "\t" + item.caption + "\t" + base64_encode(bytes) + "\n");
    });
    if (!checked) return checked.error();
    for (const FolderItem& item : checked->items)
        for (const auto& p : item.problems) report.skipped.push_back({item.image.string(), 0, p});
    const auto n = static_cast<std::int64_t>(rows.size());
    report.val_rows = val_tsv.empty() ? 0 : validation_count(n, val_fraction);
    // The held-out rows: the first ones of a seeded shuffle, kept in folder order.
    std::vector<bool> held(rows.size(), false);
    const auto order = epoch_order(n, seed, 0);
    for (std::int64_t k = 0; k < report.val_rows; ++k) held[static_cast<std::size_t>(order[k])] = true;
    std::string train, val;
    for (std::size_t i = 0; i < rows.size(); ++i) (held[i] ? val : train) += rows[i];
    report.rows = n - report.val_rows;
    SHENBI_TRY_STATUS(write_file_atomic(train_tsv, train));
    if (!val_tsv.empty()) SHENBI_TRY_STATUS(write_file_atomic(val_tsv, val));
    return report;
}

std::int64_t validation_count(std::int64_t usable, double val_fraction) {
    if (usable < 2 || val_fraction <= 0) return 0;
    const auto k = static_cast<std::int64_t>(std::llround(static_cast<double>(usable) * val_fraction));
    return std::clamp<std::int64_t>(k, 1, usable - 1);
}

}  // namespace shenbi
