// Character trie of entity names, walked from every start position of a
// prompt to find every dictionary span (nested and overlapping kept). One
// flat hash of (node, code point) -> child keeps 10k+ names compact.
// Immutable after building; safe to share between threads for lookups.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace shenbi {

class NameTrie {
public:
    NameTrie() : values_(1, -1) {}

    // Later inserts of the same name overwrite the value.
    void insert(std::u32string_view name, std::int64_t value);

    static constexpr int kRoot = 0;
    // Child of `node` by `cp`, or -1.
    int step(int node, char32_t cp) const;
    // Value stored at `node`, or -1 if no name ends there.
    std::int64_t value(int node) const { return values_[static_cast<std::size_t>(node)]; }

private:
    static std::uint64_t key(int node, char32_t cp) { return (static_cast<std::uint64_t>(node) << 21) | cp; }
    std::unordered_map<std::uint64_t, int> edges_;
    std::vector<std::int64_t> values_;
};

}  // namespace shenbi
