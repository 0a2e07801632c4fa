#include "core/knowledge/lattice_columns.h"

#include <charconv>

namespace shenbi {
namespace {

void append_number(std::string& s, long long v) {
    if (!s.empty()) s.push_back(' ');
    s += std::to_string(v);
}

Result<std::vector<long long>> parse_numbers(std::string_view text, const char* column) {
    std::vector<long long> out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ') {
            ++i;
            continue;
        }
        long long v = 0;
        const auto [p, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
        if (ec != std::errc() || (p != text.data() + text.size() && *p != ' ')) {
            return make_error(ErrorCode::Corrupt, std::string(column) + ": not a list of integers at offset " +
                                                      std::to_string(i));
        }
        out.push_back(v);
        i = static_cast<std::size_t>(p - text.data());
    }
    return out;
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

Result<std::vector<LatticeEntity>> parse_lattice_columns(std::string_view lex_id, std::string_view pos_s,
                                                         std::string_view pos_e) {
    auto ids = parse_numbers(lex_id, "lex_id");
    if (!ids) return ids.error();
    auto s = parse_numbers(pos_s, "pos_s");
    if (!s) return s.error();
    auto e = parse_numbers(pos_e, "pos_e");
    if (!e) return e.error();
    if (s->size() != e->size()) return make_error(ErrorCode::Corrupt, "pos_s and pos_e differ in length");
    if (s->size() < ids->size()) return make_error(ErrorCode::Corrupt, "pos_s is shorter than lex_id");
    const std::size_t seq_len = s->size() - ids->size();
    std::vector<LatticeEntity> out;
    for (std::size_t i = 0; i < ids->size(); ++i) {
        const long long b = (*s)[seq_len + i], en = (*e)[seq_len + i];
        if (b < 0 || en < b) return make_error(ErrorCode::Corrupt, "entity " + std::to_string(i) + " has span " +
                                                                       std::to_string(b) + ".." + std::to_string(en));
        out.push_back({(*ids)[i], static_cast<int>(b), static_cast<int>(en)});
    }
    return out;
}

}  // namespace shenbi
