// A new model directory's starting point: a preset's shapes with a real
// vocabulary and entity table, random GPT weights, and optionally the
// trained VQGAN of another model directory. This is how the bundled default
// model is put together between `train vqgan` and `train gpt`
// (scripts/train-default-model.sh), and what a "new model" wizard would call.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/config.h"
#include "core/model/model_bundle.h"
#include "core/util/result.h"

namespace shenbi {

struct NewModelOptions {
    std::string preset = "small";
    std::string name;                        // config.name; empty: the preset's
    std::filesystem::path vocab;             // vocab.txt; empty: the synthetic vocabulary of make_random_bundle
    std::filesystem::path entity_dir;        // entity2id.txt + entity2vec.pt (a `transe train` output); empty: none
    std::optional<FusionMode> fusion;        // default: the preset's (none when there is no entity table)
    std::filesystem::path first_stage_from;  // model directory whose VQGAN (config and weights) is copied
    std::uint64_t seed = 0;                  // GPT initialisation
};

// Errors name the file (vocabulary, entity table, source model) or, for a
// VQGAN whose weights do not fit, the key.
Result<std::shared_ptr<ModelBundle>> new_model(const NewModelOptions& options);

// A deeper copy of `source` ("model grow"): each of its GPT blocks is
// followed by (n_layer / its n_layer - 1) copies of itself whose output
// projections (attn.proj, mlp.2) are zero. A zeroed block adds nothing to the
// residual stream, so the grown model computes what the source did, to the
// last bit, and training continues from the source's loss with the new
// blocks' inputs already meaningful (progressive stacking). Everything else
// (VQGAN, embeddings, head, vocabulary, entity table, card, sampling) is the
// source's. Refused unless n_layer is a multiple of the source's, above it.
Result<std::shared_ptr<ModelBundle>> grow_depth(const ModelBundle& source, int n_layer);

// The mean of the weights of two or more models ("model average", a uniform
// model soup: Wortsman et al., 2022). Models fine-tuned from one start
// (a `model grow` output, the shipped GPT) on different tables keep what
// each learned where their weights average well; models from different
// starts do not, so only average runs that share one. Refused unless every
// model has the first one's shapes (config apart from its name, card and
// sampling), vocabulary and entity names; errors name the model directory
// and, for weights, the key. Everything but the weights (vocabulary, entity
// table, card, sampling) is the first model's.
Result<std::shared_ptr<ModelBundle>> average_models(const std::vector<const ModelBundle*>& models);

}  // namespace shenbi
