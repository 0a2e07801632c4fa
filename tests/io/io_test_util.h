// Helpers shared by the tests/io suites (temporary directories:
// tests/support/temp_dir.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/format/state_dict.h"
#include "core/model/model_bundle.h"
#include "tests/support/tiny_model.h"

namespace shenbi::test {

inline std::filesystem::path io_data(const std::string& name) {
    return std::filesystem::path(SHENBI_TEST_DATA_DIR) / "io" / name;
}

// The model directory tests' tiny model: the preset's fusion; entity vectors
// from seed + 100, so that two seeds differ in the entity table as well as in
// the weights.
inline std::shared_ptr<ModelBundle> tiny_io_bundle(std::uint64_t seed, bool with_entities = true) {
    TinyModelSpec spec{.seed = seed, .entity_seed = seed + 100};
    if (with_entities) spec.entities = {"北京", "故宫", "北京故宫"};
    return make_tiny_model(spec);
}

// Same keys, shapes and values, in the same order.
inline bool same_weights(ModelBundle& a, ModelBundle& b) {
    const auto sa = module_state_dict(*a.net), sb = module_state_dict(*b.net);
    if (sa.size() != sb.size()) return false;
    for (std::size_t k = 0; k < sa.size(); ++k)
        if (sa[k].first != sb[k].first || !sa[k].second.equal(sb[k].second)) return false;
    return true;
}

}  // namespace shenbi::test
