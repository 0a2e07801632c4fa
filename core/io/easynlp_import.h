// Import of a model directory released with Alibaba EasyNLP's ARTIST
// (e.g. pai-artist-knowl-base-zh): config.json (ARTISTConfig), vocab.txt,
// pytorch_model.bin (VQGAN under `first_stage_model.`, GPT under
// `transformer.`), and optionally the TransE entity table entity2vec.pt +
// entity2id.txt. Loading is strict: every checkpoint key must map onto the
// model and every model key must be present, with equal shapes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <c10/core/Device.h>

#include "core/model/config.h"
#include "core/model/model_bundle.h"
#include "core/util/result.h"

namespace shenbi {

struct EasyNlpImportOptions {
    // Entity table files. Empty: looked up as entity2vec.pt / entity2id.txt in
    // the model directory, then in its parent (EasyNLP's examples keep them
    // next to the model folder). Both or neither must exist.
    std::filesystem::path entity2vec;
    std::filesystem::path entity2id;
};

// Model configuration for an EasyNLP config.json (fields of ARTISTConfig;
// unknown fields ignored). text_len = block_size - 256 image tokens; the
// VQGAN is the fixed taming f16/16384 one. `has_ent_emb` chooses
// FusionMode::EasyNLP (else None) and `ent_dim` its input width.
Result<ModelConfig> easynlp_model_config(const std::string& config_json, bool has_ent_emb, int ent_dim);

// Imports `model_dir` into a bundle on `device` (eval mode).
Result<std::shared_ptr<ModelBundle>> import_easynlp(const std::filesystem::path& model_dir,
                                                    c10::Device device,
                                                    const EasyNlpImportOptions& options = {});

}  // namespace shenbi
