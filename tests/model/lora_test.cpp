#include "core/model/lora.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/format/state_dict.h"
#include "core/format/torch_file.h"
#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/util/atomic_file.h"
#include "tests/support/temp_dir.h"

using namespace shenbi;

namespace {

namespace fs = std::filesystem;
using test::TempDir;
using torch::indexing::Slice;

// The base model's checksum as a caller knows it (ModelBundle::checksum).
const std::string kBase = "0123456789abcdef";

struct LoraTest : ::testing::Test {
    LoraTest() { torch::manual_seed(0); }
};

GptConfig tiny_gpt() {
    return ModelConfig::preset("tiny").value().gpt;
}

LoraConfig rank4() {
    LoraConfig config;
    config.rank = 4;
    config.alpha = 8;
    return config;
}

// A whole sequence as the generator feeds it: text ids (offset by img_vocab) then image codes.
torch::Tensor random_sequence(const GptConfig& c, int64_t batch) {
    auto text = torch::randint(c.img_vocab, c.vocab_size(), {batch, c.text_len}, torch::kLong);
    auto image = torch::randint(0, c.img_vocab, {batch, c.img_len}, torch::kLong);
    return torch::cat({text, image}, 1);  // (B, block_size)
}

// What the model reads of a whole sequence: all but the last token.
torch::Tensor inputs(const torch::Tensor& sequence) {
    return sequence.index({Slice(), Slice(0, -1)});  // (B, T-1)
}

torch::Tensor logits(Gpt& gpt, const torch::Tensor& idx) {
    torch::NoGradGuard no_grad;
    return gpt->forward(idx);  // (B, T, img_vocab)
}

// A second network with the weights of `source` (its adapters left out).
Gpt copy_of(Gpt& source) {
    Gpt copy(source->config());
    auto loaded = load_state_dict_strict(*copy, module_state_dict(*source));
    EXPECT_TRUE(loaded.ok()) << loaded.message();
    return copy;
}

StateDict snapshot(Gpt& gpt) {
    StateDict out;
    for (const auto& [key, t] : module_state_dict(*gpt)) out.emplace_back(key, t.clone());
    return out;
}

// A few Adam steps on the adapters only, predicting the image codes of `sequence`.
void train_adapter(Gpt& gpt, const torch::Tensor& sequence, int steps = 5) {
    const auto& c = gpt->config();
    torch::optim::Adam adam(lora_parameters(gpt), torch::optim::AdamOptions(1e-2));
    const auto target = sequence.index({Slice(), Slice(c.text_len)}).reshape({-1});  // (B * img_len)
    for (int step = 0; step < steps; ++step) {
        auto out = gpt->forward(inputs(sequence)).index({Slice(), Slice(c.text_len - 1)});  // (B, img_len, img_vocab)
        auto loss = torch::nn::functional::cross_entropy(out.reshape({-1, c.img_vocab}), target);  // (B * img_len, V)
        adam.zero_grad();
        loss.backward();
        adam.step();
    }
}

// A tiny GPT with a rank-4 adapter trained a little, so that B != 0.
Gpt trained_model(const torch::Tensor& sequence) {
    Gpt gpt(tiny_gpt());
    EXPECT_TRUE(attach_lora(gpt, rank4(), 1).ok());
    train_adapter(gpt, sequence);
    return gpt;
}

float max_diff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<float>();
}

// Rewrites adapter.bin through `edit` and records its new checksum in
// adapter.json, as a tool that writes a bad adapter would.
void rewrite_adapter(const fs::path& dir, const std::function<void(StateDict&)>& edit) {
    auto state = read_state_dict(dir / "adapter.bin");
    ASSERT_TRUE(state.ok()) << state.message();
    edit(*state);
    ASSERT_TRUE(write_state_dict(dir / "adapter.bin", *state).ok());
    auto text = read_file(dir / "adapter.json");
    ASSERT_TRUE(text.ok());
    auto json = nlohmann::json::parse(*text);
    json["checksum"] = file_checksum(dir / "adapter.bin").value();
    ASSERT_TRUE(write_file_atomic(dir / "adapter.json", json.dump(2)).ok());
}

}  // namespace

TEST_F(LoraTest, FreshAdapterLeavesLogitsUnchangedAndFreezesTheBase) {
    Gpt gpt(tiny_gpt());
    const auto idx = inputs(random_sequence(gpt->config(), 2));
    const auto before = logits(gpt, idx);
    const auto keys_before = module_state_dict(*gpt).size();

    ASSERT_TRUE(attach_lora(gpt, LoraConfig{}, 1).ok());
    EXPECT_TRUE(has_lora(gpt));
    EXPECT_TRUE(torch::equal(logits(gpt, idx), before));  // B = 0
    // The checkpoint keys stay the released ones: adapters are not registered.
    EXPECT_EQ(module_state_dict(*gpt).size(), keys_before);
    for (const auto& p : gpt->parameters()) EXPECT_FALSE(p.requires_grad());
    const auto params = lora_parameters(gpt);
    EXPECT_EQ(params.size(), 2u * 6 * gpt->config().n_layer);  // A and B for 6 targets per block
    for (const auto& p : params) EXPECT_TRUE(p.requires_grad());

    EXPECT_FALSE(attach_lora(gpt, LoraConfig{}, 2).ok());  // one adapter set at a time
    ASSERT_TRUE(detach_lora(gpt).ok());
    EXPECT_FALSE(has_lora(gpt));
    EXPECT_TRUE(lora_parameters(gpt).empty());
}

TEST_F(LoraTest, ConfigValidation) {
    EXPECT_TRUE(LoraConfig{}.validate().ok());
    auto bad = rank4();
    bad.rank = 0;
    EXPECT_FALSE(bad.validate().ok());
    bad = rank4();
    bad.alpha = -1;
    EXPECT_FALSE(bad.validate().ok());
    bad = rank4();
    bad.targets = {"attn.key", "head"};
    auto status = bad.validate();
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.message().find("'head'"), std::string::npos) << status.message();
    bad.targets = {"mlp.0", "mlp.0"};
    EXPECT_FALSE(bad.validate().ok());
    bad.targets = {};
    EXPECT_FALSE(bad.validate().ok());
}

TEST_F(LoraTest, TrainingChangesLogitsAndLeavesTheBaseBitIdentical) {
    Gpt gpt(tiny_gpt());
    const auto sequence = random_sequence(gpt->config(), 4);
    const auto before = logits(gpt, inputs(sequence));
    const auto base = snapshot(gpt);

    ASSERT_TRUE(attach_lora(gpt, rank4(), 1).ok());
    train_adapter(gpt, sequence);

    EXPECT_GT(max_diff(logits(gpt, inputs(sequence)), before), 1e-4);
    const auto after = module_state_dict(*gpt);
    ASSERT_EQ(after.size(), base.size());
    for (std::size_t k = 0; k < base.size(); ++k) {
        EXPECT_EQ(after[k].first, base[k].first);
        EXPECT_TRUE(torch::equal(after[k].second, base[k].second)) << base[k].first;
    }
}

TEST_F(LoraTest, SaveThenLoadIntoAFreshCopyGivesIdenticalLogits) {
    TempDir tmp;
    const auto sequence = random_sequence(tiny_gpt(), 2);
    auto gpt = trained_model(sequence);
    auto fresh = copy_of(gpt);
    const auto dir = tmp / "adapter";

    ASSERT_TRUE(save_lora(gpt, dir, kBase).ok());
    auto json = nlohmann::json::parse(read_file(dir / "adapter.json").value());
    EXPECT_EQ(json.at("format").get<std::string>(), "shenbi-lora");
    EXPECT_EQ(json.at("format_version").get<int>(), 1);
    EXPECT_EQ(json.at("rank").get<int>(), 4);
    EXPECT_EQ(json.at("alpha").get<double>(), 8.0);
    EXPECT_EQ(json.at("base_checksum").get<std::string>(), kBase);
    EXPECT_EQ(json.at("targets").get<std::vector<std::string>>(), rank4().targets);
    auto state = read_state_dict(dir / "adapter.bin");
    ASSERT_TRUE(state.ok()) << state.message();
    EXPECT_EQ(state->size(), 2u * 6 * gpt->config().n_layer);  // adapter tensors only
    ASSERT_FALSE(state->empty());
    EXPECT_EQ(state->front().first, "transformer.blocks.0.attn.key.lora_A");
    EXPECT_EQ(shape_string(state->front().second.sizes()), "[4, 32]");

    auto loaded = load_lora(fresh, dir, kBase);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_EQ(loaded->rank, 4);
    EXPECT_EQ(loaded->alpha, 8.0);
    EXPECT_EQ(loaded->targets, rank4().targets);
    EXPECT_TRUE(torch::equal(logits(fresh, inputs(sequence)), logits(gpt, inputs(sequence))));
}

TEST_F(LoraTest, MergingEqualsApplying) {
    const auto sequence = random_sequence(tiny_gpt(), 2);
    auto gpt = trained_model(sequence);
    const auto applied = logits(gpt, inputs(sequence));

    ASSERT_TRUE(merge_lora(gpt).ok());
    EXPECT_FALSE(has_lora(gpt));
    for (const auto& p : gpt->parameters()) EXPECT_TRUE(p.requires_grad());  // a full model again
    EXPECT_LT(max_diff(logits(gpt, inputs(sequence)), applied), 1e-5);
    EXPECT_FALSE(merge_lora(gpt).ok());  // nothing left to merge
}

TEST_F(LoraTest, LoadRejectsABadAdapterAndLeavesTheModelUnchanged) {
    TempDir tmp;
    const auto sequence = random_sequence(tiny_gpt(), 2);
    auto gpt = trained_model(sequence);
    auto fresh = copy_of(gpt);
    const auto reference = logits(fresh, inputs(sequence));
    auto expect_rejected = [&](const fs::path& dir, const std::string& checksum,
                               const std::vector<std::string>& named) {
        auto loaded = load_lora(fresh, dir, checksum);
        ASSERT_FALSE(loaded.ok()) << dir;
        for (const auto& n : named) EXPECT_NE(loaded.message().find(n), std::string::npos) << loaded.message();
        EXPECT_FALSE(has_lora(fresh));
        for (const auto& p : fresh->parameters()) EXPECT_TRUE(p.requires_grad());
        EXPECT_TRUE(torch::equal(logits(fresh, inputs(sequence)), reference));
    };
    auto saved = [&](const std::string& name) {
        const auto dir = tmp / name;
        EXPECT_TRUE(save_lora(gpt, dir, kBase).ok());
        return dir;
    };

    // Another base model: the error names both checksums.
    expect_rejected(saved("base"), "fedcba9876543210", {kBase, "fedcba9876543210"});

    // One tensor of the wrong shape: the key and both shapes.
    const auto shape = saved("shape");
    rewrite_adapter(shape, [](StateDict& state) {
        for (auto& [key, t] : state)
            if (key == "transformer.blocks.1.mlp.2.lora_B") t = torch::zeros({32, 3});
    });
    expect_rejected(shape, kBase, {"transformer.blocks.1.mlp.2.lora_B", "[32, 3]", "[32, 4]"});

    // One tensor missing: its key.
    const auto missing = saved("missing");
    rewrite_adapter(missing, [](StateDict& state) {
        std::erase_if(state, [](const auto& e) { return e.first == "transformer.blocks.0.attn.value.lora_A"; });
    });
    expect_rejected(missing, kBase, {"missing", "transformer.blocks.0.attn.value.lora_A"});

    // adapter.bin damaged: caught by its checksum, and without one by the reader.
    const auto corrupt = saved("corrupt");
    ASSERT_TRUE(write_file_atomic(corrupt / "adapter.bin", std::string("not a checkpoint")).ok());
    expect_rejected(corrupt, kBase, {"adapter.bin", "checksum"});
    auto json = nlohmann::json::parse(read_file(corrupt / "adapter.json").value());
    json.erase("checksum");
    ASSERT_TRUE(write_file_atomic(corrupt / "adapter.json", json.dump(2)).ok());
    expect_rejected(corrupt, kBase, {"adapter.bin"});

    // Not an adapter, or no adapter.json at all.
    const auto format = saved("format");
    json = nlohmann::json::parse(read_file(format / "adapter.json").value());
    json["format"] = "shenbi-model";
    ASSERT_TRUE(write_file_atomic(format / "adapter.json", json.dump(2)).ok());
    expect_rejected(format, kBase, {"shenbi-lora"});
    fs::remove(format / "adapter.json");
    expect_rejected(format, kBase, {"adapter.json"});

    // After all that, a good adapter still loads.
    auto loaded = load_lora(fresh, saved("good"), kBase);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_TRUE(torch::equal(logits(fresh, inputs(sequence)), logits(gpt, inputs(sequence))));
}

TEST_F(LoraTest, KvCacheAgreesWithFullForwardWithAnAdapter) {
    const auto sequence = random_sequence(tiny_gpt(), 3);
    auto gpt = trained_model(sequence);
    gpt->eval();
    const auto& c = gpt->config();
    const auto idx = inputs(sequence);  // (B, T)
    const auto full = logits(gpt, idx);

    torch::NoGradGuard no_grad;
    auto cache = gpt->make_cache(idx.size(0));
    std::vector<torch::Tensor> pieces{gpt->forward_cached(idx.index({Slice(), Slice(0, c.text_len)}), cache)};
    for (int64_t t = c.text_len; t < idx.size(1); ++t) {
        pieces.push_back(gpt->forward_cached(idx.index({Slice(), Slice(t, t + 1)}), cache));
    }
    const auto cached = torch::cat(pieces, 1);  // (B, T, img_vocab)
    ASSERT_EQ(cached.sizes(), full.sizes());
    EXPECT_LT(max_diff(cached, full), 1e-4);
}
