#include "core/io/lora_dir.h"

#include <nlohmann/json.hpp>

#include "core/format/torch_file.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/util/atomic_file.h"
#include "core/util/guard.h"

namespace shenbi {
namespace fs = std::filesystem;
namespace {

constexpr const char* kAdapterJson = "adapter.json";
constexpr const char* kAdapterBin = "adapter.bin";
constexpr const char* kFormat = "shenbi-lora";
constexpr int kFormatVersion = 1;

}  // namespace

bool is_lora_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / kAdapterJson, ec) && !fs::exists(dir / "model.json", ec);
}

Result<LoraDirInfo> read_lora_dir_info(const fs::path& dir) {
    const fs::path path = dir / kAdapterJson;
    auto text = read_file(path);
    if (!text) return text.error();
    LoraDirInfo out;
    try {
        const auto j = nlohmann::json::parse(*text);
        const std::string format = j.value("format", std::string());
        if (format != kFormat) {
            return make_error(ErrorCode::Unsupported, path.string() + ": format '" + format + "', expected '" +
                                                          kFormat + "' (not a Shenbi LoRA adapter)");
        }
        const int version = j.at("format_version").get<int>();
        if (version != kFormatVersion) {
            return make_error(ErrorCode::Unsupported, path.string() + ": format_version " + std::to_string(version) +
                                                          ", this Shenbi reads " + std::to_string(kFormatVersion));
        }
        out.config.rank = j.at("rank").get<int>();
        out.config.alpha = j.at("alpha").get<double>();
        out.config.targets = j.at("targets").get<std::vector<std::string>>();
        out.base_checksum = j.at("base_checksum").get<std::string>();
        if (j.contains("base_model")) out.base_model = j.at("base_model").get<std::string>();
        if (j.contains("checksum")) out.checksum = j.at("checksum").get<std::string>();
        if (j.contains("name")) out.name = j.at("name").get<std::string>();
    } catch (const std::exception& e) {
        return make_error(ErrorCode::Corrupt, path.string() + ": " + e.what());
    }
    auto valid = out.config.validate();
    if (!valid) return make_error(ErrorCode::Corrupt, path.string() + ": " + valid.message());
    return out;
}

Status save_lora(const Gpt& gpt, const fs::path& dir, const std::string& base_checksum, const fs::path& base_model) {
    auto config = attached_lora_config(gpt);
    if (!config) return make_error(config.error().code, "cannot save " + dir.string() + ": " + config.message());
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message());
    auto state = guarded(dir.string(), [&]() -> Result<StateDict> { return module_state_dict(*lora_module(gpt)); });
    if (!state) return state.error();
    SHENBI_TRY_STATUS(write_state_dict(dir / kAdapterBin, *state));
    auto checksum = file_checksum(dir / kAdapterBin);
    if (!checksum) return checksum.error();

    nlohmann::ordered_json j;
    j["format"] = kFormat;
    j["format_version"] = kFormatVersion;
    j["rank"] = config->rank;
    j["alpha"] = config->alpha;
    j["targets"] = config->targets;
    j["base_checksum"] = base_checksum;
    if (!base_model.empty()) j["base_model"] = fs::absolute(base_model, ec).lexically_normal().string();
    j["checksum"] = *checksum;
    j["checksum_algorithm"] = "fnv1a-64 of adapter.bin";
    auto text = guarded((dir / kAdapterJson).string(), [&]() -> Result<std::string> {
        return j.dump(2) + "\n";  // throws on invalid UTF-8 in a path
    });
    if (!text) return text.error();
    return write_file_atomic(dir / kAdapterJson, *text);
}

Result<LoraConfig> load_lora(Gpt& gpt, const fs::path& dir, const std::string& base_checksum) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return make_error(ErrorCode::NotFound, dir.string() + ": not a directory");
    auto info = read_lora_dir_info(dir);
    if (!info) return info.error();
    const fs::path json_path = dir / kAdapterJson, bin_path = dir / kAdapterBin;
    if (info->base_checksum != base_checksum) {
        return make_error(ErrorCode::InvalidArgument, json_path.string() + ": the adapter was trained on base model " +
                                                          info->base_checksum + ", this model's checksum is " +
                                                          base_checksum);
    }
    if (!info->checksum.empty()) {
        auto checksum = file_checksum(bin_path);
        if (!checksum) return checksum.error();
        if (*checksum != info->checksum) {
            return make_error(ErrorCode::Corrupt, bin_path.string() + ": checksum " + *checksum + " differs from " +
                                                      info->checksum +
                                                      " recorded in adapter.json (file damaged or replaced)");
        }
    }
    auto state = read_state_dict(bin_path);
    if (!state) return state.error();
    auto attached = attach_lora_state(gpt, info->config, *state);
    if (!attached) return make_error(attached.error().code, bin_path.string() + ": " + attached.message());
    return info->config;
}

Result<std::shared_ptr<ModelBundle>> open_lora_model(const fs::path& dir, c10::Device device) {
    auto info = read_lora_dir_info(dir);
    if (!info) return info.error();
    if (info->base_model.empty()) {
        return make_error(ErrorCode::InvalidArgument,
                          (dir / kAdapterJson).string() + " names no base_model: load the base and attach the adapter");
    }
    auto base = load_model_dir(info->base_model, device);
    if (!base) {
        return make_error(base.error().code, "base model of the adapter " + dir.string() + ": " + base.message());
    }
    auto bundle = std::move(*base);
    auto loaded = load_lora(bundle->net->transformer, dir, bundle->checksum);
    if (!loaded) return loaded.error();
    // A fine-tune that added the artist's own names carries the extended table.
    auto entities = load_entity_files(dir);
    if (!entities) return entities.error();
    if (*entities) {
        if (bundle->config.gpt.fusion != FusionMode::None && (*entities)->dim() != bundle->config.gpt.ent_dim)
            return make_error(ErrorCode::ShapeMismatch,
                              dir.string() + ": entity vectors have dimension " + std::to_string((*entities)->dim()) +
                                  ", the model expects " + std::to_string(bundle->config.gpt.ent_dim));
        bundle->entities = std::move(*entities);
    }
    bundle->dir = dir;
    bundle->checksum += "+lora:" + info->checksum;
    return bundle;
}

}  // namespace shenbi
