// ARTIST's lattice columns in the knowledge TSVs (artist-model.md):
// lex_id = entity ids, pos_s / pos_e = `0 1 .. seq_len-1` (each token's own
// position) followed by each entity's inclusive start / end token index.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/knowledge/entity_table.h"
#include "core/util/result.h"

namespace shenbi {

struct LatticeColumns {
    std::string lex_id;  // "10 20 30" (empty when no entity)
    std::string pos_s;   // "0 1 2 3 4 5 0 0 2"
    std::string pos_e;   // "0 1 2 3 4 5 1 3 3"
};

LatticeColumns format_lattice_columns(const std::vector<LatticeEntity>& lattice, int seq_len);

// The inverse, for datasets: entities of a row whose pos_s / pos_e hold
// `seq_len` token positions first. Errors say which column is malformed.
Result<std::vector<LatticeEntity>> parse_lattice_columns(std::string_view lex_id, std::string_view pos_s,
                                                         std::string_view pos_e);

}  // namespace shenbi
