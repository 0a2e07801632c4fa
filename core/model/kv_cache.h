// Per-request key/value cache of the GPT: one preallocated (B, nh, T_max, hs)
// buffer per layer, so a decoding step costs the same at every position
// (no concatenation, no reallocation).
#pragma once

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace shenbi {

struct KvCache {
    std::vector<torch::Tensor> keys;    // per layer (B, nh, T_max, hs)
    std::vector<torch::Tensor> values;  // per layer (B, nh, T_max, hs)
    std::int64_t length = 0;            // positions filled so far

    std::int64_t capacity() const { return keys.empty() ? 0 : keys.front().size(2); }
};

}  // namespace shenbi
