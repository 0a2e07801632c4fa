#include "core/text/vocab_builder.h"

#include <algorithm>
#include <set>

#include "core/text/basic_tokenizer.h"
#include "core/text/utf8.h"
#include "core/util/atomic_file.h"

namespace shenbi {

void VocabBuilder::add_text(std::string_view text, std::int64_t weight) {
    for (const BasicToken& w : basic_tokenize(text)) {
        for (std::size_t i = 0; i < w.chars.size(); ++i) {
            const std::u32string c(1, w.chars[i]);
            counts_[c] += weight;
            if (i > 0) continuation_[c] += weight;
        }
    }
}

std::vector<std::string> VocabBuilder::build(std::int64_t min_count, std::size_t max_size) const {
    std::vector<std::string> vocab;
    vocab.emplace_back("[PAD]");
    for (int i = 1; i < 100; ++i) vocab.push_back("[unused" + std::to_string(i) + "]");
    for (const char* s : {"[UNK]", "[CLS]", "[SEP]", "[MASK]"}) vocab.emplace_back(s);

    struct Entry {
        std::string text;
        std::int64_t count;
        std::u32string key;
    };
    std::vector<Entry> entries;
    for (const auto& [k, n] : counts_)
        if (n >= min_count) entries.push_back({utf8_encode(k), n, k});
    for (const auto& [k, n] : continuation_)
        if (n >= min_count) entries.push_back({"##" + utf8_encode(k), n, U"##" + k});
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.count != b.count ? a.count > b.count : a.key < b.key; });
    std::set<std::string> seen(vocab.begin(), vocab.end());
    for (const Entry& e : entries) {
        if (max_size && vocab.size() >= max_size) break;
        if (seen.insert(e.text).second) vocab.push_back(e.text);
    }
    return vocab;
}

Status write_vocab(const std::filesystem::path& path, const std::vector<std::string>& vocab) {
    std::string text;
    for (const auto& t : vocab) text += t + "\n";
    return write_file_atomic(path, text);
}

}  // namespace shenbi
