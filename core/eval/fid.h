// FID and KID between two sets of image features (rows = images). Named
// honestly in reports: on nsfwjs-InceptionV3 mixed5 features they are
// "FID, nsfwjs-InceptionV3 mixed5", not comparable with published FID.
#pragma once

#include <cstdint>

#include <torch/types.h>

#include "core/util/result.h"

namespace shenbi {

// Frechet distance between Gaussians fitted to a (N, D) and b (M, D):
// |mu_a - mu_b|^2 + Tr(Sa + Sb - 2 (Sa Sb)^(1/2)), computed in float64.
// Needs N, M >= 2; with fewer rows than dimensions the covariances are
// singular, which the symmetric form below tolerates.
Result<double> frechet_distance(const torch::Tensor& a, const torch::Tensor& b);

struct KidResult {
    double mean = 0;  // unbiased MMD^2, cubic polynomial kernel (x.y / D + 1)^3
    double std = 0;   // over the subsets
    int subsets = 0;
    int subset_size = 0;
};

// Kernel Inception Distance (Binkowski et al., 2018): the mean over `subsets`
// random subsets of min(N, M, max_subset_size) rows each; seeded.
Result<KidResult> kernel_inception_distance(const torch::Tensor& a,
                                            const torch::Tensor& b,
                                            int subsets = 100,
                                            int max_subset_size = 1000,
                                            std::uint64_t seed = 0);

}  // namespace shenbi
