#!/usr/bin/env python3
"""Why the images of an evaluation fail, per set: from `shenbi-cli eval --out DIR`'s
prompts.tsv and the corpus's prompt sets, each image that does not hold is put
in one bucket by what the judge saw against what the prompt states (GenEval's
rule: at least `count` objects of each stated class, with their colour and place):

  too few objects     fewer regions than the objects stated (merged, or missing)
  wrong class         enough regions, but fewer of a stated class than stated:
                      objects drawn as something else
  colour or place     every stated class as often as stated; a colour, a
                      relation or an excluded count wrong

Usage: python3 scripts/eval-failures.py runs/eval/prompts.tsv [--corpus data/cache/corpus]
Prints a Markdown table: images, holding, and each bucket, per set.
"""
import argparse
import collections
import csv
import json
import sys
from pathlib import Path

BUCKETS = ["too few objects", "wrong class", "colour or place"]


def stated(corpus, sets):
    """id -> the prompt's include facts, from eval/SET.jsonl."""
    out = {}
    for name in sets:
        path = corpus / "eval" / f"{name}.jsonl"
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    row = json.loads(line)
                    out[row["id"]] = row["include"]
                except (ValueError, KeyError) as e:
                    sys.exit(f"{path}:{n}: not a prompt row ({e})")
    return out


def bucket(seen, include):
    """The bucket of one failed image: `seen` is prompts.tsv's "no: ..." text."""
    regions = [] if seen == "nothing" else [r.split(" ")[0] for r in seen.split("; ")]
    if len(regions) < sum(fact["count"] for fact in include):
        return "too few objects"
    if any(regions.count(fact["class"]) < fact["count"] for fact in include):
        return "wrong class"
    return "colour or place"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("prompts_tsv", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("data/cache/corpus"))
    a = ap.parse_args()
    with open(a.prompts_tsv, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    if not rows or rows[0][:5] != ["set", "id", "prompt", "parts", "holds"]:
        sys.exit(f"{a.prompts_tsv}: not an eval prompts.tsv (its header is set, id, prompt, parts, holds, image 1, ...)")
    sets = sorted({r[0] for r in rows[1:]})
    facts = stated(a.corpus, sets)
    tally = collections.defaultdict(collections.Counter)
    for n, r in enumerate(rows[1:], 2):
        if r[1] not in facts:
            sys.exit(f"{a.prompts_tsv}:{n}: prompt {r[1]} is not in {a.corpus}/eval")
        for image in r[5:]:
            verdict, _, seen = image.partition(": ")
            tally[r[0]]["images"] += 1
            if verdict == "yes":
                tally[r[0]]["holding"] += 1
            else:
                tally[r[0]][bucket(seen, facts[r[1]])] += 1
    print("| set | images | holding | " + " | ".join(BUCKETS) + " |")
    print("|---|---:|---:|" + "---:|" * len(BUCKETS))
    for s in sets:
        t = tally[s]
        print(f"| {s} | {t['images']} | {t['holding']} | " + " | ".join(str(t[b]) for b in BUCKETS) + " |")


if __name__ == "__main__":
    main()
