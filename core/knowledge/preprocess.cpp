#include "core/knowledge/preprocess.h"

#include "core/data/tsv_reader.h"
#include "core/knowledge/lattice_columns.h"
#include "core/text/basic_tokenizer.h"
#include "core/text/utf8.h"
#include "core/util/atomic_file.h"
#include "core/util/base64.h"

namespace shenbi {
namespace {

std::vector<std::string> token_texts(std::string_view text, const BertTokenizer* tokenizer) {
    std::vector<std::string> out;
    if (tokenizer) {
        for (const Token& t : tokenizer->tokenize(text)) out.push_back(t.text);
    } else {
        for (const BasicToken& t : basic_tokenize(text)) out.push_back(utf8_encode(t.chars));
    }
    return out;
}

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Result<PreprocessReport> preprocess_knowledge_tsv(const std::filesystem::path& input,
                                                  const EntityTable& entities,
                                                  const BertTokenizer* tokenizer,
                                                  const std::filesystem::path& output,
                                                  const std::function<void(const std::string&)>& on_problem) {
    auto reader = TsvReader::open(input);
    if (!reader) return reader.error();
    PreprocessReport report;
    auto problem = [&](const TsvRow& row, const std::string& why) {
        ++report.rows_skipped;
        if (on_problem) on_problem(reader->where(row) + ": " + why);
    };
    // The first readable row fixes the layout (with or without images); a
    // row that disagrees is reported rather than written in another shape.
    std::size_t columns = 0;
    Status st = write_file_atomic(output, [&](std::ostream& out) -> Status {
        TsvRow row;
        std::string line;
        while (reader->next(row)) {
            ++report.rows_read;
            const std::size_t n = row.fields.size();
            if ((n != 2 && n != 3) || (columns && n != columns)) {
                problem(row, "expected " + (columns ? std::to_string(columns) : std::string("2 or 3")) +
                                 " tab-separated columns (idx, text" + (columns == 2 ? "" : "[, imgbase64]") +
                                 "), got " + std::to_string(n));
                continue;
            }
            const std::string_view idx = row.fields[0], text = row.fields[1];
            if (blank(idx)) {
                problem(row, "empty idx");
                continue;
            }
            if (blank(text)) {
                problem(row, "empty text");
                continue;
            }
            if (n == 3) {
                if (blank(row.fields[2])) {
                    problem(row, "empty imgbase64");
                    continue;
                }
                auto bytes = base64_decode(row.fields[2]);
                if (!bytes) {
                    problem(row, "bad base64 in imgbase64: " + bytes.message());
                    continue;
                }
            }
            columns = n;
            const std::vector<std::string> tokens = token_texts(text, tokenizer);
            const std::vector<LatticeEntity> lattice = entities.lattice(tokens);
            const int seq_len = static_cast<int>(tokens.size());
            const LatticeColumns c = format_lattice_columns(lattice, seq_len);
            line.clear();
            line.append(idx).append("\t").append(text).append("\t");
            line.append(c.lex_id).append("\t").append(c.pos_s).append("\t").append(c.pos_e).append("\t");
            line.append(std::to_string(seq_len));
            if (n == 3) line.append("\t").append(row.fields[2]);
            line.push_back('\n');
            out.write(line.data(), static_cast<std::streamsize>(line.size()));
            if (!out) return make_error(ErrorCode::Io, "cannot write " + output.string());
            ++report.rows_written;
            report.entities += static_cast<std::int64_t>(lattice.size());
            if (!lattice.empty()) ++report.rows_with_entities;
        }
        return Status::success();
    });
    if (!st) return st.error();
    return report;
}

}  // namespace shenbi
