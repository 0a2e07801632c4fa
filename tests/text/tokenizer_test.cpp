// BERT-Chinese tokenizer: the splits the released Python tokenizer makes,
// ids from a BERT-layout vocabulary, and spans in code points of the input.
#include "core/text/tokenizer.h"

#include <gtest/gtest.h>

namespace shenbi {
namespace {

const BertTokenizer& tok() {
    static const BertTokenizer t = [] {
        auto r = BertTokenizer::from_file(SHENBI_SOURCE_DIR "/tests/text/data/vocab_small.txt");
        if (!r) throw std::runtime_error(r.message());
        return std::move(r).value();
    }();
    return t;
}

std::vector<std::string> texts(const std::vector<Token>& ts) {
    std::vector<std::string> out;
    for (const auto& t : ts) out.push_back(t.text);
    return out;
}

using Spans = std::vector<std::pair<int, int>>;
Spans spans(const std::vector<Token>& ts) {
    Spans out;
    for (const auto& t : ts) out.emplace_back(t.char_begin, t.char_end);
    return out;
}

TEST(Tokenizer, SpecialIdsAtBertPositions) {
    EXPECT_EQ(tok().id_of("[PAD]"), 0);
    EXPECT_EQ(tok().unk_id(), 100);
    EXPECT_EQ(tok().id_of("[CLS]"), 101);
    EXPECT_EQ(tok().id_of("[SEP]"), 102);
    EXPECT_EQ(tok().id_of("[MASK]"), 103);
    EXPECT_EQ(tok().id_of("no-such-token"), -1);
}

TEST(Tokenizer, EveryCjkCharacterIsAToken) {
    const auto ts = tok().tokenize("北京故宫的猫");
    EXPECT_EQ(texts(ts), (std::vector<std::string>{"北", "京", "故", "宫", "的", "猫"}));
    EXPECT_EQ(spans(ts), (Spans{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}}));
    for (const auto& t : ts) EXPECT_EQ(t.id, tok().id_of(t.text));
}

TEST(Tokenizer, MixedLatinAndDigits) {
    // Latin is lower-cased and WordPiece-split; digits glued to a word stay in it.
    const auto ts = tok().tokenize("我有3只Cat和iPhone15");
    EXPECT_EQ(texts(ts), (std::vector<std::string>{"我", "有", "3", "只", "cat", "和", "iphone", "##1", "##5"}));
    EXPECT_EQ(spans(ts), (Spans{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 7}, {7, 8}, {8, 14}, {14, 15}, {15, 16}}));
}

TEST(Tokenizer, AccentsStrippedAndUnknownWordIsOneUnk) {
    EXPECT_EQ(texts(tok().tokenize("Café")), (std::vector<std::string>{"cafe"}));
    // No WordPiece split exists for "xq€"-like words: the whole word is [UNK].
    const auto ts = tok().tokenize("猫 Ωmega");
    ASSERT_EQ(ts.size(), 2u);
    EXPECT_EQ(ts[1].text, "[UNK]");
    EXPECT_EQ(ts[1].id, 100);
    EXPECT_EQ(ts[1].char_begin, 2);
    EXPECT_EQ(ts[1].char_end, 7);
}

TEST(Tokenizer, FullWidthPunctuationSplits) {
    const auto ts = tok().tokenize("你好，世界！（猫）");
    EXPECT_EQ(texts(ts), (std::vector<std::string>{"你", "好", "，", "世", "界", "！", "（", "猫", "）"}));
    // ASCII punctuation inside Latin text splits too.
    EXPECT_EQ(texts(tok().tokenize("hello,world!")), (std::vector<std::string>{"hello", ",", "world", "!"}));
}

TEST(Tokenizer, EmojiKnownUnknownAndZwjSequences) {
    const auto ts = tok().tokenize("猫🐱很可爱😺");
    EXPECT_EQ(texts(ts), (std::vector<std::string>{"猫", "🐱", "很", "可", "爱", "[UNK]"}));
    EXPECT_EQ(ts[1].char_begin, 1);
    EXPECT_EQ(ts[1].char_end, 2);
    EXPECT_EQ(ts[5].char_begin, 5);
    // 👩‍🍳 = U+1F469 ZWJ U+1F373: the ZWJ is a format character BERT drops,
    // the rest is one word that WordPiece spells as 👩 ##🍳; spans still
    // count the ZWJ.
    const auto z = tok().tokenize("👩\u200d🍳好");
    EXPECT_EQ(texts(z), (std::vector<std::string>{"👩", "##🍳", "好"}));
    EXPECT_EQ(spans(z), (Spans{{0, 1}, {2, 3}, {3, 4}}));
    // Variation selector U+FE0F is a combining mark: stripped.
    EXPECT_EQ(texts(tok().tokenize("🐱\uFE0F")), (std::vector<std::string>{"🐱"}));
}

TEST(Tokenizer, WhitespaceControlAndInvalidBytes) {
    const auto ts = tok().tokenize(
        " \t猫\u3000狗\n\x01"
        "\xff"
        "大");
    EXPECT_EQ(texts(ts), (std::vector<std::string>{"猫", "狗", "大"}));
    EXPECT_EQ(ts[2].char_begin, 8);  // the invalid byte still counts as one position
    EXPECT_TRUE(tok().tokenize("").empty());
    EXPECT_TRUE(tok().tokenize(" \u3000 ").empty());
}

TEST(Tokenizer, EncodeTruncatesAndPads) {
    int len = -1;
    const auto ids = tok().encode("北京的猫", 32, &len);
    ASSERT_EQ(ids.size(), 32u);
    EXPECT_EQ(len, 4);
    EXPECT_EQ(ids[0], tok().id_of("北"));
    EXPECT_EQ(ids[3], tok().id_of("猫"));
    for (std::size_t i = 4; i < 32; ++i) EXPECT_EQ(ids[i], 0);

    std::string longer;
    for (int i = 0; i < 100; ++i) longer += "猫";
    const auto cut = tok().encode(longer, 32, &len);
    EXPECT_EQ(cut.size(), 32u);
    EXPECT_EQ(len, 100);  // token_len is the length before truncation
    for (auto id : cut) EXPECT_EQ(id, tok().id_of("猫"));
}

TEST(Tokenizer, OverLongWordIsOneUnk) {
    const std::string word(150, 'a');  // > max_input_chars_per_word (100)
    const auto ts = tok().tokenize("猫" + word);
    ASSERT_EQ(ts.size(), 2u);
    EXPECT_EQ(ts[1].text, "[UNK]");
    EXPECT_EQ(ts[1].char_end, 151);
    const auto ok = tok().tokenize(std::string(100, 'a'));
    EXPECT_EQ(ok.size(), 100u);  // a ##a ##a ...
}

}  // namespace
}  // namespace shenbi
