#include "core/sampling/predict.h"

#include "core/data/train_data.h"
#include "core/data/tsv_reader.h"
#include "core/image/image_io.h"
#include "core/util/atomic_file.h"
#include "core/util/base64.h"

namespace shenbi {
namespace {

// Entities of the knowledge columns (lex_id, pos_s, pos_e), parsed as the
// training data reader parses them.
Result<std::vector<LinkedSpan>> entities_from_columns(const TsvRow& row) {
    auto lattice = parse_lattice_columns(row.fields[2], row.fields[3], row.fields[4]);
    if (!lattice) return lattice.error();
    std::vector<LinkedSpan> spans;
    for (const auto& e : *lattice) spans.push_back({"", e.id, e.token_begin, e.token_end});
    return spans;
}

// The generation parameters of one row, or why the row cannot be used.
Result<GenerationParams> row_params(const TsvRow& row, const GenerationParams& base) {
    if (row.fields.size() != 2 && row.fields.size() != 6) {
        return make_error(ErrorCode::Corrupt,
                          "expected 2 columns (idx, text) or 6 (idx, text, lex_id, pos_s, pos_e, token_len), got " +
                              std::to_string(row.fields.size()));
    }
    GenerationParams p = base;
    p.prompt = std::string(row.fields[1]);
    p.seed = derive_seed(base.seed, static_cast<int>(row.line));
    if (row.fields.size() == 6) {
        auto spans = entities_from_columns(row);
        if (!spans) return spans.error();
        p.entities = *spans;
    }
    return p;
}

}  // namespace

Result<std::string> png_list_literal(const std::vector<Candidate>& candidates) {
    std::string out = "[";
    for (size_t i = 0; i < candidates.size(); ++i) {
        auto png = encode_png(candidates[i].image);
        if (!png) return png.error();
        out += (i ? ", '" : "'") + base64_encode(*png) + "'";
    }
    return out + "]";
}

Result<PredictSummary> predict_tsv(const ModelBundle& model,
                                   const std::filesystem::path& input,
                                   const std::filesystem::path& output,
                                   const GenerationParams& base,
                                   const PredictHooks& hooks) {
    auto reader = TsvReader::open(input);
    if (!reader) return reader.error();
    PredictSummary summary;
    Status st = write_file_atomic(output, [&](std::ostream& out) -> Status {
        TsvRow row;
        while (reader->next(row)) {
            if (hooks.on_row) hooks.on_row(reader->where(row));
            auto params = row_params(row, base);
            auto result =
                params ? generate(model, *params, hooks.generation) : Result<GenerationResult>(params.error());
            if (!result && result.error().code == ErrorCode::Cancelled) return result.error();
            if (!result) {
                summary.skipped.push_back(reader->where(row) + ": " + result.message());
                continue;
            }
            auto list = png_list_literal(result->candidates);
            if (!list) return list.error();
            out << row.fields[0] << '\t' << row.fields[1] << '\t' << *list << '\n';
            ++summary.written;
        }
        return Status::success();
    });
    if (!st.ok()) return st.error();
    return summary;
}

}  // namespace shenbi
