#include "core/sampling/sampler.h"

#include <gtest/gtest.h>

#include <cmath>

#include <torch/torch.h>

#include "core/sampling/eta.h"

using namespace shenbi;

TEST(Sampler, SeededStreamIsReproducibleAndUniform) {
    SeededStream a(1), b(1), c(2);
    EXPECT_EQ(a.next_u64(), b.next_u64());
    EXPECT_NE(a.next_u64(), c.next_u64());
    double sum = 0;
    for (int i = 0; i < 10000; ++i) {
        const double u = a.next_uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        sum += u;
    }
    EXPECT_NEAR(sum / 10000, 0.5, 0.02);
}

TEST(Sampler, TopKOneIsArgmax) {
    auto logits = torch::tensor({0.1f, 3.0f, 0.2f, 2.9f, 1.0f, -1.0f, 0.0f, 0.5f}).view({2, 4});
    std::vector<SeededStream> streams{SeededStream(1), SeededStream(2)};
    SamplingParams p;
    p.top_k = 1;
    auto codes = sample_codes(logits, p, streams);
    EXPECT_EQ(codes[0].item<int64_t>(), 1);
    EXPECT_EQ(codes[1].item<int64_t>(), 0);
}

TEST(Sampler, TopPKeepsTheNucleusOnly) {
    // probabilities ~ (0.64, 0.24, 0.09, 0.03): top_p 0.5 keeps only the first.
    auto logits = torch::tensor({3.0f, 2.0f, 1.0f, 0.0f}).view({1, 4});
    SamplingParams p;
    p.top_k = 0;
    p.top_p = 0.5;
    std::vector<SeededStream> streams{SeededStream(7)};
    for (int i = 0; i < 50; ++i) EXPECT_EQ(sample_codes(logits, p, streams)[0].item<int64_t>(), 0);
}

TEST(Sampler, FrequenciesFollowTheDistribution) {
    auto logits = torch::tensor({std::log(0.7f), std::log(0.2f), std::log(0.1f)}).view({1, 3});
    SamplingParams p;
    p.top_k = 0;
    std::vector<SeededStream> streams{SeededStream(11)};
    std::array<int, 3> counts{};
    for (int i = 0; i < 5000; ++i) ++counts[static_cast<size_t>(sample_codes(logits, p, streams)[0].item<int64_t>())];
    EXPECT_NEAR(counts[0] / 5000.0, 0.7, 0.03);
    EXPECT_NEAR(counts[1] / 5000.0, 0.2, 0.03);
    EXPECT_NEAR(counts[2] / 5000.0, 0.1, 0.03);
}

TEST(Sampler, DerivedSeedsDifferPerCandidate) {
    EXPECT_NE(derive_seed(0, 0), derive_seed(0, 1));
    EXPECT_NE(derive_seed(0, 0), derive_seed(1, 0));
    EXPECT_EQ(derive_seed(5, 3), derive_seed(5, 3));
}

namespace shenbi {
namespace {

// Steps that slow down with position (a + b k) after a slow first step: the
// estimate is unknown at first, then close to the true time left; the
// step-1 rate (the old estimate) is far off.
TEST(Eta, UnknownAtFirstThenFollowsStepsThatSlowDown) {
    const int total = 256;
    auto duration = [](int k) { return k == 1 ? 0.5 : 0.01 + 0.0004 * k; };
    EtaEstimator eta;
    double elapsed = 0;
    for (int k = 1; k <= 40; ++k) {
        elapsed += duration(k);
        eta.record(k, elapsed);
        if (k < 5) {
            EXPECT_LT(eta.eta_s(total), 0) << k;
        }
    }
    double truth = 0;
    for (int k = 41; k <= total; ++k) truth += duration(k);
    EXPECT_NEAR(eta.eta_s(total), truth, 0.02 * truth);
    EXPECT_GT(std::abs(elapsed / 40 * (total - 40) - truth), 0.2 * truth);  // the old elapsed/done estimate
}

}  // namespace
}  // namespace shenbi
