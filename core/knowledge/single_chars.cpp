#include "core/knowledge/single_chars.h"

#include <string_view>

#include "core/knowledge/name_trie.h"

namespace shenbi {

const char32_t* const kAmbiguousSingleChars =
    U"一二三四五六七八九十两百千万零个只头条根张块把朵棵辆匹本件架座颗串道双对群些"
    U"的是有在和与了着过也都就还又很最更不没这那哪其此每各画图片照像"
    U"上下左右中里外前后间旁边面内侧顶底"
    U"红橙黄绿蓝紫白黑灰粉棕金银色彩浅深亮暗"
    U"大小多少长短高低新旧老好坏美丑"
    U"风格手绘扁平加减乘除等于困哭笑啊哦嗯汗"
    // verbs, adjectives, pronouns and interjections that the graph holds as
    // emoji keywords (坐, 吃, 酷, 他, 嗨 ...): in a prompt they describe, not name
    U"得行比喝看打吃推吐吹扔抛玩跑走煮想投踩抓戳指捏撮捧掬托拿割切劈砍爬坐摇尝盯听踏踢踱舔跳喊唱嗅挖埋敲砸跌舞站闻写剪"
    U"刮倒滚睡"
    U"抱吻爱哭怕饿涨停看叫"
    U"酷冷甜热凉爽怒慢懒累痛酸咸辣轻熟傻憨蠢乖萌盲秃冻晕惨窘羞闷囧馋"
    U"他她你我"
    U"嗨哼噢喔唉哎哇呃额嘘哈咦诶哟咩喵砰吓唵嗯"
    U"正可合无死满申祝禁秘难差烂量点号集误错梦请赢赞";

bool links_alone(char32_t c) {
    const bool ideograph =
        (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
    return ideograph && std::u32string_view(kAmbiguousSingleChars).find(c) == std::u32string_view::npos;
}

std::vector<std::pair<std::size_t, std::int64_t>> lone_characters(std::u32string_view chars,
                                                                  const std::vector<bool>& covered,
                                                                  const NameTrie& trie) {
    std::vector<std::pair<std::size_t, std::int64_t>> out;
    for (std::size_t s = 0; s < chars.size(); ++s) {
        if (covered[s] || !links_alone(chars[s])) continue;
        const int node = trie.step(NameTrie::kRoot, chars[s]);
        const std::int64_t id = node < 0 ? -1 : trie.value(node);
        if (id >= 0) out.emplace_back(s, id);
    }
    return out;
}

}  // namespace shenbi
