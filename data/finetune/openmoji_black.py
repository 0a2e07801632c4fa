#!/usr/bin/python3
"""A fine-tune folder in a style the bundled model never saw: OpenMoji's black
line-art emoji (the corpus uses OpenMoji's colour set), 64 px on white, each
with its CLDR Chinese name as the caption (`name.png` + `name.txt`), split
into train/ and val/ folders for `shenbi-cli train import-folder` or the
fine-tune wizard. Sources come from data/corpus/fetch.sh's cache.

    /usr/bin/python3 data/finetune/openmoji_black.py [--out data/cache/finetune-openmoji-black]
        [--train 400] [--val 40]

Licence: OpenMoji is CC-BY-SA-4.0 (share-alike may reach weights trained on it).
"""
import argparse
import os
import subprocess
import sys

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "data/corpus"))
import sources  # noqa: E402  (data/corpus/sources.py: CLDR names, package lookup)


def render(svg, out_png, px):
    tmp = out_png + ".tmp.png"
    subprocess.run(["rsvg-convert", "-w", str(px), "-h", str(px), svg, "-o", tmp], check=True,
                   stderr=subprocess.DEVNULL)
    img = Image.open(tmp).convert("RGBA")
    white = Image.new("RGBA", img.size, (255, 255, 255, 255))
    Image.alpha_composite(white, img).convert("RGB").save(out_png)
    os.remove(tmp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=os.path.join(ROOT, "data/cache/corpus-sources"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data/cache/finetune-openmoji-black"))
    ap.add_argument("--train", type=int, default=400)
    ap.add_argument("--val", type=int, default=40)
    ap.add_argument("--px", type=int, default=64)
    args = ap.parse_args()
    concepts = [c for c in sources.load_emoji_concepts(args.cache) if "openmoji_svg" in c.images]
    # Every k-th concept, so that the set spans all categories; the first
    # `val` of them are held out.
    step = max(1, len(concepts) // (args.train + args.val))
    chosen = concepts[::step][: args.train + args.val]
    seen = set()
    for i, c in enumerate(chosen):
        if c.name in seen:
            continue
        seen.add(c.name)
        black = c.images["openmoji_svg"].replace("/color/svg/", "/black/svg/")
        split = "val" if i < args.val else "train"
        folder = os.path.join(args.out, split)
        os.makedirs(folder, exist_ok=True)
        stem = os.path.join(folder, "%04d" % i)
        if not os.path.exists(stem + ".png"):
            render(black, stem + ".png", args.px)
        with open(stem + ".txt", "w", encoding="utf-8") as f:
            f.write(c.name + "\n")
    print("%d concepts of %d with an OpenMoji image -> %s" % (len(seen), len(concepts), args.out))


if __name__ == "__main__":
    main()
