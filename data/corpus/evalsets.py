"""Evaluation prompts in the shape of GenEval (Ghosh et al., 2023), in Chinese.

One JSON object per line, GenEval's fields plus ours:
  tag       single_object | two_object | counting | colors | position | color_attr
  prompt    the Chinese prompt
  include   [{"class", "count", "color"?, "position"?: [relation, index]}]: every
            entry must hold; "position": ["left of", 0] says this object is left of
            include[0] (GenEval's convention: left of / right of / above / below)
  exclude   [{"class", "count"}]: must not hold (counting: not n+1 of the class)
  heldout   the training-unseen combinations the prompt uses ([] for single_object)
Only single_object uses seen combinations (the "single seen objects" figure);
every other category is built only from held-out combinations.
"""
import itertools

import captions as cap

GENEVAL_RELATION = {"左边": "left of", "右边": "right of", "上面": "above", "下面": "below"}


def np1(classes, cls, colour=None):
    c = classes[cls]
    return "一%s%s%s" % (c.mw, colour + "的" if colour else "", c.name)


def entry(tag, prompt, include, heldout, exclude=()):
    return {"tag": tag, "prompt": prompt, "include": include, "exclude": list(exclude), "heldout": heldout}


def single_object(classes):
    return [entry("single_object", np1(classes, n), [{"class": n, "count": 1}], []) for n in sorted(classes)]


def two_object(rng, classes, holdout, limit):
    pairs = sorted((sorted(p) for p in holdout.pairs))
    out = []
    for a, b in rng.sample(pairs, min(limit, len(pairs))):
        a, b = (a, b) if rng.random() < 0.5 else (b, a)
        out.append(entry("two_object", "%s和%s" % (np1(classes, a), np1(classes, b)),
                         [{"class": a, "count": 1}, {"class": b, "count": 1}], ["pair:%s+%s" % tuple(sorted((a, b)))]))
    return out


def counting(classes, holdout):
    out = []
    for cls, n in sorted(holdout.counts):
        c = classes[cls]
        phrase = cap.NUMBERS[n] + c.mw + c.name
        for prompt in (phrase, "画面里有" + phrase):
            out.append(entry("counting", prompt, [{"class": cls, "count": n}], ["count:%d%s" % (n, cls)],
                             exclude=[{"class": cls, "count": n + 1}]))
    return out


def colors(classes, holdout):
    out = []
    for colour, cls in sorted(holdout.colour_pairs):
        c = classes[cls]
        for prompt in (np1(classes, cls, colour), colour + "的" + c.name, "画" + np1(classes, cls, colour)):
            out.append(entry("colors", prompt, [{"class": cls, "count": 1, "color": colour}], ["colour:%s%s" % (colour, cls)]))
    return out


def position(rng, classes, holdout, limit):
    pairs = sorted((sorted(p) for p in holdout.pairs))
    out = []
    for a, b in rng.sample(pairs, min(limit, len(pairs))):
        a, b = (a, b) if rng.random() < 0.5 else (b, a)
        rel = rng.choice(list(GENEVAL_RELATION))
        prompt = "%s在%s的%s" % (np1(classes, a), np1(classes, b), rel)
        include = [{"class": b, "count": 1}, {"class": a, "count": 1, "position": [GENEVAL_RELATION[rel], 0]}]
        out.append(entry("position", prompt, include, ["pair:%s+%s" % tuple(sorted((a, b)))]))
    return out


def color_attr(rng, classes, holdout, colourable, colour_words, limit):
    """Two colourable objects with different colours; at least one of the
    (colour, object) pairs, or the object pair, is held out."""
    candidates = []
    for a, b in itertools.permutations(sorted(colourable), 2):
        for ca, cb in itertools.permutations(colour_words, 2):
            held = ["colour:%s%s" % (c, o) for c, o in ((ca, a), (cb, b)) if (c, o) in holdout.colour_pairs]
            if frozenset((a, b)) in holdout.pairs:
                held.append("pair:%s+%s" % tuple(sorted((a, b))))
            if held and a < b:
                candidates.append((a, ca, b, cb, held))
    out = []
    for a, ca, b, cb, held in rng.sample(candidates, min(limit, len(candidates))):
        if rng.random() < 0.5:
            a, ca, b, cb = b, cb, a, ca
        prompt = "%s和%s" % (np1(classes, a, ca), np1(classes, b, cb))
        out.append(entry("color_attr", prompt, [{"class": a, "count": 1, "color": ca},
                                                {"class": b, "count": 1, "color": cb}], held))
    return out


def alias_prompts(aliases, excluded, concepts_by_key, held_concepts, scene_class_of):
    """One prompt per alias word that is kept out of every caption and names
    exactly one concept that training shows. The alias word itself is the
    prompt (no measure word: the alias may not take the concept's)."""
    out = []
    for word in sorted(excluded):
        info = aliases[word]
        targets = sorted(info["targets"])
        if len(targets) != 1 or targets[0] in held_concepts:
            continue
        c = concepts_by_key[targets[0]]
        cls = scene_class_of.get(c.key)
        out.append({"tag": "alias", "prompt": word, "alias": word,
                    "target": {"key": c.key, "emoji": c.emoji, "name": c.name, "class": cls},
                    "in_judge_vocab": cls is not None, "sources": sorted(info["sources"]),
                    "shares_char_with_name": bool(set(word) & set(c.name + (cls or ""))),
                    "is_cldr_keyword": word in c.keywords})
    return out


def heldout_concept_prompts(concepts_by_key, held_concepts):
    out = []
    for key, split in sorted(held_concepts.items()):
        c = concepts_by_key[key]
        out.append({"tag": "heldout_concept", "prompt": c.name, "split": split,
                    "target": {"key": c.key, "emoji": c.emoji, "name": c.name}})
    return out
