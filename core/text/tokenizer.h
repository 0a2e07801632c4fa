// BERT-Chinese tokenizer compatible with the released `vocab.txt`
// (basic tokenizer: lower-casing, accent stripping, every CJK character its
// own token, punctuation split; then greedy WordPiece with `##`).
// ARTIST uses it without [CLS]/[SEP]; pad id 0.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

struct Token {
    std::string text;     // the vocabulary entry (e.g. "北", "##ing", "[UNK]")
    std::int64_t id = 0;  // vocabulary id (NOT offset by the image vocabulary)
    int char_begin = 0;   // span in Unicode code points of the original text
    int char_end = 0;     // exclusive
};

class BertTokenizer {
public:
    static Result<BertTokenizer> from_file(const std::filesystem::path& vocab_txt);
    static BertTokenizer from_tokens(std::vector<std::string> vocab);

    // Never fails: invalid UTF-8 bytes are dropped (basic_tokenize). Prompts
    // are refused before they get here (check_prompt, core/sampling/prompt.h).
    std::vector<Token> tokenize(std::string_view text) const;
    // ids truncated / right-padded with [PAD]=0 to `length`; `token_len` gets
    // the length before truncation (ARTIST's token_len column).
    std::vector<std::int64_t> encode(std::string_view text, int length, int* token_len = nullptr) const;

    std::int64_t pad_id() const { return 0; }
    std::int64_t unk_id() const { return unk_id_; }
    std::size_t size() const { return vocab_.size(); }
    const std::vector<std::string>& vocab() const { return vocab_; }
    std::int64_t id_of(const std::string& token) const;  // -1 if absent

private:
    std::vector<std::string> vocab_;
    std::unordered_map<std::string, std::int64_t> ids_;
    std::int64_t unk_id_ = 100;
};

}  // namespace shenbi
