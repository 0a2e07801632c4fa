#include "core/text/vocab_builder.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/text/tokenizer.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

TEST(VocabBuilder, BertLayoutAndNoUnknownsOnItsCorpus) {
    VocabBuilder b;
    const std::vector<std::string> corpus = {"一颗绿色的花椰菜", "熊猫吃竹子，很可爱！", "Hello 世界 2024", "红苹果🍎"};
    for (const auto& c : corpus) b.add_text(c);
    const auto vocab = b.build();
    ASSERT_GT(vocab.size(), 104u);
    EXPECT_EQ(vocab[0], "[PAD]");
    EXPECT_EQ(vocab[1], "[unused1]");
    EXPECT_EQ(vocab[100], "[UNK]");
    EXPECT_EQ(vocab[101], "[CLS]");
    EXPECT_EQ(vocab[102], "[SEP]");
    EXPECT_EQ(vocab[103], "[MASK]");
    // The most frequent character comes first after the specials.
    const auto tok = BertTokenizer::from_tokens(vocab);
    for (const auto& c : corpus)
        for (const auto& t : tok.tokenize(c)) EXPECT_NE(t.text, "[UNK]") << c;
    EXPECT_GE(tok.id_of("##e"), 104);  // continuation pieces for Latin words
    EXPECT_EQ(tok.id_of("##猫"), -1);  // CJK characters are never continuations

    const auto again = [&] {
        VocabBuilder b2;
        for (const auto& c : corpus) b2.add_text(c);
        return b2.build();
    }();
    EXPECT_EQ(vocab, again);  // deterministic

    const test::TempDir tmp;
    const auto path = tmp / "vocab.txt";
    ASSERT_TRUE(write_vocab(path, vocab).ok());
    auto loaded = BertTokenizer::from_file(path);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_EQ(loaded->vocab(), vocab);
}

TEST(VocabBuilder, MinCountAndCap) {
    VocabBuilder b;
    b.add_text("猫猫猫狗");
    EXPECT_EQ(b.build(2).size(), 105u);  // specials + 猫
    EXPECT_EQ(b.build(1, 104).size(), 104u);
}

}  // namespace
}  // namespace shenbi
