// One dictionary span over the tokens of a prompt (an ARTIST lattice row):
// the entity table finds them, training data reads them from TSV columns.
#pragma once

#include <cstdint>

namespace shenbi {

struct LatticeEntity {
    std::int64_t id = 0;  // entity id
    int token_begin = 0;  // inclusive token index (pos_s)
    int token_end = 0;    // inclusive token index (pos_e)
};

}  // namespace shenbi
