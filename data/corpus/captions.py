"""Caption templates and how they are filled.

Each template is (text, kind): kind "np" marks a bare noun phrase ("一只猫",
"猫和汽车"), which may also take a background as "浅蓝色背景上的一只猫";
"s" marks a sentence, which takes the background as a clause. Slots:
{name} concept name, {np} counted noun phrase, {kw} CLDR keyword,
{territory} flag territory, {c} Tux Paint caption, {a} {b} {x} {y} {z} scene
noun phrases, {pos} {rel} {p1} {p2} position words, {list} a listing.
"""
import re

from vocab import NUMBERS

SINGLE = [("{name}", "np"), ("{np}", "np"), ("{name}的图片", "np"), ("一张{name}的图片", "np"),
          ("画{np}", "s"), ("这是{np}", "s"), ("{name}的图案", "np"), ("{np}的图画", "np")]
# Names that are states or signs (下雨, 禁止通行) take no count or verb.
SINGLE_NO_COUNT = [("{name}", "np"), ("{name}的图片", "np"), ("一张{name}的图片", "np"),
                   ("{name}的图案", "np"), ("{name}图标", "np")]
KEYWORD = [("{kw}", "np"), ("{kw}的图片", "np"), ("{kw}的图案", "np")]
FLAG_EXTRA = [("{territory}的国旗", "np"), ("{territory}的旗帜", "np"), ("一面{territory}国旗", "np")]
TUX = [("{c}", "np"), ("{c}的图片", "np"), ("一张{c}的图片", "np")]

SCENE_SINGLE_POS = [("{a}在{pos}", "s"), ("{a}在画面的{pos}", "s"), ("{pos}有{a}", "s"),
                    ("画面{pos}是{a}", "s"), ("在{pos}画{a}", "s")]
SCENE_FREE_1 = [("{a}", "np"), ("画{a}", "s"), ("画面里有{a}", "s")]
# {a} is at {rel} of {b}; {x} is the one at {p1} (左边 or 上面), {y} at {p2}.
SCENE_PAIR_REL = [("{a}在{b}的{rel}", "s"), ("{b}的{rel}有{a}", "s"), ("{b}的{rel}是{a}", "s"),
                  ("{p1}是{x}，{p2}是{y}", "s"), ("{x}在{p1}，{y}在{p2}", "s")]
SCENE_PAIR_FREE = [("{a}和{b}", "np"), ("画{a}和{b}", "s"), ("画面里有{a}和{b}", "s")]
# Only for side-by-side objects: 旁边 says "beside", not above or below.
SCENE_PAIR_BESIDE = [("{a}在{b}旁边", "s"), ("{b}旁边有{a}", "s")]
SCENE_COUNT = [("{a}", "np"), ("画{a}", "s"), ("画面里有{a}", "s"), ("有{a}", "s")]
# Two groups in the left and right halves: {x} left, {y} right.
SCENE_MIXED = [("左边是{x}，右边是{y}", "s"), ("{x}在左边，{y}在右边", "s"),
               ("{y}在{x}的右边", "s"), ("{x}在{y}的左边", "s")]
# Three objects in a row: {x} left, {y} middle, {z} right.
SCENE_ROW3 = [("左边是{x}，中间是{y}，右边是{z}", "s"), ("从左到右是{x}、{y}和{z}", "s")]
SCENE_LIST = [("{list}", "np"), ("画{list}", "s"), ("画面里有{list}", "s")]

BG_NP = [("{bg}背景上的{text}", "np")]
BG_SENTENCE = [("{text}，{bg}背景", "s"), ("{text}，背景是{bg}", "s"), ("{bg}背景上，{text}", "s")]
STYLE_NP = [("{style}的{text}", "np")]
STYLE_SENTENCE = [("{style}，{text}", "s"), ("{text}，{style}", "s")]

ALL_TEMPLATES = [SINGLE, SINGLE_NO_COUNT, KEYWORD, FLAG_EXTRA, TUX, SCENE_SINGLE_POS, SCENE_FREE_1,
                 SCENE_PAIR_REL, SCENE_PAIR_FREE, SCENE_PAIR_BESIDE, SCENE_COUNT, SCENE_MIXED,
                 SCENE_ROW3, SCENE_LIST, BG_NP, BG_SENTENCE, STYLE_NP, STYLE_SENTENCE]
POSITIONS = ["左边", "右边", "上面", "下面", "中间"]
OPPOSITE = {"左边": "右边", "右边": "左边", "上面": "下面", "下面": "上面"}


def template_fragments():
    """The fixed text of every template (slots removed): words every caption
    may need, so no alias word that is part of them can be kept out."""
    out = set()
    for group in ALL_TEMPLATES:
        for text, _ in group:
            out.update(p for p in re.split(r"\{[a-z0-9]+\}", text) if p)
    return out


def noun_phrase(rng, name, mw, n=1, colour=None, bare=0.3):
    """一只猫 / 两只猫 / 一个蓝色的苹果 / 蓝色苹果 / 猫 (bare only for one)."""
    col = "" if not colour else colour + ("的" if rng.random() < 0.7 else "")
    if mw is None or (n == 1 and rng.random() < bare):
        return col + name
    return NUMBERS[n] + mw + col + name


def pick(rng, templates, **slots):
    text, kind = rng.choice(templates)
    return text.format(**slots), kind


def dress(rng, text, kind, bg=None, style=None, style_rate=0.3, white_rate=0.08):
    """Adds the style word (sometimes) and the background (always when not
    white; now and then '白色背景' when it is). Returns (text, style stated,
    background stated)."""
    style_stated = bool(style) and rng.random() < style_rate
    if style_stated:
        text, kind = pick(rng, STYLE_SENTENCE + (STYLE_NP if kind == "np" else []), style=style, text=text)
    bg_stated = bool(bg) and (bg != "白色" or rng.random() < white_rate)
    if bg_stated and bg != "白色":
        text, kind = pick(rng, BG_SENTENCE + (BG_NP if kind == "np" else []), bg=bg, text=text)
    elif bg_stated:
        text = "%s，白色背景" % text
    return text, style_stated, bg_stated


def single_caption(rng, name, mw, bg, style):
    """(caption, style stated, background stated) for one concept image."""
    if mw is None:
        text, kind = pick(rng, SINGLE_NO_COUNT, name=name)
    else:
        text, kind = pick(rng, SINGLE, name=name, np=noun_phrase(rng, name, mw, bare=0.0))
    return dress(rng, text, kind, bg, style)


def listing(parts):
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]
