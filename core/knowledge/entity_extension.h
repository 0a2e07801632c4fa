// An artist's own knowledge: triples (head, relation, tail) naming things the
// bundled graph lacks ("阿花, 是一种, 猫"). The names not yet in the entity
// table get TransE vectors trained against the table's vectors, which stay
// fixed (as do the known relations' vectors), so a new name lands where its
// relations to known entities put it and the model's frozen fusion layer
// reads it like any other entity.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/knowledge/entity_table.h"
#include "core/util/result.h"

namespace shenbi {

struct UserTriple {
    std::string head, relation, tail;
    std::int64_t line = 0;  // 1-based line in its file; 0 when typed in
};

// head<TAB>relation<TAB>tail per line (a comma-separated line is accepted
// too); blank lines and lines starting with '#' are skipped. Errors name
// file:line. At least one triple.
Result<std::vector<UserTriple>> read_user_triples(const std::filesystem::path& file);

// Relation names and their TransE vectors (R, D), e.g. the bundled graph's
// relation2id.txt / relation2vec.pt.
struct RelationVectors {
    std::vector<std::string> names;
    torch::Tensor vectors;  // (R, D) float32
};

struct EntityExtensionConfig {
    int epochs = 300;
    double learning_rate = 0.01;
    double margin = 4.0;  // the bundled graph's (resources/knowledge/transe.json)
    int negatives = 8;    // corrupted triples per triple
    std::uint64_t seed = 1;
};

struct EntityExtension {
    EntityTable table;                       // the old entities (same ids and vectors), then the new ones
    std::vector<std::string> new_entities;   // in id order
    std::vector<std::string> new_relations;  // relations the graph lacked (trained too)
    double final_loss = 0;
};

// Triples whose head and tail are both known add nothing and are ignored;
// a triple of two new names trains both. Errors: an empty name, no table
// vectors, relation vectors of another dimension.
Result<EntityExtension> extend_entity_table(const EntityTable& table,
                                            const RelationVectors& relations,
                                            const std::vector<UserTriple>& triples,
                                            const EntityExtensionConfig& config = {},
                                            const std::atomic<bool>* cancel = nullptr);

}  // namespace shenbi
