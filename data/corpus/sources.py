"""Loads the unpacked packages that data/corpus/fetch.sh puts in the cache:
emoji concepts with their CLDR Chinese names, the image of every concept in
every permissively licensed style, country flags, Tux Paint stamps and the
Rime alias words.

A *concept* is one base emoji (no skin-tone variants) or one territory flag.
Images come back as PIL RGBA images; SVG styles are rendered once with
rsvg-convert and cached as PNG under the render cache, so a rebuild is fast
and needs no network.
"""
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

from PIL import Image

FE0F = "\ufe0f"
SKIN_TONES = {chr(c) for c in range(0x1F3FB, 0x1F400)}

# Every emoji style used, in a fixed order. "package" is what the manifest
# names; "kind" says how the image is read.
STYLES = {
    "noto_png": {"package": "emoji-datasource-google@16.0.0", "kind": "png", "licence": "Apache-2.0"},
    "twemoji_png": {"package": "emoji-datasource-twitter@16.0.0", "kind": "png", "licence": "CC-BY-4.0"},
    "openmoji_svg": {"package": "openmoji@17.0.0", "kind": "svg", "licence": "CC-BY-SA-4.0"},
    "fluent_flat_svg": {"package": "@iconify-json/fluent-emoji-flat@1.2.6", "kind": "iconify", "licence": "MIT"},
    "noto_svg": {"package": "@iconify-json/noto@1.2.9", "kind": "iconify", "licence": "Apache-2.0"},
}
FLAG_STYLE = "flag_icons_svg"  # flag-icons@7.5.0 (MIT), 4:3 rectangles
TUX_STYLE = "tuxpaint"         # tuxpaint-stamps-default (GPL-2+)


@dataclass
class Concept:
    key: str                 # "e:1f408" (emoji-datasource unified, lower case) or "flag:CN"
    emoji: str               # the emoji string without U+FE0F ("" for flag-icons only flags)
    name: str                # CLDR zh tts name; flags are written "中国国旗"
    keywords: list           # CLDR zh keywords (not the name itself)
    category: str            # emoji-datasource category / subcategory (English)
    subcategory: str
    sort_order: int
    images: dict = field(default_factory=dict)  # style -> source path or iconify icon name
    territory: str = ""      # flags: CLDR zh territory name


def fail(msg):
    sys.exit("build_corpus: " + msg)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def npm(cache, name):
    """Unpacked npm package directory (fetch.sh layout: npm/<name>-<ver>/package)."""
    flat = name.lstrip("@").replace("/", "-")
    base = os.path.join(cache, "npm")
    for d in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        if re.fullmatch(re.escape(flat) + r"-\d[\w.]*", d):
            return os.path.join(base, d, "package")
    fail("missing npm package %s in %s: run data/corpus/fetch.sh" % (name, base))


def deb(cache, pkg):
    path = os.path.join(cache, "deb", "x", pkg)
    if not os.path.isdir(path):
        fail("missing Debian package %s in %s: run data/corpus/fetch.sh" % (pkg, path))
    return path


def strip_fe0f(s):
    return s.replace(FE0F, "")


def unified_to_str(unified):
    return "".join(chr(int(h, 16)) for h in unified.split("-"))


def display_name(tts):
    """CLDR writes flags '旗: 中国'; the knowledge graph (and a prompt) says '中国国旗'."""
    return tts[len("旗: "):] + "国旗" if tts.startswith("旗: ") else tts


# --------------------------------------------------------------------------
# CLDR names


def cldr_names(cache):
    """emoji (no FE0F) -> (name, keywords) from CLDR zh annotations + derived."""
    full = load_json(os.path.join(npm(cache, "cldr-annotations-full"), "annotations/zh/annotations.json"))
    der = load_json(os.path.join(npm(cache, "cldr-annotations-derived-full"), "annotationsDerived/zh/annotations.json"))
    merged = dict(der["annotationsDerived"]["annotations"])
    merged.update(full["annotations"]["annotations"])
    out = {}
    for emoji, a in merged.items():
        if a.get("tts"):
            name = display_name(a["tts"][0])
            out[strip_fe0f(emoji)] = (name, [k for k in a.get("default", []) if k != name])
    return out


def territory_names(cache):
    path = os.path.join(npm(cache, "cldr-localenames-full"), "main/zh/territories.json")
    return load_json(path)["main"]["zh"]["localeDisplayNames"]["territories"]


# --------------------------------------------------------------------------
# Emoji concepts and where each style keeps their images


def iconify_index(pkg_dir):
    """code points (lower-case hex, no fe0f) -> visible icon name."""
    icons = load_json(os.path.join(pkg_dir, "icons.json"))
    chars = load_json(os.path.join(pkg_dir, "chars.json"))
    out = {}
    for code, name in chars.items():
        key = "-".join(p for p in code.lower().split("-") if p != "fe0f")
        out[key] = name
    return icons, out


def code_key(unified):
    return "-".join(p for p in unified.lower().split("-") if p != "fe0f")


def load_emoji_concepts(cache):
    """Base emoji with a CLDR zh name, and the path of each style's image."""
    meta = load_json(os.path.join(npm(cache, "emoji-datasource"), "emoji.json"))
    names = cldr_names(cache)
    google = os.path.join(npm(cache, "emoji-datasource-google"), "img/google/64")
    twitter = os.path.join(npm(cache, "emoji-datasource-twitter"), "img/twitter/64")
    openmoji = os.path.join(npm(cache, "openmoji"), "color/svg")
    openmoji_files = {code_key(f[:-4]): f for f in os.listdir(openmoji) if f.endswith(".svg")}
    _, fluent = iconify_index(npm(cache, "@iconify-json/fluent-emoji-flat"))
    _, noto = iconify_index(npm(cache, "@iconify-json/noto"))
    concepts = []
    for e in sorted(meta, key=lambda e: e["sort_order"]):
        if e["category"] == "Component":  # bare skin-tone swatches, hair parts
            continue
        s = strip_fe0f(unified_to_str(e["unified"]))
        if s not in names:
            continue
        name, keywords = names[s]
        ck = code_key(e["unified"])
        c = Concept("e:" + ck, s, name, keywords, e["category"], e["subcategory"], e["sort_order"])
        candidates = {
            "noto_png": os.path.join(google, e["image"]) if e.get("has_img_google") else None,
            "twemoji_png": os.path.join(twitter, e["image"]) if e.get("has_img_twitter") else None,
            "openmoji_svg": os.path.join(openmoji, openmoji_files[ck]) if ck in openmoji_files else None,
            "fluent_flat_svg": fluent.get(ck),
            "noto_svg": noto.get(ck),
        }
        for style, src in candidates.items():
            if src and (STYLES[style]["kind"] == "iconify" or os.path.exists(src)):
                c.images[style] = src
        if c.images:
            concepts.append(c)
    return concepts


def attach_flag_icons(cache, concepts):
    """Flags are keyed by territory: the emoji flag concept gains the
    flag-icons SVG; a territory with a flag-icons SVG but no emoji becomes a
    concept of its own. Only territories with a CLDR zh name are used."""
    terr = territory_names(cache)
    flags_dir = os.path.join(npm(cache, "flag-icons"), "flags/4x3")
    by_code = {}
    for c in concepts:
        cps = [ord(ch) for ch in c.emoji]
        if len(cps) == 2 and all(0x1F1E6 <= cp <= 0x1F1FF for cp in cps):
            code = "".join(chr(cp - 0x1F1E6 + ord("A")) for cp in cps)
            if code in terr:
                c.territory = terr[code]
                by_code[code] = c
    for f in sorted(os.listdir(flags_dir)):
        code = f[:-4].upper()
        if not f.endswith(".svg") or code not in terr or "-" in code:
            continue
        c = by_code.get(code)
        if c is None:
            c = Concept("flag:" + code, "", terr[code] + "国旗", [], "Flags", "country-flag", 10**6 + len(concepts))
            c.territory = terr[code]
            concepts.append(c)
            by_code[code] = c
        c.images[FLAG_STYLE] = os.path.join(flags_dir, f)
    return concepts


# --------------------------------------------------------------------------
# Tux Paint stamps


@dataclass
class Stamp:
    key: str        # path under stamps/ without extension
    caption: str    # cleaned zh_CN caption
    image: str      # .png (preferred: what Tux Paint shows) or .svg
    raw: str        # the zh_CN line as shipped


# Letters, sign-language hand shapes and chess pieces are glyphs, not pictures;
# "colorable" stamps are grey masks that Tux Paint fills with the pen colour.
TUX_SKIP_DIRS = ("symbols/alphabets", "symbols/chess")


def clean_tux_caption(raw):
    """First clause of the zh_CN caption, without quotes or end marks.
    None when unusable (empty, over 12 characters, or with Latin letters)."""
    text = re.sub(r"（[^）]*）|\([^)]*\)", "", raw)  # parenthesised asides: 孔雀（雄性孔雀）
    text = re.sub(r"[“”\"'‘’「」]", "", text).strip()
    text = re.split(r"[。！？!?]", text)[0].strip()
    text = re.split(r"[，,；;：:—－]", text)[0].strip()  # later clauses describe ("四叶草，据说带来好运")
    if not text or len(text) > 12 or re.search(r"[A-Za-z]", text):
        return None
    return text


def load_tux_stamps(cache):
    root = os.path.join(deb(cache, "tuxpaint-stamps-default"), "usr/share/tuxpaint/stamps")
    stamps, skipped = [], {"no_zh_CN": 0, "glyph_or_mask": 0, "caption_unusable": 0, "no_image": 0}
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if not f.endswith(".txt"):
                continue
            base = os.path.join(d, f[:-4])
            rel = os.path.relpath(base, root)
            raw = tux_zh_caption(base + ".txt")
            dat = open(base + ".dat", encoding="utf-8", errors="replace").read().split() if os.path.exists(base + ".dat") else []
            image = next((base + ext for ext in (".png", ".svg") if os.path.exists(base + ext)), None)
            reason = ("no_zh_CN" if raw is None else
                      "glyph_or_mask" if rel.startswith(TUX_SKIP_DIRS) or "colorable" in dat else
                      "no_image" if image is None else
                      "caption_unusable" if clean_tux_caption(raw) is None else None)
            if reason:
                skipped[reason] += 1
                continue
            stamps.append(Stamp(rel, clean_tux_caption(raw), image, raw))
    return stamps, skipped


def tux_zh_caption(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("zh_CN.utf8="):
                return line[len("zh_CN.utf8="):].strip()
    return None


# --------------------------------------------------------------------------
# Rime alias words


def rime_words(cache, opencc):
    """Simplified Rime word -> set of base emoji strings (skin tones and FE0F removed)."""
    path = os.path.join(deb(cache, "rime-data-emoji"), "usr/share/rime-data/opencc/emoji_word.txt")
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                pairs.append((parts[0], parts[1].split(" ")[1:]))
    conv = opencc.convert(sorted({w for w, _ in pairs}))
    out = {}
    for word, emojis in pairs:
        for e in emojis:
            base = "".join(ch for ch in strip_fe0f(e) if ch not in SKIN_TONES)
            out.setdefault(conv[word], set()).add(base)
    return out


def graph_aliases(triples_path):
    """(head name, alias) pairs of relation 别名 in the bundled graph."""
    out = []
    with open(triples_path, encoding="utf-8") as f:
        for line in f:
            h, r, t = line.rstrip("\n").split("\t")
            if r == "别名":
                out.append((h, t))
    return out


# --------------------------------------------------------------------------
# Images


class ImageSource:
    """Returns RGBA images of concepts and stamps. SVGs are rendered with
    rsvg-convert at `px` and cached as PNG, since rendering is the slow part."""

    def __init__(self, cache, render_cache, rsvg):
        self.render_cache = render_cache
        self.rsvg = rsvg
        self.iconify = {}
        for style in ("fluent_flat_svg", "noto_svg"):
            pkg = npm(cache, STYLES[style]["package"].rsplit("@", 1)[0])
            self.iconify[style] = load_json(os.path.join(pkg, "icons.json"))
        self.memo = {}
        self.rendered = 0

    def concept(self, c, style, px):
        key = (c.key, style, px)
        if key not in self.memo:
            self.memo[key] = self._load(c.images[style], style, px, c.key)
        return self.memo[key]

    def stamp(self, s, px):
        if s.image.endswith(".png"):
            return Image.open(s.image).convert("RGBA")
        return self._render_file(s.image, os.path.join(TUX_STYLE, str(px), s.key.replace("/", "__")), px, keep_aspect=True)

    def _load(self, src, style, px, ckey):
        kind = STYLES[style]["kind"] if style in STYLES else "svg"
        if kind == "png":
            return Image.open(src).convert("RGBA")
        cached = os.path.join(style, str(px), ckey.replace(":", "_"))
        if kind == "iconify":
            return self._render_svg_text(self._iconify_svg(style, src), cached, px)
        return self._render_file(src, cached, px, keep_aspect=(style == FLAG_STYLE))

    def _iconify_svg(self, style, name):
        data = self.iconify[style]
        icons, aliases = data["icons"], data.get("aliases", {})
        transform = ""
        while name not in icons:  # chars.json may name an alias of another icon
            alias = aliases[name]
            if alias.get("hFlip"):
                transform = ' transform="translate(%d 0) scale(-1 1)"' % data.get("width", 16)
            name = alias["parent"]
        icon = icons[name]
        w, h = icon.get("width", data.get("width", 16)), icon.get("height", data.get("height", 16))
        return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                'width="%d" height="%d" viewBox="0 0 %d %d"><g%s>%s</g></svg>' % (w, h, w, h, transform, icon["body"]))

    def _render_svg_text(self, svg, cached, px):
        out = os.path.join(self.render_cache, cached + ".png")
        if not os.path.exists(out):
            os.makedirs(os.path.dirname(out), exist_ok=True)
            tmp = out + ".svg"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(svg)
            self._rsvg(tmp, out, px, False)
            os.remove(tmp)
        return Image.open(out).convert("RGBA")

    def _render_file(self, src, cached, px, keep_aspect):
        out = os.path.join(self.render_cache, cached + ".png")
        if not os.path.exists(out):
            os.makedirs(os.path.dirname(out), exist_ok=True)
            self._rsvg(src, out, px, keep_aspect)
        return Image.open(out).convert("RGBA")

    def _rsvg(self, src, out, px, keep_aspect):
        size = ["-w", str(px)] if keep_aspect else ["-w", str(px), "-h", str(px)]
        tmp = out + ".tmp"
        subprocess.run(self.rsvg + size + [src, "-o", tmp], check=True, stderr=subprocess.DEVNULL)
        os.replace(tmp, out)  # a killed run leaves no half-written cache entry
        self.rendered += 1
