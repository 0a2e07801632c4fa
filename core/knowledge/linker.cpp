#include "core/knowledge/linker.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/knowledge/id_files.h"
#include "core/knowledge/knowledge_graph.h"
#include "core/knowledge/name_trie.h"
#include "core/knowledge/single_chars.h"
#include "core/text/utf8.h"

namespace shenbi {

// Everything link() and complete() look things up in; built once.
struct LinkerIndex {
    NameTrie trie;                        // folded names -> graph entity id
    std::vector<std::int64_t> table_ids;  // graph entity -> entity table id (or -1)
    std::vector<std::int64_t> by_name;    // graph entity ids sorted by name (prefix ranges)
};

namespace {

char32_t fold(char32_t c) {
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}
bool ascii_alnum(char32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::u32string folded(std::string_view s) {
    std::u32string cps = utf8_decode(s);
    for (char32_t& c : cps) c = fold(c);
    return cps;
}

std::shared_ptr<const LinkerIndex> build_index(const KnowledgeGraph& g, std::vector<std::int64_t> table_ids) {
    auto index = std::make_shared<LinkerIndex>();
    const auto& names = g.entities();
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::u32string key = folded(names[i]);
        if (!key.empty()) index->trie.insert(key, static_cast<std::int64_t>(i));
    }
    table_ids.resize(names.size(), -1);
    index->table_ids = std::move(table_ids);
    index->by_name.resize(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) index->by_name[i] = static_cast<std::int64_t>(i);
    std::sort(index->by_name.begin(), index->by_name.end(), [&](std::int64_t a, std::int64_t b) {
        return names[static_cast<std::size_t>(a)] < names[static_cast<std::size_t>(b)];
    });
    return index;
}

}  // namespace

EntityLinker EntityLinker::from_graph(std::shared_ptr<const KnowledgeGraph> graph,
                                      std::vector<std::int64_t> table_ids) {
    EntityLinker l;
    l.index_ = build_index(*graph, std::move(table_ids));
    l.graph_ = std::move(graph);
    return l;
}

Result<EntityLinker> EntityLinker::load(const std::filesystem::path& graph_dir) {
    const auto triples = graph_dir / "triples.tsv";
    const auto entity2id = graph_dir / "entity2id.txt";
    std::vector<std::string> table_names;
    if (std::filesystem::exists(entity2id)) {
        auto names = read_id_file(entity2id);
        if (!names) return names.error();
        table_names = std::move(*names);
    }
    // Graph ids follow the table's, so graph id == table id for every
    // entity the table names.
    auto graph = KnowledgeGraph::load(triples, table_names);
    if (!graph) return graph.error();
    std::vector<std::int64_t> table_ids(graph->entities().size(), -1);
    for (std::size_t i = 0; i < table_names.size() && i < table_ids.size(); ++i)
        if (!table_names[i].empty()) table_ids[i] = static_cast<std::int64_t>(i);
    return from_graph(std::make_shared<const KnowledgeGraph>(std::move(*graph)), std::move(table_ids));
}

namespace {

// Up to `max` neighbours of `id`, bucketed by (direction, relation) and taken
// one from each bucket in turn, so that one frequent relation (关键词) does
// not hide the rest.
std::vector<Neighbour> neighbours_of(const KnowledgeGraph& g, std::int64_t id, int max) {
    std::map<std::pair<int, std::int64_t>, std::vector<Neighbour>> buckets;
    for (std::int32_t ti : g.outgoing(id)) {
        const Triple& t = g.triples()[static_cast<std::size_t>(ti)];
        buckets[{0, t.relation}].push_back({g.relations()[static_cast<std::size_t>(t.relation)],
                                            g.entities()[static_cast<std::size_t>(t.tail)], true});
    }
    for (std::int32_t ti : g.incoming(id)) {
        const Triple& t = g.triples()[static_cast<std::size_t>(ti)];
        buckets[{1, t.relation}].push_back({g.relations()[static_cast<std::size_t>(t.relation)],
                                            g.entities()[static_cast<std::size_t>(t.head)], false});
    }
    std::vector<Neighbour> out;
    for (std::size_t round = 0; static_cast<int>(out.size()) < max; ++round) {
        bool any = false;
        for (auto& [key, list] : buckets) {
            if (round >= list.size()) continue;
            any = true;
            if (static_cast<int>(out.size()) >= max) break;
            out.push_back(list[round]);
        }
        if (!any) break;
    }
    return out;
}

}  // namespace

std::vector<LinkedEntity> EntityLinker::link(std::string_view text, int max_neighbours, bool single_chars) const {
    std::vector<LinkedEntity> out;
    if (!graph_ || !index_) return out;
    const std::u32string cps = folded(text);
    // (graph id, begin, end exclusive) of every name of two or more characters.
    std::vector<std::tuple<std::int64_t, int, int>> spans;
    for (std::size_t s = 0; s < cps.size(); ++s) {
        if (s > 0 && ascii_alnum(cps[s]) && ascii_alnum(cps[s - 1])) continue;  // inside a Latin word
        int node = NameTrie::kRoot;
        for (std::size_t e = s; e < cps.size(); ++e) {
            node = index_->trie.step(node, cps[e]);
            if (node < 0) break;
            const std::int64_t id = index_->trie.value(node);
            if (id < 0 || e == s) continue;
            if (e + 1 < cps.size() && ascii_alnum(cps[e]) && ascii_alnum(cps[e + 1])) continue;
            spans.emplace_back(id, static_cast<int>(s), static_cast<int>(e + 1));
        }
    }
    if (single_chars) {
        // The lattice's rule (single_chars.h): longest match first.
        std::vector<bool> covered(cps.size(), false);
        for (const auto& [id, b, e] : spans)
            for (int c = b; c < e; ++c) covered[static_cast<std::size_t>(c)] = true;
        for (const auto& [s, id] : lone_characters(cps, covered, index_->trie))
            spans.emplace_back(id, static_cast<int>(s), static_cast<int>(s + 1));
        std::stable_sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) {
            return std::pair(std::get<1>(a), std::get<2>(a)) < std::pair(std::get<1>(b), std::get<2>(b));
        });
    }
    for (const auto& [id, b, e] : spans) {
        LinkedEntity le;
        le.name = graph_->entities()[static_cast<std::size_t>(id)];
        le.id = index_->table_ids[static_cast<std::size_t>(id)];
        le.char_begin = b;
        le.char_end = e;
        le.neighbours = neighbours_of(*graph_, id, max_neighbours);
        out.push_back(std::move(le));
    }
    return out;
}

std::vector<std::string> EntityLinker::complete(std::string_view prefix, int limit) const {
    std::vector<std::string> out;
    if (!graph_ || !index_ || limit <= 0) return out;
    const auto& names = graph_->entities();
    const std::string p(prefix);
    auto lo = std::lower_bound(
        index_->by_name.begin(), index_->by_name.end(), p,
        [&](std::int64_t id, const std::string& v) { return names[static_cast<std::size_t>(id)] < v; });
    std::vector<std::int64_t> hits;
    for (auto it = lo; it != index_->by_name.end() && names[static_cast<std::size_t>(*it)].compare(0, p.size(), p) == 0;
         ++it)
        hits.push_back(*it);
    std::stable_sort(hits.begin(), hits.end(), [&](std::int64_t a, std::int64_t b) {
        const std::size_t da = graph_->degree(a), db = graph_->degree(b);
        return da != db ? da > db : names[static_cast<std::size_t>(a)] < names[static_cast<std::size_t>(b)];
    });
    for (std::size_t i = 0; i < hits.size() && static_cast<int>(i) < limit; ++i)
        out.push_back(names[static_cast<std::size_t>(hits[i])]);
    return out;
}

}  // namespace shenbi
