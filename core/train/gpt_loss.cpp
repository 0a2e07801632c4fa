#include "core/train/gpt_loss.h"

#include <torch/torch.h>

namespace shenbi {

using torch::indexing::None;
using torch::indexing::Slice;

torch::Tensor gpt_image_loss(Gpt& gpt,
                             const torch::Tensor& text_ids,
                             const torch::Tensor& codes,
                             const KnowledgeInput& knowledge,
                             MixedPrecision mixed) {
    AutocastScope autocast(mixed);
    const auto& c = gpt->config();
    // The last code is only a target: the input stops one position before it.
    auto idx = torch::cat({text_ids + c.img_vocab, codes.index({Slice(), Slice(0, -1)})}, 1);  // (B, T_text + L - 1)
    auto logits = gpt->forward(idx, knowledge);                                                // (B, T_text + L - 1, V)
    // The loss in fp32 whatever the products ran in (a no-op without autocast).
    auto img_logits = logits.index({Slice(), Slice(c.text_len - 1, None)}).to(torch::kFloat32);  // (B, L, V)
    return torch::nn::functional::cross_entropy(img_logits.reshape({-1, c.img_vocab}), codes.reshape({-1}));
}

}  // namespace shenbi
