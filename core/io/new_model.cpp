#include "core/io/new_model.h"

#include <torch/torch.h>

#include "core/format/state_dict.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/text/tokenizer.h"

namespace shenbi {

Result<std::shared_ptr<ModelBundle>> new_model(const NewModelOptions& o) {
    auto preset = ModelConfig::preset(o.preset);
    if (!preset) return preset.error();
    ModelConfig config = *preset;
    if (!o.name.empty()) config.name = o.name;

    std::shared_ptr<const BertTokenizer> tokenizer;
    if (!o.vocab.empty()) {
        auto t = BertTokenizer::from_file(o.vocab);
        if (!t) return t.error();
        tokenizer = std::make_shared<const BertTokenizer>(std::move(*t));
        config.gpt.text_vocab = static_cast<int>(tokenizer->size());
    }

    std::shared_ptr<const EntityTable> entities;
    if (!o.entity_dir.empty()) {
        auto table = EntityTable::load(o.entity_dir / "entity2id.txt", o.entity_dir / "entity2vec.pt");
        if (!table) return table.error();
        entities = std::make_shared<const EntityTable>(std::move(*table));
        config.gpt.ent_dim = entities->dim();
    }
    if (o.fusion) config.gpt.fusion = *o.fusion;
    if (!entities) config.gpt.fusion = FusionMode::None;
    if (config.gpt.fusion == FusionMode::None) entities = nullptr;

    std::shared_ptr<ModelBundle> source;
    if (!o.first_stage_from.empty()) {
        auto loaded = load_model_dir(o.first_stage_from, c10::kCPU);
        if (!loaded) return loaded.error();
        source = *loaded;
        config.vqgan = source->config.vqgan;
        config.gpt.img_len = config.vqgan.num_tokens();
        config.gpt.img_vocab = config.vqgan.n_embed;
    }
    SHENBI_TRY_STATUS(config.validate());

    auto bundle = make_random_bundle(config, o.seed, tokenizer, entities);
    if (source) {
        // Same VqganConfig on both sides, so a misfit means the source's
        // weights do not match its own model.json; the error lists the keys.
        auto st =
            load_state_dict_strict(*bundle->net->first_stage_model, module_state_dict(*source->net->first_stage_model));
        if (!st) return make_error(st.error().code, o.first_stage_from.string() + ": VQGAN weights: " + st.message());
    }
    bundle->checksum = "new-" + std::to_string(o.seed);
    return bundle;
}

Result<std::shared_ptr<ModelBundle>> grow_depth(const ModelBundle& source, int n_layer) {
    const int old_layers = source.config.gpt.n_layer;
    if (n_layer <= old_layers || n_layer % old_layers != 0)
        return make_error(ErrorCode::InvalidArgument, "--n_layer " + std::to_string(n_layer) +
                                                          ": must be a multiple of the model's " +
                                                          std::to_string(old_layers) + " layers, above it");
    ModelConfig config = source.config;
    config.gpt.n_layer = n_layer;
    SHENBI_TRY_STATUS(config.validate());

    const int copies = n_layer / old_layers;
    const std::string prefix = "transformer.blocks.";
    StateDict state;
    for (const auto& [key, value] : module_state_dict(*source.net)) {
        if (key.rfind(prefix, 0) != 0) {
            state.emplace_back(key, value);
            continue;
        }
        const auto dot = key.find('.', prefix.size());
        const int block = std::stoi(key.substr(prefix.size(), dot - prefix.size()));
        const std::string rest = key.substr(dot + 1);  // "attn.proj.weight"
        const bool writes_residual = rest.rfind("attn.proj.", 0) == 0 || rest.rfind("mlp.2.", 0) == 0;
        for (int copy = 0; copy < copies; ++copy) {
            auto tensor = copy > 0 && writes_residual ? torch::zeros_like(value) : value;
            state.emplace_back(prefix + std::to_string(block * copies + copy) + "." + rest, tensor);
        }
    }
    auto bundle = make_random_bundle(config, 0, source.tokenizer, source.entities);
    SHENBI_TRY_STATUS(load_state_dict_strict(*bundle->net, state));
    bundle->checksum = "grown-" + source.checksum;
    return bundle;
}

namespace {

// How errors name a model: its directory (a model made in memory has none).
std::string where_of(const ModelBundle& model) {
    return model.dir.empty() ? "a model" : model.dir.string();
}

// What must match for two models' weights to be averaged: the config apart
// from what describes or drives sampling, the vocabulary and the entity names.
Status check_same_shapes(const ModelBundle& first, const ModelBundle& other) {
    const std::string where = where_of(other), theirs = where_of(first) + "'s";
    auto shape_only = [](ModelConfig c) {
        c.name.clear();
        c.card = {};
        c.sampling.reset();
        return to_json(c);
    };
    if (shape_only(first.config) != shape_only(other.config))
        return make_error(ErrorCode::InvalidArgument,
                          where + ": its model.json shapes differ from " + theirs + "; only one model's runs average");
    if (first.tokenizer->vocab() != other.tokenizer->vocab())
        return make_error(ErrorCode::InvalidArgument, where + ": vocab.txt differs from " + theirs);
    const bool same_entities = (!first.entities && !other.entities) ||
                               (first.entities && other.entities && first.entities->names() == other.entities->names());
    if (!same_entities)
        return make_error(ErrorCode::InvalidArgument, where + ": its entity names differ from " + theirs);
    return Status::success();
}

}  // namespace

Result<std::shared_ptr<ModelBundle>> average_models(const std::vector<const ModelBundle*>& models) {
    if (models.size() < 2) return make_error(ErrorCode::InvalidArgument, "averaging needs two models or more");
    const ModelBundle& first = *models.front();
    std::vector<StateDict> states;
    for (const ModelBundle* model : models) {
        SHENBI_TRY_STATUS(check_same_shapes(first, *model));
        states.push_back(module_state_dict(*model->net));
        if (states.back().size() != states.front().size())
            return make_error(ErrorCode::InvalidArgument, where_of(*model) + ": its weights hold " +
                                                              std::to_string(states.back().size()) + " keys, not " +
                                                              std::to_string(states.front().size()));
    }
    torch::NoGradGuard no_grad;
    StateDict mean;
    for (std::size_t i = 0; i < states.front().size(); ++i) {
        const auto& [key, value] = states.front()[i];
        auto sum = value.to(torch::kCPU, torch::kFloat64);
        for (std::size_t m = 1; m < states.size(); ++m) {
            const auto& other = states[m][i].second;
            // Same config, same module tree: the keys come in one order.
            if (states[m][i].first != key || !other.sizes().equals(value.sizes()))
                return make_error(ErrorCode::InvalidArgument,
                                  where_of(*models[m]) + ": weight " + key + " does not match the first model's");
            // A count or an index has no mean: it must be the same in every model.
            if (!value.is_floating_point() && !torch::equal(other.to(value.device()), value))
                return make_error(ErrorCode::InvalidArgument, where_of(*models[m]) + ": weight " + key +
                                                                  " is not a float and differs from the first model's");
            sum += other.to(torch::kCPU, torch::kFloat64);
        }
        mean.emplace_back(key, (sum / double(states.size())).to(value.scalar_type()));
    }
    auto bundle = make_random_bundle(first.config, 0, first.tokenizer, first.entities);
    SHENBI_TRY_STATUS(load_state_dict_strict(*bundle->net, mean));
    bundle->checksum = "average";
    return bundle;
}

}  // namespace shenbi
