#include "core/io/new_model.h"

#include <torch/torch.h>

#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/text/tokenizer.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;

// Copies every parameter and buffer of `from` into `to` by name; both come
// from the same VqganConfig, so a missing key or another shape means the
// source directory is not what its model.json says.
Status copy_weights(torch::nn::Module& from, torch::nn::Module& to, const std::string& source) {
    torch::NoGradGuard no_grad;
    auto src = from.named_parameters(true);
    for (const auto& b : from.named_buffers(true)) src.insert(b.key(), b.value());
    auto dst = to.named_parameters(true);
    for (const auto& b : to.named_buffers(true)) dst.insert(b.key(), b.value());
    for (const auto& item : dst) {
        const auto* s = src.find(item.key());
        if (s == nullptr) return make_error(ErrorCode::Corrupt, source + ": first_stage_model." + item.key() + " is missing");
        if (s->sizes() != item.value().sizes())
            return make_error(ErrorCode::Corrupt, source + ": first_stage_model." + item.key() + " has another shape");
        item.value().copy_(s->to(item.value().device(), item.value().scalar_type()));
    }
    return Status::success();
}

}  // namespace

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
        SHENBI_TRY_STATUS(copy_weights(*source->net->first_stage_model, *bundle->net->first_stage_model,
                                       o.first_stage_from.string()));
    }
    bundle->checksum = "new-" + std::to_string(o.seed);
    return bundle;
}

}  // namespace shenbi
