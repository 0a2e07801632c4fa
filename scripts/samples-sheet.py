#!/usr/bin/python3
"""The contact sheet docs/samples.png: every prompt of docs/samples-prompts.txt
x 4 candidates of a model, labelled, so anyone can regenerate and compare it.

    /usr/bin/python3 scripts/samples-sheet.py [--model resources/models/default]
        [--prompts docs/samples-prompts.txt] [--out docs/samples.png] [--seed 0] [--scale 2]

Runs build/bin/shenbi-cli generate once per prompt (the model's recommended
sampling), then draws the grid. Needs Debian's python3-pil and a CJK font
(fonts-noto-cjk or fonts-wqy-microhei).
"""
import argparse
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
         "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"]


def font(size):
    for path in FONTS:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    sys.exit("no CJK font found: apt-get install fonts-noto-cjk")


def generate(cli, model, prompt, seed, out_dir):
    cmd = [cli, "generate", "--prompt", prompt, "--candidates", "4", "--seed", str(seed), "--out", out_dir]
    if model:
        cmd += ["--model", model]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("generate failed for %r: %s" % (prompt, res.stderr.strip()))
    # generate prints "PATH  likelihood X" per candidate, in the order it keeps them
    paths = [line.split("  likelihood")[0] for line in res.stdout.splitlines() if ".png  likelihood" in line]
    return [Image.open(p).convert("RGB") for p in paths[:4]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="")
    ap.add_argument("--prompts", default=os.path.join(ROOT, "docs/samples-prompts.txt"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs/samples.png"))
    ap.add_argument("--cli", default=os.path.join(ROOT, "build/bin/shenbi-cli"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=int, default=2)
    a = ap.parse_args()
    prompts = [l.strip() for l in open(a.prompts, encoding="utf-8") if l.strip() and not l.startswith("#")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, p in enumerate(prompts):
            rows.append((p, generate(a.cli, a.model, p, a.seed, os.path.join(tmp, str(i)))))
    side = rows[0][1][0].width * a.scale
    label_w, pad, cols_per_row = 230, 6, 2  # two prompts side by side
    cell_w = label_w + 4 * (side + pad)
    n_rows = (len(rows) + cols_per_row - 1) // cols_per_row
    sheet = Image.new("RGB", (cols_per_row * cell_w + pad, n_rows * (side + pad) + pad + 30), "white")
    draw = ImageDraw.Draw(sheet)
    f, small = font(20), font(14)
    draw.text((pad, 6), "Shenbi default model: %d prompts x 4 candidates, seed %d (scripts/samples-sheet.py)"
              % (len(rows), a.seed), fill="black", font=small)
    for k, (prompt, images) in enumerate(rows):
        x0, y0 = (k % cols_per_row) * cell_w + pad, 30 + (k // cols_per_row) * (side + pad)
        draw.text((x0, y0 + side // 2 - 12), "%d. %s" % (k + 1, prompt), fill="black", font=f)
        for j, im in enumerate(images):
            sheet.paste(im.resize((side, side), Image.NEAREST), (x0 + label_w + j * (side + pad), y0))
    sheet.save(a.out)
    print(a.out)


if __name__ == "__main__":
    main()
