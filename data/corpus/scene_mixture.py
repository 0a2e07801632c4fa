#!/usr/bin/python3
"""A scene-weighted training table: the rows of a corpus split that are
scenes, or that show one of the judge's classes (eval/classes.json), in the
corpus's own order. The compositional score asks about those classes in
scenes; this table spends every training step on them.

    /usr/bin/python3 data/corpus/scene_mixture.py [--corpus data/cache/corpus] [--split train]
        [--out data/cache/corpus/train-scenes.tsv] [--first-scene N] [--stride K] [--single-stride M]

On the default corpus: 16,565 of 28,598 training rows (16,000 scenes, 565
rows of the 81 classes). Written atomically (a temporary file, then renamed).

--first-scene N keeps only the scenes numbered N and up (scene-train-NNNNNN):
since scene i is the same in every build, the rows of a --scenes 128000
corpus with --first-scene 64000 are the 64,000 scenes a --scenes 64000
corpus does not have, plus the class rows.

--stride K keeps only the scenes whose number is a multiple of K: with
--stride 2 on a --scenes 128000 corpus, 32,000 scenes of the first 64,000
and 32,000 of the next, a table as long as the 64,000-scene one that mixes
scenes a GPT has seen with scenes it has not.

--single-stride M keeps the one-object scenes (layout "single") whose number
is a multiple of M instead of K: with --stride 4 --single-stride 1 on a
--scenes 64000 corpus, every one of its 9,600-odd lone objects and a quarter
of the other scenes, so that a lone object is about 40 % of the table instead
of 15 % (the single-object prompts fail most by drawing another class).
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="data/cache/corpus")
    ap.add_argument("--split", default="train")
    ap.add_argument("--out", default=None)
    ap.add_argument("--first-scene", type=int, default=0, help="skip the scenes numbered below N")
    ap.add_argument("--stride", type=int, default=1, help="keep only the scenes numbered a multiple of K")
    ap.add_argument("--single-stride", type=int, default=None,
                    help="keep only the one-object scenes numbered a multiple of M (default: K)")
    a = ap.parse_args()
    if a.stride < 1:
        ap.error("--stride must be at least 1, got %d" % a.stride)
    if a.single_stride is not None and a.single_stride < 1:
        ap.error("--single-stride must be at least 1, got %d" % a.single_stride)
    single_stride = a.stride if a.single_stride is None else a.single_stride
    out = a.out or os.path.join(a.corpus, a.split + "-scenes.tsv")
    try:
        with open(os.path.join(a.corpus, "eval", "classes.json"), encoding="utf-8") as f:
            classes = {c["class"] for c in json.load(f)}
        keep = set()
        with open(os.path.join(a.corpus, a.split + ".gt.jsonl"), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    r = json.loads(line)
                except ValueError as e:
                    sys.exit("%s.gt.jsonl:%d: %s" % (a.split, n, e))
                if r.get("kind") == "scene":
                    number = int(str(r["idx"]).rsplit("-", 1)[1])
                    stride = single_stride if r.get("layout") == "single" else a.stride
                    if number >= a.first_scene and number % stride == 0:
                        keep.add(str(r["idx"]))
                elif any(o.get("class") in classes for o in r.get("objects", [])):
                    keep.add(str(r["idx"]))
    except OSError as e:
        sys.exit("%s (build the corpus first: data/corpus/README.md)" % e)
    rows = 0
    tmp = out + ".tmp"
    with open(os.path.join(a.corpus, a.split + ".tsv"), encoding="utf-8") as src, \
            open(tmp, "w", encoding="utf-8") as dst:
        for line in src:
            if line.split("\t", 1)[0] in keep:
                dst.write(line)
                rows += 1
    os.replace(tmp, out)
    print("%d rows -> %s" % (rows, out))


if __name__ == "__main__":
    main()
