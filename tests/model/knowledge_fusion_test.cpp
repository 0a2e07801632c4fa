#include "core/model/knowledge_fusion.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

using namespace shenbi;

// Hand-computed EasyNLP fusion: B=1, N=2 slots, T=2 tokens, C=2.
//   x  = [[1, 0], [0, 2]]
//   k0 = [[1, 1], [0, 0]]  -> s0 = 1*1 + 0*1 + 0 + 0 = 1
//   k1 = [[0, 0], [0, 1]]  -> s1 = 2*1 = 2
//   alpha = softmax(1, 2) = (0.268941, 0.731059)
//   out = x + 0.268941*k0 + 0.731059*k1
//       = [[1.268941, 0.268941], [0, 2.731059]]
TEST(KnowledgeFusion, EasyNlpHandComputed) {
    auto x = torch::tensor({1.f, 0.f, 0.f, 2.f}).view({1, 2, 2});
    auto k = torch::tensor({1.f, 1.f, 0.f, 0.f, 0.f, 0.f, 0.f, 1.f}).view({1, 2, 2, 2});
    auto out = easynlp_fusion(x, k);
    auto expected = torch::tensor({1.268941f, 0.268941f, 0.f, 2.731059f}).view({1, 2, 2});
    EXPECT_TRUE(torch::allclose(out, expected, 1e-5, 1e-5)) << out;
}

// A slot whose score is exactly 0 is masked with -1e30 (as released), so it
// gets no weight: here only k1 contributes.
TEST(KnowledgeFusion, EasyNlpZeroScoreSlotIsIgnored) {
    auto x = torch::tensor({1.f, 0.f, 0.f, 2.f}).view({1, 2, 2});
    auto k = torch::tensor({0.f, 5.f, 7.f, 0.f, 0.f, 0.f, 0.f, 1.f}).view({1, 2, 2, 2});  // s0 = 0, s1 = 2
    auto out = easynlp_fusion(x, k);
    auto expected = torch::tensor({1.f, 0.f, 0.f, 3.f}).view({1, 2, 2});
    EXPECT_TRUE(torch::allclose(out, expected, 1e-6, 1e-6)) << out;
}

// Lattice fusion, C=2 (scale 1/sqrt(2)); token 0 covered by slots 0 and 1, token 1 by none.
//   x0 = [1, 1]; k00 = [1, 0] -> s = 1/sqrt2; k10 = [0, 2] -> s = 2/sqrt2
//   alpha = softmax(0.707107, 1.414214) = (0.330255, 0.669745)
//   out0 = [1 + 0.330255, 1 + 2*0.669745] = [1.330255, 2.339490]; out1 = x1
TEST(KnowledgeFusion, LatticeHandComputed) {
    auto x = torch::tensor({1.f, 1.f, 3.f, 4.f}).view({1, 2, 2});
    auto k = torch::tensor({1.f, 0.f, 9.f, 9.f, 0.f, 2.f, 9.f, 9.f}).view({1, 2, 2, 2});
    auto mask = torch::tensor({true, false, true, false}).view({1, 2, 2});
    auto out = lattice_fusion(x, k, mask);
    auto expected = torch::tensor({1.330255f, 2.339490f, 3.f, 4.f}).view({1, 2, 2});
    EXPECT_TRUE(torch::allclose(out, expected, 1e-5, 1e-5)) << out;
}
