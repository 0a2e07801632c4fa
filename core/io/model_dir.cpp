#include "core/io/model_dir.h"

#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/format/state_dict.h"
#include "core/io/easynlp_import.h"
#include "core/io/lora_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/knowledge/id_files.h"
#include "core/text/tokenizer.h"
#include "core/util/atomic_file.h"
#include "core/util/guard.h"
#include "core/util/hash.h"

namespace shenbi {
namespace fs = std::filesystem;
namespace {

constexpr const char* kModelJson = "model.json";
constexpr const char* kVocab = "vocab.txt";
constexpr const char* kWeights = "weights.bin";
constexpr const char* kEntityVectors = "entity2vec.bin";
constexpr const char* kEntityIds = "entity2id.txt";
constexpr const char* kEntityKey = "entity2vec";

// Makes a rename durable: the directory entry itself must reach the disk.
void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

fs::path sibling(const fs::path& dir, const std::string& tag) {
    std::random_device rd;
    return dir.parent_path() / ("." + dir.filename().string() + "." + tag + "-" + std::to_string(rd() % 1000000));
}

// Removes the temp directory unless released: every early return of a
// failed save cleans up.
class TempDirGuard {
public:
    explicit TempDirGuard(fs::path p) : path_(std::move(p)) {}
    ~TempDirGuard() {
        if (path_.empty()) return;
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    void release() { path_.clear(); }

private:
    fs::path path_;
};

Result<ModelConfig> config_from_text(const fs::path& json_path, const std::string& text) {
    auto config = model_config_from_json(text);
    if (!config) return make_error(config.error().code, json_path.string() + ": " + config.message());
    return config;
}

Result<std::shared_ptr<ModelBundle>> load_shenbi_dir(const fs::path& dir, c10::Device device) {
    const fs::path json_path = dir / kModelJson;
    const fs::path weights_path = dir / kWeights;
    auto text = read_file(json_path);
    if (!text) return text.error();
    auto config = config_from_text(json_path, *text);
    if (!config) return config.error();
    std::string expected;
    std::optional<std::int64_t> entity_count;  // recorded by save_model_dir since 2026-12
    try {
        const auto j = nlohmann::json::parse(*text);
        if (j.contains("checksum")) expected = j.at("checksum").get<std::string>();
        if (j.contains("entities")) entity_count = j.at("entities").at("count").get<std::int64_t>();
    } catch (const std::exception& e) {
        return make_error(ErrorCode::Corrupt, json_path.string() + ": " + e.what());
    }
    auto checksum = file_checksum(weights_path);
    if (!checksum) return checksum.error();
    if (!expected.empty() && expected != *checksum) {
        return make_error(ErrorCode::Corrupt, weights_path.string() + ": checksum " + *checksum + " differs from " +
                                                  expected + " recorded in model.json (file damaged or replaced)");
    }
    auto weights = read_state_dict(weights_path);
    if (!weights) return weights.error();

    BundleParts parts;
    parts.config = *config;
    parts.weights = std::move(*weights);
    parts.vocab = dir / kVocab;
    parts.dir = dir;
    parts.checksum = *checksum;
    parts.source = weights_path.string();

    auto entities = load_entity_files(dir);
    if (!entities) return entities.error();
    if (entity_count && !*entities)
        return make_error(ErrorCode::Corrupt, (dir / kEntityVectors).string() + " is missing: " + json_path.string() +
                                                  " records an entity table of " + std::to_string(*entity_count) +
                                                  " entities, without which knowledge would be off");
    if (entity_count && (*entities)->size() != *entity_count)
        return make_error(ErrorCode::Corrupt, (dir / kEntityIds).string() + ": " + std::to_string((*entities)->size()) +
                                                  " entities, " + json_path.string() + " records " +
                                                  std::to_string(*entity_count));
    parts.entities = std::move(*entities);
    return assemble_bundle(std::move(parts), device);
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

// The GPT's sizes in the config against the weights, before anything is
// built: a model.json saying n_layer 100000 would otherwise allocate until
// memory ran out, long before load_state_dict_strict could name the mismatch.
Status check_gpt_sizes(const GptConfig& g, const StateDict& weights, const std::string& where) {
    static const std::string kBlocks = "transformer.blocks.";
    std::set<long> blocks;
    std::int64_t n_embd = -1;
    for (const auto& [key, t] : weights) {
        if (key.rfind(kBlocks, 0) == 0) blocks.insert(std::strtol(key.c_str() + kBlocks.size(), nullptr, 10));
        if (key == "transformer.tok_emb.weight" && t.dim() == 2) n_embd = t.size(1);
    }
    if (static_cast<long>(blocks.size()) != g.n_layer)
        return make_error(ErrorCode::ShapeMismatch, where + ": the config says n_layer " + std::to_string(g.n_layer) +
                                                        ", the weights hold " + std::to_string(blocks.size()) +
                                                        " transformer blocks");
    if (n_embd >= 0 && n_embd != g.n_embd)
        return make_error(ErrorCode::ShapeMismatch, where + ": the config says n_embd " + std::to_string(g.n_embd) +
                                                        ", the weights' token embedding has " + std::to_string(n_embd));
    return Status::success();
}

// `t` on the CPU as save_model_dir stores it and load_model_dir gives it
// back: floating point through `dtype` when one is set.
torch::Tensor as_stored(const torch::Tensor& t, const std::optional<c10::ScalarType>& dtype) {
    torch::Tensor cpu = t.detach().cpu();
    if (dtype && cpu.is_floating_point()) cpu = cpu.to(*dtype).to(t.scalar_type());
    return cpu;
}

bool same_values(const torch::Tensor& expected, const torch::Tensor& got) {
    const torch::Tensor g = got.detach().cpu();
    return expected.sizes().equals(g.sizes()) && expected.to(g.scalar_type()).equal(g);
}

// What load_model_dir gave back against what was saved.
Status compare_stored(const ModelBundle& saved,
                      const ModelBundle& back,
                      const std::optional<c10::ScalarType>& dtype,
                      const fs::path& out) {
    auto differs = [&](const std::string& what) {
        return make_error(ErrorCode::Corrupt, out.string() + ": not saved: " + what +
                                                  " read back differs from what was written (disk or memory error?)");
    };
    const StateDict expected = module_state_dict(*saved.net), got = module_state_dict(*back.net);
    if (expected.size() != got.size()) return differs("the list of weights");
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (expected[i].first != got[i].first) return differs("the list of weights");
        if (!same_values(as_stored(expected[i].second, dtype), got[i].second))
            return differs("weight '" + expected[i].first + "'");
    }
    if (!saved.tokenizer || !back.tokenizer || saved.tokenizer->vocab() != back.tokenizer->vocab())
        return differs("vocab.txt");
    if (static_cast<bool>(saved.entities) != static_cast<bool>(back.entities)) return differs("the entity table");
    if (saved.entities && (saved.entities->names() != back.entities->names() ||
                           !same_values(as_stored(saved.entities->vectors(), dtype), back.entities->vectors())))
        return differs("the entity table");
    if (to_json(saved.config) != to_json(back.config)) return differs("model.json's configuration");
    return Status::success();
}

// SaveModelOptions::verify: the directory just written at `tmp` read back
// by the loader `generate` uses, and compared with what was meant.
Status verify_written(const ModelBundle& bundle,
                      const fs::path& tmp,
                      const fs::path& dir,
                      const std::optional<c10::ScalarType>& dtype) {
    auto back = load_model_dir(tmp, c10::kCPU);
    if (!back)
        return make_error(back.error().code,
                          dir.string() + ": not saved: what was written does not read back: " + back.message());
    return guarded(dir.string(), [&] { return compare_stored(bundle, **back, dtype, dir); });
}

}  // namespace

Status save_entity_files(const EntityTable& table, const fs::path& dir, std::optional<c10::ScalarType> dtype) {
    auto vectors = table.vectors();
    if (dtype && vectors.is_floating_point()) vectors = vectors.to(*dtype);
    // The names first: a folder counts as holding a table once entity2vec.bin
    // exists, so an interrupted save never leaves vectors without their names.
    SHENBI_TRY_STATUS(write_id_file(dir / kEntityIds, table.names()));
    return write_state_dict(dir / kEntityVectors, {{kEntityKey, vectors}});
}

Result<std::shared_ptr<const EntityTable>> load_entity_files(const fs::path& dir) {
    std::error_code ec;
    const fs::path vec_path = dir / kEntityVectors;
    if (!fs::exists(vec_path, ec)) return std::shared_ptr<const EntityTable>();
    auto table = EntityTable::load(dir / kEntityIds, vec_path);
    if (!table) return table.error();
    return std::make_shared<const EntityTable>(std::move(*table));
}

Status publish_model_dir(const fs::path& from, const fs::path& to, const std::string& name) {
    std::error_code ec;
    const bool adapter = fs::exists(from / "adapter.json", ec);
    const fs::path json_name = adapter ? "adapter.json" : kModelJson;
    if (!fs::exists(from / json_name, ec))
        return make_error(ErrorCode::NotFound,
                          from.string() + " is not a model folder (no model.json or adapter.json)");
    if (fs::exists(to, ec)) return make_error(ErrorCode::InvalidArgument, to.string() + " already exists");
    auto text = read_file(from / json_name);
    if (!text) return text.error();
    auto j = nlohmann::ordered_json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return make_error(ErrorCode::Corrupt, (from / json_name).string() + ": not JSON");
    j["name"] = name;
    const fs::path tmp = sibling(fs::absolute(to, ec), "saving");
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create " + tmp.string() + ": " + ec.message());
    TempDirGuard cleanup(tmp);
    for (const auto& entry : fs::directory_iterator(from, ec)) {
        if (!entry.is_regular_file() || entry.path().filename() == json_name) continue;
        fs::copy_file(entry.path(), tmp / entry.path().filename(), ec);
        if (ec) return make_error(ErrorCode::Io, "cannot copy " + entry.path().string() + ": " + ec.message());
    }
    if (ec) return make_error(ErrorCode::Io, "cannot list " + from.string() + ": " + ec.message());
    auto dumped = guarded((tmp / json_name).string(), [&]() -> Result<std::string> { return j.dump(2) + "\n"; });
    if (!dumped) return dumped.error();
    SHENBI_TRY_STATUS(write_file_atomic(tmp / json_name, *dumped));  // last: the folder is complete
    fs::rename(tmp, to, ec);
    if (ec)
        return make_error(ErrorCode::Io, "cannot move " + tmp.string() + " to " + to.string() + ": " + ec.message());
    cleanup.release();
    fsync_dir(to.parent_path().empty() ? fs::path(".") : to.parent_path());
    return Status::success();
}

Result<std::shared_ptr<ModelBundle>> assemble_bundle(BundleParts parts, c10::Device device) {
    const std::string where = parts.source.empty() ? parts.dir.string() : parts.source;
    auto valid = parts.config.validate();
    if (!valid) return make_error(valid.error().code, where + ": " + valid.message());
    auto tokenizer = BertTokenizer::from_file(parts.vocab);
    if (!tokenizer) return tokenizer.error();
    if (tokenizer->size() > static_cast<std::size_t>(parts.config.gpt.text_vocab)) {
        return make_error(ErrorCode::ShapeMismatch, parts.vocab.string() + ": " + std::to_string(tokenizer->size()) +
                                                        " tokens, but the model's text vocabulary has " +
                                                        std::to_string(parts.config.gpt.text_vocab));
    }
    if (parts.entities && parts.config.gpt.fusion != FusionMode::None &&
        parts.entities->dim() != parts.config.gpt.ent_dim) {
        return make_error(ErrorCode::ShapeMismatch, where + ": entity vectors have dimension " +
                                                        std::to_string(parts.entities->dim()) + ", the model expects " +
                                                        std::to_string(parts.config.gpt.ent_dim));
    }
    SHENBI_TRY_STATUS(check_gpt_sizes(parts.config.gpt, parts.weights, where));
    return guarded(where, [&]() -> Result<std::shared_ptr<ModelBundle>> {
        auto bundle = std::make_shared<ModelBundle>();
        bundle->config = parts.config;
        bundle->net = ArtistModel(parts.config);
        auto loaded = load_state_dict_strict(*bundle->net, parts.weights);
        if (!loaded) return make_error(loaded.error().code, where + ": " + loaded.message());
        parts.weights.clear();  // release the checkpoint's memory before moving to the device
        bundle->net->to(device);
        bundle->net->eval();
        bundle->tokenizer = std::make_shared<const BertTokenizer>(std::move(*tokenizer));
        bundle->entities = std::move(parts.entities);
        bundle->dir = parts.dir;
        bundle->checksum = parts.checksum;
        bundle->device = device;
        return bundle;
    });
}

Result<std::shared_ptr<ModelBundle>> load_model_dir(const fs::path& dir, c10::Device device) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return make_error(ErrorCode::NotFound, dir.string() + ": not a directory");
    if (fs::exists(dir / "pytorch_model.bin", ec)) return import_easynlp(dir, device);
    if (is_lora_dir(dir)) return open_lora_model(dir, device);
    if (!fs::exists(dir / kModelJson, ec)) {
        return make_error(ErrorCode::NotFound, dir.string() +
                                                   ": neither a Shenbi model (model.json), a LoRA adapter "
                                                   "(adapter.json) nor an EasyNLP model (pytorch_model.bin)");
    }
    return load_shenbi_dir(dir, device);
}

Result<ModelConfig> read_model_config(const fs::path& dir) {
    auto text = read_file(dir / kModelJson);
    if (!text) return text.error();
    return config_from_text(dir / kModelJson, *text);
}

Status save_model_dir(const ModelBundle& bundle, const fs::path& dir_in, const SaveModelOptions& options) {
    if (!bundle.net)
        return make_error(ErrorCode::InvalidArgument, "cannot save " + dir_in.string() + ": bundle has no network");
    if (!bundle.tokenizer)
        return make_error(ErrorCode::InvalidArgument, "cannot save " + dir_in.string() + ": bundle has no tokenizer");
    // "out/" and "out" must name the same directory.
    const fs::path dir = dir_in.filename().empty() ? dir_in.parent_path() : dir_in;
    std::error_code ec;
    const fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
    fs::create_directories(parent, ec);
    const fs::path tmp = sibling(fs::absolute(dir, ec), "saving");
    if (!fs::create_directory(tmp, ec)) {
        return make_error(ErrorCode::Io, "cannot create " + tmp.string() + ": " + ec.message());
    }
    TempDirGuard cleanup(tmp);
    auto written = [&](const char* name) -> Status {
        if (!options.on_file_written) return Status::success();
        return options.on_file_written(name);
    };

    auto stored = [&](StateDict state) {
        if (options.weights_dtype)
            for (auto& [key, t] : state)
                if (t.is_floating_point()) t = t.to(*options.weights_dtype);
        return state;
    };
    SHENBI_TRY_STATUS(write_state_dict(tmp / kWeights, stored(module_state_dict(*bundle.net))));
    SHENBI_TRY_STATUS(written(kWeights));
    auto checksum = file_checksum(tmp / kWeights);
    if (!checksum) return checksum.error();

    SHENBI_TRY_STATUS(write_file_atomic(tmp / kVocab, join_lines(bundle.tokenizer->vocab())));
    SHENBI_TRY_STATUS(written(kVocab));

    if (bundle.entities) {
        SHENBI_TRY_STATUS(save_entity_files(*bundle.entities, tmp, options.weights_dtype));
        SHENBI_TRY_STATUS(written(kEntityVectors));
        SHENBI_TRY_STATUS(written(kEntityIds));
    }

    // model.json last: a directory with a model.json is complete.
    auto model_json = guarded(dir.string() + "/" + kModelJson, [&]() -> Result<std::string> {
        auto j = nlohmann::ordered_json::parse(to_json(bundle.config));
        j["checksum"] = *checksum;
        j["checksum_algorithm"] = "fnv1a-64 of weights.bin";
        // What the loader must find: a missing entity2vec.bin would otherwise
        // silently turn knowledge off.
        if (bundle.entities) j["entities"] = {{"count", bundle.entities->size()}, {"dim", bundle.entities->dim()}};
        j["metadata"] = nlohmann::ordered_json::object();
        for (const auto& [k, v] : options.metadata) j["metadata"][k] = v;
        return j.dump(2) + "\n";  // throws on invalid UTF-8 in metadata
    });
    if (!model_json) return model_json.error();
    SHENBI_TRY_STATUS(write_file_atomic(tmp / kModelJson, *model_json));
    SHENBI_TRY_STATUS(written(kModelJson));
    fsync_dir(tmp);
    if (options.verify) SHENBI_TRY_STATUS(verify_written(bundle, tmp, dir, options.weights_dtype));

    // Swap in. Where the kernel can, one atomic exchange (renameat2
    // RENAME_EXCHANGE): a kill at any moment leaves either the old or the new
    // directory at `dir`, never none. Elsewhere: old aside, new in place.
    if (fs::exists(dir, ec) && ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
        fsync_dir(parent);
        return Status::success();  // `cleanup` removes tmp, which now holds the old directory
    }
    fs::path old;
    if (fs::exists(dir, ec)) {
        old = sibling(fs::absolute(dir, ec), "old");
        fs::rename(dir, old, ec);
        if (ec) return make_error(ErrorCode::Io, "cannot move " + dir.string() + " aside: " + ec.message());
    }
    fs::rename(tmp, dir, ec);
    if (ec) {
        const std::string why = ec.message();
        if (!old.empty()) fs::rename(old, dir, ec);
        return make_error(ErrorCode::Io, "cannot rename " + tmp.string() + " to " + dir.string() + ": " + why);
    }
    cleanup.release();
    fsync_dir(parent);
    if (!old.empty()) fs::remove_all(old, ec);
    return Status::success();
}

Result<std::string> file_checksum(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::NotFound, path.string() + ": cannot open");
    std::uint64_t h = kFnv1aOffset;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        h = fnv1a(buf.data(), static_cast<std::size_t>(in.gcount()), h);
    }
    if (in.bad()) return make_error(ErrorCode::Io, path.string() + ": read error");
    return hex64(h);
}

}  // namespace shenbi
