#!/usr/bin/env python3
"""Emoji text-image pairs for the training tests and the short real-data run.

Joins emoji-datasource-google@16.0.0 (Noto 64x64 PNGs, Apache-2.0) with the
CLDR Chinese names of cldr-annotations-full@48.2.0 (Unicode-3.0) on the emoji
string with U+FE0F removed, keeps the base emoji (no skin tones) of the
chosen categories, and writes EasyNLP plain TSVs (idx, text, imgbase64):
every 8th emoji (in sort order) goes to validation.

usage: make_fixture.py SOURCES_DIR OUT_DIR [--categories "Animals & Nature,Food & Drink"]
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
    args = ap.parse_args()

    emoji = json.load(open(os.path.join(args.sources, "google/package/emoji.json"), encoding="utf-8"))
    ann = json.load(open(os.path.join(args.sources, "cldr/package/annotations/zh/annotations.json"), encoding="utf-8"))
    names = {k.replace("\ufe0f", ""): v for k, v in ann["annotations"]["annotations"].items()}
    cats = set(args.categories.split(","))
    img_dir = os.path.join(args.sources, "google/package/img/google/64")

    rows = []
    for e in sorted(emoji, key=lambda e: e["sort_order"]):
        if e["category"] not in cats or not e.get("has_img_google"):
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
        rows.append((e["unified"].lower(), entry["tts"][0], b64))

    os.makedirs(args.out, exist_ok=True)
    train = [r for i, r in enumerate(rows) if i % args.val_every != args.val_every - 1]
    val = [r for i, r in enumerate(rows) if i % args.val_every == args.val_every - 1]
    for name, part in (("train.tsv", train), ("val.tsv", val)):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            for r in part:
                f.write("\t".join(r) + "\n")
    print(f"{len(train)} train + {len(val)} val rows -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
