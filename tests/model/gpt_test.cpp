#include "core/model/gpt.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include <torch/torch.h>

#include "core/model/artist_model.h"

using namespace shenbi;

namespace {

struct SeededTest : ::testing::Test {
    SeededTest() { torch::manual_seed(0); }
};

GptConfig tiny(FusionMode fusion) {
    auto c = GptConfig::tiny();
    c.fusion = fusion;
    return c;
}

// A sequence as the generator feeds it: text ids (offset by img_vocab) then image codes.
torch::Tensor random_sequence(const GptConfig& c, int64_t batch, int64_t length) {
    auto text = torch::randint(c.img_vocab, c.vocab_size(), {batch, c.text_len}, torch::kLong);
    auto image = torch::randint(0, c.img_vocab, {batch, length - c.text_len}, torch::kLong);
    return torch::cat({text, image}, 1);
}

KnowledgeInput random_knowledge(const GptConfig& c, int64_t batch) {
    KnowledgeInput k;
    k.mask = torch::zeros({batch, c.max_entities, c.text_len}, torch::kBool);
    k.mask.index_put_({torch::indexing::Slice(), 0, torch::indexing::Slice(1, 3)}, true);
    k.mask.index_put_({torch::indexing::Slice(), 1, torch::indexing::Slice(2, 5)}, true);
    k.emb = torch::randn({batch, c.max_entities, c.text_len, c.ent_dim}) * k.mask.unsqueeze(-1);
    return k;
}

void expect_cache_matches_full(FusionMode fusion) {
    const auto c = tiny(fusion);
    Gpt gpt(c);
    gpt->eval();
    torch::NoGradGuard no_grad;
    const int64_t B = 3, T = c.block_size() - 1;
    auto idx = random_sequence(c, B, T);
    auto knowledge = fusion == FusionMode::None ? KnowledgeInput{} : random_knowledge(c, B);
    auto full = gpt->forward(idx, knowledge);  // (B, T, V)

    auto cache = gpt->make_cache(B);
    using torch::indexing::Slice;
    auto prefill = gpt->forward_cached(idx.index({Slice(), Slice(0, c.text_len)}), cache, knowledge);
    std::vector<torch::Tensor> pieces{prefill};
    for (int64_t t = c.text_len; t < T; ++t) {
        pieces.push_back(gpt->forward_cached(idx.index({Slice(), Slice(t, t + 1)}), cache));
    }
    auto cached = torch::cat(pieces, 1);
    ASSERT_EQ(cached.sizes(), full.sizes());
    EXPECT_LT((cached - full).abs().max().item<float>(), 1e-4) << "fusion " << to_string(fusion);
}

}  // namespace

TEST_F(SeededTest, KvCacheMatchesFullRecomputeWithoutKnowledge) {
    expect_cache_matches_full(FusionMode::None);
}
TEST_F(SeededTest, KvCacheMatchesFullRecomputeEasyNlpFusion) {
    expect_cache_matches_full(FusionMode::EasyNLP);
}
TEST_F(SeededTest, KvCacheMatchesFullRecomputeLatticeFusion) {
    expect_cache_matches_full(FusionMode::Lattice);
}

TEST_F(SeededTest, EasyNlpFusionOnlyChangesTheFirstImageLogit) {
    // Released behaviour: fusion after the stack touches only the text positions,
    // so among the image predictions only position text_len-1 changes.
    const auto c = tiny(FusionMode::EasyNLP);
    Gpt gpt(c);
    torch::NoGradGuard no_grad;
    auto idx = random_sequence(c, 2, c.block_size() - 1);
    // As released, every text position carries an entity vector (id 0 where no
    // entity is), so the fused value at the last text position changes too.
    auto knowledge = random_knowledge(c, 2);
    knowledge.emb = torch::randn_like(knowledge.emb);
    auto with = gpt->forward(idx, knowledge);
    auto without = gpt->forward(idx);
    using torch::indexing::Slice;
    EXPECT_GT(
        (with.index({Slice(), c.text_len - 1}) - without.index({Slice(), c.text_len - 1})).abs().max().item<float>(),
        1e-6);
    EXPECT_EQ((with.index({Slice(), Slice(c.text_len)}) - without.index({Slice(), Slice(c.text_len)}))
                  .abs()
                  .max()
                  .item<float>(),
              0.0f);
}

TEST_F(SeededTest, LatticeFusionReachesEveryImagePosition) {
    const auto c = tiny(FusionMode::Lattice);
    Gpt gpt(c);
    torch::NoGradGuard no_grad;
    auto idx = random_sequence(c, 2, c.block_size() - 1);
    auto diff = (gpt->forward(idx, random_knowledge(c, 2)) - gpt->forward(idx)).abs().amax({0, 2});  // (T)
    using torch::indexing::Slice;
    EXPECT_GT(diff.index({Slice(c.text_len)}).min().item<float>(), 0.0f);
    EXPECT_EQ(diff.index({Slice(0, 1)}).item<float>(), 0.0f);  // token 0 is covered by no entity and sees nothing later
}

TEST(ArtistModel, ParameterNamesAndShapesEqualReleasedCheckpoint) {
    std::ifstream in(std::string(SHENBI_TEST_DATA_DIR) + "/io/artist-knowl-base.keys.tsv");
    ASSERT_TRUE(in) << "missing tests/data/io/artist-knowl-base.keys.tsv";
    std::map<std::string, std::string> expected;
    std::string key, shape;
    while (std::getline(in, key, '\t') && std::getline(in, shape)) expected[key] = shape;
    ASSERT_EQ(expected.size(), 554u);

    auto config = ModelConfig::preset("artist-base");
    ASSERT_TRUE(config.ok());
    ArtistModel model(*config);
    std::map<std::string, std::string> actual;
    auto add = [&](const std::string& name, const torch::Tensor& t) {
        std::ostringstream s;
        s << "[";
        for (int64_t i = 0; i < t.dim(); ++i) s << (i ? ", " : "") << t.size(i);
        s << "]";
        actual[name] = s.str();
    };
    for (const auto& p : model->named_parameters()) add(p.key(), p.value());
    for (const auto& b : model->named_buffers()) add(b.key(), b.value());
    for (const auto& [k, s] : expected) {
        auto it = actual.find(k);
        if (it == actual.end()) {
            ADD_FAILURE() << "missing " << k;
        } else {
            EXPECT_EQ(it->second, s) << k;
        }
    }
    for (const auto& [k, s] : actual) EXPECT_TRUE(expected.count(k)) << "unexpected " << k;
}
