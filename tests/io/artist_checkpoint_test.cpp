// Checks against the released ARTIST knowledge base model's key list
// (tests/data/io/artist-knowl-base.keys.tsv, 554 keys). Each test builds an
// artist-base network (~800 MB): label `model`.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include <torch/torch.h>

#include "core/format/state_dict.h"
#include "core/format/torch_file.h"
#include "core/io/easynlp_import.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/util/atomic_file.h"
#include "io_test_util.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;

// key -> shape, in file order.
std::vector<std::pair<std::string, std::vector<std::int64_t>>> released_keys() {
    std::ifstream in(test::io_data("artist-knowl-base.keys.tsv"));
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> out;
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        std::vector<std::int64_t> shape;
        std::string dims = line.substr(tab + 1);
        for (char& c : dims)
            if (c == '[' || c == ']' || c == ',') c = ' ';
        std::istringstream ss(dims);
        std::int64_t d;
        while (ss >> d) shape.push_back(d);
        out.emplace_back(line.substr(0, tab), shape);
    }
    return out;
}

// Every released key as a stride-0 view of a one-element storage: the file
// stays a few hundred KB while the shapes are the real ones.
StateDict released_state_dict() {
    StateDict sd;
    float v = 0.0f;
    for (const auto& [key, shape] : released_keys()) sd.emplace_back(key, torch::full({1}, v += 0.001f).expand(shape));
    return sd;
}

void write_easynlp_dir(const fs::path& dir, const StateDict& sd) {
    fs::create_directories(dir);
    ASSERT_TRUE(write_file_atomic(dir / "config.json",
                                  R"({"model_type": "artist", "vocab_size": 37512, "img_vocab_size": 16384,
  "text_vocab_size": 21128, "block_size": 288, "n_layer": 12, "n_head": 12, "n_embd": 768,
  "embd_pdrop": 0.0, "resid_pdrop": 0.0, "attn_pdrop": 0.0, "n_unmasked": 0})")
                    .ok());
    std::string vocab = "[PAD]\n";
    for (int k = 1; k < 100; ++k) vocab += "[unused" + std::to_string(k) + "]\n";
    vocab += "[UNK]\n[CLS]\n[SEP]\n[MASK]\n北\n京\n故\n宫\n";
    ASSERT_TRUE(write_file_atomic(dir / "vocab.txt", vocab).ok());
    ASSERT_TRUE(write_state_dict(dir / "pytorch_model.bin", sd).ok());
}

TEST(ArtistCheckpoint, ModelKeysEqualReleasedKeys) {
    auto config = ModelConfig::preset("artist-base");
    ASSERT_TRUE(config.ok());
    ArtistModel net(*config);
    std::map<std::string, std::vector<std::int64_t>> ours, released;
    for (const auto& [k, t] : module_state_dict(*net)) ours[k] = t.sizes().vec();
    for (const auto& [k, s] : released_keys()) released[k] = s;
    ASSERT_EQ(released.size(), 554u);
    for (const auto& [k, s] : released) {
        const auto it = ours.find(k);
        if (it == ours.end()) {
            ADD_FAILURE() << "model lacks released key " << k << " " << shape_string(s);
        } else if (it->second != s) {
            ADD_FAILURE() << k << ": model " << shape_string(it->second) << ", released " << shape_string(s);
        }
    }
    for (const auto& [k, s] : ours)
        if (!released.count(k)) ADD_FAILURE() << "model has extra key " << k << " " << shape_string(s);
}

TEST(ArtistCheckpoint, ImporterAcceptsEveryReleasedKey) {
    test::TempDir tmp;
    const auto dir = tmp / "pai-artist-knowl-base-zh";
    write_easynlp_dir(dir, released_state_dict());
    EXPECT_LT(fs::file_size(dir / "pytorch_model.bin"), 2'000'000u);
    // The entity table beside the model folder, as in EasyNLP's examples.
    ASSERT_TRUE(write_state_dict(tmp / "entity2vec.pt", {{"entity2vec", torch::randn({3, 100})}}).ok());
    ASSERT_TRUE(write_file_atomic(tmp / "entity2id.txt", "3\n北京\t0\n故宫\t1\n北京故宫\t2\n").ok());

    auto bundle = load_model_dir(dir, c10::kCPU);  // routed to the importer by pytorch_model.bin
    ASSERT_TRUE(bundle.ok()) << bundle.message();
    const auto& b = **bundle;
    EXPECT_EQ(b.config.gpt.fusion, FusionMode::EasyNLP);
    EXPECT_EQ(b.config.gpt.text_len, 32);
    EXPECT_EQ(b.config.gpt.ent_dim, 100);
    EXPECT_EQ(b.config.name, "pai-artist-knowl-base-zh");
    ASSERT_TRUE(b.entities);
    EXPECT_EQ(b.entities->size(), 3);
    EXPECT_EQ(b.entities->id_of("故宫"), 1);
    EXPECT_EQ(b.checksum, *file_checksum(dir / "pytorch_model.bin"));
    // Values arrived: each key got its own constant.
    const auto sd = released_state_dict();
    std::map<std::string, torch::Tensor> loaded;
    for (const auto& [k, t] : module_state_dict(*b.net)) loaded[k] = t;
    for (const auto& [k, t] : sd) EXPECT_TRUE(loaded.at(k).equal(t)) << k;
}

TEST(ArtistCheckpoint, ImporterRefusesMissingExtraAndMisShapedKeys) {
    test::TempDir tmp;
    struct Case {
        const char* what;
        std::function<void(StateDict&)> edit;
        std::string expected;
    };
    const std::vector<Case> cases{
        {"missing",
         [](StateDict& sd) { std::erase_if(sd, [](const auto& e) { return e.first == "transformer.ln_f.bias"; }); },
         "missing keys (1):\n  transformer.ln_f.bias [768]"},
        {"extra", [](StateDict& sd) { sd.emplace_back("transformer.extra.weight", torch::zeros({2})); },
         "unexpected keys (1):\n  transformer.extra.weight [2]"},
        {"shape",
         [](StateDict& sd) {
             for (auto& e : sd)
                 if (e.first == "first_stage_model.quant_conv.bias") e.second = torch::zeros({255});
         },
         "first_stage_model.quant_conv.bias: checkpoint [255], model [256]"},
    };
    for (const auto& c : cases) {
        auto sd = released_state_dict();
        c.edit(sd);
        const auto dir = tmp / c.what;
        write_easynlp_dir(dir, sd);
        auto bundle = import_easynlp(dir, c10::kCPU);
        ASSERT_FALSE(bundle.ok()) << c.what;
        EXPECT_EQ(bundle.error().code, ErrorCode::ShapeMismatch) << c.what;
        EXPECT_NE(bundle.message().find(c.expected), std::string::npos) << c.what << ": " << bundle.message();
        EXPECT_NE(bundle.message().find((dir / "pytorch_model.bin").string()), std::string::npos) << bundle.message();
    }
}

}  // namespace
}  // namespace shenbi
