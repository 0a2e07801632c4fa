// BERT basic tokenizer + WordPiece, step for step as the released Python
// (clean-up, CJK spacing, whitespace split, lower-case + accent strip,
// punctuation split, greedy longest-match WordPiece), while carrying each
// character's position in the original text so tokens know their span.
#include "core/text/tokenizer.h"

#include <fstream>

#include "core/text/basic_tokenizer.h"
#include "core/text/utf8.h"

namespace shenbi {
namespace {

// BERT's max_input_chars_per_word: longer "words" become one [UNK].
constexpr std::size_t kMaxWordChars = 100;

}  // namespace

Result<BertTokenizer> BertTokenizer::from_file(const std::filesystem::path& vocab_txt) {
    std::ifstream in(vocab_txt, std::ios::binary);
    if (!in) return make_error(ErrorCode::NotFound, "cannot open vocabulary " + vocab_txt.string());
    std::vector<std::string> vocab;
    std::string line;
    while (std::getline(in, line)) {
        // Python's load_vocab keeps every line (rstrip of "\n" only); drop a
        // Windows '\r' too.
        if (!line.empty() && line.back() == '\r') line.pop_back();
        vocab.push_back(line);
    }
    if (vocab.empty()) return make_error(ErrorCode::Corrupt, vocab_txt.string() + ": empty vocabulary");
    return from_tokens(std::move(vocab));
}

BertTokenizer BertTokenizer::from_tokens(std::vector<std::string> vocab) {
    BertTokenizer t;
    t.vocab_ = std::move(vocab);
    t.ids_.reserve(t.vocab_.size());
    // A repeated entry maps to its last line, as Python's dict assignment does.
    for (std::size_t i = 0; i < t.vocab_.size(); ++i) t.ids_[t.vocab_[i]] = static_cast<std::int64_t>(i);
    const std::int64_t unk = t.id_of("[UNK]");
    if (unk >= 0) t.unk_id_ = unk;
    return t;
}

std::int64_t BertTokenizer::id_of(const std::string& token) const {
    const auto it = ids_.find(token);
    return it == ids_.end() ? -1 : it->second;
}

std::vector<Token> BertTokenizer::tokenize(std::string_view text) const {
    std::vector<Token> out;
    for (const BasicToken& word : basic_tokenize(text)) {
        const std::u32string& chars = word.chars;
        auto unk = [&] { out.push_back(Token{"[UNK]", unk_id_, word.origin.front(), word.origin.back() + 1}); };
        if (chars.size() > kMaxWordChars) {
            unk();
            continue;
        }
        std::vector<Token> pieces;
        std::size_t start = 0;
        bool bad = false;
        while (start < chars.size()) {
            std::size_t end = chars.size();
            std::int64_t found = -1;
            std::string piece;
            while (start < end) {
                piece = start > 0 ? "##" : "";
                piece += utf8_encode(std::u32string_view(chars).substr(start, end - start));
                found = id_of(piece);
                if (found >= 0) break;
                --end;
            }
            if (found < 0) {
                bad = true;
                break;
            }
            pieces.push_back(Token{piece, found, word.origin[start], word.origin[end - 1] + 1});
            start = end;
        }
        if (bad) {
            unk();
        } else {
            out.insert(out.end(), pieces.begin(), pieces.end());
        }
    }
    return out;
}

std::vector<std::int64_t> BertTokenizer::encode(std::string_view text, int length, int* token_len) const {
    const std::vector<Token> tokens = tokenize(text);
    if (token_len) *token_len = static_cast<int>(tokens.size());
    std::vector<std::int64_t> ids(static_cast<std::size_t>(std::max(length, 0)), pad_id());
    for (std::size_t i = 0; i < ids.size() && i < tokens.size(); ++i) ids[i] = tokens[i].id;
    return ids;
}

}  // namespace shenbi
