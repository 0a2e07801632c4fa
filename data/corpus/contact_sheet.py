#!/usr/bin/python3
"""Draws a labelled contact sheet of corpus rows, to check by eye that the
captions match the pictures (and, with --boxes, that the ground-truth boxes
sit on the objects).

    /usr/bin/python3 data/corpus/contact_sheet.py data/cache/corpus train /tmp/sheet.png \
        [--kind scene] [--n 40] [--boxes] [--seed 1]

Needs python3-pil and a CJK font (fonts-wqy-microhei or fonts-noto-cjk).
"""
import argparse
import base64
import io
import json
import random
import textwrap

from PIL import Image, ImageDraw, ImageFont

FONTS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]


def font(size):
    for path in FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def load(out_dir, split, kind, n, seed):
    gts = {}
    with open("%s/%s.gt.jsonl" % (out_dir, split), encoding="utf-8") as f:
        for line in f:
            g = json.loads(line)
            if kind is None or g["kind"] == kind:
                gts[g["idx"]] = g
    picked = set(random.Random(seed).sample(sorted(gts), min(n, len(gts))))
    rows = []
    with open("%s/%s.tsv" % (out_dir, split), encoding="utf-8") as f:
        for line in f:
            idx, text, b64 = line.rstrip("\n").split("\t")
            if idx in picked:
                rows.append((idx, text, Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"), gts[idx]))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("split")
    ap.add_argument("sheet")
    ap.add_argument("--kind", choices=["single", "scene", "tux"])
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--cols", type=int, default=8)
    ap.add_argument("--tile", type=int, default=160)
    ap.add_argument("--boxes", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rows = load(args.out_dir, args.split, args.kind, args.n, args.seed)
    t, label_h = args.tile, 58
    rows_n = (len(rows) + args.cols - 1) // args.cols
    sheet = Image.new("RGB", (args.cols * t, rows_n * (t + label_h)), "white")
    draw, f = ImageDraw.Draw(sheet), font(13)
    for i, (idx, text, img, gt) in enumerate(rows):
        x, y = (i % args.cols) * t, (i // args.cols) * (t + label_h)
        scale = (t - 8) / img.width
        sheet.paste(img.resize((t - 8, t - 8), Image.NEAREST), (x + 4, y + 4))
        if args.boxes:
            for o in gt.get("objects", []):
                x0, y0, x1, y1 = o["bbox"]
                b = [x + 4 + x0 * scale, y + 4 + y0 * scale, x + 4 + x1 * scale, y + 4 + y1 * scale]
                draw.rectangle(b, outline=(255, 0, 0))
        for k, part in enumerate(textwrap.wrap(text, 11)[:3]):
            draw.text((x + 4, y + t + k * 17), part, fill="black", font=f)
    sheet.save(args.sheet)
    print("%d tiles -> %s" % (len(rows), args.sheet))


if __name__ == "__main__":
    main()
