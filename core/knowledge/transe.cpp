#include "core/knowledge/transe.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/format/torch_file.h"
#include "core/knowledge/id_files.h"
#include "core/util/atomic_file.h"
#include "core/util/guard.h"

namespace shenbi {
namespace {

torch::Tensor column(const std::vector<Triple>& triples, std::int64_t Triple::*field) {
    std::vector<std::int64_t> v(triples.size());
    for (std::size_t i = 0; i < triples.size(); ++i) v[i] = triples[i].*field;
    return torch::tensor(v, torch::kInt64);
}

// Distance ||a - b|| along the last dimension.
torch::Tensor distance(const torch::Tensor& diff, TransENorm norm) {
    return norm == TransENorm::L1 ? diff.abs().sum(-1) : diff.pow(2).sum(-1).clamp_min(1e-12).sqrt();
}

void normalise_rows(torch::Tensor& t) {
    torch::NoGradGuard no_grad;
    t.div_(t.norm(2, 1, true).clamp_min(1e-12));
}

// Probability of corrupting the head, per relation: tph / (tph + hpt), so
// that for 1-to-N relations the head (the "1" side) is replaced and the
// negative is less likely to be another true triple.
torch::Tensor head_probabilities(const std::vector<Triple>& triples, std::int64_t num_relations) {
    std::vector<std::unordered_map<std::int64_t, std::int64_t>> tails_per_head(static_cast<std::size_t>(num_relations)),
        heads_per_tail(static_cast<std::size_t>(num_relations));
    for (const Triple& t : triples) {
        ++tails_per_head[static_cast<std::size_t>(t.relation)][t.head];
        ++heads_per_tail[static_cast<std::size_t>(t.relation)][t.tail];
    }
    std::vector<float> p(static_cast<std::size_t>(num_relations), 0.5f);
    for (std::size_t r = 0; r < p.size(); ++r) {
        if (tails_per_head[r].empty()) continue;
        const double n =
            static_cast<double>(std::accumulate(tails_per_head[r].begin(), tails_per_head[r].end(), 0LL,
                                                [](long long a, const auto& kv) { return a + kv.second; }));
        const double tph = n / static_cast<double>(tails_per_head[r].size());
        const double hpt = n / static_cast<double>(heads_per_tail[r].size());
        p[r] = static_cast<float>(tph / (tph + hpt));
    }
    return torch::tensor(p, torch::kFloat32);
}

TransEModel init_model(std::int64_t n, std::int64_t r, int dim, TransENorm norm, at::Generator& gen) {
    const double bound = 6.0 / std::sqrt(static_cast<double>(dim));
    TransEModel m;
    m.norm = norm;
    m.entities = torch::empty({n, dim}, torch::kFloat32);
    m.relations = torch::empty({r, dim}, torch::kFloat32);
    m.entities.uniform_(-bound, bound, gen);
    m.relations.uniform_(-bound, bound, gen);
    normalise_rows(m.relations);
    normalise_rows(m.entities);
    return m;
}

std::int64_t pair_key(std::int64_t a, std::int64_t r, std::int64_t num_relations) {
    return a * num_relations + r;
}

// Ranks of targets[b] in dist (B, N), filtered: other known answers are
// set to +inf first. Ties with the target count half.
void accumulate_ranks(torch::Tensor dist,
                      const std::vector<std::int64_t>& keys,
                      const std::vector<std::int64_t>& targets,
                      const std::unordered_map<std::int64_t, std::vector<std::int64_t>>& answers,
                      RankMetrics& m) {
    auto d = dist.accessor<float, 2>();
    const float inf = std::numeric_limits<float>::infinity();
    for (std::size_t b = 0; b < targets.size(); ++b) {
        const auto it = answers.find(keys[b]);
        const float target = d[static_cast<long>(b)][targets[b]];
        if (it != answers.end())
            for (std::int64_t other : it->second)
                if (other != targets[b]) d[static_cast<long>(b)][other] = inf;
        d[static_cast<long>(b)][targets[b]] = target;
    }
    const torch::Tensor idx = torch::tensor(targets, torch::kInt64).unsqueeze(1);
    const torch::Tensor target = dist.gather(1, idx);                            // (B, 1)
    const torch::Tensor better = (dist < target).sum(1).to(torch::kFloat64);     // (B)
    const torch::Tensor ties = (dist == target).sum(1).to(torch::kFloat64) - 1;  // self excluded
    const torch::Tensor rank = 1 + better + 0.5 * ties;
    m.mr += rank.sum().item<double>();
    m.mrr += rank.reciprocal().sum().item<double>();
    m.hits1 += (rank <= 1).sum().item<double>();
    m.hits3 += (rank <= 3).sum().item<double>();
    m.hits10 += (rank <= 10).sum().item<double>();
    m.count += static_cast<std::int64_t>(targets.size());
}

void finish(RankMetrics& m) {
    if (m.count == 0) return;
    const double n = static_cast<double>(m.count);
    m.mr /= n, m.mrr /= n, m.hits1 /= n, m.hits3 /= n, m.hits10 /= n;
}

}  // namespace

TransEModel random_transe(std::int64_t num_entities,
                          std::int64_t num_relations,
                          int dim,
                          TransENorm norm,
                          std::uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return init_model(num_entities, num_relations, dim, norm, gen);
}

Result<TransEModel> train_transe(const std::vector<Triple>& triples,
                                 std::int64_t num_entities,
                                 std::int64_t num_relations,
                                 const TransEConfig& cfg,
                                 const TransEProgressFn& progress,
                                 const std::atomic<bool>* cancel) {
    if (triples.empty()) return make_error(ErrorCode::InvalidArgument, "TransE: no training triples");
    if (cfg.dim <= 0 || cfg.batch_size <= 0 || cfg.epochs <= 0 || cfg.negatives <= 0 || cfg.learning_rate <= 0)
        return make_error(ErrorCode::InvalidArgument,
                          "TransE: dim, batch_size, epochs, negatives and learning_rate must be positive");
    for (const Triple& t : triples) {
        if (t.head < 0 || t.head >= num_entities || t.tail < 0 || t.tail >= num_entities || t.relation < 0 ||
            t.relation >= num_relations)
            return make_error(ErrorCode::InvalidArgument, "TransE: triple id out of range");
    }
    return guarded("TransE training", [&]() -> Result<TransEModel> {
        if (cfg.threads > 0) at::set_num_threads(cfg.threads);
        auto gen = at::make_generator<at::CPUGeneratorImpl>(cfg.seed);
        TransEModel m = init_model(num_entities, num_relations, cfg.dim, cfg.norm, gen);
        m.entities.set_requires_grad(true);
        m.relations.set_requires_grad(true);
        torch::optim::Adam opt({m.entities, m.relations}, torch::optim::AdamOptions(cfg.learning_rate));

        const torch::Tensor heads = column(triples, &Triple::head);
        const torch::Tensor rels = column(triples, &Triple::relation);
        const torch::Tensor tails = column(triples, &Triple::tail);
        const torch::Tensor p_head = cfg.bernoulli ? head_probabilities(triples, num_relations)
                                                   : torch::full({num_relations}, 0.5f, torch::kFloat32);
        const auto n = static_cast<std::int64_t>(triples.size());
        const std::int64_t k = cfg.negatives;
        for (int epoch = 1; epoch <= cfg.epochs; ++epoch) {
            const torch::Tensor order = torch::randperm(n, gen, torch::kInt64);
            double loss_sum = 0;
            int steps = 0;
            for (std::int64_t start = 0; start < n; start += cfg.batch_size) {
                if (cancel && cancel->load()) return make_error(ErrorCode::Cancelled, "TransE training cancelled");
                const torch::Tensor idx = order.slice(0, start, std::min(n, start + cfg.batch_size));
                const std::int64_t b = idx.size(0);
                const torch::Tensor h = heads.index_select(0, idx), r = rels.index_select(0, idx),
                                    t = tails.index_select(0, idx);  // (B)
                // k corruptions per positive: (B, k)
                const torch::Tensor hk = h.unsqueeze(1).expand({b, k}), tk = t.unsqueeze(1).expand({b, k});
                const torch::Tensor replace_head =
                    torch::rand({b, k}, gen, torch::kFloat32) < p_head.index_select(0, r).unsqueeze(1);
                const torch::Tensor random_entity = torch::randint(num_entities, {b, k}, gen, torch::kInt64);
                const torch::Tensor nh = torch::where(replace_head, random_entity, hk);
                const torch::Tensor nt = torch::where(replace_head, tk, random_entity);

                const torch::Tensor rv = m.relations.index_select(0, r);  // (B, D)
                const torch::Tensor pos =
                    distance(m.entities.index_select(0, h) + rv - m.entities.index_select(0, t), cfg.norm);  // (B)
                const torch::Tensor neg_h = m.entities.index_select(0, nh.reshape(-1)).view({b, k, cfg.dim});
                const torch::Tensor neg_t = m.entities.index_select(0, nt.reshape(-1)).view({b, k, cfg.dim});
                const torch::Tensor neg = distance(neg_h + rv.unsqueeze(1) - neg_t, cfg.norm);  // (B, k)
                const torch::Tensor loss = torch::relu(cfg.margin + pos.unsqueeze(1) - neg).mean();
                opt.zero_grad();
                loss.backward();
                opt.step();
                normalise_rows(m.entities);
                loss_sum += loss.item<double>();
                ++steps;
            }
            if (progress) progress({epoch, cfg.epochs, loss_sum / std::max(steps, 1)});
        }
        m.entities = m.entities.detach();
        m.relations = m.relations.detach();
        return m;
    });
}

torch::Tensor transe_tail_distances(const TransEModel& m, const torch::Tensor& heads, const torch::Tensor& relations) {
    torch::NoGradGuard no_grad;
    const torch::Tensor q = m.entities.index_select(0, heads) + m.relations.index_select(0, relations);    // (B, D)
    return torch::cdist(q.unsqueeze(0), m.entities.unsqueeze(0), static_cast<double>(m.norm)).squeeze(0);  // (B, N)
}

torch::Tensor transe_head_distances(const TransEModel& m, const torch::Tensor& relations, const torch::Tensor& tails) {
    torch::NoGradGuard no_grad;
    // ||e + r - t|| = ||e - (t - r)||
    const torch::Tensor q = m.entities.index_select(0, tails) - m.relations.index_select(0, relations);    // (B, D)
    return torch::cdist(q.unsqueeze(0), m.entities.unsqueeze(0), static_cast<double>(m.norm)).squeeze(0);  // (B, N)
}

Result<TransEEvaluation> evaluate_transe(const TransEModel& model,
                                         const std::vector<Triple>& test,
                                         const std::vector<Triple>& known,
                                         const std::atomic<bool>* cancel) {
    return guarded("TransE evaluation", [&]() -> Result<TransEEvaluation> {
        const std::int64_t n = model.entities.size(0), nr = model.relations.size(0);
        for (const Triple& t : test)
            if (t.head < 0 || t.head >= n || t.tail < 0 || t.tail >= n || t.relation < 0 || t.relation >= nr)
                return make_error(ErrorCode::InvalidArgument, "TransE evaluation: test triple id out of range");
        std::unordered_map<std::int64_t, std::vector<std::int64_t>> tails_of, heads_of;
        for (const std::vector<Triple>* set : {&known, &test})
            for (const Triple& t : *set) {
                tails_of[pair_key(t.head, t.relation, nr)].push_back(t.tail);
                heads_of[pair_key(t.tail, t.relation, nr)].push_back(t.head);
            }
        TransEEvaluation ev;
        constexpr std::size_t kBatch = 256;
        for (std::size_t start = 0; start < test.size(); start += kBatch) {
            if (cancel && cancel->load()) return make_error(ErrorCode::Cancelled, "TransE evaluation cancelled");
            const std::vector<Triple> chunk(test.begin() + static_cast<long>(start),
                                            test.begin() + static_cast<long>(std::min(test.size(), start + kBatch)));
            const torch::Tensor h = column(chunk, &Triple::head), r = column(chunk, &Triple::relation),
                                t = column(chunk, &Triple::tail);
            std::vector<std::int64_t> keys(chunk.size()), targets(chunk.size());
            for (std::size_t i = 0; i < chunk.size(); ++i) {
                keys[i] = pair_key(chunk[i].head, chunk[i].relation, nr);
                targets[i] = chunk[i].tail;
            }
            accumulate_ranks(transe_tail_distances(model, h, r).contiguous(), keys, targets, tails_of, ev.tail);
            for (std::size_t i = 0; i < chunk.size(); ++i) {
                keys[i] = pair_key(chunk[i].tail, chunk[i].relation, nr);
                targets[i] = chunk[i].head;
            }
            accumulate_ranks(transe_head_distances(model, r, t).contiguous(), keys, targets, heads_of, ev.head);
        }
        finish(ev.head);
        finish(ev.tail);
        return ev;
    });
}

TripleSplit split_triples(const std::vector<Triple>& triples, double test_fraction, std::uint64_t seed) {
    TripleSplit s;
    std::vector<std::size_t> order(triples.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    const auto want = static_cast<std::size_t>(std::llround(test_fraction * static_cast<double>(triples.size())));
    // Keep a triple out only while each of its entities and its relation
    // still has another triple in the training part.
    std::unordered_map<std::int64_t, int> entity_left, relation_left;
    for (const Triple& t : triples) {
        ++entity_left[t.head];
        ++entity_left[t.tail];
        ++relation_left[t.relation];
    }
    std::vector<bool> is_test(triples.size(), false);
    std::size_t taken = 0;
    for (std::size_t i : order) {
        if (taken >= want) break;
        const Triple& t = triples[i];
        const int need_h = t.head == t.tail ? 2 : 1;
        if (entity_left[t.head] <= need_h || entity_left[t.tail] <= need_h || relation_left[t.relation] <= 1) continue;
        --entity_left[t.head];
        --entity_left[t.tail];
        --relation_left[t.relation];
        is_test[i] = true;
        ++taken;
    }
    for (std::size_t i = 0; i < triples.size(); ++i) (is_test[i] ? s.test : s.train).push_back(triples[i]);
    return s;
}

Status save_transe(const std::filesystem::path& dir,
                   const TransEModel& model,
                   const std::vector<std::string>& entities,
                   const std::vector<std::string>& relations) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message());
    if (static_cast<std::int64_t>(entities.size()) != model.entities.size(0) ||
        static_cast<std::int64_t>(relations.size()) != model.relations.size(0))
        return make_error(ErrorCode::ShapeMismatch, "TransE: names and vectors differ in count");
    SHENBI_TRY_STATUS(write_id_file(dir / "entity2id.txt", entities));
    SHENBI_TRY_STATUS(write_id_file(dir / "relation2id.txt", relations));
    SHENBI_TRY_STATUS(write_state_dict(dir / "entity2vec.pt", {{"entity2vec", model.entities.contiguous()}}));
    SHENBI_TRY_STATUS(write_state_dict(dir / "relation2vec.pt", {{"relation2vec", model.relations.contiguous()}}));
    const nlohmann::json meta = {{"model", "TransE"},
                                 {"norm", model.norm == TransENorm::L1 ? "L1" : "L2"},
                                 {"dim", model.entities.size(1)},
                                 {"entities", entities.size()},
                                 {"relations", relations.size()}};
    return write_file_atomic(dir / "transe.json", meta.dump(2) + "\n");
}

Result<LoadedTransE> load_transe(const std::filesystem::path& dir) {
    LoadedTransE out;
    auto ents = read_id_file(dir / "entity2id.txt");
    if (!ents) return ents.error();
    out.entities = std::move(*ents);
    auto rels = read_id_file(dir / "relation2id.txt");
    if (!rels) return rels.error();
    out.relations = std::move(*rels);
    auto ev = read_tensor_file(dir / "entity2vec.pt");
    if (!ev) return ev.error();
    auto rv = read_tensor_file(dir / "relation2vec.pt");
    if (!rv) return rv.error();
    out.model.entities = ev->to(torch::kFloat32).contiguous();
    out.model.relations = rv->to(torch::kFloat32).contiguous();
    if (out.model.entities.dim() != 2 || out.model.relations.dim() != 2 ||
        out.model.entities.size(1) != out.model.relations.size(1))
        return make_error(ErrorCode::ShapeMismatch,
                          dir.string() + ": entity and relation vectors must be (N, D) and (R, D)");
    if (out.model.entities.size(0) < static_cast<std::int64_t>(out.entities.size()) ||
        out.model.relations.size(0) < static_cast<std::int64_t>(out.relations.size()))
        return make_error(ErrorCode::ShapeMismatch, dir.string() + ": fewer vectors than ids");
    auto meta_text = read_file(dir / "transe.json");
    if (meta_text) {
        const auto meta = nlohmann::json::parse(*meta_text, nullptr, false);
        if (!meta.is_discarded() && meta.value("norm", "L1") == "L2") out.model.norm = TransENorm::L2;
    }
    return out;
}

}  // namespace shenbi
