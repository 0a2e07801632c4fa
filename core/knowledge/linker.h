// Entity linking for display: which knowledge-graph entities a prompt
// mentions, where (in characters of the original text), and what the graph
// says about each. The GUI underlines and explains these; `shenbi-cli link`
// prints them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

class KnowledgeGraph;
struct LinkerIndex;

struct Neighbour {
    std::string relation;  // e.g. 属于子类
    std::string other;     // the entity at the other end
    bool outgoing = true;  // true: (entity, relation, other); false: (other, relation, entity)
};

struct LinkedEntity {
    std::string name;
    std::int64_t id = -1;  // entity id in the entity table, -1 if the graph knows it but the table does not
    int char_begin = 0;    // Unicode code points in the prompt, end exclusive
    int char_end = 0;
    std::vector<Neighbour> neighbours;  // capped (see EntityLinker::link)
};

class EntityLinker {
public:
    // Graph directory: triples.tsv (head, relation, tail) and entity2id.txt.
    // entity2id.txt is optional (ids are then -1). Thread-safe after loading:
    // link() and complete() are const and share the immutable index.
    static Result<EntityLinker> load(const std::filesystem::path& graph_dir);
    // Over an in-memory graph (tests, a graph being edited). `table_ids`
    // (graph entity -> table id) may be empty.
    static EntityLinker from_graph(std::shared_ptr<const KnowledgeGraph> graph,
                                   std::vector<std::int64_t> table_ids = {});
    const KnowledgeGraph& graph() const { return *graph_; }

    // All dictionary spans (nested and overlapping kept), ordered by start then end.
    // `text` is a prompt checked with check_utf8 (core/text/utf8.h) as
    // `generate` checks it (`shenbi-cli link` refuses what it refuses); were
    // a byte invalid, it would read as U+FFFD, one character.
    // Names of one character are linked only with `single_chars` (the model's
    // gpt.single_char_entities), by the lattice's rule (single_chars.h), so
    // the editor shows what the model gets. ASCII is matched
    // case-insensitively and a Latin name must not be cut out of a longer
    // Latin word ("cat" in "catalog"). Neighbours alternate between relations
    // so that one frequent relation (关键词) does not hide the rest.
    std::vector<LinkedEntity> link(std::string_view text, int max_neighbours = 8, bool single_chars = false) const;
    // Entity names starting with `prefix`, most connected first.
    std::vector<std::string> complete(std::string_view prefix, int limit = 20) const;

private:
    std::shared_ptr<const KnowledgeGraph> graph_;
    std::shared_ptr<const LinkerIndex> index_;
};

}  // namespace shenbi
