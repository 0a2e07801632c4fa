// Which one-character entity names may be linked on their own. Models with
// gpt.single_char_entities get them in their lattice (EntityTable::lattice)
// and the prompt editor shows them (EntityLinker::link): one rule for both,
// so that the set the editor underlines is the set the model gets.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace shenbi {

class NameTrie;

// One-character entity names that are never linked alone: numerals, measure
// words, position and colour characters, verbs, adjectives, pronouns and
// particles that the graph holds as emoji keywords (一, 画, 上, 坐, 酷 ...)
// but that in a prompt almost never name the thing.
extern const char32_t* const kAmbiguousSingleChars;

// A CJK ideograph (not "3" or "a") outside kAmbiguousSingleChars. Callers
// also apply the longest-match rule: a character inside a longer linked name
// (猫 in 猫咪) is not linked alone.
bool links_alone(char32_t c);

// The one-character names linked alone in `chars` (one code point per
// position; 0 where a position is no single character): positions that no
// longer name covers (`covered`), that links_alone() allows and that `trie`
// knows, as (position, id) in order.
std::vector<std::pair<std::size_t, std::int64_t>> lone_characters(std::u32string_view chars,
                                                                  const std::vector<bool>& covered,
                                                                  const NameTrie& trie);

}  // namespace shenbi
