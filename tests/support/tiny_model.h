// The tests' tiny random models: the one home of the fixture (header-only, no
// Qt; the UI tests reach it through tests/ui/tinymodel.cpp). Each is the
// "tiny" preset (2 layers, 32 wide, 8 text and 16 image tokens, a 16x16
// VQGAN) with random weights and make_random_bundle's synthetic vocabulary
// ([PAD], [UNK], then U+4E00.. in order), so prompts of those characters
// tokenize and, where the model has an entity table, link.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "core/knowledge/entity_table.h"
#include "core/model/model_bundle.h"
#include "core/text/utf8.h"

namespace shenbi::test {

// U+4E00 + i as UTF-8: a character of the synthetic vocabulary.
inline std::string cjk(int i) {
    return utf8_encode(std::u32string(1, static_cast<char32_t>(0x4E00 + i)));
}

// What sets one tiny model apart from another; the defaults are the preset's.
struct TinyModelSpec {
    std::uint64_t seed = 1;             // the weights (make_random_bundle seeds torch with it)
    std::optional<FusionMode> fusion;   // the preset's (EasyNLP) when not given
    std::vector<std::string> entities;  // names of an entity table; none: no table
    std::uint64_t entity_seed = 7;      // torch::manual_seed before the table's randn({n, ent_dim})
    std::string name;                   // ModelConfig::name; the preset's when empty
};

inline std::shared_ptr<ModelBundle> make_tiny_model(const TinyModelSpec& spec) {
    auto config = ModelConfig::preset("tiny").value();
    if (spec.fusion) config.gpt.fusion = *spec.fusion;
    if (!spec.name.empty()) config.name = spec.name;
    std::shared_ptr<const EntityTable> entities;
    if (!spec.entities.empty()) {
        torch::manual_seed(spec.entity_seed);
        const auto rows = static_cast<std::int64_t>(spec.entities.size());
        entities = std::make_shared<const EntityTable>(EntityTable::from_names(
            spec.entities, torch::randn({rows, static_cast<std::int64_t>(config.gpt.ent_dim)})));
    }
    return make_random_bundle(config, spec.seed, nullptr, std::move(entities));
}

// The sampling tests' model: `fusion`, weights from `seed`; with a fusion
// other than None, three entities whose names nest and overlap over the
// vocabulary's first characters (一丁 / 丁七 / 一丁七, vectors from seed 123).
inline std::shared_ptr<ModelBundle> tiny_model(FusionMode fusion = FusionMode::None, std::uint64_t seed = 7) {
    TinyModelSpec spec{.seed = seed, .fusion = fusion, .entity_seed = 123};
    if (fusion != FusionMode::None) spec.entities = {"一丁", "丁七", "一丁七"};
    return make_tiny_model(spec);
}

// [pad] and three two-character names of the vocabulary: 丁七, 丂丄, 七上.
inline std::vector<std::string> tiny_lattice_entity_names() {
    return {"[pad]", cjk(1) + cjk(3), cjk(2) + cjk(4), cjk(3) + cjk(10)};
}

// The training tests' model: lattice fusion, weights from `seed`, the four
// entities above (vectors from seed 7).
inline std::shared_ptr<ModelBundle> tiny_lattice_model(std::uint64_t seed = 1) {
    return make_tiny_model(
        {.seed = seed, .fusion = FusionMode::Lattice, .entities = tiny_lattice_entity_names(), .entity_seed = 7});
}

}  // namespace shenbi::test
