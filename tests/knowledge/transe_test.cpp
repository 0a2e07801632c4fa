// TransE on a tiny graph: the true tail outranks corrupted ones, runs are
// seeded, cancellable, and the model directory round-trips.
#include "core/knowledge/transe.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include <torch/torch.h>

#include "core/knowledge/knowledge_graph.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

// 12 cities in 4 countries in 2 continents, plus each country's language.
KnowledgeGraph tiny_graph() {
    std::vector<std::array<std::string, 3>> t;
    const char* countries[] = {"中国", "日本", "法国", "德国"};
    const char* continent[] = {"亚洲", "亚洲", "欧洲", "欧洲"};
    const char* language[] = {"中文", "日语", "法语", "德语"};
    for (int c = 0; c < 4; ++c) {
        t.push_back({countries[c], "位于", continent[c]});
        t.push_back({countries[c], "官方语言", language[c]});
        for (int i = 0; i < 3; ++i)
            t.push_back({std::string(countries[c]) + "城市" + std::to_string(i), "位于", countries[c]});
    }
    return KnowledgeGraph::from_triples(t);
}

TransEConfig tiny_config() {
    TransEConfig cfg;
    cfg.dim = 16;
    cfg.epochs = 150;
    cfg.batch_size = 8;
    cfg.negatives = 4;
    cfg.margin = 1.0;
    cfg.learning_rate = 0.02;
    cfg.seed = 3;
    return cfg;
}

TEST(TransE, TrueTailOutranksCorruptedTails) {
    const KnowledgeGraph g = tiny_graph();
    const auto n = static_cast<std::int64_t>(g.entities().size());
    auto m = train_transe(g.triples(), n, static_cast<std::int64_t>(g.relations().size()), tiny_config());
    ASSERT_TRUE(m.ok()) << m.message();
    EXPECT_EQ(m->entities.sizes(), (std::vector<int64_t>{n, 16}));
    // Entities stay on the unit sphere.
    EXPECT_TRUE(torch::allclose(m->entities.norm(2, 1), torch::ones({n}), 1e-4, 1e-4));
    int wins = 0, total = 0;
    for (const Triple& t : g.triples()) {
        const torch::Tensor d = transe_tail_distances(*m, torch::tensor({t.head}), torch::tensor({t.relation}))[0];
        const float truth = d[t.tail].item<float>();
        for (std::int64_t e = 0; e < n; ++e) {
            bool also_true = false;
            for (const Triple& o : g.triples())
                also_true |= o.head == t.head && o.relation == t.relation && o.tail == e;
            if (also_true) continue;
            ++total;
            wins += truth < d[e].item<float>();
        }
    }
    EXPECT_GT(static_cast<double>(wins) / total, 0.95) << wins << "/" << total;

    auto trained = evaluate_transe(*m, g.triples(), g.triples());
    ASSERT_TRUE(trained.ok()) << trained.message();
    const TransEModel rnd = random_transe(n, static_cast<std::int64_t>(g.relations().size()), 16, TransENorm::L1, 9);
    auto random = evaluate_transe(rnd, g.triples(), g.triples());
    ASSERT_TRUE(random.ok());
    EXPECT_GT(trained->tail.mrr, 0.7);
    EXPECT_GT(trained->tail.mrr, 2 * random->tail.mrr);
    EXPECT_GT(trained->tail.hits10, random->tail.hits10);
    EXPECT_EQ(trained->tail.count, static_cast<std::int64_t>(g.triples().size()));
}

TEST(TransE, SeededL2AndProgress) {
    const KnowledgeGraph g = tiny_graph();
    TransEConfig cfg = tiny_config();
    cfg.epochs = 5;
    cfg.norm = TransENorm::L2;
    int calls = 0;
    const auto n = static_cast<std::int64_t>(g.entities().size());
    const auto r = static_cast<std::int64_t>(g.relations().size());
    auto a = train_transe(g.triples(), n, r, cfg, [&](const TransEProgress& p) {
        ++calls;
        EXPECT_EQ(p.epoch, calls);
        EXPECT_EQ(p.epochs, 5);
        EXPECT_GE(p.mean_loss, 0);
    });
    auto b = train_transe(g.triples(), n, r, cfg);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(calls, 5);
    EXPECT_TRUE(torch::equal(a->entities, b->entities));
    cfg.seed = 4;
    auto c = train_transe(g.triples(), n, r, cfg);
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(torch::equal(a->entities, c->entities));
}

TEST(TransE, CancelAndBadInput) {
    const KnowledgeGraph g = tiny_graph();
    std::atomic<bool> cancel{true};
    auto m = train_transe(g.triples(), 100, 2, tiny_config(), {}, &cancel);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ErrorCode::Cancelled);
    EXPECT_FALSE(train_transe({}, 3, 1, tiny_config()).ok());
    EXPECT_FALSE(train_transe({{0, 0, 7}}, 3, 1, tiny_config()).ok());
}

TEST(TransE, SplitKeepsEveryEntityInTraining) {
    const KnowledgeGraph g = tiny_graph();
    const TripleSplit s = split_triples(g.triples(), 0.3, 1);
    EXPECT_EQ(s.train.size() + s.test.size(), g.triples().size());
    EXPECT_GT(s.test.size(), 0u);
    for (const Triple& t : s.test) {
        bool h = false, tl = false;
        for (const Triple& x : s.train) {
            h |= x.head == t.head || x.tail == t.head;
            tl |= x.head == t.tail || x.tail == t.tail;
        }
        EXPECT_TRUE(h && tl);
    }
    const TripleSplit again = split_triples(g.triples(), 0.3, 1);
    EXPECT_EQ(again.test.size(), s.test.size());
}

TEST(TransE, ModelDirectoryRoundTrip) {
    const KnowledgeGraph g = tiny_graph();
    TransEConfig cfg = tiny_config();
    cfg.epochs = 2;
    auto m = train_transe(g.triples(), static_cast<std::int64_t>(g.entities().size()),
                          static_cast<std::int64_t>(g.relations().size()), cfg);
    ASSERT_TRUE(m.ok());
    const test::TempDir tmp;
    const auto dir = tmp / "transe";
    auto st = save_transe(dir, *m, g.entities(), g.relations());
    ASSERT_TRUE(st.ok()) << st.message();
    auto loaded = load_transe(dir);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_EQ(loaded->entities, g.entities());
    EXPECT_EQ(loaded->relations, g.relations());
    EXPECT_TRUE(torch::equal(loaded->model.entities, m->entities));
    EXPECT_TRUE(torch::equal(loaded->model.relations, m->relations));
}

}  // namespace
}  // namespace shenbi
