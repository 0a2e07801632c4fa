#include "core/knowledge/entity_table.h"

#include <torch/torch.h>

#include "core/format/torch_file.h"
#include "core/knowledge/id_files.h"
#include "core/knowledge/name_trie.h"
#include "core/knowledge/single_chars.h"
#include "core/text/basic_tokenizer.h"
#include "core/text/tokenizer.h"
#include "core/text/utf8.h"
#include "core/util/guard.h"

namespace shenbi {
namespace {

// A name as the lattice sees it: the characters of its basic tokens, so
// "T恤" is matched against the tokens "t", "恤".
std::u32string lattice_key(const std::string& name) {
    std::u32string key;
    for (const BasicToken& t : basic_tokenize(name)) key += t.chars;
    return key;
}

std::shared_ptr<const NameTrie> build_trie(const std::vector<std::string>& names) {
    auto trie = std::make_shared<NameTrie>();
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::u32string key = lattice_key(names[i]);
        if (!key.empty()) trie->insert(key, static_cast<std::int64_t>(i));  // one-character names: see lattice()
    }
    return trie;
}

}  // namespace

EntityTable EntityTable::from_names(std::vector<std::string> names, torch::Tensor vectors) {
    EntityTable t;
    t.names_ = std::move(names);
    t.ids_.reserve(t.names_.size());
    for (std::size_t i = 0; i < t.names_.size(); ++i)
        if (!t.names_[i].empty()) t.ids_.emplace(t.names_[i], static_cast<std::int64_t>(i));
    t.vectors_ = std::move(vectors);
    t.trie_ = build_trie(t.names_);
    return t;
}

Result<EntityTable> EntityTable::load_names(const std::filesystem::path& entity2id_txt) {
    auto names = read_id_file(entity2id_txt);
    if (!names) return names.error();
    return from_names(std::move(*names), torch::Tensor());
}

Result<EntityTable> EntityTable::load(const std::filesystem::path& entity2id_txt,
                                      const std::filesystem::path& vectors) {
    auto names = read_id_file(entity2id_txt);
    if (!names) return names.error();
    auto table = read_tensor_file(vectors);
    if (!table) return table.error();
    return guarded("loading " + vectors.string(), [&]() -> Result<EntityTable> {
        torch::Tensor v = table->to(torch::kFloat32).contiguous();
        if (v.dim() != 2) {
            return make_error(ErrorCode::ShapeMismatch, vectors.string() + ": entity vectors must be 2-D (N, D), got " +
                                                            std::to_string(v.dim()) + "-D");
        }
        // The released table may have more rows than named entities (ids
        // reserved); fewer rows would make some ids unreadable.
        if (v.size(0) < static_cast<std::int64_t>(names->size())) {
            return make_error(ErrorCode::ShapeMismatch, vectors.string() + ": " + std::to_string(v.size(0)) +
                                                            " vectors for " + std::to_string(names->size()) +
                                                            " entity ids in " + entity2id_txt.string());
        }
        return from_names(std::move(*names), v);
    });
}

int EntityTable::dim() const {
    return vectors_.defined() ? static_cast<int>(vectors_.size(1)) : 0;
}

std::int64_t EntityTable::id_of(const std::string& name) const {
    const auto it = ids_.find(name);
    return it == ids_.end() ? -1 : it->second;
}

std::vector<LatticeEntity> EntityTable::lattice(const std::vector<std::string>& tokens, bool single_chars) const {
    std::vector<LatticeEntity> out;
    if (!trie_) return out;
    // Tokens as code points; only single-character tokens can be part of a
    // span (a "##ing" piece or a whole Latin word never matches).
    std::vector<char32_t> single(tokens.size(), 0);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::u32string cps = utf8_decode(tokens[i]);
        if (cps.size() == 1) single[i] = cps[0];
    }
    for (std::size_t s = 0; s < tokens.size(); ++s) {
        int node = NameTrie::kRoot;
        for (std::size_t e = s; e < tokens.size() && single[e] != 0; ++e) {
            node = trie_->step(node, single[e]);
            if (node < 0) break;
            const std::int64_t id = trie_->value(node);
            if (id >= 0 && e > s) out.push_back({id, static_cast<int>(s), static_cast<int>(e)});
        }
    }
    if (!single_chars) return out;
    // Longest match: a one-character name only where no longer span covers it.
    std::vector<bool> covered(tokens.size(), false);
    for (const auto& e : out)
        for (int t = e.token_begin; t <= e.token_end; ++t) covered[static_cast<std::size_t>(t)] = true;
    for (const auto& [s, id] : lone_characters(std::u32string_view(single.data(), single.size()), covered, *trie_))
        out.push_back({id, static_cast<int>(s), static_cast<int>(s)});
    std::stable_sort(out.begin(), out.end(), [](const LatticeEntity& a, const LatticeEntity& b) {
        return std::pair(a.token_begin, a.token_end) < std::pair(b.token_begin, b.token_end);
    });
    return out;
}

std::vector<LatticeEntity> EntityTable::lattice(const std::vector<Token>& tokens, bool single_chars) const {
    std::vector<std::string> texts;
    texts.reserve(tokens.size());
    for (const Token& t : tokens) texts.push_back(t.text);
    return lattice(texts, single_chars);
}

std::vector<LatticeEntity> EntityTable::caption_lattice(const BertTokenizer& tokenizer,
                                                        const std::string& caption,
                                                        const std::vector<LatticeEntity>* given,
                                                        bool single_chars) const {
    if (given && !single_chars) return *given;
    return lattice(tokenizer.tokenize(caption), single_chars);
}

WordsMat make_words_mat(const std::vector<LatticeEntity>& lattice, int max_entities, int text_len) {
    WordsMat m;
    m.ids = torch::zeros({max_entities, text_len}, torch::kInt64);
    m.mask = torch::zeros({max_entities, text_len}, torch::kBool);
    auto ids = m.ids.accessor<std::int64_t, 2>();
    auto mask = m.mask.accessor<bool, 2>();
    const int n = std::min<int>(max_entities, static_cast<int>(lattice.size()));
    for (int i = 0; i < n; ++i) {
        const LatticeEntity& e = lattice[static_cast<std::size_t>(i)];
        // Spans past the text window are clipped, as EasyNLP's dataset does.
        for (int t = std::max(e.token_begin, 0); t <= e.token_end && t < text_len; ++t) {
            ids[i][t] = e.id;
            mask[i][t] = true;
        }
    }
    return m;
}

}  // namespace shenbi
