// EasyNLP-compatible batch prediction: a TSV of prompts in, a TSV of
// `idx, text, gen_imgbase64` out (the last column a Python list literal of
// base64 PNGs, one per candidate), exactly as EasyNLP's predictor writes it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/sampling/generate.h"

namespace shenbi {

struct PredictSummary {
    int written = 0;
    std::vector<std::string> skipped;  // "file:line: why", one per row not written
};

struct PredictHooks {
    std::function<void(const std::string& where)> on_row;  // before each row
    GenerationHooks generation;                            // per row
};

// Rows: `idx, text` or `idx, text, lex_id, pos_s, pos_e, token_len` (the
// knowledge columns; their entities are fed as given). Row r uses the seed
// derive_seed(base.seed, line number). Unreadable rows are skipped and listed;
// the output file is written atomically (nothing is left on failure).
Result<PredictSummary> predict_tsv(const ModelBundle& model,
                                   const std::filesystem::path& input,
                                   const std::filesystem::path& output,
                                   const GenerationParams& base,
                                   const PredictHooks& hooks = {});

// ['b64', 'b64', ...] as Python's str(list) prints it.
Result<std::string> png_list_literal(const std::vector<Candidate>& candidates);

}  // namespace shenbi
