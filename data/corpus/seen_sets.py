#!/usr/bin/python3
"""Seen-combination controls for the colour and counting prompts: a copy of a
corpus's evaluation sets in which every held-out colour + object pair and
count + object pair is swapped for one the training captions do hold, in
the same phrasings, so that `shenbi-cli eval --corpus OUT` tells how much of
a failure is generalisation (the combination was never seen) and how much is
fitting (the model fails even on what it was trained on).

    /usr/bin/python3 data/corpus/seen_sets.py [--corpus data/cache/corpus] [--out data/cache/corpus-seen]
    build/bin/shenbi-cli eval --corpus data/cache/corpus-seen --sets colors,counting ...

OUT holds links to every file of the corpus except eval/colors.jsonl and
eval/counting.jsonl, which are rewritten:
- colours: each held-out (colour, class) pair becomes a colour the class
  carries in training captions, never its natural colour (the emoji's own:
  a red apple would test nothing), the most frequent first, one colour per
  held-out pair of the class;
- counting: each held-out (class, n) becomes the count of at least two that
  the class appears in most often in training scenes.
Prompt ids become colors-seen/NNNN and counting-seen/NNNN, and "heldout" is
empty. Files are written atomically (a temporary file, then renamed).
"""
import argparse
import collections
import json
import os
import sys

import captions as cap

REWRITTEN = ("colors.jsonl", "counting.jsonl")


def read_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                sys.exit("%s:%d: %s" % (path, n, e))
    return rows


def training_combinations(corpus):
    """Colours stated in training captions per (class, colour), counts per
    (class, n) in training scenes, and each class's natural colour."""
    colours, counts = collections.Counter(), collections.Counter()
    natural = collections.defaultdict(collections.Counter)
    path = os.path.join(corpus, "train.gt.jsonl")
    for r in read_jsonl(path):
        for o in r.get("objects", []):
            if o.get("natural_color"):
                natural[o["class"]][o["natural_color"]] += 1
            if o.get("color") and o["color"] in r["caption"]:
                colours[(o["class"], o["color"])] += 1
        if r.get("kind") == "scene":
            for cls, n in collections.Counter(o["class"] for o in r["objects"]).items():
                counts[(cls, n)] += 1
    natural = {cls: c.most_common(1)[0][0] for cls, c in natural.items()}
    return colours, counts, natural


def seen_colours(held, colours, natural):
    """The colour prompts with each held-out colour swapped for a seen one."""
    chosen, out = {}, []
    for r in held:
        cls, colour = r["include"][0]["class"], r["include"][0]["color"]
        if (cls, colour) not in chosen:
            taken = {c for (k, _), c in chosen.items() if k == cls}
            options = [c for (k, c), _ in colours.most_common()
                       if k == cls and c != natural.get(cls) and c not in taken]
            if not options:
                sys.exit("no seen, non-natural colour is left for %s (held out: %s)" % (cls, colour))
            chosen[(cls, colour)] = options[0]
        new = chosen[(cls, colour)]
        out.append(dict(r, prompt=r["prompt"].replace(colour, new),
                        include=[dict(r["include"][0], color=new)], heldout=[]))
    return out


def seen_counts(held, counts):
    """The counting prompts with each held-out count swapped for a seen one."""
    out = []
    for r in held:
        cls, n = r["include"][0]["class"], r["include"][0]["count"]
        options = sorted((m for (k, m) in counts if k == cls and m >= 2 and m != n and m in cap.NUMBERS),
                         key=lambda m: (-counts[(cls, m)], m))
        if not options:
            continue  # the class is never in training scenes at another count: no control for it
        m = options[0]
        out.append(dict(r, prompt=r["prompt"].replace(cap.NUMBERS[n], cap.NUMBERS[m], 1),
                        include=[{"class": cls, "count": m}], exclude=[{"class": cls, "count": m + 1}],
                        heldout=[]))
    return out


def write_jsonl(path, rows, tag):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for i, r in enumerate(rows):
            f.write(json.dumps(dict(r, id="%s-seen/%04d" % (tag, i)), ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def link_corpus(corpus, out):
    """OUT mirrors the corpus by symbolic links, except the rewritten sets."""
    os.makedirs(os.path.join(out, "eval"), exist_ok=True)
    for sub in ("", "eval"):
        for name in sorted(os.listdir(os.path.join(corpus, sub))):
            src, dst = os.path.join(corpus, sub, name), os.path.join(out, sub, name)
            if (sub == "" and name == "eval") or (sub == "eval" and name in REWRITTEN):
                continue
            if os.path.lexists(dst):
                os.remove(dst)
            os.symlink(os.path.abspath(src), dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="data/cache/corpus")
    ap.add_argument("--out", default="data/cache/corpus-seen")
    a = ap.parse_args()
    if os.path.abspath(a.corpus) == os.path.abspath(a.out):
        ap.error("--out must differ from --corpus (%s)" % a.corpus)
    for name in ("train.gt.jsonl", "eval/colors.jsonl", "eval/counting.jsonl"):
        if not os.path.isfile(os.path.join(a.corpus, name)):
            sys.exit("%s: no %s (build the corpus first: data/corpus/build_corpus.py)" % (a.corpus, name))
    colours, counts, natural = training_combinations(a.corpus)
    ev = os.path.join(a.corpus, "eval")
    col = seen_colours(read_jsonl(os.path.join(ev, "colors.jsonl")), colours, natural)
    cnt = seen_counts(read_jsonl(os.path.join(ev, "counting.jsonl")), counts)
    link_corpus(a.corpus, a.out)
    write_jsonl(os.path.join(a.out, "eval", "colors.jsonl"), col, "colors")
    write_jsonl(os.path.join(a.out, "eval", "counting.jsonl"), cnt, "counting")
    print("%s: %d colour prompts, %d counting prompts over seen combinations" % (a.out, len(col), len(cnt)))


if __name__ == "__main__":
    main()
