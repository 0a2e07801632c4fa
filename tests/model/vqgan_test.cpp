#include "core/model/vqgan.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

using namespace shenbi;

TEST(Vqgan, EncodeDecodeShapesTiny) {
    torch::manual_seed(0);
    const auto c = VqganConfig::tiny();
    Vqgan vq(c);
    torch::NoGradGuard no_grad;
    auto image = torch::rand({2, 3, c.resolution, c.resolution}) * 2 - 1;
    auto codes = vq->encode(image);
    EXPECT_EQ(codes.sizes(), (std::vector<int64_t>{2, c.num_tokens()}));
    EXPECT_GE(codes.min().item<int64_t>(), 0);
    EXPECT_LT(codes.max().item<int64_t>(), c.n_embed);
    auto decoded = vq->decode(codes);
    EXPECT_EQ(decoded.sizes(), (std::vector<int64_t>{2, 3, c.resolution, c.resolution}));
    // Re-encoding the decoder input path: decode_grid on a partial grid gives proportionally fewer rows.
    auto partial = vq->decode_grid(codes.view({2, c.grid_size(), c.grid_size()}).narrow(1, 0, 2).contiguous());
    EXPECT_EQ(partial.size(2), 2 * c.downsample_factor());
}

TEST(Vqgan, QuantizerPicksTheNearestCode) {
    VectorQuantizer q(4, 2);
    torch::NoGradGuard no_grad;
    q->embedding->weight.copy_(torch::tensor({0.f, 0.f, 1.f, 0.f, 0.f, 1.f, 1.f, 1.f}).view({4, 2}));
    auto z = torch::tensor({0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.7f})
                 .view({1, 3, 2})
                 .permute({0, 2, 1})
                 .unsqueeze(-1);  // (1, 2, 3, 1)
    auto codes = q->nearest_codes(z);
    EXPECT_EQ(codes.view(-1)[0].item<int64_t>(), 1);
    EXPECT_EQ(codes.view(-1)[1].item<int64_t>(), 2);
    EXPECT_EQ(codes.view(-1)[2].item<int64_t>(), 3);
}

TEST(Vqgan, TrainingForwardHasGradients) {
    torch::manual_seed(0);
    const auto c = VqganConfig::tiny();
    Vqgan vq(c);
    auto image = torch::rand({1, 3, c.resolution, c.resolution}) * 2 - 1;
    auto out = vq->forward(image);
    auto loss = (out.reconstruction - image).abs().mean() + out.codebook_loss;
    loss.backward();
    EXPECT_TRUE(vq->encoder->conv_in->weight.grad().defined());
    EXPECT_TRUE(vq->quantize->embedding->weight.grad().defined());
}
