#include "core/model/artist_model.h"

namespace shenbi {

ArtistModelImpl::ArtistModelImpl(const ModelConfig& config) : config_(config) {
    first_stage_model = register_module("first_stage_model", Vqgan(config.vqgan));
    transformer = register_module("transformer", Gpt(config.gpt));
}

}  // namespace shenbi
