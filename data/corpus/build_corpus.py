#!/usr/bin/python3
"""Builds Shenbi's text-to-image training corpus and its evaluation prompts.

Needs Debian's Python 3 with python3-pil and python3-numpy (the pyenv python3
on PATH has neither), rsvg-convert (librsvg2-bin) and opencc, and the
packages fetched by data/corpus/fetch.sh:

    apt-get install python3-pil python3-numpy librsvg2-bin opencc
    data/corpus/fetch.sh
    /usr/bin/python3 data/corpus/build_corpus.py [--size 64] [--cap N] [--out DIR]

Writes (default data/cache/corpus, gitignored):
    train.tsv val.tsv test.tsv           EasyNLP plain rows: idx \\t text \\t PNG base64
    train.gt.jsonl val.gt.jsonl ...      ground truth per row, keyed by idx
    eval/*.jsonl, eval/classes.json      GenEval-shaped prompts, alias and held-out prompts
    heldout.json, excluded_aliases.txt   what training never sees
    manifest.json                        counts, seeds, versions, sizes
See data/corpus/README.md for the sources, templates and split rules.
"""
import argparse
import base64
import collections
import io
import json
import os
import shutil
import subprocess
import sys
import time

try:
    import numpy
    import PIL
    from PIL import Image
except ImportError:
    sys.exit("build_corpus: needs python3-pil and python3-numpy: apt-get install python3-pil python3-numpy, "
             "then run with /usr/bin/python3 (this is %s)" % sys.executable)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "data", "kg"))

import captions as cap  # noqa: E402
import evalsets  # noqa: E402
import holdout as ho  # noqa: E402
import scenes as sc  # noqa: E402
import sources as src  # noqa: E402
import vocab  # noqa: E402
from build_kg import OpenCC  # noqa: E402

SPLITS = ("train", "val", "test")
SINGLE_FIT = 0.875  # a single object's longest side, as a fraction of the image
CAPTION_TRIES = 8   # re-draws of a caption that hit a banned word before the row is dropped


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", default=os.path.join(ROOT, "data/cache/corpus-sources"), help="fetch.sh's cache")
    ap.add_argument("--render-cache", default=os.path.join(ROOT, "data/cache/corpus-render"))
    ap.add_argument("--triples", default=os.path.join(ROOT, "resources/knowledge/triples.tsv"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data/cache/corpus"))
    ap.add_argument("--size", type=int, default=64, help="image side in pixels (64, 128, ...)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenes", type=int, default=16000, help="training scenes")
    ap.add_argument("--eval-scenes", type=int, default=800, help="scenes in val and in test, each")
    ap.add_argument("--cap", type=int, default=0, help="at most this many rows per split (seeded subsample)")
    ap.add_argument("--keyword-rate", type=float, default=0.5, help="training images that also get a keyword row")
    ap.add_argument("--background-rate", type=float, default=0.3, help="single images on a non-white background")
    ap.add_argument("--heldout-every", type=int, default=20, help="every n-th eligible concept is held out")
    ap.add_argument("--style-holdout-every", type=int, default=40, help="1 in n seen-concept images go to val/test")
    ap.add_argument("--pair-holdout", type=float, default=0.08, help="fraction of scene-object pairs held out")
    ap.add_argument("--colour-holdout", type=int, default=2, help="held-out colours per colourable object")
    ap.add_argument("--count-holdout-every", type=int, default=3, help="every n-th scene object loses one count")
    ap.add_argument("--train-recolour", action="store_true",
                    help="training scenes also recolour vocab.TRAIN_COLOURABLE (val, test and eval/ unchanged)")
    ap.add_argument("--eval-limit", type=int, default=100, help="prompts per sampled GenEval category")
    return ap.parse_args()


def find_rsvg(cache):
    if shutil.which("rsvg-convert"):
        return ["rsvg-convert"]
    path = os.path.join(cache, "deb/x/librsvg2-bin/usr/bin/rsvg-convert")
    if os.path.exists(path):
        return [path]
    sys.exit("build_corpus: rsvg-convert not found: apt-get install librsvg2-bin, or run data/corpus/fetch.sh")


# --------------------------------------------------------------------------
# Loading


class World:
    """Everything loaded once: concepts, scene classes, stamps, aliases."""

    def __init__(self, args):
        self.args = args
        self.concepts = src.attach_flag_icons(args.cache, src.load_emoji_concepts(args.cache))
        self.by_key = {c.key: c for c in self.concepts}
        self.stamps, self.stamp_skips = src.load_tux_stamps(args.cache)
        self.rsvg = find_rsvg(args.cache)
        self.images = src.ImageSource(args.cache, args.render_cache, self.rsvg)
        self.render_px = max(64, args.size)
        self.classes = self.scene_classes()
        self.class_of = {c.concept.key: n for n, c in self.classes.items()}
        keyword_use = collections.Counter(k for c in self.concepts for k in set(c.keywords))
        self.keyword_ok = {k for k, n in keyword_use.items() if n <= 2 and len(k) >= 2}

    def scene_classes(self):
        by_emoji = {c.emoji: c for c in self.concepts if c.emoji}
        classes = {}
        for emoji, name, mw in vocab.SCENE_OBJECTS:
            c = by_emoji.get(src.strip_fe0f(emoji))
            if c is None:
                sys.exit("build_corpus: scene object %s has no image or CLDR name" % emoji)
            classes[name or c.name] = sc.SceneClass(name or c.name, c.emoji, c, mw, emoji in vocab.COLOURABLE,
                                                    self.args.train_recolour and emoji in vocab.TRAIN_COLOURABLE)
        sc.measure_classes(classes, self.images, self.render_px)
        for c in classes.values():  # a colourable object that no style can recolour is not colourable
            c.colourable = c.colourable and bool(c.recolourable)
            c.train_colourable = c.train_colourable and bool(c.recolourable)
        return classes

    def measure(self, c):
        """Measure word of a concept: the scene table's, else by subcategory."""
        if c.key in self.class_of:
            return self.classes[self.class_of[c.key]].mw
        return vocab.measure_word(c.name, c.category, c.subcategory)


def protected_texts(world):
    """Texts captions cannot do without; an alias inside one cannot be kept out."""
    texts = [c.name for c in world.concepts] + [c.territory for c in world.concepts if c.territory]
    texts += list(world.classes) + list(vocab.COLOURS) + list(vocab.BACKGROUNDS) + cap.POSITIONS + ["旁边"]
    texts += [w for w in vocab.STYLE_WORDS.values() if w] + sorted(cap.template_fragments())
    # Counted and coloured phrases: "一头大象" holds 头大 (an alias of 🤦),
    # which no caption about elephants can avoid.
    for c in world.concepts:
        mw = world.measure(c)
        texts += [n + mw + c.name for n in vocab.NUMBERS.values()] if mw else []
    for name, c in world.classes.items():
        cols = [col + de for col in vocab.COLOURS for de in ("", "的")] if c.colourable else [""]
        texts += [n + c.mw + col + name for n in vocab.NUMBERS.values() for col in cols]
    return texts


def plan_holdout(world, seed, args):
    scene_keys = set(world.class_of)
    h = ho.Holdout()
    h.concepts = ho.choose_heldout_concepts(world.concepts, scene_keys, list(world.classes), ("🥦",),
                                            args.heldout_every, seed)
    h.style_images = ho.choose_heldout_styles(world.concepts, h.concepts, scene_keys, args.style_holdout_every, seed)
    names = sorted(world.classes)
    h.pairs = ho.choose_heldout_pairs(names, args.pair_holdout, seed)
    colourable = [n for n in names if world.classes[n].colourable]
    naturals = {n: {v for v in world.classes[n].naturals.values() if v} for n in colourable}
    h.colour_pairs = ho.choose_heldout_colours(colourable, naturals, args.colour_holdout)
    h.counts = ho.choose_heldout_counts(names, args.count_holdout_every)
    return h


# --------------------------------------------------------------------------
# Row planning (captions and what to draw; no images yet)


class Row:
    __slots__ = ("idx", "split", "kind", "caption", "draw_key", "gt")

    def __init__(self, idx, split, kind, caption, draw_key, gt):
        self.idx, self.split, self.kind, self.caption, self.draw_key, self.gt = idx, split, kind, caption, draw_key, gt


class Planner:
    def __init__(self, world, holdout, aliases_banned, seed):
        self.w, self.h, self.seed = world, holdout, seed
        self.alias = ho.Banned(aliases_banned)
        self.heldout_names = ho.Banned({world.by_key[k].name for k in holdout.concepts})
        self.dropped = collections.Counter()

    def banned(self, text, split):
        if self.alias.find(text):
            return "alias"
        if split == "train" and self.heldout_names.find(text):
            return "heldout_name"
        return None

    def first_ok(self, make, split, what):
        """First of up to CAPTION_TRIES drawn captions with no banned word."""
        for _ in range(CAPTION_TRIES):
            out = make()
            if not self.banned(out[0], split):
                return out
        self.dropped["%s:%s" % (what, self.banned(out[0], split))] += 1
        return None

    def split_of(self, c, style):
        if c.key in self.h.concepts:
            return self.h.concepts[c.key]
        if (c.key, style) in self.h.style_images:
            return "val" if sc.seeded(self.seed, "style-split", c.key).random() < 0.5 else "test"
        return "train"

    def single_rows(self):
        rows = []
        for c in self.w.concepts:
            for style in sorted(c.images):
                rows += self.concept_rows(c, style, self.split_of(c, style))
        return rows

    def concept_rows(self, c, style, split):
        rng = sc.seeded(self.seed, "single", c.key, style)
        bg = "白色"
        if rng.random() < self.w.args.background_rate:
            bg = rng.choice([b for b in vocab.BACKGROUNDS if b != "白色"])
        word, mw = vocab.STYLE_WORDS.get(style), self.w.measure(c)
        base = "%s-%s" % (c.key.replace(":", "-"), style)
        gt = {"kind": "single", "key": c.key, "emoji": c.emoji, "class": c.name, "style": style,
              "category": c.category, "background": bg}
        made = self.first_ok(lambda: cap.single_caption(rng, c.name, mw, bg, word), split, "single")
        rows = []
        if made:
            rows.append(Row(base, split, "single", made[0], ("single", c.key, style, bg),
                            dict(gt, caption_type="name", facts=fact(made, word, bg))))
        if split == "train" and rng.random() < self.w.args.keyword_rate:
            rows += self.keyword_row(rng, c, style, bg, base, gt, word)
        return rows

    def keyword_row(self, rng, c, style, bg, base, gt, word):
        if c.territory:
            options = [("flag", t) for t in cap.FLAG_EXTRA]
        else:
            options = [("kw", k) for k in sorted(c.keywords) if k in self.w.keyword_ok]
        if not options:
            return []

        def make():
            what, choice = rng.choice(options)
            text, kind = (choice[0].format(territory=c.territory), choice[1]) if what == "flag" else \
                cap.pick(rng, cap.KEYWORD, kw=choice)
            return cap.dress(rng, text, kind, bg, word)

        made = self.first_ok(make, "train", "keyword")
        if not made:
            return []
        return [Row(base + "-kw", "train", "single", made[0], ("single", c.key, style, bg),
                    dict(gt, caption_type="keyword", facts=fact(made, word, bg)))]

    def tux_rows(self):
        rows, every = [], self.w.args.heldout_every
        for i, s in enumerate(self.w.stamps):
            # one stamp in `every` goes to val/test (alternating): FID's real images
            split = "train" if i % every != 3 else ("val" if i // every % 2 == 0 else "test")
            rng = sc.seeded(self.seed, "tux", s.key)
            made = self.first_ok(lambda: (cap.pick(rng, cap.TUX, c=s.caption)[0], False, False), split, "tux")
            if made:
                gt = {"kind": "tux", "key": s.key, "class": s.caption, "style": src.TUX_STYLE, "background": "白色",
                      "caption_zh_CN": s.raw, "facts": fact(made, None, "白色")}
                rows.append(Row("tux-" + s.key.replace("/", "__"), split, "tux", made[0], ("tux", i), gt))
        return rows

    def scene_rows(self, planner, split, n):
        rows = []
        for i in range(n):
            rng = sc.seeded(self.seed, "scene", split, i)

            def make():
                spec = planner.train_scene(rng) if split == "train" else planner.eval_scene(rng)
                return spec.caption, spec

            made = self.first_ok(make, split, "scene")
            if made:
                spec = made[1]
                gt = {"kind": "scene", "layout": spec.layout, "style": spec.style, "background": spec.bg,
                      "facts": spec.facts, "heldout": spec.heldout}
                rows.append(Row("scene-%s-%06d" % (split, i), split, "scene", spec.caption, ("scene", spec), gt))
        return rows


def fact(made, style_word, bg):
    _, style_stated, bg_stated = made
    return {"style": style_word if style_stated else None, "background": bg if bg_stated else None}


# --------------------------------------------------------------------------
# Drawing and writing


class Writer:
    def __init__(self, world, size):
        self.w, self.size = world, size
        self.drawer = sc.Drawer(world.classes, world.images, world.render_px)
        self.memo = {}

    def image(self, row):
        """(PNG base64, objects) for a row; single images are memoised because
        a keyword row shares its name row's picture."""
        key = row.draw_key
        if key[0] == "scene":
            img, objects = self.drawer.draw(key[1], self.size)
            return encode(img), objects
        if key not in self.memo:
            if key[0] == "single":
                c = self.w.by_key[key[1]]
                sprite = self.w.images.concept(c, key[2], self.w.render_px)
                img, box = fit_on_canvas(sprite, self.size, vocab.BACKGROUNDS[key[3]])
                objects = [{"class": c.name, "emoji": c.emoji, "bbox": box, "color": None}]
            else:
                s = self.w.stamps[key[1]]
                img, box = fit_on_canvas(self.w.images.stamp(s, self.w.render_px), self.size, (255, 255, 255))
                objects = [{"class": s.caption, "bbox": box, "color": None}]
            self.memo[key] = (encode(img), objects)
        return self.memo[key]

    def write_split(self, rows, out_dir, split):
        tsv, gtl = os.path.join(out_dir, split + ".tsv"), os.path.join(out_dir, split + ".gt.jsonl")
        with open(tsv + ".tmp", "w", encoding="utf-8", newline="\n") as f, \
                open(gtl + ".tmp", "w", encoding="utf-8", newline="\n") as g:
            for i, row in enumerate(rows):
                b64, objects = self.image(row)
                f.write("%s\t%s\t%s\n" % (row.idx, row.caption, b64))
                g.write(json.dumps(dict(idx=row.idx, caption=row.caption, size=self.size, objects=objects,
                                        **row.gt), ensure_ascii=False) + "\n")
                if (i + 1) % 5000 == 0:
                    print("  %s: %d/%d rows" % (split, i + 1, len(rows)), file=sys.stderr)
        os.replace(tsv + ".tmp", tsv)
        os.replace(gtl + ".tmp", gtl)


def fit_on_canvas(sprite, size, bg_rgb):
    """Tight-crops an RGBA sprite, scales its longest side to SINGLE_FIT of the
    canvas, centres it on the background colour (RGBA -> RGB)."""
    sprite = sprite.crop(sprite.getchannel("A").getbbox() or (0, 0) + sprite.size)
    scale = SINGLE_FIT * size / max(sprite.size)
    w, h = max(1, round(sprite.width * scale)), max(1, round(sprite.height * scale))
    canvas = Image.new("RGBA", (size, size), tuple(bg_rgb) + (255,))
    x0, y0 = (size - w) // 2, (size - h) // 2
    canvas.alpha_composite(sprite.resize((w, h), Image.LANCZOS), (x0, y0))
    return canvas.convert("RGB"), [x0, y0, x0 + w, y0 + h]


def encode(img):
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


# --------------------------------------------------------------------------
# Main


def main():
    args = parse_args()
    t0 = time.time()
    world = World(args)
    opencc = OpenCC(args.cache)
    h = plan_holdout(world, args.seed, args)
    aliases = ho.collect_aliases(src.rime_words(args.cache, opencc), src.graph_aliases(args.triples), world.concepts)
    excluded = ho.excluded_aliases(aliases, protected_texts(world))
    planner = Planner(world, h, excluded, args.seed)
    scene_planner = sc.Planner(world.classes, h, list(src.STYLES), vocab.STYLE_WORDS)

    rows = planner.single_rows() + planner.tux_rows()
    rows += planner.scene_rows(scene_planner, "train", args.scenes)
    for split in ("val", "test"):
        rows += planner.scene_rows(scene_planner, split, args.eval_scenes)
    by_split = {s: [r for r in rows if r.split == s] for s in SPLITS}
    for s in SPLITS:
        rng = sc.seeded(args.seed, "order", s)
        rng.shuffle(by_split[s])
        if args.cap and len(by_split[s]) > args.cap:
            by_split[s] = by_split[s][: args.cap]  # the shuffle makes the head a seeded subsample

    os.makedirs(os.path.join(args.out, "eval"), exist_ok=True)
    check_rows(by_split, planner, h)
    writer = Writer(world, args.size)
    for s in SPLITS:
        writer.write_split(by_split[s], args.out, s)
    evals = write_evals(args, world, h, aliases, excluded, by_split)
    write_heldout(args.out, world, h, excluded)
    manifest = make_manifest(args, world, h, aliases, excluded, planner, by_split, evals, t0)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    report(manifest)


def check_rows(by_split, planner, h):
    """The promises, verified on the final rows: no kept-out alias in any
    caption, no held-out concept name or combination in training."""
    for s, rows in by_split.items():
        for r in rows:
            word = planner.alias.find(r.caption)
            if word:
                sys.exit("build_corpus: alias %s in caption %s (%s)" % (word, r.caption, r.idx))
            if s == "train" and (planner.heldout_names.find(r.caption) or r.gt.get("heldout")):
                sys.exit("build_corpus: held-out concept or combination in training row %s" % r.idx)
            if s == "train" and r.gt.get("key") in h.concepts:
                sys.exit("build_corpus: held-out concept image in training row %s" % r.idx)


def write_evals(args, world, h, aliases, excluded, by_split):
    rng = sc.seeded(args.seed, "eval")
    classes = world.classes
    colourable = [n for n in sorted(classes) if classes[n].colourable]
    sets = {
        "single_object": evalsets.single_object(classes),
        "two_object": evalsets.two_object(rng, classes, h, args.eval_limit),
        "counting": evalsets.counting(classes, h),
        "colors": evalsets.colors(classes, h),
        "position": evalsets.position(rng, classes, h, args.eval_limit),
        "color_attr": evalsets.color_attr(rng, classes, h, colourable, list(vocab.COLOURS), args.eval_limit),
        "alias": evalsets.alias_prompts(aliases, excluded, world.by_key, h.concepts, world.class_of),
        "heldout_concepts": evalsets.heldout_concept_prompts(world.by_key, h.concepts),
    }
    captions = [r.caption for rows in by_split.values() for r in rows]
    blob = "\n".join(captions)
    for p in sets["alias"]:
        p["in_any_caption"] = p["alias"] in blob  # must be False: checked below
        if p["in_any_caption"]:
            sys.exit("build_corpus: alias prompt %s occurs in a caption" % p["alias"])
    alias, skipped = ho.Banned(excluded), {}
    for name in list(sets):  # a word across a phrase boundary can spell an alias: drop that prompt
        if name != "alias":
            kept = [p for p in sets[name] if not alias.find(p["prompt"])]
            skipped[name], sets[name] = len(sets[name]) - len(kept), kept
    for name, items in sets.items():
        with open(os.path.join(args.out, "eval", name + ".jsonl"), "w", encoding="utf-8") as f:
            for i, item in enumerate(items):
                f.write(json.dumps(dict(id="%s/%04d" % (name, i), **item), ensure_ascii=False) + "\n")
    write_classes(os.path.join(args.out, "eval", "classes.json"), classes)
    return {k: len(v) for k, v in sets.items()} | {
        "alias_in_judge_vocab": sum(p["in_judge_vocab"] for p in sets["alias"]),
        "alias_no_shared_char": sum(not p["shares_char_with_name"] for p in sets["alias"]),
        "skipped_for_alias": skipped}


def write_classes(path, classes):
    out = [{"class": n, "emoji": c.emoji, "key": c.concept.key, "cldr_name": c.concept.name, "measure_word": c.mw,
            "colourable": c.colourable, "natural_color": c.naturals, "recolourable_styles": sorted(c.recolourable),
            "styles": sorted(c.concept.images)} for n, c in sorted(classes.items())]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


def write_heldout(out_dir, world, h, excluded):
    data = {
        "concepts": [{"key": k, "name": world.by_key[k].name, "emoji": world.by_key[k].emoji, "split": s}
                     for k, s in sorted(h.concepts.items())],
        "style_images": [{"key": k, "name": world.by_key[k].name, "style": s} for k, s in sorted(h.style_images)],
        "pairs": sorted(sorted(p) for p in h.pairs),
        "colour_pairs": [{"color": c, "class": o} for c, o in sorted(h.colour_pairs)],
        "counts": [{"class": c, "count": n} for c, n in sorted(h.counts)],
    }
    with open(os.path.join(out_dir, "heldout.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out_dir, "excluded_aliases.txt"), "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in sorted(excluded)))


def make_manifest(args, world, h, aliases, excluded, planner, by_split, evals, t0):
    def counts(rows, field):
        return dict(sorted(collections.Counter(field(r) for r in rows).items()))

    rows = {s: {"total": len(r), "by_kind": counts(r, lambda x: x.kind),
                "by_style": counts(r, lambda x: x.gt.get("style")),
                "by_category": counts([x for x in r if x.kind == "single"], lambda x: x.gt["category"]),
                "by_layout": counts([x for x in r if x.kind == "scene"], lambda x: x.gt["layout"]),
                "backgrounds": counts(r, lambda x: x.gt.get("background"))} for s, r in by_split.items()}
    files = sorted(os.listdir(args.out))
    sizes = {f: os.path.getsize(os.path.join(args.out, f)) for f in files if os.path.isfile(os.path.join(args.out, f))}
    with open(os.path.join(args.cache, "SOURCES.txt"), encoding="utf-8") as f:
        sources_used = f.read().split("\n")
    rsvg_version = subprocess.run(world.rsvg + ["--version"], capture_output=True, text=True).stdout.strip()
    return {
        "args": vars(args), "seed": args.seed, "size": args.size,
        "tools": {"python": sys.version.split()[0], "pillow": PIL.__version__, "numpy": numpy.__version__,
                  "rsvg": rsvg_version},
        "sources": [s for s in sources_used if s],
        "styles": {s: dict(info, style_word=vocab.STYLE_WORDS.get(s),
                           concepts=len(world.stamps) if s == src.TUX_STYLE else
                           sum(s in c.images for c in world.concepts))
                   for s, info in list(src.STYLES.items()) + [
                       (src.FLAG_STYLE, {"package": "flag-icons@7.5.0", "kind": "svg", "licence": "MIT"}),
                       (src.TUX_STYLE, {"package": "tuxpaint-stamps-default (Debian)", "kind": "png/svg",
                                        "licence": "GPL-2+"})]},
        "concepts": len(world.concepts), "scene_classes": len(world.classes),
        "colourable": sorted(n for n, c in world.classes.items() if c.colourable),
        "train_colourable": sorted(n for n, c in world.classes.items() if c.train_colourable),
        "tux_stamps": len(world.stamps), "tux_skipped": world.stamp_skips,
        "rows": rows, "bytes": sizes, "bytes_total": sum(sizes.values()),
        "heldout": {"concepts": len(h.concepts), "style_images": len(h.style_images), "pairs": len(h.pairs),
                    "colour_pairs": len(h.colour_pairs), "counts": len(h.counts)},
        "aliases": {"words": len(aliases), "kept_out_of_captions": len(excluded),
                    "single_character": sum(len(w) < 2 for w in aliases),
                    "inside_needed_text": sum(len(w) >= 2 and w not in excluded for w in aliases),
                    "captions_containing_kept_out_alias": 0},  # check_rows exits otherwise
        "dropped_captions": dict(planner.dropped), "eval_prompts": evals,
        "images_rendered_now": world.images.rendered, "elapsed_s": round(time.time() - t0, 1),
    }


def report(m):
    for s in SPLITS:
        r = m["rows"][s]
        print("%-5s %6d rows  %s" % (s, r["total"], " ".join("%s=%d" % kv for kv in r["by_kind"].items())))
    print("held out: %s" % m["heldout"])
    print("aliases: %s" % m["aliases"])
    print("eval prompts: %s" % m["eval_prompts"])
    print("dropped captions: %s" % m["dropped_captions"])
    print("%.1f MB in %s, %.0f s" % (m["bytes_total"] / 1e6, m["args"]["out"], m["elapsed_s"]))


if __name__ == "__main__":
    main()
