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

}  // namespace shenbi
