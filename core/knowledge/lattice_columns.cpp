#include "core/knowledge/lattice_columns.h"

namespace shenbi {
namespace {

void append_number(std::string& s, long long v) {
    if (!s.empty()) s.push_back(' ');
    s += std::to_string(v);
}

}  // namespace

LatticeColumns format_lattice_columns(const std::vector<LatticeEntity>& lattice, int seq_len) {
    LatticeColumns c;
    for (int i = 0; i < seq_len; ++i) {
        append_number(c.pos_s, i);
        append_number(c.pos_e, i);
    }
    for (const LatticeEntity& e : lattice) {
        append_number(c.lex_id, e.id);
        append_number(c.pos_s, e.token_begin);
        append_number(c.pos_e, e.token_end);
    }
    return c;
}

}  // namespace shenbi
