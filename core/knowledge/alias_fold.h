// Graph aliases for words a model never read. A caption corpus is a model's
// whole experience of words: an entity that no training caption names reaches
// the GPT only as its TransE vector, which sits where the graph put it (near
// the entity it is an alias of, plus the alias relation) and which the GPT
// never learned to read. Where the graph says that such an entity is an
// alias of one the captions do name (head, 别名, alias), the alias takes
// that entity's vector: the GPT then reads the unseen word as the thing it
// knows. `model export --fold_aliases` applies it; docs/default-model.md
// measures it with the knowledge ablation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/knowledge/entity_table.h"
#include "core/knowledge/knowledge_graph.h"
#include "core/util/result.h"

namespace shenbi {

class BertTokenizer;

struct AliasFold {
    std::int64_t alias = 0;   // entity table id of the unseen alias
    std::int64_t target = 0;  // entity table id whose vector it takes
};

struct CaptionEntityCounts {
    std::vector<std::int64_t> hits;  // per table entity: the captions that link it
    std::int64_t rows = 0;           // rows read
    std::int64_t bad_rows = 0;       // rows training skips too (parse_example_fields refuses them)
};

// In how many captions of `tables` (EasyNLP training rows) the lattice links
// each entity of `table`, counted once per caption, by training's own rule
// (EntityTable::caption_lattice with gpt.single_char_entities). An entity
// linked only past the GPT's text window counts too: it then stays as it is,
// the safe side. Rows training skips are skipped and counted; a table
// without one usable row is an error naming it (not a training table).
Result<CaptionEntityCounts> count_caption_entities(const EntityTable& table,
                                                   const BertTokenizer& tokenizer,
                                                   bool single_chars,
                                                   const std::vector<std::filesystem::path>& tables);

// The folds: every table entity with no caption hit that the graph names as
// the tail of `relation` from a head with hits takes that head's vector; of
// several such heads, the most named (ties: the lower id). Entities the
// graph or the table lacks are skipped. Fails when the graph has no such
// relation or `caption_hits` is not one count per table entity.
Result<std::vector<AliasFold>> plan_alias_folds(const EntityTable& table,
                                                const KnowledgeGraph& graph,
                                                const std::string& relation,
                                                const std::vector<std::int64_t>& caption_hits);

// A copy of `table` whose fold aliases hold their targets' vectors.
EntityTable fold_aliases(const EntityTable& table, const std::vector<AliasFold>& folds);

}  // namespace shenbi
