#include "core/eval/fid.h"

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>

#include "core/util/guard.h"

namespace shenbi {

namespace {

Status check_features(const torch::Tensor& a, const torch::Tensor& b, std::int64_t min_rows) {
    if (!a.defined() || !b.defined() || a.dim() != 2 || b.dim() != 2)
        return make_error(ErrorCode::InvalidArgument, "features must be 2-D (images, dims)");
    if (a.size(1) != b.size(1))
        return make_error(ErrorCode::ShapeMismatch,
                          "feature sizes differ: " + std::to_string(a.size(1)) + " vs " + std::to_string(b.size(1)));
    if (a.size(0) < min_rows || b.size(0) < min_rows)
        return make_error(ErrorCode::InvalidArgument, "need at least " + std::to_string(min_rows) +
                                                          " images per set, got " + std::to_string(a.size(0)) +
                                                          " and " + std::to_string(b.size(0)));
    return Status::success();
}

// Unbiased MMD^2 with k(x, y) = (x.y / d + 1)^3 between two equal-size sets.
double mmd2_unbiased(const torch::Tensor& x, const torch::Tensor& y) {
    const double d = static_cast<double>(x.size(1));
    const auto n = static_cast<double>(x.size(0));
    const auto kxx = (torch::mm(x, x.t()) / d + 1).pow(3);  // (n, n)
    const auto kyy = (torch::mm(y, y.t()) / d + 1).pow(3);
    const auto kxy = (torch::mm(x, y.t()) / d + 1).pow(3);
    const double sxx = (kxx.sum() - kxx.diagonal().sum()).item<double>() / (n * (n - 1));
    const double syy = (kyy.sum() - kyy.diagonal().sum()).item<double>() / (n * (n - 1));
    const double sxy = kxy.sum().item<double>() / (n * n);
    return sxx + syy - 2 * sxy;
}

}  // namespace

Result<double> frechet_distance(const torch::Tensor& a_in, const torch::Tensor& b_in) {
    SHENBI_TRY_STATUS(check_features(a_in, b_in, 2));
    return guarded("frechet_distance", [&]() -> Result<double> {
        torch::NoGradGuard no_grad;
        const auto a = a_in.to(torch::kFloat64), b = b_in.to(torch::kFloat64);
        const auto mu_a = a.mean(0), mu_b = b.mean(0);
        const auto ca = a - mu_a, cb = b - mu_b;
        const auto sa = torch::mm(ca.t(), ca) / (a.size(0) - 1);  // (D, D)
        const auto sb = torch::mm(cb.t(), cb) / (b.size(0) - 1);
        // Tr((Sa Sb)^(1/2)) = Tr((Sa^(1/2) Sb Sa^(1/2))^(1/2)): a symmetric PSD
        // matrix, so eigh gives it stably (negative round-off eigenvalues -> 0).
        auto [ea, va] = torch::linalg_eigh(sa);
        const auto root_a = torch::mm(va * ea.clamp_min(0).sqrt(), va.t());
        const auto m = torch::mm(torch::mm(root_a, sb), root_a);
        const auto em = torch::linalg_eigvalsh((m + m.t()) / 2);
        const double tr_sqrt = em.clamp_min(0).sqrt().sum().item<double>();
        const double diff = (mu_a - mu_b).pow(2).sum().item<double>();
        const double value = diff + sa.trace().item<double>() + sb.trace().item<double>() - 2 * tr_sqrt;
        return std::max(0.0, value);
    });
}

Result<KidResult> kernel_inception_distance(const torch::Tensor& a_in,
                                            const torch::Tensor& b_in,
                                            int subsets,
                                            int max_subset_size,
                                            std::uint64_t seed) {
    SHENBI_TRY_STATUS(check_features(a_in, b_in, 2));
    if (subsets < 1 || max_subset_size < 2)
        return make_error(ErrorCode::InvalidArgument, "KID needs subsets >= 1 and a subset size >= 2");
    return guarded("kernel_inception_distance", [&]() -> Result<KidResult> {
        torch::NoGradGuard no_grad;
        const auto a = a_in.to(torch::kFloat64), b = b_in.to(torch::kFloat64);
        KidResult r;
        r.subsets = subsets;
        r.subset_size = static_cast<int>(std::min<std::int64_t>({a.size(0), b.size(0), max_subset_size}));
        auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
        std::vector<double> values;
        for (int s = 0; s < subsets; ++s) {
            const auto ia = torch::randperm(a.size(0), gen, torch::kLong).slice(0, 0, r.subset_size);
            const auto ib = torch::randperm(b.size(0), gen, torch::kLong).slice(0, 0, r.subset_size);
            values.push_back(mmd2_unbiased(a.index_select(0, ia), b.index_select(0, ib)));
        }
        double sum = 0, sq = 0;
        for (double v : values) sum += v, sq += v * v;
        r.mean = sum / subsets;
        r.std = subsets > 1 ? std::sqrt(std::max(0.0, (sq - subsets * r.mean * r.mean) / (subsets - 1))) : 0.0;
        return r;
    });
}

}  // namespace shenbi
