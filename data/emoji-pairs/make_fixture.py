#!/usr/bin/env python3
"""Emoji text-image pairs for the training tests and the short real-data run.

Joins emoji-datasource-google@16.0.0 (Noto 64x64 PNGs, Apache-2.0) with the
CLDR Chinese names of cldr-annotations-full@48.2.0 (Unicode-3.0) on the emoji
string with U+FE0F removed, keeps the base emoji (no skin tones) of the
chosen categories, and writes EasyNLP plain TSVs (idx, text, imgbase64):
every 8th emoji (in sort order) goes to validation.

With --keyword-rows, each training emoji also gets one row per CLDR keyword
of 2+ characters that names at most --max-keyword-share emoji (e.g. 猫熊 for
the panda, not 脸), so a model also learns the aliases people type.
Validation rows keep the name only.

usage: make_fixture.py SOURCES_DIR OUT_DIR [--categories "Animals & Nature,Food & Drink" | all]
                       [--val-every 8] [--keyword-rows] [--max-keyword-share 2]
"""
import argparse
import base64
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sources")
    ap.add_argument("out")
    ap.add_argument("--categories", default="Animals & Nature,Food & Drink")
    ap.add_argument("--val-every", type=int, default=8)
    ap.add_argument("--keyword-rows", action="store_true")
    ap.add_argument("--max-keyword-share", type=int, default=2)
    args = ap.parse_args()

    emoji = json.load(open(os.path.join(args.sources, "google/package/emoji.json"), encoding="utf-8"))
    ann = json.load(open(os.path.join(args.sources, "cldr/package/annotations/zh/annotations.json"), encoding="utf-8"))
    names = {k.replace("\ufe0f", ""): v for k, v in ann["annotations"]["annotations"].items()}
    cats = None if args.categories == "all" else set(args.categories.split(","))
    img_dir = os.path.join(args.sources, "google/package/img/google/64")

    rows = []
    for e in sorted(emoji, key=lambda e: e["sort_order"]):
        if (cats is not None and e["category"] not in cats) or not e.get("has_img_google"):
            continue
        s = "".join(chr(int(h, 16)) for h in e["unified"].split("-")).replace("\ufe0f", "")
        entry = names.get(s)
        if not entry or not entry.get("tts"):
            continue
        path = os.path.join(img_dir, e["image"])
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            b64 = base64.b64encode(f.read()).decode("ascii")
        keywords = [k for k in entry.get("default", []) if len(k) >= 2 and k != entry["tts"][0]]
        rows.append((e["unified"].lower(), entry["tts"][0], b64, keywords))

    share = {}
    for r in rows:
        for k in r[3]:
            share[k] = share.get(k, 0) + 1
    os.makedirs(args.out, exist_ok=True)
    train, val = [], []
    for i, r in enumerate(rows):
        if i % args.val_every == args.val_every - 1:
            val.append(r[:3])
            continue
        train.append(r[:3])
        if args.keyword_rows:
            train += [(f"{r[0]}-{j}", k, r[2]) for j, k in enumerate(r[3]) if share[k] <= args.max_keyword_share]
    for name, part in (("train.tsv", train), ("val.tsv", val)):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            for r in part:
                f.write("\t".join(r) + "\n")
    print(f"{len(train)} train + {len(val)} val rows -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
