// A tiny random model shared by the sampling tests.
#pragma once

#include <torch/torch.h>

#include "core/knowledge/entity_table.h"
#include "core/model/model_bundle.h"

namespace shenbi::testing {

// Tiny GPT + VQGAN; with `fusion` != None also a 3-entity table whose names
// are characters of the synthetic vocabulary (U+4E00..), so prompts link.
inline std::shared_ptr<ModelBundle> tiny_model(FusionMode fusion = FusionMode::None, std::uint64_t seed = 7) {
    auto config = ModelConfig::preset("tiny").value();
    config.gpt.fusion = fusion;
    std::shared_ptr<const EntityTable> entities;
    if (fusion != FusionMode::None) {
        torch::manual_seed(123);
        // 一丁 / 丁七 / 一丁七: nested and overlapping spans over the vocabulary's first characters.
        entities = std::make_shared<const EntityTable>(
            EntityTable::from_names({"一丁", "丁七", "一丁七"}, torch::randn({3, config.gpt.ent_dim})));
    }
    return make_random_bundle(config, seed, nullptr, entities);
}

}  // namespace shenbi::testing
