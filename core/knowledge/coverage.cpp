#include "core/knowledge/coverage.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/knowledge/entity_table.h"
#include "core/text/tokenizer.h"
#include "core/text/unicode_tables.h"
#include "core/text/utf8.h"

namespace shenbi {
namespace {

using Counts = std::map<std::string, std::int64_t>;

// A token the basic tokenizer split off as punctuation ("，", "."): it ends a
// run of unlinked words rather than joining two runs into one.
bool is_punctuation_token(const std::u32string& chars, const Token& token) {
    const auto end = std::min<std::size_t>(static_cast<std::size_t>(token.char_end), chars.size());
    for (auto i = static_cast<std::size_t>(token.char_begin); i < end; ++i)
        if (!unicode::is_punctuation(chars[i])) return false;
    return true;
}

// The caption's own text from token `first` to token `last`: the tokens are
// lower-cased and WordPiece-split ("##ing"), the artist wrote it otherwise.
std::string run_text(const std::u32string& chars, const Token& first, const Token& last) {
    const auto begin = std::min<std::size_t>(static_cast<std::size_t>(first.char_begin), chars.size());
    const auto end = std::min<std::size_t>(static_cast<std::size_t>(last.char_end), chars.size());
    return utf8_encode(std::u32string_view(chars).substr(begin, end > begin ? end - begin : 0));
}

// Runs of consecutive tokens that are neither `covered` nor punctuation.
std::set<std::string> unlinked_runs(const std::string& caption,
                                    const std::vector<Token>& tokens,
                                    const std::vector<bool>& covered) {
    const std::u32string chars = utf8_decode(caption);  // Token spans count these code points
    std::set<std::string> runs;
    std::size_t start = 0;  // first token of the current run
    for (std::size_t i = 0; i <= tokens.size(); ++i) {
        const bool ends_run = i == tokens.size() || covered[i] || is_punctuation_token(chars, tokens[i]);
        if (!ends_run) continue;
        if (i > start) runs.insert(run_text(chars, tokens[start], tokens[i - 1]));
        start = i + 1;
    }
    return runs;
}

// The names the lattice links; marks the tokens their spans cover.
std::set<std::string> linked_names(const EntityTable& table,
                                   const std::vector<LatticeEntity>& lattice,
                                   std::vector<bool>& covered) {
    std::set<std::string> names;
    for (const LatticeEntity& e : lattice) {
        names.insert(table.name(e.id));
        for (int t = e.token_begin; t <= e.token_end && t < static_cast<int>(covered.size()); ++t)
            covered[static_cast<std::size_t>(t)] = true;
    }
    return names;
}

std::vector<std::pair<std::string, std::int64_t>> ranked(const Counts& counts, int top) {
    std::vector<std::pair<std::string, std::int64_t>> out(counts.begin(), counts.end());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    out.resize(std::min(out.size(), static_cast<std::size_t>(std::max(top, 0))));
    return out;
}

}  // namespace

CaptionCoverage caption_coverage(const std::vector<std::string>& captions,
                                 const EntityTable& table,
                                 const BertTokenizer& tokenizer,
                                 bool single_chars,
                                 int top) {
    CaptionCoverage out;
    Counts entities, unlinked;  // per caption at most once: counts are captions, not mentions
    for (const std::string& caption : captions) {
        const std::vector<Token> tokens = tokenizer.tokenize(caption);
        std::vector<bool> covered(tokens.size(), false);
        const std::set<std::string> names = linked_names(table, table.lattice(tokens, single_chars), covered);
        for (const std::string& name : names) ++entities[name];
        for (const std::string& run : unlinked_runs(caption, tokens, covered)) ++unlinked[run];
        if (!names.empty()) ++out.linked;
    }
    out.captions = static_cast<std::int64_t>(captions.size());
    out.top_entities = ranked(entities, top);
    out.unlinked_words = ranked(unlinked, top);
    return out;
}

}  // namespace shenbi
