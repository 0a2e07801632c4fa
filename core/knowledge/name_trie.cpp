#include "core/knowledge/name_trie.h"

namespace shenbi {

void NameTrie::insert(std::u32string_view name, std::int64_t value) {
    int node = kRoot;
    for (char32_t cp : name) {
        const auto [it, added] = edges_.try_emplace(key(node, cp), static_cast<int>(values_.size()));
        if (added) values_.push_back(-1);
        node = it->second;
    }
    values_[static_cast<std::size_t>(node)] = value;
}

int NameTrie::step(int node, char32_t cp) const {
    const auto it = edges_.find(key(node, cp));
    return it == edges_.end() ? -1 : it->second;
}

}  // namespace shenbi
