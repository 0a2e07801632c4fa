// How much of a fine-tune's captions the knowledge graph reaches (the
// fine-tune wizard's knowledge page): how many captions link at least one
// entity, which entities they link most, and which words link nothing. Those
// words are what an artist's own triples (entity_extension.h) could name.
//
// The captions are tokenized and linked exactly as training does
// (BertTokenizer::tokenize, then EntityTable::lattice with the model's
// single-character rule), so the figures are what the model will be given.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shenbi {

class BertTokenizer;
class EntityTable;

struct CaptionCoverage {
    std::int64_t captions = 0;  // captions looked at
    std::int64_t linked = 0;    // captions with at least one entity
    // Most frequent entity names, with the number of captions that link them.
    std::vector<std::pair<std::string, std::int64_t>> top_entities;
    // Most frequent runs of consecutive tokens that no entity span covers,
    // split at punctuation, as the caption wrote them (its own case and
    // spaces), with the number of captions that hold them.
    std::vector<std::pair<std::string, std::int64_t>> unlinked_words;
};

// Both lists sorted by count (descending), then by name, and cut to `top`
// entries. Reads `table` and `tokenizer` only: safe to call from any thread
// while nothing modifies them.
CaptionCoverage caption_coverage(const std::vector<std::string>& captions,
                                 const EntityTable& table,
                                 const BertTokenizer& tokenizer,
                                 bool single_chars,
                                 int top = 20);

}  // namespace shenbi
