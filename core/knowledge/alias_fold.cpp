#include "core/knowledge/alias_fold.h"

#include <algorithm>
#include <set>

#include <torch/torch.h>

#include "core/data/train_data.h"
#include "core/data/tsv_reader.h"

namespace shenbi {
namespace {

// The entities one row's caption links, as training links them.
std::set<std::int64_t> row_entities(const RawExample& ex,
                                    const EntityTable& table,
                                    const BertTokenizer& tokenizer,
                                    bool single_chars) {
    std::set<std::int64_t> ids;
    for (const auto& e :
         table.caption_lattice(tokenizer, ex.text, ex.has_knowledge ? &ex.entities : nullptr, single_chars))
        if (e.id >= 0 && e.id < table.size()) ids.insert(e.id);
    return ids;
}

}  // namespace

Result<CaptionEntityCounts> count_caption_entities(const EntityTable& table,
                                                   const BertTokenizer& tokenizer,
                                                   bool single_chars,
                                                   const std::vector<std::filesystem::path>& tables) {
    CaptionEntityCounts counts;
    counts.hits.assign(static_cast<std::size_t>(table.size()), 0);
    for (const auto& path : tables) {
        auto reader = TsvReader::open(path);
        if (!reader) return reader.error();
        std::int64_t usable = 0;
        TsvRow row;
        while (reader->next(row)) {
            ++counts.rows;
            auto ex = parse_example_fields(row.fields, row.line);
            if (!ex) {
                ++counts.bad_rows;
                continue;
            }
            ++usable;
            for (auto id : row_entities(*ex, table, tokenizer, single_chars))
                ++counts.hits[static_cast<std::size_t>(id)];
        }
        if (usable == 0) {
            return make_error(ErrorCode::InvalidArgument,
                              path.string() + ": no training row (idx, caption, image) in this table");
        }
    }
    return counts;
}

Result<std::vector<AliasFold>> plan_alias_folds(const EntityTable& table,
                                                const KnowledgeGraph& graph,
                                                const std::string& relation,
                                                const std::vector<std::int64_t>& caption_hits) {
    if (static_cast<std::int64_t>(caption_hits.size()) != table.size()) {
        return make_error(ErrorCode::InvalidArgument, std::to_string(caption_hits.size()) + " caption counts for " +
                                                          std::to_string(table.size()) + " entities");
    }
    const auto& relations = graph.relations();
    const auto rel = std::find(relations.begin(), relations.end(), relation);
    if (rel == relations.end())
        return make_error(ErrorCode::InvalidArgument, "the knowledge graph has no relation '" + relation + "'");
    const auto relation_id = static_cast<std::int64_t>(rel - relations.begin());
    // Graph ids -> table ids, by name (the graph may hold names the table lacks).
    auto table_id = [&](std::int64_t graph_id) {
        return table.id_of(graph.entities()[static_cast<std::size_t>(graph_id)]);
    };
    auto hits = [&](std::int64_t id) { return caption_hits[static_cast<std::size_t>(id)]; };

    std::vector<AliasFold> folds;
    for (std::int64_t g = 0; g < static_cast<std::int64_t>(graph.entities().size()); ++g) {
        const auto alias = table_id(g);
        if (alias < 0 || hits(alias) > 0) continue;  // not in the table, or the model read it
        std::int64_t best = -1;
        for (auto t : graph.incoming(g)) {
            const auto& triple = graph.triples()[static_cast<std::size_t>(t)];
            if (triple.relation != relation_id) continue;
            const auto head = table_id(triple.head);
            if (head < 0 || hits(head) == 0) continue;
            if (best < 0 || hits(head) > hits(best) || (hits(head) == hits(best) && head < best)) best = head;
        }
        if (best >= 0) folds.push_back({alias, best});
    }
    std::sort(folds.begin(), folds.end(), [](const AliasFold& a, const AliasFold& b) { return a.alias < b.alias; });
    return folds;
}

EntityTable fold_aliases(const EntityTable& table, const std::vector<AliasFold>& folds) {
    auto vectors = table.vectors().clone();  // (N, D)
    for (const auto& f : folds) vectors[f.alias].copy_(table.vectors()[f.target]);
    return EntityTable::from_names(table.names(), vectors);
}

}  // namespace shenbi
