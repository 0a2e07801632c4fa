#include "core/io/new_model.h"

#include <gtest/gtest.h>

#include <fstream>

#include <torch/torch.h>

#include "core/format/state_dict.h"
#include "core/format/torch_file.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/model/block.h"
#include "core/text/tokenizer.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tiny_model.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

void write_text(const fs::path& p, const std::string& s) {
    std::ofstream out(p, std::ios::binary);
    out << s;
}

// vocab.txt with BERT's special tokens and a few characters; an OpenKE
// entity table of 3 names with 8-dimensional vectors.
void write_sources(const fs::path& dir) {
    write_text(dir / "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n北\n京\n故\n宫\n猫\n的\n");
    fs::create_directories(dir / "kg");
    write_text(dir / "kg" / "entity2id.txt", "3\n北京\t0\n故宫\t1\n北京故宫\t2\n");
    torch::manual_seed(3);
    ASSERT_TRUE(write_state_dict(dir / "kg" / "entity2vec.pt", {{"ent_embeddings.weight", torch::randn({3, 8})}}).ok());
}

TEST(NewModel, TakesTheVocabularyEntityTableAndAnotherModelsVqgan) {
    TempDir tmp;
    write_sources(tmp.path());
    // The VQGAN source: a saved tiny model with its own random weights.
    auto source = make_random_bundle(ModelConfig::preset("tiny").value(), 11);
    ASSERT_TRUE(save_model_dir(*source, tmp.path() / "vq").ok());

    NewModelOptions o;
    o.preset = "tiny";
    o.vocab = tmp.path() / "vocab.txt";
    o.entity_dir = tmp.path() / "kg";
    o.fusion = FusionMode::Lattice;
    o.first_stage_from = tmp.path() / "vq";
    o.seed = 5;
    auto made = new_model(o);
    ASSERT_TRUE(made.ok()) << made.message();
    auto& m = **made;
    EXPECT_EQ(m.config.gpt.text_vocab, 11);
    EXPECT_EQ(m.config.gpt.ent_dim, 8);
    EXPECT_EQ(m.config.gpt.fusion, FusionMode::Lattice);
    ASSERT_TRUE(m.entities);
    EXPECT_EQ(m.entities->id_of("北京故宫"), 2);
    EXPECT_EQ(m.tokenizer->size(), 11u);

    const auto src = module_state_dict(*source->net->first_stage_model);
    const auto dst = module_state_dict(*m.net->first_stage_model);
    ASSERT_EQ(src.size(), dst.size());
    for (std::size_t i = 0; i < src.size(); ++i) EXPECT_TRUE(src[i].second.equal(dst[i].second)) << src[i].first;
    // The GPT is new (another shape of vocabulary, another seed).
    EXPECT_NE(m.net->transformer->named_parameters().size(), 0u);

    // It saves and loads back as a model directory ready for `train gpt`.
    ASSERT_TRUE(save_model_dir(m, tmp.path() / "base").ok());
    auto loaded = load_model_dir(tmp.path() / "base", c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_EQ((*loaded)->config.gpt.text_vocab, 11);
    EXPECT_EQ((*loaded)->entities->size(), 3);
}

TEST(NewModel, WithoutAnEntityTableThereIsNoFusion) {
    NewModelOptions o;
    o.preset = "tiny";
    auto made = new_model(o);
    ASSERT_TRUE(made.ok()) << made.message();
    EXPECT_EQ((*made)->config.gpt.fusion, FusionMode::None);
    EXPECT_FALSE((*made)->entities);
}

// Progressive stacking: the grown GPT computes the source's logits exactly,
// its new blocks are copies of the block before them with zero output
// projections, and everything outside the blocks is the source's.
TEST(NewModel, GrownDepthComputesWhatTheSourceDid) {
    auto source = test::make_tiny_model({.seed = 4});
    {
        torch::NoGradGuard no_grad;  // non-zero biases and norms, so nothing passes by accident
        torch::manual_seed(1);
        for (auto& p : source->net->parameters()) p.add_(torch::randn_like(p) * 0.05);
    }
    auto grown = grow_depth(*source, 6);  // tiny: 2 layers -> 6
    ASSERT_TRUE(grown.ok()) << grown.message();
    auto& g = **grown;
    EXPECT_EQ(g.config.gpt.n_layer, 6);
    ASSERT_EQ(g.net->transformer->blocks->size(), 6u);

    const auto idx = torch::randint(0, 32, {2, source->config.gpt.block_size()});
    torch::NoGradGuard no_grad;
    const auto want = source->net->transformer->forward(idx, {});
    const auto got = g.net->transformer->forward(idx, {});
    EXPECT_TRUE(torch::equal(want, got));

    const auto& old1 = *source->net->transformer->blocks[1]->as<Block>();
    for (int i : {3, 4, 5}) {  // block 1's place (3) and its two copies
        const auto& b = *g.net->transformer->blocks[i]->as<Block>();
        EXPECT_TRUE(b.attn->query->weight.equal(old1.attn->query->weight)) << i;
        EXPECT_TRUE(b.mlp->at<torch::nn::LinearImpl>(0).weight.equal(old1.mlp->at<torch::nn::LinearImpl>(0).weight));
        const bool copy = i != 3;
        EXPECT_EQ(b.attn->proj->weight.abs().sum().item<float>() == 0.0f, copy) << i;
        EXPECT_EQ(b.mlp->at<torch::nn::LinearImpl>(2).bias.abs().sum().item<float>() == 0.0f, copy) << i;
    }
    EXPECT_TRUE(g.net->transformer->head->weight.equal(source->net->transformer->head->weight));
    EXPECT_TRUE(g.net->transformer->tok_emb->weight.equal(source->net->transformer->tok_emb->weight));
}

TEST(NewModel, GrownDepthMustBeAMultipleAboveTheSource) {
    auto source = test::make_tiny_model({.seed = 4});
    for (int n : {1, 2, 3}) {
        auto grown = grow_depth(*source, n);
        ASSERT_FALSE(grown.ok()) << n;
        EXPECT_EQ(grown.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(grown.message().find("--n_layer " + std::to_string(n)), std::string::npos) << grown.message();
    }
}

// Three runs of one model average key by key; the name is the first one's,
// and a model of another shape is refused by its directory.
TEST(NewModel, AverageIsTheMeanOfEveryWeight) {
    std::vector<std::shared_ptr<ModelBundle>> runs;
    for (std::uint64_t seed : {4, 5, 6}) runs.push_back(test::make_tiny_model({.seed = seed}));
    runs[0]->config.name = "first";
    auto mean = average_models({runs[0].get(), runs[1].get(), runs[2].get()});
    ASSERT_TRUE(mean.ok()) << mean.message();
    EXPECT_EQ((*mean)->config.name, "first");
    const auto got = module_state_dict(*(*mean)->net);
    const auto a = module_state_dict(*runs[0]->net), b = module_state_dict(*runs[1]->net),
               c = module_state_dict(*runs[2]->net);
    ASSERT_EQ(got.size(), a.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].first, a[i].first);
        const auto want = (a[i].second + b[i].second + c[i].second) / 3;
        EXPECT_TRUE(torch::allclose(got[i].second, want, 1e-6, 1e-6)) << got[i].first;
    }
    EXPECT_FALSE(torch::equal(got[0].second, a[0].second));  // a mean, not the first model

    auto grown = grow_depth(*runs[1], 4);
    ASSERT_TRUE(grown.ok());
    (*grown)->dir = "runs/deeper";
    auto refused = average_models({runs[0].get(), grown->get()});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(refused.message().find("runs/deeper"), std::string::npos) << refused.message();
    EXPECT_FALSE(average_models({runs[0].get()}).ok());

    // The same shapes over other entity names: the vectors would mean other things.
    auto knows = test::make_tiny_model({.seed = 4, .entities = {"一丁", "丁七"}});
    auto other = test::make_tiny_model({.seed = 5, .entities = {"一丁", "七一"}});
    other->dir = "runs/other-entities";
    auto named = average_models({knows.get(), other.get()});
    ASSERT_FALSE(named.ok());
    EXPECT_NE(named.message().find("runs/other-entities: its entity names differ"), std::string::npos)
        << named.message();
}

TEST(NewModel, ErrorsNameTheMissingFile) {
    TempDir tmp;
    NewModelOptions o;
    o.preset = "tiny";
    o.vocab = tmp.path() / "nope.txt";
    auto made = new_model(o);
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.message().find("nope.txt"), std::string::npos) << made.message();

    o.vocab.clear();
    o.first_stage_from = tmp.path() / "no-model";
    made = new_model(o);
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.message().find("no-model"), std::string::npos) << made.message();

    o.first_stage_from.clear();
    o.preset = "huge";
    made = new_model(o);
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.message().find("huge"), std::string::npos) << made.message();
}

}  // namespace
}  // namespace shenbi

namespace shenbi {
namespace {

// Half-precision storage: about half the bytes, and the loaded fp32 network
// differs from the original only by fp16 rounding.
TEST(ModelDir, WeightsCanBeStoredInHalfPrecision) {
    TempDir tmp;
    auto model = test::make_tiny_model({.seed = 4, .entities = {"北京", "故宫"}, .entity_seed = 9});
    ASSERT_TRUE(save_model_dir(*model, tmp.path() / "fp32").ok());
    SaveModelOptions half;
    half.weights_dtype = c10::kHalf;
    ASSERT_TRUE(save_model_dir(*model, tmp.path() / "fp16", half).ok());
    const auto full = fs::file_size(tmp.path() / "fp32" / "weights.bin");
    const auto small = fs::file_size(tmp.path() / "fp16" / "weights.bin");
    EXPECT_LT(small, full * 6 / 10);

    auto loaded = load_model_dir(tmp.path() / "fp16", c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    const auto a = module_state_dict(*model->net), b = module_state_dict(*(*loaded)->net);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(b[i].second.scalar_type(), a[i].second.scalar_type()) << a[i].first;
        if (!a[i].second.is_floating_point()) continue;
        EXPECT_TRUE(torch::allclose(a[i].second, b[i].second, 1e-3, 1e-4)) << a[i].first;
    }
    EXPECT_TRUE(torch::allclose((*loaded)->entities->vectors(), model->entities->vectors(), 1e-3, 1e-4));
}

}  // namespace
}  // namespace shenbi

namespace shenbi {
namespace {

TEST(ModelDir, RecommendedSamplingIsKeptInModelJson) {
    TempDir tmp;
    auto config = ModelConfig::preset("tiny").value();
    config.sampling = RecommendedSampling{20, 0.9, 0.5, 1.0, 4, true, 3.0, 2.0};
    auto model = make_random_bundle(config, 2);
    ASSERT_TRUE(save_model_dir(*model, tmp.path() / "m").ok());
    auto loaded = load_model_dir(tmp.path() / "m", c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    ASSERT_TRUE((*loaded)->config.sampling.has_value());
    EXPECT_EQ((*loaded)->config.sampling->top_k, 20);
    EXPECT_DOUBLE_EQ((*loaded)->config.sampling->top_p, 0.9);
    EXPECT_DOUBLE_EQ((*loaded)->config.sampling->temperature, 0.5);
    EXPECT_EQ((*loaded)->config.sampling->best_of, 4);
    EXPECT_TRUE((*loaded)->config.sampling->layout);
    EXPECT_DOUBLE_EQ((*loaded)->config.sampling->layout_guidance, 3.0);
    EXPECT_DOUBLE_EQ((*loaded)->config.sampling->colour_guidance, 2.0);
    // Without it, none is invented; a bad one is a load error naming the field.
    auto plain = model_config_from_json(to_json(ModelConfig::preset("tiny").value()));
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(plain->sampling.has_value());
    auto bad = model_config_from_json(R"({"sampling": {"temperature": 0}})");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("sampling"), std::string::npos) << bad.message();
    bad = model_config_from_json(R"({"sampling": {"best_of": 17}})");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("best_of"), std::string::npos) << bad.message();
    bad = model_config_from_json(R"({"sampling": {"layout_guidance": 0.5}})");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("layout_guidance"), std::string::npos) << bad.message();
    bad = model_config_from_json(R"({"sampling": {"colour_guidance": -1}})");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("colour_guidance"), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace shenbi
