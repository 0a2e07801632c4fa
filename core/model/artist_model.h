// The whole ARTIST network: VQGAN first stage + knowledge GPT, registered
// under the released checkpoint prefixes `first_stage_model.` and
// `transformer.`, so named_parameters()/named_buffers() list exactly the keys
// of an EasyNLP `pytorch_model.bin`.
#pragma once

#include <torch/nn/module.h>

#include "core/model/config.h"
#include "core/model/gpt.h"
#include "core/model/vqgan.h"

namespace shenbi {

class ArtistModelImpl : public torch::nn::Module {
public:
    explicit ArtistModelImpl(const ModelConfig& config);

    const ModelConfig& config() const { return config_; }

    Vqgan first_stage_model{nullptr};
    Gpt transformer{nullptr};

private:
    ModelConfig config_;
};
TORCH_MODULE(ArtistModel);

}  // namespace shenbi
