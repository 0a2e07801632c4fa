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

}  // namespace shenbi
