// FID and KID against cases with known answers.
#include "core/eval/fid.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

namespace shenbi {
namespace {

torch::Tensor gaussian(std::int64_t n, std::int64_t d, std::uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return torch::randn({n, d}, gen, torch::kFloat64);
}

TEST(Fid, IdenticalSetsAreAtZero) {
    const auto a = gaussian(500, 8, 1);
    auto fid = frechet_distance(a, a);
    ASSERT_TRUE(fid) << fid.message();
    EXPECT_NEAR(*fid, 0.0, 1e-8);
}

// A shifted copy has the same covariance: FID is the squared shift.
TEST(Fid, ShiftedCopyGivesTheSquaredShift) {
    const auto a = gaussian(2000, 4, 2);
    const auto shift = torch::tensor({1.0, 2.0, 0.0, -0.5}, torch::kFloat64);
    auto fid = frechet_distance(a, a + shift);
    ASSERT_TRUE(fid) << fid.message();
    EXPECT_NEAR(*fid, 1.0 + 4.0 + 0.25, 1e-8);
}

// b = 2a: Sb = 4 Sa, so Tr(Sa + 4Sa - 2 (4 Sa^2)^(1/2)) = Tr(Sa).
TEST(Fid, ScaledCopyGivesTheTraceOfTheCovariance) {
    const auto a = gaussian(3000, 6, 3) * torch::tensor({1.0, 0.5, 2.0, 1.0, 0.1, 3.0}, torch::kFloat64);
    const auto c = a - a.mean(0);
    const double trace = (torch::mm(c.t(), c) / (a.size(0) - 1)).trace().item<double>();
    auto fid = frechet_distance(a, 2 * a);
    ASSERT_TRUE(fid) << fid.message();
    // + the squared mean difference (|mu|^2, small but not zero for a sample)
    const double mean_sq = a.mean(0).pow(2).sum().item<double>();
    EXPECT_NEAR(*fid, trace + mean_sq, 1e-6 * trace);
}

TEST(Fid, BadShapesAreErrorsNamingTheProblem) {
    auto mismatch = frechet_distance(gaussian(10, 4, 1), gaussian(10, 5, 1));
    ASSERT_FALSE(mismatch);
    EXPECT_EQ(mismatch.error().code, ErrorCode::ShapeMismatch);
    EXPECT_NE(mismatch.message().find("4 vs 5"), std::string::npos);
    auto one = frechet_distance(gaussian(1, 4, 1), gaussian(10, 4, 1));
    ASSERT_FALSE(one);
    EXPECT_EQ(one.error().code, ErrorCode::InvalidArgument);
}

TEST(Kid, SameDistributionIsNearZeroAndAShiftIsNot) {
    const auto a = gaussian(400, 16, 4), b = gaussian(400, 16, 5);
    auto same = kernel_inception_distance(a, b, 20, 200, 7);
    ASSERT_TRUE(same) << same.message();
    auto shifted = kernel_inception_distance(a, b + 1.0, 20, 200, 7);
    ASSERT_TRUE(shifted) << shifted.message();
    EXPECT_EQ(same->subset_size, 200);
    EXPECT_LT(std::abs(same->mean), 3 * same->std + 1e-3);
    EXPECT_GT(shifted->mean, 10 * (std::abs(same->mean) + same->std));
    // Seeded: the same call gives the same figure.
    auto again = kernel_inception_distance(a, b + 1.0, 20, 200, 7);
    EXPECT_EQ(again->mean, shifted->mean);
}

}  // namespace
}  // namespace shenbi
