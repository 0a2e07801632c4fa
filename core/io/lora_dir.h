// LoRA adapter directories: a fine-tune that saves only its adapters (a few
// MB) and is opened on top of its base model (core/model/lora.h holds the
// adapters themselves).
//
//   adapter.json  {"format": "shenbi-lora", "format_version": 1, "rank",
//                  "alpha", "targets", "base_checksum" (the base's
//                  ModelBundle::checksum), "base_model" (the base's
//                  directory, when known), "checksum" (fnv1a-64 of
//                  adapter.bin, as model.json's), "checksum_algorithm"}
//   adapter.bin   write_state_dict() format, only adapter tensors:
//                 transformer.blocks.{i}.{target}.lora_A (r, in), .lora_B (out, r)
//
// load_model_dir() opens such a directory as a model: its base_model with
// the adapter attached (open_lora_model below).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <c10/core/Device.h>

#include "core/model/lora.h"
#include "core/model/model_bundle.h"
#include "core/util/result.h"

namespace shenbi {

struct LoraDirInfo {
    LoraConfig config;
    std::string base_checksum;
    std::filesystem::path base_model;  // empty: not recorded
    std::string checksum;              // of adapter.bin; empty: not recorded
    std::string name;                  // the artist's name for it (publish_model_dir); empty: none
};

// True when `dir` holds an adapter.json (and no model.json).
bool is_lora_dir(const std::filesystem::path& dir);

// adapter.json, checked: format, version, a valid config. Errors name the file.
Result<LoraDirInfo> read_lora_dir_info(const std::filesystem::path& dir);

// Writes the GPT's attached adapters into `dir`: adapter.bin, then
// adapter.json with adapter.bin's checksum (each file written atomically;
// the json last, so a half-replaced directory does not load).
Status save_lora(const Gpt& gpt,
                 const std::filesystem::path& dir,
                 const std::string& base_checksum,
                 const std::filesystem::path& base_model = {});

// Reads an adapter directory and attaches it (freezing the base, as
// attach_lora). Everything is checked before the model changes: the files
// exist and parse, the format, `base_checksum` equals the recorded one (the
// error names both), adapter.bin's checksum, and every tensor's key and shape.
Result<LoraConfig> load_lora(Gpt& gpt, const std::filesystem::path& dir, const std::string& base_checksum);

// An adapter directory as a model: its base_model loaded on `device`, the
// adapter attached. The bundle's dir is the adapter's; its checksum is the
// base's followed by "+lora:" and the adapter's.
Result<std::shared_ptr<ModelBundle>> open_lora_model(const std::filesystem::path& dir, c10::Device device);

}  // namespace shenbi
