#include "core/sampling/layout.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

namespace shenbi {
namespace {

using std::string;
using std::string_view;

// Bytes of the UTF-8 character that starts `s` (1 for anything not a lead byte).
size_t char_len(string_view s) {
    if (s.empty()) return 0;
    const auto b = static_cast<unsigned char>(s[0]);
    const size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return std::min(n, s.size());
}

string trim(string_view s) {
    static constexpr std::array<string_view, 6> kSpace{" ", "\t", "\n", "\r", "\u3000", "\u3002"};  // 　 。
    bool again = true;
    while (again && !s.empty()) {
        again = false;
        for (auto sp : kSpace) {
            if (s.starts_with(sp)) s.remove_prefix(sp.size()), again = true;
            if (s.ends_with(sp)) s.remove_suffix(sp.size()), again = true;
        }
    }
    return string(s);
}

// `s` cut at every separator, pieces trimmed; empty pieces dropped unless `keep_empty`.
std::vector<string> split_any(string_view s, std::initializer_list<string_view> seps, bool keep_empty = false) {
    std::vector<string> out;
    size_t start = 0, i = 0;
    while (i < s.size()) {
        auto sep = std::find_if(seps.begin(), seps.end(), [&](string_view p) { return s.substr(i).starts_with(p); });
        if (sep == seps.end()) {
            i += char_len(s.substr(i));
            continue;
        }
        if (auto piece = trim(s.substr(start, i - start)); keep_empty || !piece.empty()) out.push_back(piece);
        i += sep->size();
        start = i;
    }
    if (auto piece = trim(s.substr(start)); keep_empty || !piece.empty()) out.push_back(piece);
    return out;
}

// The position words the model learnt (data/corpus/captions.py POSITIONS), and their synonyms.
std::optional<string> position_word(string_view w) {
    static const std::array<std::pair<string_view, string_view>, 13> kWords{{{"左边", "左边"},
                                                                             {"右边", "右边"},
                                                                             {"上面", "上面"},
                                                                             {"下面", "下面"},
                                                                             {"中间", "中间"},
                                                                             {"左侧", "左边"},
                                                                             {"右侧", "右边"},
                                                                             {"上方", "上面"},
                                                                             {"下方", "下面"},
                                                                             {"上边", "上面"},
                                                                             {"下边", "下面"},
                                                                             {"中央", "中间"},
                                                                             {"旁边", "旁边"}}};
    for (auto [word, canonical] : kWords)
        if (w == word) return string(canonical);
    return std::nullopt;
}

constexpr std::array<string_view, 13> kPositionWords{"左边", "右边", "上面", "下面", "中间", "左侧", "右侧",
                                                     "上方", "下方", "上边", "下边", "中央", "旁边"};

std::optional<int> numeral(string_view ch) {
    static const std::array<std::pair<string_view, int>, 10> kNumerals{
        {{"一", 1}, {"两", 2}, {"二", 2}, {"三", 3}, {"四", 4}, {"五", 5}, {"六", 6}, {"七", 7}, {"八", 8}, {"九", 9}}};
    for (auto [word, n] : kNumerals)
        if (ch == word) return n;
    if (ch.size() == 1 && ch[0] >= '1' && ch[0] <= '9') return ch[0] - '0';
    return std::nullopt;
}

bool measure_word(string_view ch) {
    static constexpr string_view kMeasures =
        "个只条把件朵座架辆块张颗棵根头匹本台串片道枚艘盏双位支顶封面间瓶杯碗盘束团轮粒对群尊口扇幅株";
    return char_len(ch) == ch.size() && ch.size() > 1 && kMeasures.find(ch) != string_view::npos;
}

// 红色 / 浅蓝色 / 粉红色 ...: a word of two to four characters ending in 色 at the start of `s`.
std::optional<string> leading_colour(string_view s) {
    size_t at = 0;
    for (int chars = 0; chars < 3 && at < s.size(); ++chars) {
        at += char_len(s.substr(at));
        if (s.substr(at, 3) == "色") return string(s.substr(0, at + 3));
    }
    return std::nullopt;
}

// 两只红色的猫 / 一把伞 / 蓝色苹果 / 猫: count, measure word, colour, name.
std::optional<PromptObject> noun_phrase(string_view text) {
    string t = trim(text);
    for (string_view lead : {"画面里有", "画面中有", "画面上有", "画面里是", "画面里", "画面中", "画面上"})
        if (t.starts_with(lead)) t = trim(string_view(t).substr(lead.size()));
    for (string_view verb : {"画", "有"}) {  // 画一只猫, 有两条鱼: not 画笔
        auto rest = string_view(t).substr(t.starts_with(verb) ? verb.size() : t.size());
        if (!rest.empty() && (numeral(rest.substr(0, char_len(rest))) || leading_colour(rest))) t = string(rest);
    }
    PromptObject o;
    string_view s = t;
    if (auto n = numeral(s.substr(0, char_len(s))); n && s.size() > char_len(s)) {
        auto after = s.substr(char_len(s));
        if (measure_word(after.substr(0, char_len(after)))) {
            o.count = *n;
            o.measure = string(after.substr(0, char_len(after)));
            s = after.substr(char_len(after));
        }
    }
    if (auto colour = leading_colour(s)) {
        o.colour = *colour;
        s.remove_prefix(colour->size());
        if (s.starts_with("的")) s.remove_prefix(3);
    }
    o.name = trim(s);
    if (o.name.empty() || o.name == "画面" || o.name.find("的") != string::npos || o.name.find("在") != string::npos)
        return std::nullopt;
    for (auto w : kPositionWords)
        if (o.name.find(w) != string::npos) return std::nullopt;
    return o;
}

std::optional<PromptObject> placed(string_view phrase, const string& where) {
    auto o = noun_phrase(phrase);
    if (o) o->where = where;
    return o;
}

// A clause that places one object: 猫在左边 / 猫在画面的左边 / 左边是猫 / 画面左边有猫 / 在左边画猫.
std::optional<PromptObject> placed_object(string_view c) {
    for (auto w : kPositionWords) {
        auto where = position_word(w);
        if (*where == "旁边") continue;
        for (string_view tail : {"在画面的", "在"})
            if (c.ends_with(string(tail) + string(w)))
                return placed(c.substr(0, c.size() - tail.size() - w.size()), *where);
        string_view head = c.starts_with("画面") ? c.substr(6) : c;
        for (string_view verb : {"是", "有"})
            if (head.starts_with(string(w) + string(verb))) return placed(head.substr(w.size() + verb.size()), *where);
        if (c.starts_with("在" + string(w) + "画")) return placed(c.substr(3 + w.size() + 3), *where);
    }
    return std::nullopt;
}

string opposite(const string& where) {
    if (where == "左边") return "右边";
    if (where == "右边") return "左边";
    if (where == "上面") return "下面";
    if (where == "下面") return "上面";
    return "右边";  // 旁边: the other at its right
}

// A at `rel` of B: A在B的rel / A在B旁边 / B的rel有A / B的rel是A / B旁边有A.
std::optional<std::vector<PromptObject>> relation(string_view c) {
    for (auto w : kPositionWords) {
        const string where = *position_word(w), ws(w);
        if (where == "中间") continue;  // 猫在两棵树的中间: no half says that
        const string a_at = where == "旁边" ? "左边" : where, b_at = opposite(a_at);
        auto pair = [&](string_view a, string_view b) -> std::optional<std::vector<PromptObject>> {
            auto oa = placed(a, a_at), ob = placed(b, b_at);
            if (oa && ob) return std::vector<PromptObject>{*oa, *ob};
            return std::nullopt;
        };
        if (auto at = c.find("在");
            at != string_view::npos && (c.ends_with("的" + ws) || (where == "旁边" && c.ends_with(ws)))) {
            auto b = c.substr(at + 3, c.size() - at - 3 - ws.size());  // B, or B的
            if (b.ends_with("的")) b.remove_suffix(3);
            if (auto found = pair(c.substr(0, at), b)) return found;
        }
        for (string_view verb : {"有", "是"}) {
            string joint = "的" + ws + string(verb);
            auto at = c.find(joint);
            if (at == string_view::npos && where == "旁边") at = c.find(joint = ws + string(verb));
            if (at == string_view::npos) continue;
            if (auto found = pair(c.substr(at + joint.size()), c.substr(0, at))) return found;
        }
    }
    return std::nullopt;
}

// A和B / A、B和C / A与B: every part a noun phrase, else none. A piece left
// empty by a separator inside a word (和服和扇子) fails the whole listing.
std::optional<std::vector<PromptObject>> listing(string_view c) {
    string_view body = c;
    std::vector<string> where;
    if (body.starts_with("从左到右是")) body.remove_prefix(15), where = {"左边", "中间", "右边"};
    for (string_view lead : {"画面里有", "画面中有", "画面上有"})
        if (body.starts_with(lead)) body.remove_prefix(lead.size());
    std::vector<PromptObject> out;
    for (const auto& part : split_any(body, {"和", "、", "与", "以及"}, true)) {
        auto o = noun_phrase(part);  // an empty piece has no name
        if (!o) return std::nullopt;
        out.push_back(*o);
    }
    if (!where.empty() && out.size() == where.size())
        for (size_t i = 0; i < out.size(); ++i) out[i].where = where[i];
    return out;
}

// A whole-picture clause (background, style) into `dressing`, or the part of
// it that names objects into `content`: 浅蓝色背景上的猫 gives both.
void sort_clause(const string& c, std::vector<string>& dressing, std::vector<string>& content) {
    for (string_view joint : {"背景上的", "风格的"}) {
        auto at = c.find(joint);
        if (at == string::npos) continue;
        dressing.push_back(c.substr(0, at + 6));  // through 背景 / 风格 (two characters of three bytes)
        content.push_back(c.substr(at + joint.size()));
        return;
    }
    if (c.find("背景") != string::npos || c.ends_with("风格"))
        dressing.push_back(c.ends_with("背景上") ? c.substr(0, c.size() - 3) : c);
    else
        content.push_back(c);
}

}  // namespace

PromptReading read_prompt(const std::string& prompt) {
    PromptReading r;
    std::vector<string> content;
    for (const auto& c : split_any(prompt, {"，", ",", "；", ";", "。", "！", "!"}))
        sort_clause(c, r.dressing, content);
    if (content.size() == 1) {
        if (auto rel = relation(content[0])) {
            r.objects = *rel;
        } else if (auto one = placed_object(content[0])) {
            r.objects = {*one};
        } else if (auto list = listing(content[0])) {
            r.objects = *list;
        } else if (auto one = noun_phrase(content[0])) {  // 一件和服: 和 inside a name
            r.objects = {*one};
        }
        return r;
    }
    // 左边是猫，右边是狗 / 一只猫，一条狗: a clause names objects when it places
    // them or counts them with a measure word; any other (水彩画, 8k, 高清)
    // is about the whole picture.
    for (const auto& c : content) {
        std::optional<std::vector<PromptObject>> named = relation(c);
        if (!named)
            if (auto one = placed_object(c)) named = std::vector<PromptObject>{*one};
        if (!named) {
            named = listing(c);
            if (named && std::any_of(named->begin(), named->end(), [](const auto& o) { return o.measure.empty(); }))
                named.reset();
        }
        if (named)
            r.objects.insert(r.objects.end(), named->begin(), named->end());
        else
            r.dressing.push_back(c);
    }
    return r;
}

namespace {

string numeral_text(int n) {
    static constexpr std::array<string_view, 7> kText{"", "一", "两", "三", "四", "五", "六"};
    return n >= 1 && n <= 6 ? string(kText[static_cast<size_t>(n)]) : std::to_string(n);
}

// 两只红色的猫在左边，浅蓝色背景: the object as training captioned a single placed one.
string region_prompt(const PromptObject& o, int count, const string& where, const std::vector<string>& dressing) {
    string np;
    if (count > 1 || !o.measure.empty()) np = numeral_text(count) + (o.measure.empty() ? "个" : o.measure);
    if (!o.colour.empty()) np += o.colour + "的";
    string out = np + o.name + "在" + where;
    for (const auto& d : dressing) out += "，" + d;
    return out;
}

// Cells of part `i` of `parts` equal strips across the grid (columns, or rows when `vertical`).
CellRect strip(int grid, int parts, int i, bool vertical) {
    const int begin = grid * i / parts, end = grid * (i + 1) / parts;
    return vertical ? CellRect{0, begin, grid, end - begin} : CellRect{begin, 0, end - begin, grid};
}

bool vertical_pair(const std::vector<PromptObject>& objects) {
    return std::any_of(objects.begin(), objects.end(),
                       [](const auto& o) { return o.where == "上面" || o.where == "下面"; });
}

// The places three objects may name, in strip order: a row, or a column.
constexpr std::array<std::array<string_view, 3>, 2> kThreePlaces{{{"左边", "中间", "右边"}, {"上面", "中间", "下面"}}};

// Three objects in thirds: in the prompt's order when none is placed, in their
// places when all are (left to right, or top to bottom); else no plan.
std::vector<RegionPrompt> plan_three(std::vector<PromptObject> objects, const PromptReading& r, int grid) {
    const bool none_placed = std::all_of(objects.begin(), objects.end(), [](const auto& o) { return o.where.empty(); });
    for (int vertical = 0; vertical < 2; ++vertical) {
        const auto& places = kThreePlaces[static_cast<size_t>(vertical)];
        auto rank = [&](const PromptObject& o) {
            return static_cast<size_t>(std::find(places.begin(), places.end(), o.where) - places.begin());
        };
        if (!none_placed && !std::all_of(objects.begin(), objects.end(), [&](const auto& o) { return rank(o) < 3; }))
            continue;
        if (!none_placed)
            std::stable_sort(objects.begin(), objects.end(),
                             [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
        std::vector<RegionPrompt> out;
        for (size_t i = 0; i < 3; ++i)
            out.push_back({strip(grid, 3, static_cast<int>(i), vertical == 1),
                           region_prompt(objects[i], objects[i].count, string(places[i]), r.dressing)});
        return out;
    }
    return {};
}

// Two objects in halves: 上面/下面 make them rows. The one placed first
// (左边 / 上面) takes the first half; unplaced ones (中间 counts as unplaced
// here) keep the prompt's order.
std::vector<RegionPrompt> plan_two(std::vector<PromptObject> objects, const PromptReading& r, int grid) {
    for (auto& o : objects)
        if (o.where == "中间") o.where.clear();
    const bool vertical = vertical_pair(objects);
    const string first = vertical ? "上面" : "左边";
    const bool swap = objects[1].where == first || (objects[0].where == opposite(first) && objects[1].where.empty());
    if (swap) std::swap(objects[0], objects[1]);
    std::vector<RegionPrompt> out;
    for (size_t i = 0; i < 2; ++i)
        out.push_back({strip(grid, 2, static_cast<int>(i), vertical),
                       region_prompt(objects[i], objects[i].count, i == 0 ? first : opposite(first), r.dressing)});
    return out;
}

}  // namespace

std::vector<RegionPrompt> plan_layout(const std::string& prompt, int grid) {
    const auto r = read_prompt(prompt);
    const auto& objects = r.objects;
    auto at_most = [&](int n) {
        return std::all_of(objects.begin(), objects.end(), [n](const auto& o) { return o.count <= n; });
    };
    // One object, however many of it, is drawn whole: splitting 三把伞 into
    // 两把伞在左边 and 一把伞在右边 halved the counting score (0.28 -> 0.15,
    // docs/default-model.md "Planned layouts").
    if (grid < 3) return {};  // a third would have no cells
    if (objects.size() == 2 && at_most(3)) return plan_two(objects, r, grid);
    if (objects.size() == 3 && at_most(1)) return plan_three(objects, r, grid);
    return {};
}

namespace {

// 红色 / 浅蓝色 / 米黄色 / 咖啡色 at the start of `s` (up to two shades, a
// hue, 色): its length in bytes, else 0. A fixed list, unlike leading_colour:
// this scans free text, where 景色, 颜色 or 特色 are no colours.
size_t colour_word(string_view s) {
    static constexpr string_view kHues = "红橙黄绿青蓝紫粉白黑灰棕褐金银米橘啡";
    static constexpr string_view kShades = "浅深淡亮暗天大鲜墨草湖宝藏嫩粉金米乳橘玫酒土咖紫黑银白红黄绿蓝灰";
    auto in = [&](string_view set, size_t at) {
        auto ch = s.substr(std::min(at, s.size()), 3);
        return ch.size() == 3 && char_len(ch) == 3 && set.find(ch) != string_view::npos;
    };
    for (size_t shades = 0; shades <= 2; ++shades) {
        bool shaded = true;
        for (size_t k = 0; k < shades; ++k) shaded = shaded && in(kShades, 3 * k);
        if (shaded && in(kHues, 3 * shades) && s.substr(3 * shades + 3, 3) == "色") return 3 * shades + 6;
    }
    return 0;
}

// Whether a colour read after `clause` (the text of its clause before it) and
// followed by `rest` is a background's: 浅蓝色背景, 白色的背景, or a clause
// that names 背景 / 底色 with only linking words and colours after it
// (背景为纯白色, 背景颜色是蓝色, 背景：白色和蓝色); not 白色的背景上有一只黑色的狗.
bool background_colour(string_view clause, string_view rest) {
    if (rest.starts_with("背景") || rest.starts_with("的背景")) return true;
    const size_t bg = clause.rfind("背景"), base = clause.rfind("底色"), none = string_view::npos;
    if (bg == none && base == none) return false;
    const size_t at = bg == none ? base : base == none ? bg : std::max(bg, base);
    static constexpr string_view kLinks = "是为色颜纯一片的和与及、：: ";
    for (auto tail = clause.substr(at + 6); !tail.empty();) {
        const size_t n = colour_word(tail) ? colour_word(tail) : char_len(tail);
        if (!colour_word(tail) && kLinks.find(tail.substr(0, n)) == string_view::npos) return false;
        tail.remove_prefix(n);
    }
    return true;
}

}  // namespace

std::string without_object_colours(const std::string& prompt) {
    const string_view s = prompt;
    string out;
    size_t clause = 0;  // where the current clause starts in `out`
    size_t i = 0;
    while (i < s.size()) {
        const size_t n = colour_word(s.substr(i));
        if (n == 0 || background_colour(string_view(out).substr(clause), s.substr(i + n))) {
            const size_t keep = n == 0 ? char_len(s.substr(i)) : n;
            const auto piece = s.substr(i, keep);
            out += piece;
            if (string_view("，,。；;！!？?\n").find(piece) != string_view::npos) clause = out.size();
            i += keep;
            continue;
        }
        i += n;  // the colour, and the 的 that ties it to its object
        if (s.substr(i).starts_with("的")) i += 3;
    }
    return out;
}

std::string describe_layout(const std::vector<RegionPrompt>& regions) {
    string out;
    for (const auto& r : regions) {
        if (!out.empty()) out += "; ";
        out += "cells " + std::to_string(r.cells.col) + "," + std::to_string(r.cells.row) + " " +
               std::to_string(r.cells.cols) + "x" + std::to_string(r.cells.rows) + ": " + r.prompt;
    }
    return out;
}

}  // namespace shenbi
