// ARTIST's lattice columns in the knowledge TSVs (EasyNLP's ARTIST preprocessing):
// lex_id = entity ids, pos_s / pos_e = `0 1 .. seq_len-1` (each token's own
// position) followed by each entity's inclusive start / end token index.
#pragma once

#include <string>
#include <vector>

#include "core/knowledge/entity_table.h"

namespace shenbi {

struct LatticeColumns {
    std::string lex_id;  // "10 20 30" (empty when no entity)
    std::string pos_s;   // "0 1 2 3 4 5 0 0 2"
    std::string pos_e;   // "0 1 2 3 4 5 1 3 3"
};

LatticeColumns format_lattice_columns(const std::vector<LatticeEntity>& lattice, int seq_len);

// The inverse (datasets) is parse_lattice_columns in core/data/train_data.h.

}  // namespace shenbi
