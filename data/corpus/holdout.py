"""What training never sees: held-out concepts, held-out combinations of
seen scene objects (pairs, colour + object, count + object), and the alias
words that must stay knowledge-only.

Everything is chosen from seeded generators over sorted inputs, so the same
packages and seed give the same split.
"""
import itertools
import random
from dataclasses import dataclass, field

from vocab import COLOURS


@dataclass
class Holdout:
    concepts: dict = field(default_factory=dict)     # concept key -> "val" | "test"
    style_images: set = field(default_factory=set)   # (concept key, style) kept out of train
    pairs: set = field(default_factory=set)          # frozenset({class, class})
    colour_pairs: set = field(default_factory=set)   # (colour, class)
    counts: set = field(default_factory=set)         # (class, n)

    def scene_combos(self, groups):
        """Held-out combinations a scene's groups [(class, n, colour)] contain."""
        found = []
        classes = sorted({g[0] for g in groups})
        for a, b in itertools.combinations(classes, 2):
            if frozenset((a, b)) in self.pairs:
                found.append("pair:%s+%s" % (a, b))
        for cls, n, colour in groups:
            if colour and (colour, cls) in self.colour_pairs:
                found.append("colour:%s%s" % (colour, cls))
            if (cls, n) in self.counts:
                found.append("count:%d%s" % (n, cls))
        return found


def choose_heldout_concepts(concepts, scene_keys, other_names, extra_emoji, every, seed):
    """Every `every`-th eligible concept in sort order (plus `extra_emoji`),
    half to val and half to test. Eligible: not a scene object, a name of 2+
    characters that is not part of another concept's name or of
    `other_names` (so keeping the name out of training captions does not
    remove other concepts)."""
    names = [c.name for c in concepts] + list(other_names)
    rng = random.Random("%s/heldout-concepts" % seed)
    offset = rng.randrange(every)
    out, i = {}, 0
    for c in concepts:
        if c.key in scene_keys or len(c.name) < 2 or any(c.name in n and n != c.name for n in names):
            continue
        if i % every == offset or c.emoji in extra_emoji:
            out[c.key] = "val" if len(out) % 2 == 0 else "test"
        i += 1
    return out


def choose_heldout_styles(concepts, held_concepts, scene_keys, every, seed):
    """One image in `every` of a seen concept (one style of it) goes to val/test:
    the concept is learnt from its other styles. Scene objects keep all styles."""
    out = set()
    for c in concepts:
        if c.key in held_concepts or c.key in scene_keys or len(c.images) < 3:
            continue
        for style in sorted(c.images):
            if random.Random("%s/style/%s/%s" % (seed, c.key, style)).randrange(every) == 0:
                out.add((c.key, style))
                break  # at most one style per concept leaves training
    return out


def choose_heldout_pairs(classes, fraction, seed):
    pairs = [frozenset(p) for p in itertools.combinations(sorted(classes), 2)]
    rng = random.Random("%s/heldout-pairs" % seed)
    return set(rng.sample(pairs, round(fraction * len(pairs))))


def choose_heldout_colours(colourable, naturals, per_object):
    """`per_object` colours per colourable class, rotating through the colour
    list so every colour is held out for some object and seen with others.
    A class's natural colour (in any style) is never held out: its plain,
    unrecoloured images already show it."""
    names = list(COLOURS)
    out = set()
    for i, cls in enumerate(colourable):
        start = (i * per_object) % len(names)
        order = names[start:] + names[:start]
        picked = [c for c in order if c not in naturals.get(cls, set())][:per_object]
        out.update((c, cls) for c in picked)
    return out


def choose_heldout_counts(classes, every):
    """Every `every`-th class keeps one count (2, 3 or 4, rotating) out of training."""
    out = set()
    for i, cls in enumerate(classes):
        if i % every == 1:
            out.add((cls, (2, 3, 4)[(i // every) % 3]))
    return out


# --------------------------------------------------------------------------
# Alias words


def collect_aliases(rime_map, graph_pairs, concepts):
    """alias word -> {"targets": concept keys, "sources": {"rime", "graph"}}.
    Rime words point at emoji strings; graph aliases at entity names. Both are
    mapped to base concepts (skin-tone variants count as their base)."""
    by_emoji = {c.emoji: c.key for c in concepts if c.emoji}
    by_name = {c.name: c.key for c in concepts}
    out = {}

    def add(word, key, source):
        entry = out.setdefault(word, {"targets": set(), "sources": set()})
        entry["targets"].add(key)
        entry["sources"].add(source)

    for word, emojis in rime_map.items():
        for e in emojis:
            if e in by_emoji:
                add(word, by_emoji[e], "rime")
    for head, word in graph_pairs:
        base = head.split(": ")[0]  # "OK: 较浅肤色" is a skin-tone variant of "OK"
        key = by_name.get(head) or by_name.get(base)
        if key:
            add(word, key, "graph")
    return out


def excluded_aliases(aliases, protected_texts):
    """The alias words that can be kept out of every caption: 2+ characters
    and not part of a text every caption needs (an object's own name such as
    苹果 in 红苹果, a template word, a colour). Single characters cannot be
    kept out of Chinese text and are not knowledge-only."""
    blob = "\n".join(protected_texts)
    return {w for w in aliases if len(w) >= 2 and w not in blob}


class Banned:
    """Fast 'does this caption contain any of these words' over a word set."""

    def __init__(self, words):
        self.words = set(words)
        self.lengths = sorted({len(w) for w in self.words})

    def find(self, text):
        for n in self.lengths:
            for i in range(len(text) - n + 1):
                if text[i:i + n] in self.words:
                    return text[i:i + n]
        return None
