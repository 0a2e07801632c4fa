#include "core/knowledge/entity_extension.h"

#include <fstream>
#include <map>

#include <torch/torch.h>

#include "core/util/guard.h"

namespace shenbi {
namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> split_fields(const std::string& line) {
    const char sep = line.find('\t') != std::string::npos ? '\t' : ',';
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == sep) {
            out.push_back(trim(line.substr(start, i - start)));
            start = i + 1;
        }
    }
    return out;
}

// Ids of the triples over the extended tables: known names keep their ids,
// new ones follow in order of first appearance.
struct Indexed {
    std::vector<std::int64_t> heads, rels, tails;
    std::vector<std::string> new_entities, new_relations;
};

Indexed index_triples(const EntityTable& table,
                      const RelationVectors& relations,
                      const std::vector<UserTriple>& triples) {
    Indexed ix;
    std::map<std::string, std::int64_t> new_ent, rel_ids;
    for (std::size_t i = 0; i < relations.names.size(); ++i) rel_ids[relations.names[i]] = static_cast<std::int64_t>(i);
    auto entity = [&](const std::string& name) {
        if (auto id = table.id_of(name); id >= 0) return id;
        auto [it, fresh] = new_ent.emplace(name, table.size() + static_cast<std::int64_t>(new_ent.size()));
        if (fresh) ix.new_entities.push_back(name);
        return it->second;
    };
    for (const auto& t : triples) {
        const bool known = table.id_of(t.head) >= 0 && table.id_of(t.tail) >= 0 && rel_ids.count(t.relation);
        if (known) continue;  // nothing of it is trained
        auto [rit, fresh] = rel_ids.emplace(t.relation, static_cast<std::int64_t>(rel_ids.size()));
        if (fresh) ix.new_relations.push_back(t.relation);
        ix.heads.push_back(entity(t.head));
        ix.rels.push_back(rit->second);
        ix.tails.push_back(entity(t.tail));
    }
    return ix;
}

}  // namespace

Result<std::vector<UserTriple>> read_user_triples(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(ErrorCode::NotFound, "cannot open " + file.string());
    std::vector<UserTriple> out;
    std::string line;
    for (std::int64_t n = 1; std::getline(in, line); ++n) {
        if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
        const std::string t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        auto f = split_fields(t);
        if (f.size() != 3 || f[0].empty() || f[1].empty() || f[2].empty()) {
            return make_error(ErrorCode::Corrupt, file.string() + ":" + std::to_string(n) +
                                                      ": expected head, relation and tail separated by tabs");
        }
        out.push_back({f[0], f[1], f[2], n});
    }
    if (out.empty()) return make_error(ErrorCode::InvalidArgument, file.string() + ": no triples");
    return out;
}

Result<EntityExtension> extend_entity_table(const EntityTable& table,
                                            const RelationVectors& relations,
                                            const std::vector<UserTriple>& triples,
                                            const EntityExtensionConfig& config,
                                            const std::atomic<bool>* cancel) {
    for (const auto& t : triples)
        if (t.head.empty() || t.relation.empty() || t.tail.empty())
            return make_error(ErrorCode::InvalidArgument,
                              "triple " + (t.line > 0 ? "on line " + std::to_string(t.line) : std::string("")) +
                                  " has an empty name");
    if (!table.vectors().defined() || table.vectors().dim() != 2)
        return make_error(ErrorCode::InvalidArgument, "the entity table has no vectors to extend");
    const std::int64_t dim = table.vectors().size(1);
    if (relations.vectors.defined() && (relations.vectors.dim() != 2 || relations.vectors.size(1) != dim))
        return make_error(ErrorCode::ShapeMismatch,
                          "relation vectors do not have the entities' dimension " + std::to_string(dim));
    return guarded("knowledge vectors for new names", [&]() -> Result<EntityExtension> {
        Indexed ix = index_triples(table, relations, triples);
        torch::NoGradGuard outer;
        const auto old_e = table.vectors().to(torch::kFloat32);
        const auto old_r = relations.vectors.defined() ? relations.vectors.to(torch::kFloat32) : torch::zeros({0, dim});
        auto gen = at::make_generator<at::CPUGeneratorImpl>(config.seed);
        const auto m = static_cast<std::int64_t>(ix.new_entities.size());
        const auto k = static_cast<std::int64_t>(ix.new_relations.size());
        auto new_e = torch::nn::functional::normalize(torch::randn({m, dim}, gen),
                                                      torch::nn::functional::NormalizeFuncOptions().dim(1));
        auto new_r = torch::randn({k, dim}, gen) * (1.0 / std::sqrt(static_cast<double>(dim)));
        new_e.set_requires_grad(true);
        new_r.set_requires_grad(true);
        EntityExtension out;
        if (!ix.heads.empty()) {
            torch::optim::Adam opt({new_e, new_r}, torch::optim::AdamOptions(config.learning_rate));
            const auto heads = torch::tensor(ix.heads), rels = torch::tensor(ix.rels), tails = torch::tensor(ix.tails);
            const std::int64_t n = heads.size(0), total = table.size() + m, neg = config.negatives;
            for (int epoch = 0; epoch < config.epochs; ++epoch) {
                if (cancel && cancel->load()) return make_error(ErrorCode::Cancelled, "knowledge vectors cancelled");
                torch::AutoGradMode grad(true);
                const auto e = torch::cat({old_e, new_e});  // (N + M, D); the old rows get no gradient
                const auto r = torch::cat({old_r, new_r});  // (R + K, D)
                auto dist = [&](const torch::Tensor& h, const torch::Tensor& rr, const torch::Tensor& t) {
                    return (e.index_select(0, h) + r.index_select(0, rr) - e.index_select(0, t)).abs().sum(-1);
                };
                const auto pos = dist(heads, rels, tails);  // (n)
                // Corrupt the head or the tail of each triple `neg` times.
                const auto random = torch::randint(total, {n, neg}, gen);
                const auto corrupt_head = torch::rand({n, neg}, gen) < 0.5;
                const auto h = torch::where(corrupt_head, random, heads.unsqueeze(1).expand({n, neg}));
                const auto t = torch::where(corrupt_head, tails.unsqueeze(1).expand({n, neg}), random);
                const auto negd =
                    dist(h.reshape({-1}), rels.unsqueeze(1).expand({n, neg}).reshape({-1}), t.reshape({-1}))
                        .view({n, neg});  // (n, neg)
                auto loss = torch::relu(config.margin + pos.unsqueeze(1) - negd).mean();
                opt.zero_grad();
                loss.backward();
                opt.step();
                new_e.data().copy_(torch::nn::functional::normalize(
                    new_e.data(), torch::nn::functional::NormalizeFuncOptions().dim(1)));
                out.final_loss = loss.item<double>();
            }
        }
        std::vector<std::string> names = table.names();
        names.insert(names.end(), ix.new_entities.begin(), ix.new_entities.end());
        out.table = EntityTable::from_names(std::move(names), torch::cat({old_e, new_e.detach()}).contiguous());
        out.new_entities = std::move(ix.new_entities);
        out.new_relations = std::move(ix.new_relations);
        return out;
    });
}

}  // namespace shenbi
