// A knowledge graph as (head, relation, tail) name triples, indexed both
// ways: entity/relation names <-> dense ids (first appearance order, unless
// an entity2id.txt fixes them) and per-entity adjacency. Read from a TSV of
// head<TAB>relation<TAB>tail. Immutable after loading; share freely.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

struct Triple {
    std::int64_t head = 0;
    std::int64_t relation = 0;
    std::int64_t tail = 0;
};

class KnowledgeGraph {
public:
    // Rows without exactly 3 non-empty fields are reported through
    // `on_problem` ("file:line: why") and skipped; repeated triples are kept
    // once. `entity_order` (e.g. from entity2id.txt) fixes the first ids so
    // they agree with an existing entity table.
    static Result<KnowledgeGraph> load(const std::filesystem::path& triples_tsv,
                                       const std::vector<std::string>& entity_order = {},
                                       const std::function<void(const std::string&)>& on_problem = {});
    static KnowledgeGraph from_triples(const std::vector<std::array<std::string, 3>>& triples);

    const std::vector<std::string>& entities() const { return entities_; }
    const std::vector<std::string>& relations() const { return relations_; }
    const std::vector<Triple>& triples() const { return triples_; }
    // Indices into triples() where the entity is the head / the tail, in file order.
    const std::vector<std::int32_t>& outgoing(std::int64_t entity) const {
        return out_[static_cast<std::size_t>(entity)];
    }
    const std::vector<std::int32_t>& incoming(std::int64_t entity) const {
        return in_[static_cast<std::size_t>(entity)];
    }
    std::size_t degree(std::int64_t entity) const { return outgoing(entity).size() + incoming(entity).size(); }

private:
    std::int64_t intern_entity(const std::string& name);
    std::int64_t intern_relation(const std::string& name);
    void add(std::int64_t h, std::int64_t r, std::int64_t t);

    std::vector<std::string> entities_, relations_;
    std::unordered_map<std::string, std::int64_t> entity_ids_, relation_ids_;
    std::vector<Triple> triples_;
    std::vector<std::vector<std::int32_t>> out_, in_;
};

}  // namespace shenbi
