// A loaded model: network weights plus what a prompt needs to reach them
// (tokenizer, entity table). Immutable after loading and shared read-only by
// every generation request (per-run state lives in the request, see
// core/sampling/generate.h).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <c10/core/Device.h>

#include "core/model/artist_model.h"
#include "core/model/config.h"

namespace shenbi {

class BertTokenizer;
class EntityTable;

struct ModelBundle {
    ModelConfig config;
    ArtistModel net{nullptr};                        // eval mode, on `device`
    std::shared_ptr<const BertTokenizer> tokenizer;  // never null once loaded
    std::shared_ptr<const EntityTable> entities;     // null when the model has no entity table
    std::filesystem::path dir;                       // where it was loaded from (empty for random models)
    std::string checksum;                            // hex digest of the weights, for reproducibility records
    c10::Device device{c10::kCPU};
};

}  // namespace shenbi

namespace shenbi {

// A bundle with randomly initialised weights (seeded), for tests and
// benchmarks. Without a tokenizer, a synthetic vocabulary of
// config.gpt.text_vocab entries is made ([PAD]=0, [UNK]=100 when it fits,
// then CJK characters U+4E00.. in order), so Chinese prompts tokenize.
std::shared_ptr<ModelBundle> make_random_bundle(const ModelConfig& config,
                                                std::uint64_t seed,
                                                std::shared_ptr<const BertTokenizer> tokenizer = nullptr,
                                                std::shared_ptr<const EntityTable> entities = nullptr);

}  // namespace shenbi
