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
- colours: each held-out (colour, class) pair becomes a colour that training
  captions state for the class, never one of its natural colours in any
  style (eval/classes.json: a red apple would test nothing), the most often
  stated first, one colour per held-out pair of the class;
- counting: each held-out (class, n) becomes the count of at least two that
  training captions state for the class most often.
On the default corpus: 42 colour and 54 counting prompts. Prompt ids become
colors-seen/NNNN and counting-seen/NNNN, and "heldout" is empty. Links are
relative; a file in OUT that is not a link is never replaced. The two files
are written atomically (a temporary file, then renamed).
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


def stated_combinations(corpus):
    """How often training captions state each (class, colour) and (class, count)."""
    colours, counts = collections.Counter(), collections.Counter()
    for r in read_jsonl(os.path.join(corpus, "train.gt.jsonl")):
        for o in (r.get("facts") or {}).get("objects") or []:
            if o.get("color"):
                colours[(o["class"], o["color"])] += 1
            if o.get("count"):
                counts[(o["class"], o["count"])] += 1
    return colours, counts


def natural_colours(corpus):
    """Each class's natural colours in any style: the colours it has unrecoloured."""
    with open(os.path.join(corpus, "eval", "classes.json"), encoding="utf-8") as f:
        return {c["class"]: {v for v in (c.get("natural_color") or {}).values() if v} for c in json.load(f)}


def swapped(path, row, prompt, old, new):
    if old not in prompt:
        sys.exit("%s:%d: the prompt %s does not hold %s" % (path, row, prompt, old))
    return prompt.replace(old, new, 1)


def seen_colours(path, colours, natural):
    """The colour prompts with each held-out colour swapped for a stated one."""
    chosen, out = {}, []
    for row, r in enumerate(read_jsonl(path), 1):
        cls, colour = r["include"][0]["class"], r["include"][0]["color"]
        if (cls, colour) not in chosen:
            taken = {c for (k, _), c in chosen.items() if k == cls}
            options = sorted((c for (k, c) in colours if k == cls and c not in natural.get(cls, ()) and c not in taken),
                             key=lambda c: (-colours[(cls, c)], c))
            if not options:
                sys.exit("%s:%d: no stated colour of %s is left that is not natural (held out: %s)"
                         % (path, row, cls, colour))
            chosen[(cls, colour)] = options[0]
        new = chosen[(cls, colour)]
        out.append(dict(r, prompt=swapped(path, row, r["prompt"], colour, new),
                        include=[dict(r["include"][0], color=new)], heldout=[]))
    return out


def seen_counts(path, counts):
    """The counting prompts with each held-out count swapped for a stated one."""
    out, dropped = [], set()
    for row, r in enumerate(read_jsonl(path), 1):
        cls, n = r["include"][0]["class"], r["include"][0]["count"]
        options = sorted((m for (k, m) in counts if k == cls and m >= 2 and m != n and m in cap.NUMBERS),
                         key=lambda m: (-counts[(cls, m)], m))
        if not options:
            dropped.add(cls)
            continue
        m = options[0]
        out.append(dict(r, prompt=swapped(path, row, r["prompt"], cap.NUMBERS[n], cap.NUMBERS[m]),
                        include=[{"class": cls, "count": m}], exclude=[{"class": cls, "count": m + 1}],
                        heldout=[]))
    for cls in sorted(dropped):
        print("%s: no other count of %s is stated in training; its prompts are left out" % (path, cls))
    return out


def write_jsonl(path, rows, tag):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for i, r in enumerate(rows):
            f.write(json.dumps(dict(r, id="%s-seen/%04d" % (tag, i)), ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def link_corpus(corpus, out):
    """OUT mirrors the corpus by relative links, except the rewritten sets; links
    to files the corpus no longer has are removed. Every name is checked before
    anything is changed."""
    plan = []
    for sub in ("", "eval"):
        src_dir, dst_dir = os.path.join(corpus, sub), os.path.join(out, sub)
        wanted = {n for n in os.listdir(src_dir)
                  if not (sub == "" and n == "eval") and not (sub == "eval" and n in REWRITTEN)}
        present = set(os.listdir(dst_dir)) if os.path.isdir(dst_dir) else set()
        for name in sorted(present | wanted):
            dst = os.path.join(dst_dir, name)
            if os.path.lexists(dst) and not os.path.islink(dst):
                if name in wanted:
                    sys.exit("%s: not a link; move it away (this script only replaces links)" % dst)
                continue
            plan.append((dst, os.path.relpath(os.path.join(src_dir, name), dst_dir) if name in wanted else None))
    os.makedirs(os.path.join(out, "eval"), exist_ok=True)
    for dst, target in plan:
        if os.path.islink(dst):
            os.remove(dst)
        if target:
            os.symlink(target, dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="data/cache/corpus")
    ap.add_argument("--out", default="data/cache/corpus-seen")
    a = ap.parse_args()
    corpus, out = os.path.realpath(a.corpus), os.path.realpath(a.out)
    if out == corpus or out.startswith(corpus + os.sep) or corpus.startswith(out + os.sep):
        ap.error("--out (%s) must lie outside --corpus (%s), and hold no corpus" % (a.out, a.corpus))
    for name in ("train.gt.jsonl", "eval/classes.json", "eval/colors.jsonl", "eval/counting.jsonl"):
        if not os.path.isfile(os.path.join(corpus, name)):
            sys.exit("%s: no %s (build the corpus first: data/corpus/build_corpus.py)" % (a.corpus, name))
    colours, counts = stated_combinations(corpus)
    col = seen_colours(os.path.join(corpus, "eval", "colors.jsonl"), colours, natural_colours(corpus))
    cnt = seen_counts(os.path.join(corpus, "eval", "counting.jsonl"), counts)
    link_corpus(corpus, out)
    write_jsonl(os.path.join(out, "eval", "colors.jsonl"), col, "colors")
    write_jsonl(os.path.join(out, "eval", "counting.jsonl"), cnt, "counting")
    print("%s: %d colour prompts, %d counting prompts over seen combinations" % (a.out, len(col), len(cnt)))


if __name__ == "__main__":
    main()
