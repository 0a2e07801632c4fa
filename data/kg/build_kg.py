#!/usr/bin/env python3
"""Builds Shenbi's bundled Chinese knowledge graph from offline packages.

Input: the cache filled by scripts/fetch-kg-sources.sh (pinned npm + Debian
packages). Output: a triples TSV (head<TAB>relation<TAB>tail), simplified
Chinese, sorted and de-duplicated so that a rebuild from the same packages is
byte-identical.

    python3 data/kg/build_kg.py --cache data/cache/kg --out resources/knowledge/triples.tsv

Only the Python standard library is used. Traditional script (Rime,
emojibase's zh subgroup names) is converted with OpenCC t2s: the system
`opencc` if installed, else the one unpacked from Debian packages in the cache.

Entities are names: an emoji is named by its CLDR zh `tts` name, so the
emoji 熊猫 and the keyword 熊猫 are one entity, which is what connects the
graph (ARTIST's entities are words found in captions, too).
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FE0F = "\ufe0f"
ZWJ = "\u200d"
SKIN_TONES = {chr(c) for c in range(0x1F3FB, 0x1F400)}


def strip_fe0f(s):
    return s.replace(FE0F, "")


class OpenCC:
    """Batch t2s conversion through the opencc command-line tool."""

    def __init__(self, cache):
        self.cmd = None
        self.env = dict(os.environ)
        if shutil.which("opencc"):
            self.cmd = ["opencc", "-c", "t2s.json"]
            return
        x = os.path.join(cache, "deb", "x")
        share = os.path.join(cache, "deb", "opencc-share")
        os.makedirs(share, exist_ok=True)
        # Debian splits the configs (libopencc-data) from the dictionaries
        # (libopencc1.1); opencc resolves dictionaries beside its config.
        for sub in ("libopencc-data", "libopencc1.1"):
            d = os.path.join(x, sub, "usr", "share", "opencc")
            if os.path.isdir(d):
                for f in os.listdir(d):
                    shutil.copy(os.path.join(d, f), share)
        binary = os.path.join(x, "opencc", "usr", "bin", "opencc")
        if not os.path.exists(binary):
            sys.exit("opencc not found: install it or run scripts/fetch-kg-sources.sh")
        libs = [os.path.join(x, p, "usr", "lib", "x86_64-linux-gnu") for p in ("libopencc1.1", "libmarisa0")]
        self.env["LD_LIBRARY_PATH"] = ":".join(libs + [self.env.get("LD_LIBRARY_PATH", "")])
        self.cmd = [binary, "-c", os.path.join(share, "t2s.json")]

    def convert(self, strings):
        strings = list(strings)
        if not strings:
            return {}
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "in.txt"), os.path.join(tmp, "out.txt")
            with open(src, "w", encoding="utf-8") as f:
                f.write("\n".join(s.replace("\n", " ") for s in strings) + "\n")
            subprocess.run(self.cmd + ["-i", src, "-o", dst], check=True, env=self.env)
            with open(dst, encoding="utf-8") as f:
                out = f.read().split("\n")[: len(strings)]
        if len(out) != len(strings):
            sys.exit("opencc returned %d lines for %d" % (len(out), len(strings)))
        return dict(zip(strings, out))


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def npm_dir(cache, name):
    base = os.path.join(cache, "npm")
    for d in sorted(os.listdir(base)):
        if d.startswith(name + "-") and os.path.isdir(os.path.join(base, d, "package")):
            return os.path.join(base, d, "package")
    sys.exit("missing npm package %s in %s: run scripts/fetch-kg-sources.sh" % (name, base))


def display_name(tts):
    """CLDR writes flags as '旗: 中国'; '中国国旗' reads like a prompt."""
    if tts.startswith("旗: "):
        return tts[len("旗: "):] + "国旗"
    return tts


class Graph:
    def __init__(self):
        self.triples = set()
        self.per_relation = collections.Counter()

    def add(self, h, r, t):
        h, t = h.strip(), t.strip()
        # Tabs and newlines would break the TSV; self-loops carry no knowledge.
        if not h or not t or h == t or "\t" in h + t or "\n" in h + t:
            return
        if (h, r, t) not in self.triples:
            self.triples.add((h, r, t))
            self.per_relation[r] += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", default="data/cache/kg")
    ap.add_argument("--out", default="resources/knowledge/triples.tsv")
    args = ap.parse_args()
    cache = args.cache
    occ = OpenCC(cache)

    raw = []  # (h, r, t) before t2s

    # --- CLDR annotations: emoji -> name, keywords -------------------------
    ann = load_json(os.path.join(npm_dir(cache, "cldr-annotations-full"), "annotations/zh/annotations.json"))
    der = load_json(os.path.join(npm_dir(cache, "cldr-annotations-derived-full"), "annotationsDerived/zh/annotations.json"))
    annotations = {}
    annotations.update(ann["annotations"]["annotations"])
    annotations.update(der["annotationsDerived"]["annotations"])
    name_of = {}  # emoji (no FE0F) -> entity name
    for emoji, a in annotations.items():
        if "tts" in a:
            name_of[strip_fe0f(emoji)] = display_name(a["tts"][0])
    for emoji, a in annotations.items():
        key = strip_fe0f(emoji)
        if key not in name_of:
            continue
        # Only pictographs: CLDR also annotates ASCII symbols such as '{'.
        if all(ord(c) < 0x2000 for c in key):
            continue
        for kw in a.get("default", []):
            raw.append((name_of[key], "关键词", kw))

    # --- emojibase zh: emoji -> subgroup -> group, skin-tone variants -----
    eb = npm_dir(cache, "emojibase-data")
    messages = load_json(os.path.join(eb, "zh/messages.json"))
    groups = {g["order"]: g["message"] for g in messages["groups"]}
    subgroups = {g["order"]: g["message"] for g in messages["subgroups"]}
    sub_to_group = set()
    data = load_json(os.path.join(eb, "zh/data.json"))

    def emoji_name(e):
        return name_of.get(strip_fe0f(e["emoji"])) or display_name(e.get("label", ""))

    for e in data:
        if "group" not in e or "subgroup" not in e:
            continue
        base_name = emoji_name(e)
        variants = [e] + list(e.get("skins", []))
        for v in variants:
            n = emoji_name(v)
            sg = v.get("subgroup", e["subgroup"])
            g = v.get("group", e["group"])
            raw.append((n, "属于子类", subgroups[sg]))
            sub_to_group.add((subgroups[sg], groups[g]))
            if v is not e:
                raw.append((n, "基本形式", base_name))
    for sg, g in sorted(sub_to_group):
        raw.append((sg, "属于大类", g))

    # --- ZWJ components and skin tones ------------------------------------
    for emoji in sorted(name_of):
        name = name_of[emoji]
        tones = [c for c in emoji if c in SKIN_TONES]
        for t in tones:
            if t in name_of:
                raw.append((name, "肤色", name_of[t]))
        if ZWJ not in emoji:
            continue
        for part in emoji.split(ZWJ):
            part = "".join(c for c in part if c not in SKIN_TONES)
            if part in name_of:
                raw.append((name, "组成部分", name_of[part]))

    # --- territories: containment, official languages, flags --------------
    ln = npm_dir(cache, "cldr-localenames-full")
    territories = load_json(os.path.join(ln, "main/zh/territories.json"))["main"]["zh"]["localeDisplayNames"]["territories"]
    languages = load_json(os.path.join(ln, "main/zh/languages.json"))["main"]["zh"]["localeDisplayNames"]["languages"]
    supp = os.path.join(cache, "deb/x/unicode-cldr-core/usr/share/unicode/cldr/common/supplemental/supplementalData.xml")
    root = ET.parse(supp).getroot()
    for grp in root.iter("group"):
        if grp.get("status") == "deprecated":
            continue
        parent = territories.get(grp.get("type"))
        if not parent:
            continue
        # grouping="true" marks unions (EU, UN) and overlapping super-regions;
        # status="grouping" lists them under the world. Membership is not
        # geography, so they get their own relation.
        union = grp.get("grouping") == "true" and grp.get("type").isalpha()
        if grp.get("status") == "grouping":
            continue
        for child in grp.get("contains", "").split():
            c = territories.get(child)
            if c:
                raw.append((c, "成员" if union else "位于", parent))
    for terr in root.iter("territory"):
        code = terr.get("type")
        country = territories.get(code)
        if not country or terr.find("languagePopulation") is None:
            continue
        for lp in terr.findall("languagePopulation"):
            if lp.get("officialStatus") not in ("official", "de_facto_official"):
                continue
            lang = lp.get("type")
            lname = languages.get(lang) or languages.get(lang.split("_")[0])
            if lname:
                raw.append((country, "官方语言", lname))
    for emoji, name in name_of.items():
        cps = [ord(c) for c in emoji]
        if len(cps) == 2 and all(0x1F1E6 <= c <= 0x1F1FF for c in cps):
            code = "".join(chr(c - 0x1F1E6 + ord("A")) for c in cps)
            if code in territories:
                raw.append((name, "代表国家/地区", territories[code]))

    # --- Rime: categories and word -> emoji aliases (traditional script) --
    rime = os.path.join(cache, "deb/x/rime-data-emoji/usr/share/rime-data/opencc")

    def rime_lines(fname):
        with open(os.path.join(rime, fname), encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2:
                    yield parts[0], parts[1].split(" ")[1:]

    for cat, emojis in rime_lines("emoji_category.txt"):
        for e in emojis:
            n = name_of.get(strip_fe0f(e))
            if n:
                raw.append((n, "类别", cat))
    for word, emojis in rime_lines("emoji_word.txt"):
        for e in emojis:
            n = name_of.get(strip_fe0f(e))
            if n:
                raw.append((n, "别名", word))

    # --- t2s everything, de-duplicate, write --------------------------------
    strings = sorted({s for h, r, t in raw for s in (h, r, t)})
    conv = occ.convert(strings)
    g = Graph()
    for h, r, t in raw:
        g.add(conv[h], conv[r], conv[t])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for h, r, t in sorted(g.triples):
            f.write("%s\t%s\t%s\n" % (h, r, t))
    os.replace(tmp, args.out)
    entities = {x for h, _, t in g.triples for x in (h, t)}
    print("%d triples, %d entities, %d relations -> %s" % (len(g.triples), len(entities), len(g.per_relation), args.out))
    for r, c in g.per_relation.most_common():
        print("  %-8s %6d" % (r, c))


if __name__ == "__main__":
    main()
