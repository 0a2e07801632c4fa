// Stage 2's one training loss, for the trainer and the step-time measurement:
// teacher-forced cross-entropy of the GPT over the image codes given the text.
#pragma once

#include <torch/types.h>

#include "core/model/gpt.h"
#include "core/train/mixed_precision.h"

namespace shenbi {

// text_ids (B, T_text) in the text vocabulary (not offset), codes (B, L) image
// codes, knowledge as the GPT takes it (may be undefined). Scalar fp32 mean
// over the B * L image positions. `mixed` autocasts the forward pass
// (check_mixed_precision first); call backward() after it returns.
torch::Tensor gpt_image_loss(Gpt& gpt,
                             const torch::Tensor& text_ids,
                             const torch::Tensor& codes,
                             const KnowledgeInput& knowledge,
                             MixedPrecision mixed = MixedPrecision::Off);

}  // namespace shenbi
