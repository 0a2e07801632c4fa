#include "core/io/easynlp_import.h"

#include <nlohmann/json.hpp>

#include "core/format/torch_file.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/util/atomic_file.h"

namespace shenbi {
namespace fs = std::filesystem;
namespace {

// The released first stage is always taming's f16/16384 VQGAN: 256 image
// tokens of a 16384-entry codebook (the released ARTIST recipe).
constexpr int kImageTokens = 256;

template <class T>
T field(const nlohmann::json& j, const char* key, T fallback) {
    return j.contains(key) && !j.at(key).is_null() ? j.at(key).get<T>() : fallback;
}

// Entity files given explicitly, or found beside the model (then one level up).
Result<std::optional<std::pair<fs::path, fs::path>>> find_entity_files(const fs::path& dir,
                                                                       const EasyNlpImportOptions& options) {
    std::error_code ec;
    if (!options.entity2vec.empty() || !options.entity2id.empty()) {
        if (options.entity2vec.empty() || options.entity2id.empty()) {
            return make_error(ErrorCode::InvalidArgument, "an entity table needs both entity2vec and entity2id");
        }
        for (const auto& p : {options.entity2vec, options.entity2id})
            if (!fs::is_regular_file(p, ec)) return make_error(ErrorCode::NotFound, p.string() + ": no such file");
        return std::optional<std::pair<fs::path, fs::path>>({options.entity2vec, options.entity2id});
    }
    for (const auto& where : {dir, dir.parent_path()}) {
        if (where.empty()) continue;
        const bool vec = fs::is_regular_file(where / "entity2vec.pt", ec);
        const bool ids = fs::is_regular_file(where / "entity2id.txt", ec);
        if (vec && ids)
            return std::optional<std::pair<fs::path, fs::path>>({where / "entity2vec.pt", where / "entity2id.txt"});
        if (vec != ids) {
            return make_error(ErrorCode::NotFound,
                              (where / (vec ? "entity2id.txt" : "entity2vec.pt")).string() +
                                  ": missing (the entity table needs entity2vec.pt and entity2id.txt)");
        }
    }
    return std::optional<std::pair<fs::path, fs::path>>();
}

}  // namespace

Result<ModelConfig> easynlp_model_config(const std::string& config_json, bool has_ent_emb, int ent_dim) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(config_json);
        if (!j.is_object()) return make_error(ErrorCode::Corrupt, "config.json is not a JSON object");
        ModelConfig c;
        c.name = "easynlp-artist";
        c.vqgan = VqganConfig::taming_f16_16384();
        auto& g = c.gpt;
        g.n_layer = field(j, "n_layer", 12);
        g.n_head = field(j, "n_head", 12);
        g.n_embd = field(j, "n_embd", 768);
        g.img_vocab = field(j, "img_vocab_size", 16384);
        g.text_vocab = field(j, "text_vocab_size", 21128);
        const int vocab = field(j, "vocab_size", g.img_vocab + g.text_vocab);
        const int block = field(j, "block_size", 288);
        if (g.img_vocab != c.vqgan.n_embed) {
            return make_error(ErrorCode::Unsupported, "config.json: img_vocab_size " + std::to_string(g.img_vocab) +
                                                          " differs from the f16/16384 VQGAN that EasyNLP uses");
        }
        if (vocab != g.img_vocab + g.text_vocab) {
            return make_error(ErrorCode::Corrupt, "config.json: vocab_size " + std::to_string(vocab) +
                                                      " is not img_vocab_size + text_vocab_size");
        }
        g.img_len = kImageTokens;
        g.text_len = block - kImageTokens;
        g.dropout = 0.0;  // inference; EasyNLP's pdrop fields are 0 as released
        g.fusion = has_ent_emb ? FusionMode::EasyNLP : FusionMode::None;
        if (has_ent_emb) g.ent_dim = ent_dim;
        auto st = c.validate();
        if (!st) return make_error(ErrorCode::InvalidArgument, "config.json: " + st.message());
        return c;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::Corrupt, std::string("config.json: ") + e.what());
    }
}

Result<std::shared_ptr<ModelBundle>> import_easynlp(const fs::path& model_dir,
                                                    c10::Device device,
                                                    const EasyNlpImportOptions& options) {
    const fs::path config_path = model_dir / "config.json";
    const fs::path weights_path = model_dir / "pytorch_model.bin";
    const fs::path vocab_path = model_dir / "vocab.txt";
    std::error_code ec;
    for (const auto& p : {config_path, weights_path, vocab_path}) {
        if (!fs::is_regular_file(p, ec)) {
            return make_error(ErrorCode::NotFound, p.string() +
                                                       ": missing (an EasyNLP ARTIST directory holds "
                                                       "config.json, vocab.txt and pytorch_model.bin)");
        }
    }
    auto config_text = read_file(config_path);
    if (!config_text) return config_text.error();
    auto weights = read_state_dict(weights_path);
    if (!weights) return weights.error();

    bool has_ent_emb = false;
    int ent_dim = 0;
    for (const auto& [key, t] : *weights) {
        if (key.rfind("transformer.ent_emb.", 0) == 0) has_ent_emb = true;
        if (key == "transformer.ent_emb.weight" && t.dim() == 2) ent_dim = static_cast<int>(t.size(1));
    }
    auto config = easynlp_model_config(*config_text, has_ent_emb, ent_dim);
    if (!config) return make_error(config.error().code, model_dir.string() + "/" + config.message());
    config->name =
        model_dir.filename().empty() ? model_dir.parent_path().filename().string() : model_dir.filename().string();

    BundleParts parts;
    parts.config = *config;
    parts.weights = std::move(*weights);
    parts.vocab = vocab_path;
    parts.dir = model_dir;
    parts.source = weights_path.string();

    if (config->gpt.fusion != FusionMode::None) {
        auto files = find_entity_files(model_dir, options);
        if (!files) return files.error();
        if (*files) {
            const auto& [vec_path, id_path] = **files;
            auto table = EntityTable::load(id_path, vec_path);
            if (!table) return table.error();
            parts.entities = std::make_shared<const EntityTable>(std::move(*table));
        }
    }
    auto checksum = file_checksum(weights_path);
    if (!checksum) return checksum.error();
    parts.checksum = *checksum;
    return assemble_bundle(std::move(parts), device);
}

}  // namespace shenbi
