// Training data from EasyNLP text-image TSVs.
//
// Layouts (tab-separated, no header, base64 standard or url-safe):
//   plain      idx, text, imgbase64                                  (3 columns)
//   knowledge  idx, text, lex_id, pos_s, pos_e, token_len, imgbase64 (7 columns)
// Files are read by byte offset (one index pass, then random access), so a
// data set never has to fit in memory and an epoch's order can be replayed
// exactly from (seed, epoch). Rows that cannot be used are never fatal and
// never silent: they go to a BadRowLog with "file:line: why".
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/text/lattice_entity.h"
#include "core/util/result.h"

namespace shenbi {

struct BadRow {
    std::string file;
    std::int64_t line = 0;  // 1-based
    std::string reason;
    std::string where() const { return file + ":" + std::to_string(line); }
};

// Thread-safe record of unusable rows, one entry per (file, line).
// `on_bad_row` (optional) is called once per new row, on the thread that found it.
class BadRowLog {
public:
    std::function<void(const BadRow&)> on_bad_row;

    // False when this row was already logged.
    bool add(const std::filesystem::path& file, std::int64_t line, std::string reason);
    std::vector<BadRow> rows() const;  // in the order found
    std::size_t count() const;
    bool contains(const std::filesystem::path& file, std::int64_t line) const;

private:
    mutable std::mutex mutex_;
    std::vector<BadRow> rows_;
    std::set<std::pair<std::string, std::int64_t>> seen_;
};

// One row, image still encoded.
struct RawExample {
    std::int64_t line = 0;
    std::string idx;
    std::string text;
    bool has_knowledge = false;           // knowledge layout (lattice columns present)
    std::vector<LatticeEntity> entities;  // from lex_id / pos_s / pos_e
    int token_len = -1;                   // knowledge layout only
    std::string image_base64;
};

// Parses the lattice columns. pos_s / pos_e hold token_len own positions
// followed by one (start, end) pair per entity of lex_id.
Result<std::vector<LatticeEntity>> parse_lattice_columns(std::string_view lex_id,
                                                         std::string_view pos_s,
                                                         std::string_view pos_e);

// Plain (3 columns) or knowledge (7 columns) row; the error says why not.
Result<RawExample> parse_example_fields(const std::vector<std::string_view>& fields, std::int64_t line);

// base64 -> decoded (alpha on white) -> shortest side to `resolution` + center
// crop -> optional horizontal flip -> (3, R, R) float in [-1, 1].
Result<torch::Tensor> decode_example_image(const std::string& image_base64, int resolution, bool flip);

// Byte offsets of the usable-looking rows of a TSV (right column count,
// non-empty text and image). Images are not decoded here.
class TsvIndex {
public:
    static Result<TsvIndex> build(const std::filesystem::path& path, BadRowLog* log);

    std::size_t size() const { return offsets_.size(); }
    std::int64_t line(std::size_t i) const { return lines_[i]; }
    const std::filesystem::path& path() const { return path_; }
    // FNV-1a 64 of the lines indexed, each with its '\n': the bytes the rows
    // came from, hashed in the same pass (the stage-2 code cache's key).
    std::uint64_t content_hash() const { return content_hash_; }

    // Reads row i through `in` (one stream per thread; open with open_stream()).
    Result<RawExample> read(std::ifstream& in, std::size_t i) const;
    std::ifstream open_stream() const { return std::ifstream(path_, std::ios::binary); }

private:
    std::filesystem::path path_;
    std::uint64_t content_hash_ = 0;
    std::vector<std::uint64_t> offsets_;
    std::vector<std::int64_t> lines_;
};

// Deterministic permutation of [0, n) for (seed, epoch): the data position of
// a run is just (epoch, batch index).
std::vector<std::int64_t> epoch_order(std::int64_t n, std::uint64_t seed, std::int64_t epoch);

// Stateless per-example coin (flip augmentation) from (seed, epoch, item).
bool example_coin(std::uint64_t seed, std::int64_t epoch, std::int64_t item);

class BertTokenizer;

// A fine-tune folder checked before anything trains (the wizard's data page,
// `shenbi-cli train check-folder`): every image (png, jpg, jpeg, webp, bmp)
// with its same-named .txt caption, and what is wrong with it, naming the file.
struct FolderItem {
    std::filesystem::path image;
    std::filesystem::path caption_file;
    std::string caption;                // one line: tabs and line breaks as spaces, trimmed
    int width = 0, height = 0;          // 0 when the image cannot be decoded
    int caption_tokens = -1;            // with a tokenizer, else -1
    std::vector<std::string> problems;  // why it is left out (no caption, empty caption, unreadable, duplicate)
    std::vector<std::string> warnings;  // it trains, but: a caption longer than the text context
    bool usable() const { return problems.empty(); }
};
struct FolderReport {
    std::vector<FolderItem> items;  // sorted by path
    std::int64_t usable() const;
    // Image sizes and what training does with them, e.g.
    // "48x48 (3), 64x48 (1) -> 64x64: shortest side scaled to 64, centre crop".
    std::string sizes;
};
struct FolderCheckOptions {
    const BertTokenizer* tokenizer = nullptr;  // counts caption tokens
    int text_len = 0;                          // > 0: warn about captions with more tokens
    int resolution = 0;                        // > 0: say how images are resized
};
Result<FolderReport> check_image_folder(const std::filesystem::path& folder, const FolderCheckOptions& options = {});

// Folder source: every image (png, jpg, jpeg, webp, bmp) with a same-named
// .txt caption becomes one plain row `idx, caption, imgbase64` (original file
// bytes). idx is the relative path without extension. The items
// check_image_folder leaves out (no caption, empty caption, unreadable,
// duplicate) are reported, not fatal.
struct FolderConversion {
    std::int64_t rows = 0;        // written to the training table
    std::int64_t val_rows = 0;    // written to the validation table
    std::vector<BadRow> skipped;  // file = the image or caption path, line = 0
};
Result<FolderConversion> folder_to_tsv(const std::filesystem::path& folder, const std::filesystem::path& out_tsv);
// The same, with validation_count(usable, val_fraction) rows (chosen by a
// seeded shuffle: the same folder, fraction and seed give the same split)
// written to `val_tsv` instead. Both files are written atomically.
Result<FolderConversion> folder_to_tsvs(const std::filesystem::path& folder,
                                        const std::filesystem::path& train_tsv,
                                        const std::filesystem::path& val_tsv,
                                        double val_fraction,
                                        std::uint64_t seed);
// Rows held out of `usable` for validation: round(usable * fraction), at
// least 1 when usable >= 2 and fraction > 0, never all of them.
std::int64_t validation_count(std::int64_t usable, double val_fraction);

}  // namespace shenbi
