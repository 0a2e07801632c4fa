#include "core/knowledge/knowledge_graph.h"

#include <unordered_set>

#include "core/data/tsv_reader.h"

namespace shenbi {
namespace {

struct TripleHash {
    std::size_t operator()(const Triple& t) const {
        return std::hash<std::int64_t>()(t.head * 1000003 + t.relation * 7919 + t.tail);
    }
};
struct TripleEq {
    bool operator()(const Triple& a, const Triple& b) const {
        return a.head == b.head && a.relation == b.relation && a.tail == b.tail;
    }
};

}  // namespace

std::int64_t KnowledgeGraph::intern_entity(const std::string& name) {
    const auto [it, added] = entity_ids_.try_emplace(name, static_cast<std::int64_t>(entities_.size()));
    if (added) {
        entities_.push_back(name);
        out_.emplace_back();
        in_.emplace_back();
    }
    return it->second;
}

std::int64_t KnowledgeGraph::intern_relation(const std::string& name) {
    const auto [it, added] = relation_ids_.try_emplace(name, static_cast<std::int64_t>(relations_.size()));
    if (added) relations_.push_back(name);
    return it->second;
}

void KnowledgeGraph::add(std::int64_t h, std::int64_t r, std::int64_t t) {
    const auto index = static_cast<std::int32_t>(triples_.size());
    triples_.push_back({h, r, t});
    out_[static_cast<std::size_t>(h)].push_back(index);
    in_[static_cast<std::size_t>(t)].push_back(index);
}

Result<KnowledgeGraph> KnowledgeGraph::load(const std::filesystem::path& triples_tsv,
                                            const std::vector<std::string>& entity_order,
                                            const std::function<void(const std::string&)>& on_problem) {
    auto reader = TsvReader::open(triples_tsv);
    if (!reader) return reader.error();
    KnowledgeGraph g;
    for (const std::string& name : entity_order) g.intern_entity(name);
    std::unordered_set<Triple, TripleHash, TripleEq> seen;
    TsvRow row;
    while (reader->next(row)) {
        if (row.fields.size() != 3 || row.fields[0].empty() || row.fields[1].empty() || row.fields[2].empty()) {
            if (on_problem) {
                on_problem(reader->where(row) + ": expected head<TAB>relation<TAB>tail, got " +
                           std::to_string(row.fields.size()) + " fields");
            }
            continue;
        }
        const Triple t{g.intern_entity(std::string(row.fields[0])), g.intern_relation(std::string(row.fields[1])),
                       g.intern_entity(std::string(row.fields[2]))};
        if (seen.insert(t).second) g.add(t.head, t.relation, t.tail);
    }
    if (g.triples_.empty()) return make_error(ErrorCode::Corrupt, triples_tsv.string() + ": no triples");
    return g;
}

KnowledgeGraph KnowledgeGraph::from_triples(const std::vector<std::array<std::string, 3>>& triples) {
    KnowledgeGraph g;
    std::unordered_set<Triple, TripleHash, TripleEq> seen;
    for (const auto& [h, r, t] : triples) {
        const Triple x{g.intern_entity(h), g.intern_relation(r), g.intern_entity(t)};
        if (seen.insert(x).second) g.add(x.head, x.relation, x.tail);
    }
    return g;
}

}  // namespace shenbi
