// Entities of a knowledge graph: names <-> ids (OpenKE `entity2id.txt`) and
// their frozen TransE vectors (num_entities, dim). Also the character trie
// used to build ARTIST's entity lattice over a tokenized prompt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <torch/types.h>

#include "core/text/lattice_entity.h"
#include "core/util/result.h"

namespace shenbi {

class BertTokenizer;
class NameTrie;
struct Token;

class EntityTable {
public:
    // entity2id.txt (count line, then name<TAB>id) + vectors (N, D) float.
    static Result<EntityTable> load(const std::filesystem::path& entity2id_txt, const std::filesystem::path& vectors);
    static EntityTable from_names(std::vector<std::string> names, torch::Tensor vectors);
    // Names only (no vectors): enough for the lattice (`shenbi-cli preprocess`).
    static Result<EntityTable> load_names(const std::filesystem::path& entity2id_txt);

    std::int64_t size() const { return static_cast<std::int64_t>(names_.size()); }
    int dim() const;
    const torch::Tensor& vectors() const { return vectors_; }  // (N, D) float32, CPU
    const std::string& name(std::int64_t id) const { return names_.at(static_cast<std::size_t>(id)); }
    std::int64_t id_of(const std::string& name) const;  // -1 if absent
    const std::vector<std::string>& names() const { return names_; }

    // Every dictionary span over runs of single-character tokens, nested and
    // overlapping ones included, ordered by start then end (ARTIST's lattice).
    // Names of one character match only with `single_chars` (ARTIST drops
    // them), and then only CJK ideographs (not "3" or "a"), where no longer
    // span covers the character and links_alone() allows it (single_chars.h). Names are matched after the
    // tokenizer's own normalisation (lower-case), since the tokens they are
    // compared with went through it.
    std::vector<LatticeEntity> lattice(const std::vector<std::string>& tokens, bool single_chars = false) const;
    std::vector<LatticeEntity> lattice(const std::vector<Token>& tokens, bool single_chars = false) const;
    // The lattice a training caption gets: its row's own lattice columns
    // (`given`, which follow ARTIST's rule: no one-character names), unless
    // there are none or the model links one-character names; then the
    // caption's text is linked as generation links a prompt.
    std::vector<LatticeEntity> caption_lattice(const BertTokenizer& tokenizer,
                                               const std::string& caption,
                                               const std::vector<LatticeEntity>* given,
                                               bool single_chars) const;

private:
    std::vector<std::string> names_;
    std::unordered_map<std::string, std::int64_t> ids_;
    torch::Tensor vectors_;
    std::shared_ptr<const NameTrie> trie_;  // shared: tables are copied around cheaply
};

// words_mat (max_entities, text_len) int64: row n holds entity n's id at the
// tokens its span covers, 0 elsewhere; spans past text_len are clipped. The
// mask (max_entities, text_len) bool marks covered tokens.
struct WordsMat {
    torch::Tensor ids;
    torch::Tensor mask;
};
WordsMat make_words_mat(const std::vector<LatticeEntity>& lattice, int max_entities, int text_len);

}  // namespace shenbi
