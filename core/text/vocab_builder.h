// Vocabulary for Shenbi's own models: every character seen in a caption
// corpus (and the graph's entity names), laid out like BERT-Chinese so ids
// stay familiar: [PAD]=0, [unused1..99]=1..99, [UNK]=100, [CLS]=101,
// [SEP]=102, [MASK]=103, then characters by frequency. Non-CJK characters
// also get a "##c" entry so WordPiece can spell any seen Latin word
// character by character instead of giving [UNK].
//
// Not thread-safe; one builder per corpus pass.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

class VocabBuilder {
public:
    // Counts the characters of `text` after BERT's basic tokenization, so a
    // vocabulary entry is exactly what the tokenizer will look up.
    void add_text(std::string_view text, std::int64_t weight = 1);

    // Characters seen at least min_count times, most frequent first (ties
    // by code point, so a rebuild is identical); max_size 0 = no cap.
    std::vector<std::string> build(std::int64_t min_count = 1, std::size_t max_size = 0) const;

    std::size_t distinct_chars() const { return counts_.size(); }

private:
    std::map<std::u32string, std::int64_t> counts_;        // first-position entries
    std::map<std::u32string, std::int64_t> continuation_;  // entries without "##"
};

// One token per line, as vocab.txt; written atomically.
Status write_vocab(const std::filesystem::path& path, const std::vector<std::string>& vocab);

}  // namespace shenbi
