// `shenbi-cli preprocess`: EasyNLP TSV rows (idx, text[, imgbase64]) to
// ARTIST's knowledge TSV (idx, text, lex_id, pos_s, pos_e, token_len
// [, imgbase64]), streamed row by row so 100k-row files never sit in memory.
// Unreadable rows are reported through `on_problem` with file:line and
// skipped; the report counts them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/knowledge/entity_table.h"
#include "core/text/tokenizer.h"
#include "core/util/result.h"

namespace shenbi {

struct PreprocessReport {
    std::int64_t rows_read = 0;
    std::int64_t rows_written = 0;
    std::int64_t rows_skipped = 0;
    std::int64_t rows_with_entities = 0;
    std::int64_t entities = 0;
};

// `tokenizer` may be null: then BERT's basic tokens stand in (identical for
// Chinese text; token_len differs from WordPiece only for Latin words).
// The output is written atomically: a failed run leaves no partial file.
Result<PreprocessReport> preprocess_knowledge_tsv(const std::filesystem::path& input,
                                                  const EntityTable& entities,
                                                  const BertTokenizer* tokenizer,
                                                  const std::filesystem::path& output,
                                                  const std::function<void(const std::string&)>& on_problem = {});

}  // namespace shenbi
