#include "core/sampling/sampler.h"

#include <torch/torch.h>

namespace shenbi {

std::uint64_t SeededStream::next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double SeededStream::next_uniform() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

torch::Tensor sample_codes(const torch::Tensor& logits,
                           const SamplingParams& params,
                           std::vector<SeededStream>& streams) {
    const int64_t V = logits.size(1);
    auto scaled = logits.to(torch::kFloat32) / params.temperature;
    const int64_t k = (params.top_k > 0 && params.top_k < V) ? params.top_k : V;
    // topk returns the candidates sorted by probability, which top-p needs too.
    auto [values, indices] = scaled.topk(k, /*dim=*/1, /*largest=*/true, /*sorted=*/true);  // (B, k)
    auto probs = torch::softmax(values, 1).to(torch::kCPU, torch::kDouble).contiguous();    // (B, k)
    indices = indices.to(torch::kCPU).contiguous();
    const int64_t B = probs.size(0);
    auto out = torch::empty({B}, torch::kLong);
    const double* p = probs.data_ptr<double>();
    const int64_t* idx = indices.data_ptr<int64_t>();
    for (int64_t b = 0; b < B; ++b) {
        const double* row = p + b * k;
        // Nucleus: the smallest prefix whose mass reaches top_p (at least one token).
        int64_t keep = k;
        double mass = 0;
        if (params.top_p < 1.0) {
            for (int64_t i = 0; i < k; ++i) {
                mass += row[i];
                if (mass >= params.top_p) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double total = 0;
        for (int64_t i = 0; i < keep; ++i) total += row[i];
        const double u = streams[static_cast<size_t>(b)].next_uniform() * total;
        double acc = 0;
        int64_t chosen = keep - 1;
        for (int64_t i = 0; i < keep; ++i) {
            acc += row[i];
            if (u < acc) {
                chosen = i;
                break;
            }
        }
        out.data_ptr<int64_t>()[b] = idx[b * k + chosen];
    }
    return out;
}

}  // namespace shenbi
