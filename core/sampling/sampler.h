// Choosing the next image code from logits: temperature, top-k, top-p, and
// one independent random stream per candidate, so a candidate's image depends
// only on its own seed (not on how many candidates share the batch).
#pragma once

#include <cstdint>
#include <vector>

#include <torch/types.h>

#include "core/sampling/generate.h"

namespace shenbi {

// SplitMix64: tiny, fully specified, identical on every platform and compiler
// (std::uniform_real_distribution is not).
class SeededStream {
public:
    explicit SeededStream(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next_u64();
    double next_uniform();  // [0, 1) with 53 random bits

private:
    std::uint64_t state_;
};

// logits (B, V) on any device -> codes (B) int64 on CPU. streams.size() == B.
torch::Tensor sample_codes(const torch::Tensor& logits,
                           const SamplingParams& params,
                           std::vector<SeededStream>& streams);

}  // namespace shenbi
