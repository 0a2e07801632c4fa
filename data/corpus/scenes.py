"""Synthesised scenes: one to four scene objects on a plain canvas, a caption
that states what is there, how many, where and in which colour, and the
ground truth (class, bounding box, colour of every object) for the judge.

A scene is planned first (a SceneSpec: every random choice, including the
placement jitter) and drawn later, so a size cap can drop plans before any
image is made, and the drawing is a pure function of the plan.
"""
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

import captions as cap
from vocab import BACKGROUND_CLASH, BACKGROUNDS, COLOURS, hue_to_colour

# Layouts and how often training uses each: pairs carry the relations the
# evaluation asks most about, so they are the most frequent.
LAYOUT_WEIGHTS = {"single": 0.15, "pair": 0.35, "count": 0.2, "mixed": 0.12, "row3": 0.1, "list4": 0.08}
# Colourable objects are 7 of ~80 classes: without a boost few scenes would
# teach colour words, and almost none two colours at once (attribute binding).
COLOURABLE_BOOST = (0.12, 0.30)  # P(two colourable classes), P(one)
# With --train-recolour, training scenes also take one class that only
# training recolours this often, on top of the boost above, which stays over
# the 7 evaluated classes so that they keep every coloured object they had.
TRAIN_COLOURABLE_BOOST = 0.35
RECOLOUR_RATE = 0.5       # a colourable object in a scene gets a stated colour
NATURAL_STATE_RATE = 0.25  # otherwise its natural colour is sometimes stated
BACKGROUND_RATE = 0.35     # scenes on a non-white background


@dataclass
class SceneClass:
    name: str                # caption name, also the judge's class id
    emoji: str
    concept: object          # sources.Concept
    mw: str
    colourable: bool
    train_colourable: bool = False                    # recoloured in training scenes only (vocab.TRAIN_COLOURABLE)
    naturals: dict = field(default_factory=dict)      # style -> colour word or None
    recolourable: set = field(default_factory=set)    # styles with a saturated body colour


@dataclass
class SceneSpec:
    layout: str
    groups: list             # [(class name, count, colour word or None)]
    style: str
    bg: str
    relation: str = None     # pair: groups[0] is at `relation` of groups[1]
    pos: str = None          # single: where the object is
    placements: list = field(default_factory=list)  # (group index, cx, cy, size) as canvas fractions
    caption: str = ""
    facts: dict = field(default_factory=dict)
    heldout: list = field(default_factory=list)


# --------------------------------------------------------------------------
# Colour: measure a sprite's body hue and rotate it


def body_hue(img):
    """(mean hue in degrees, fraction of opaque pixels, mask) of the dominant
    saturated hue band of an RGBA sprite; None when it has no colour body."""
    a = np.asarray(img)[..., 3] > 128
    hsv = np.asarray(img.convert("RGB").convert("HSV")).astype(np.int32)
    h, s, v = hsv[..., 0] * 360 // 256, hsv[..., 1], hsv[..., 2]
    chroma = a & (s > 60) & (v > 60)
    if a.sum() == 0 or chroma.sum() < 0.15 * a.sum():
        return None
    hist = np.bincount(h[chroma] // 10, minlength=36)
    smooth = hist + np.roll(hist, 1) + np.roll(hist, -1)
    peak = int(np.argmax(smooth)) * 10 + 5
    dist = np.abs((h - peak + 180) % 360 - 180)
    band = chroma & (dist <= 25)
    angles = np.deg2rad(h[band])
    mean = float(np.rad2deg(np.arctan2(np.sin(angles).mean(), np.cos(angles).mean())) % 360)
    return mean, float(band.sum() / a.sum()), band


MIN_VALUE = {COLOURS["黄色"]: 200, COLOURS["橙色"]: 170}  # brightness floor of the recoloured body


def recolour(img, target_deg):
    """Rotates the body hue band to `target_deg` and lifts its saturation, so
    the stated colour word is what a viewer (and the judge) sees; outlines,
    highlights and other parts (an apple's leaf) keep their colour."""
    found = body_hue(img)
    if found is None:
        return img
    mean, _, band = found
    hsv = np.asarray(img.convert("RGB").convert("HSV")).copy()
    h = hsv[..., 0].astype(np.int32) * 360 // 256
    new_h = (h + int(round(target_deg - mean))) % 360
    hsv[..., 0] = np.where(band, new_h * 256 // 360, hsv[..., 0])
    hsv[..., 1] = np.where(band, np.maximum(hsv[..., 1], 170), hsv[..., 1])
    floor = MIN_VALUE.get(target_deg, 0)  # dark yellow reads as olive, dark orange as brown
    lifted = floor + hsv[..., 2].astype(np.int32) * (255 - floor) // 255
    hsv[..., 2] = np.where(band, lifted, hsv[..., 2])
    out = Image.fromarray(hsv, "HSV").convert("RGBA")
    out.putalpha(img.getchannel("A"))
    return out


def measure_classes(classes, images, px):
    """Natural colour word and recolourability of each colourable class in each style."""
    for c in classes.values():
        if not (c.colourable or c.train_colourable):
            continue
        for style in c.concept.images:
            found = body_hue(images.concept(c.concept, style, px))
            if found and found[1] >= 0.2:
                c.naturals[style] = hue_to_colour(found[0])
                c.recolourable.add(style)
            else:
                c.naturals[style] = None


# --------------------------------------------------------------------------
# Planning: groups, placements, captions


class Planner:
    def __init__(self, classes, holdout, styles, style_words):
        self.classes = classes            # name -> SceneClass
        self.names = sorted(classes)
        self.colourable = [n for n in self.names if classes[n].colourable]
        # training scenes also recolour these; evaluation scenes never do
        self.train_only = [n for n in self.names if classes[n].train_colourable and not classes[n].colourable]
        self.holdout = holdout
        self.styles = styles              # emoji styles, in order
        self.style_words = style_words

    # -- groups ------------------------------------------------------------

    def random_groups(self, rng, layout, train=False):
        """[(class, count)] for a layout, distinct classes."""
        k = {"single": 1, "pair": 2, "count": 1, "mixed": 2, "row3": 3}.get(layout)
        if layout == "list4":
            k = rng.choice([2, 3, 4])
        picked = self.boosted_sample(rng, k, train)
        if layout == "count":
            return [(picked[0], rng.choice([2, 3, 4]))]
        if layout == "mixed":
            n0 = rng.choice([1, 2, 3])
            n1 = rng.choice([c for c in (1, 2, 3) if 3 <= n0 + c <= 4])
            return [(picked[0], n0), (picked[1], n1)]
        if layout == "list4":
            counts = [1] * k
            for _ in range(4 - k):
                counts[rng.randrange(k)] += 1
            return list(zip(picked, counts))
        return [(p, 1) for p in picked]

    def boosted_sample(self, rng, k, train=False):
        """k distinct classes, with colourable ones more often than their share
        (in training, also those only training recolours, by a boost of their own)."""
        r = rng.random()
        want = min(k, 2 if r < COLOURABLE_BOOST[0] else 1 if r < sum(COLOURABLE_BOOST) else 0)
        first = rng.sample(self.colourable, want)
        if train and self.train_only and want < k and rng.random() < TRAIN_COLOURABLE_BOOST:
            first.append(rng.choice(self.train_only))
        rest = [n for n in rng.sample(self.names, k + len(first)) if n not in first][: k - len(first)]
        picked = first + rest
        rng.shuffle(picked)
        return picked

    def pick_style(self, rng, groups, recolour=None):
        """A style every group's class is drawn in (and that can recolour `recolour`)."""
        usable = [s for s in self.styles if all(s in self.classes[g[0]].concept.images for g in groups)
                  and (recolour is None or s in self.classes[recolour].recolourable)]
        return rng.choice(usable)

    def pick_colours(self, rng, groups, style, bg, forced=None, allow_heldout=False, train=False):
        """Adds a colour word to each group: a recolour target, a stated
        natural colour, or None. `forced` = (class, colour) must be used."""
        out = []
        for cls, n in groups:
            c = self.classes[cls]
            colourable = c.colourable or (train and c.train_colourable)
            colour = None
            if forced and forced[0] == cls:
                colour = forced[1]
            elif colourable and style in c.recolourable and rng.random() < RECOLOUR_RATE:
                options = [w for w in COLOURS if w != BACKGROUND_CLASH.get(bg)
                           and (allow_heldout or (w, cls) not in self.holdout.colour_pairs)]
                colour = rng.choice(options)
            elif colourable and c.naturals.get(style) and rng.random() < NATURAL_STATE_RATE:
                colour = c.naturals[style]
            if colour == BACKGROUND_CLASH.get(bg) and not (forced and forced[0] == cls):
                colour = None  # a stated colour never shares the background's hue
            out.append((cls, n, colour))
        return out

    def pick_bg(self, rng, forced_colour=None):
        if rng.random() >= BACKGROUND_RATE:
            return "白色"
        options = [b for b in BACKGROUNDS if b != "白色" and BACKGROUND_CLASH.get(b) != forced_colour]
        return rng.choice(options)

    # -- whole scenes ------------------------------------------------------

    def train_scene(self, rng):
        """A scene with no held-out combination (rejection sampling)."""
        while True:
            layout = weighted(rng, LAYOUT_WEIGHTS)
            groups = self.random_groups(rng, layout, train=True)
            bg = self.pick_bg(rng)
            style = self.pick_style(rng, groups)
            groups = self.pick_colours(rng, groups, style, bg, train=True)
            if not self.holdout.scene_combos(groups):
                return self.finish(rng, layout, groups, style, bg)

    def eval_scene(self, rng):
        """A scene built around one held-out combination (pair, colour or count)."""
        kind = rng.choice(["pair", "colour", "count"])
        forced = None
        if kind == "pair":
            a, b = sorted(rng.choice(sorted(self.holdout.pairs, key=sorted)))
            layout = rng.choice(["pair", "pair", "mixed", "row3", "list4"])
            groups = self.groups_with(rng, layout, [(a, None), (b, None)])
        elif kind == "colour":
            colour, cls = rng.choice(sorted(self.holdout.colour_pairs))
            forced = (cls, colour)
            layout = rng.choice(["single", "pair", "count", "mixed"])
            groups = self.groups_with(rng, layout, [(cls, None)])
        else:
            cls, n = rng.choice(sorted(self.holdout.counts))
            layout = "count" if n == 4 or rng.random() < 0.6 else rng.choice(["mixed", "list4"])
            groups = self.groups_with(rng, layout, [(cls, n)])
        bg = self.pick_bg(rng, forced[1] if forced else None)
        style = self.pick_style(rng, groups, forced[0] if forced else None)
        groups = self.pick_colours(rng, groups, style, bg, forced, allow_heldout=True)
        return self.finish(rng, layout, groups, style, bg)

    def groups_with(self, rng, layout, required):
        """Random groups for `layout` that contain the `required` classes
        [(class, count or None for any)]; the other classes are random."""
        names = {r[0] for r in required}
        for _ in range(10000):
            groups = self.random_groups(rng, layout)
            if len(groups) < len(required):
                continue
            fillers = [g[0] for g in groups if g[0] not in names]
            merged = [(r[0], r[1] or groups[i][1]) for i, r in enumerate(required)]
            merged += list(zip(fillers, [g[1] for g in groups[len(required):]]))
            if len(merged) == len(groups) and self.valid_counts(layout, [m[1] for m in merged]):
                rng.shuffle(merged)
                return merged
        raise RuntimeError("no %s layout holds %s" % (layout, required))

    @staticmethod
    def valid_counts(layout, counts):
        total = sum(counts)
        return {"single": counts == [1], "pair": counts == [1, 1], "count": len(counts) == 1 and counts[0] >= 2,
                "mixed": len(counts) == 2 and 3 <= total <= 4 and max(counts) <= 3,
                "row3": counts == [1, 1, 1], "list4": total == 4}[layout]

    def finish(self, rng, layout, groups, style, bg):
        spec = SceneSpec(layout, groups, style, bg)
        if layout == "single":
            spec.pos = rng.choice(cap.POSITIONS)
        if layout == "pair":
            spec.relation = rng.choice(["左边", "右边", "上面", "下面"])
        spec.placements = place(rng, spec)
        spec.caption, spec.facts = self.caption(rng, spec)
        spec.heldout = self.holdout.scene_combos(groups)
        return spec

    # -- captions ------------------------------------------------------------

    def phrase(self, rng, group, bare=0.3):
        c = self.classes[group[0]]
        return cap.noun_phrase(rng, c.name, c.mw, group[1], group[2], bare=bare)

    def caption(self, rng, spec):
        nps = [self.phrase(rng, g) for g in spec.groups]
        facts = {"objects": [{"class": g[0], "count": g[1], "color": g[2]} for g in spec.groups],
                 "relation": None, "positions": None}
        text, kind = self.layout_caption(rng, spec, nps, facts)
        text, style_stated, bg_stated = cap.dress(rng, text, kind, spec.bg, self.style_words.get(spec.style))
        facts["style"] = self.style_words.get(spec.style) if style_stated else None
        facts["background"] = spec.bg if bg_stated else None
        return text, facts

    def layout_caption(self, rng, spec, nps, facts):
        if spec.layout == "single":
            if rng.random() < 0.7:
                facts["positions"] = [spec.pos]
                return cap.pick(rng, cap.SCENE_SINGLE_POS, a=nps[0], pos=spec.pos)
            return cap.pick(rng, cap.SCENE_FREE_1, a=nps[0])
        if spec.layout == "pair":
            return self.pair_caption(rng, spec, nps, facts)
        if spec.layout == "count":
            return cap.pick(rng, cap.SCENE_COUNT, a=nps[0])
        if spec.layout == "mixed" and rng.random() < 0.6:
            facts["positions"] = ["左边", "右边"]
            return cap.pick(rng, cap.SCENE_MIXED, x=nps[0], y=nps[1])
        if spec.layout == "row3" and rng.random() < 0.5:
            facts["positions"] = ["左边", "中间", "右边"]
            return cap.pick(rng, cap.SCENE_ROW3, x=nps[0], y=nps[1], z=nps[2])
        order = list(range(len(nps)))
        rng.shuffle(order)
        return cap.pick(rng, cap.SCENE_LIST, list=cap.listing([nps[i] for i in order]))

    def pair_caption(self, rng, spec, nps, facts):
        rel = spec.relation
        horizontal = rel in ("左边", "右边")
        r = rng.random()
        if r < 0.6:
            facts["relation"] = {"a": 0, "b": 1, "rel": rel}
            first = 0 if rel in ("左边", "上面") else 1  # the group at 左边 / 上面
            p1, p2 = ("左边", "右边") if horizontal else ("上面", "下面")
            return cap.pick(rng, cap.SCENE_PAIR_REL, a=nps[0], b=nps[1], rel=rel,
                            p1=p1, p2=p2, x=nps[first], y=nps[1 - first])
        a, b = (0, 1) if rng.random() < 0.5 else (1, 0)
        if r < 0.75 and horizontal:
            facts["relation"] = {"a": a, "b": b, "rel": "旁边"}
            return cap.pick(rng, cap.SCENE_PAIR_BESIDE, a=nps[a], b=nps[b])
        return cap.pick(rng, cap.SCENE_PAIR_FREE, a=nps[a], b=nps[b])


def weighted(rng, weights):
    r, acc = rng.random() * sum(weights.values()), 0.0
    for key, w in weights.items():
        acc += w
        if r < acc:
            return key
    return key


# --------------------------------------------------------------------------
# Placement (fractions of the canvas; objects never overlap)

SINGLE_CENTRES = {"左边": (0.27, 0.5), "右边": (0.73, 0.5), "上面": (0.5, 0.27), "下面": (0.5, 0.73), "中间": (0.5, 0.5)}
PAIR_OFFSETS = {"左边": ((0.27, 0.5), (0.73, 0.5)), "右边": ((0.73, 0.5), (0.27, 0.5)),
                "上面": ((0.5, 0.27), (0.5, 0.73)), "下面": ((0.5, 0.73), (0.5, 0.27))}
GRID = [(0.27, 0.27), (0.73, 0.27), (0.27, 0.73), (0.73, 0.73)]
ROW = [(0.18, 0.5), (0.5, 0.5), (0.82, 0.5)]
TRIANGLE = [(0.5, 0.27), (0.27, 0.73), (0.73, 0.73)]
COLUMN = {1: [0.5], 2: [0.27, 0.73], 3: [0.18, 0.5, 0.82]}
SIZE = {1: (0.42, 0.5), 2: (0.34, 0.4), 3: (0.26, 0.29), 4: (0.32, 0.36)}  # by objects per row/column/grid


def place(rng, spec):
    j = lambda: rng.uniform(-0.03, 0.03)  # noqa: E731 - jitter small enough to keep every position word true
    out = []
    if spec.layout == "single":
        cx, cy = SINGLE_CENTRES[spec.pos]
        out.append((0, cx + j(), cy + j(), rng.uniform(*SIZE[1])))
    elif spec.layout == "pair":
        size = rng.uniform(*SIZE[2])
        for g, (cx, cy) in enumerate(PAIR_OFFSETS[spec.relation]):
            out.append((g, cx + j(), cy + 2 * j(), size))
    elif spec.layout == "count":
        n = spec.groups[0][1]
        cells = {2: rng.choice([[(0.27, 0.5), (0.73, 0.5)], [(0.5, 0.27), (0.5, 0.73)]]),
                 3: rng.choice([ROW, TRIANGLE]), 4: GRID}[n]
        size = rng.uniform(*(SIZE[2] if n == 2 else SIZE[3] if cells is ROW else SIZE[4]))
        out += [(0, cx + j(), cy + j(), size) for cx, cy in cells]
    elif spec.layout == "mixed":
        for g, cx in ((0, 0.27), (1, 0.73)):
            n = spec.groups[g][1]
            size = rng.uniform(*(SIZE[3] if n == 3 else SIZE[2]))
            out += [(g, cx + j(), cy + j(), size) for cy in COLUMN[n]]
    elif spec.layout == "row3":
        size = rng.uniform(*SIZE[3])
        out += [(g, cx + j(), cy + 2 * j(), size) for g, (cx, cy) in enumerate(ROW)]
    else:  # list4: the groups' objects in shuffled grid cells
        cells = GRID[:]
        rng.shuffle(cells)
        size = rng.uniform(*SIZE[4])
        members = [g for g, grp in enumerate(spec.groups) for _ in range(grp[1])]
        out += [(g, cx + j(), cy + j(), size) for g, (cx, cy) in zip(members, cells)]
    return out


# --------------------------------------------------------------------------
# Drawing


class Drawer:
    def __init__(self, classes, images, px):
        self.classes = classes
        self.images = images
        self.px = px          # SVG render size of the sprites
        self.memo = {}

    def sprite(self, cls, style, colour):
        """Tight-cropped RGBA sprite, recoloured when `colour` is not its natural one."""
        key = (cls, style, colour)
        if key not in self.memo:
            c = self.classes[cls]
            img = self.images.concept(c.concept, style, self.px)
            if colour and colour != c.naturals.get(style):
                img = recolour(img, COLOURS[colour])
            self.memo[key] = img.crop(img.getchannel("A").getbbox())
        return self.memo[key]

    def draw(self, spec, size):
        canvas = Image.new("RGBA", (size, size), BACKGROUNDS[spec.bg] + (255,))
        objects = []
        for g, cx, cy, frac in spec.placements:
            cls, _, colour = spec.groups[g]
            sprite = self.sprite(cls, spec.style, colour)
            scale = frac * size / max(sprite.size)
            w, h = max(1, round(sprite.width * scale)), max(1, round(sprite.height * scale))
            x0 = min(max(0, round(cx * size - w / 2)), size - w)
            y0 = min(max(0, round(cy * size - h / 2)), size - h)
            canvas.alpha_composite(sprite.resize((w, h), Image.LANCZOS), (x0, y0))
            c = self.classes[cls]
            objects.append({"class": cls, "emoji": c.emoji, "group": g, "bbox": [x0, y0, x0 + w, y0 + h],
                            "color": colour, "natural_color": c.naturals.get(spec.style)})
        return canvas.convert("RGB"), objects


def seeded(seed, *parts):
    return random.Random("/".join(str(p) for p in (seed,) + parts))
