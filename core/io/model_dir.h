// Shenbi's own model directory:
//   model.json      to_json(ModelConfig) + "checksum" (of weights.bin) + "metadata" (free strings)
//   vocab.txt       BERT vocabulary, one token per line
//   weights.bin     write_state_dict() format (PyTorch's torch.load reads it too)
//   entity2vec.bin  optional: state dict with one key "entity2vec", (N, D) float
//   entity2id.txt   with entity2vec.bin: OpenKE layout (core/knowledge/id_files.h)
// load_model_dir() also accepts an EasyNLP directory (with pytorch_model.bin).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <c10/core/Device.h>
#include <torch/types.h>

#include "core/format/torch_file.h"
#include "core/model/config.h"
#include "core/model/model_bundle.h"
#include "core/util/result.h"

namespace shenbi {

// Loads a Shenbi or EasyNLP model directory onto `device` (eval mode).
// Verifies the weights checksum of a Shenbi directory; errors name the file.
Result<std::shared_ptr<ModelBundle>> load_model_dir(const std::filesystem::path& dir, c10::Device device);

// A Shenbi model directory's model.json alone (no weights): its shapes,
// recommended sampling and card. Errors name the file.
Result<ModelConfig> read_model_config(const std::filesystem::path& dir);

struct SaveModelOptions {
    std::map<std::string, std::string> metadata;  // stored under "metadata" in model.json
    // Floating-point weights and entity vectors stored in this dtype (e.g.
    // kHalf halves a model for shipping); loading converts back to the
    // network's own dtype. Unset: as they are in memory.
    std::optional<c10::ScalarType> weights_dtype;
    // Called after each file is written into the temporary directory, with its
    // name; an Error aborts the save (cancel, or a test's injected failure).
    std::function<Status(std::string_view file)> on_file_written;
    // Read the written directory back with load_model_dir (model.json's
    // checksum, the zip CRCs, strict keys and shapes, finite values) and
    // compare its weights, vocabulary, entity table and configuration with
    // `bundle`'s, as stored (weights_dtype applies), before it replaces
    // `dir`: what a bad disk or bad memory damaged on the way out never
    // replaces a good model. Holds a second copy of the model meanwhile.
    bool verify = false;
};

// Saves atomically as a whole: everything is written into a sibling temp
// directory, then renamed to `dir`; an existing `dir` is renamed aside first
// and removed only after the new one is in place. On failure the previous
// directory is left as it was. The bundle must have a tokenizer.
Status save_model_dir(const ModelBundle& bundle,
                      const std::filesystem::path& dir,
                      const SaveModelOptions& options = {});

// What load_model_dir and the EasyNLP importer put together into a bundle.
struct BundleParts {
    ModelConfig config;
    StateDict weights;                            // checkpoint keys -> tensors (any dtype)
    std::filesystem::path vocab;                  // vocab.txt
    std::shared_ptr<const EntityTable> entities;  // null: none
    std::filesystem::path dir;
    std::string checksum;
    std::string source;  // weights file, named in errors
};
// Builds the network, loads the weights strictly, the tokenizer and the
// entity table (its dimension checked against ent_dim), moves everything to `device` and sets eval mode.
Result<std::shared_ptr<ModelBundle>> assemble_bundle(BundleParts parts, c10::Device device);

// A model's entity table as two files in `dir`: entity2id.txt and
// entity2vec.bin (vectors in `dtype`, else as they are). Used by model
// directories, adapter directories that extend their base's table, and a
// fine-tune run's knowledge/ folder.
Status save_entity_files(const EntityTable& table,
                         const std::filesystem::path& dir,
                         std::optional<c10::ScalarType> dtype = std::nullopt);
// The table saved there; null when `dir` has no entity2vec.bin.
Result<std::shared_ptr<const EntityTable>> load_entity_files(const std::filesystem::path& dir);

// A finished fine-tune made the artist's own: `from` (a model or adapter
// directory) copied to `to` (which must not exist) under the display name
// `name` (model.json's or adapter.json's "name"). Copied beside `to` first and
// renamed, so `to` is complete or absent.
Status publish_model_dir(const std::filesystem::path& from, const std::filesystem::path& to, const std::string& name);

// FNV-1a 64 of a file's bytes as 16 hex digits (ModelBundle::checksum).
Result<std::string> file_checksum(const std::filesystem::path& path);

}  // namespace shenbi
