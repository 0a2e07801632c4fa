// Graph aliases a model never read take the vector of the entity they name
// (core/knowledge/alias_fold.h): which fold, which wins, what is refused.
#include "core/knowledge/alias_fold.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <torch/torch.h>

#include "core/text/tokenizer.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kNames = {"熊猫", "大熊猫", "猫", "猫咪", "狸奴", "老虎", "大虫", "虎", "花", "玫瑰"};

EntityTable table() {
    auto vectors =
        torch::arange(static_cast<std::int64_t>(kNames.size()) * 4, torch::kFloat).reshape({-1, 4});  // (N, 4)
    return EntityTable::from_names(kNames, vectors);
}

KnowledgeGraph graph() {
    return KnowledgeGraph::from_triples({
        {"熊猫", "别名", "大熊猫"},  // unseen alias of a seen entity: folds
        {"熊猫", "别名", "貓熊"},    // not in the table: skipped
        {"猫", "别名", "猫咪"},      // the captions name the alias itself: kept
        {"猫", "别名", "狸奴"},      // two seen heads: the more named wins
        {"老虎", "别名", "狸奴"},
        {"虎", "别名", "大虫"},    // the head is unseen too: nothing to take
        {"玫瑰", "关键词", "花"},  // another relation
    });
}

std::int64_t id(const std::string& name) {
    return table().id_of(name);
}

//                                  熊猫 大熊猫 猫 猫咪 狸奴 老虎 大虫 虎 花 玫瑰
const std::vector<std::int64_t> kHits = {3, 0, 5, 1, 0, 2, 0, 0, 0, 4};

TEST(AliasFold, UnseenAliasesOfSeenEntitiesFoldAndTheMostNamedHeadWins) {
    auto folds = plan_alias_folds(table(), graph(), "别名", kHits);
    ASSERT_TRUE(folds) << folds.message();
    ASSERT_EQ(folds->size(), 2u);
    EXPECT_EQ((*folds)[0].alias, id("大熊猫"));
    EXPECT_EQ((*folds)[0].target, id("熊猫"));
    EXPECT_EQ((*folds)[1].alias, id("狸奴"));
    EXPECT_EQ((*folds)[1].target, id("猫"));  // 5 captions against 老虎's 2
}

TEST(AliasFold, AnotherRelationFoldsItsOwnTails) {
    auto folds = plan_alias_folds(table(), graph(), "关键词", kHits);
    ASSERT_TRUE(folds) << folds.message();
    ASSERT_EQ(folds->size(), 1u);
    EXPECT_EQ((*folds)[0].alias, id("花"));
    EXPECT_EQ((*folds)[0].target, id("玫瑰"));
}

TEST(AliasFold, RefusesAMissingRelationAndCountsOfAnotherTable) {
    auto none = plan_alias_folds(table(), graph(), "同义词", kHits);
    ASSERT_FALSE(none);
    EXPECT_NE(none.message().find("同义词"), std::string::npos) << none.message();
    auto short_hits = plan_alias_folds(table(), graph(), "别名", {1, 2});
    ASSERT_FALSE(short_hits);
    EXPECT_NE(short_hits.message().find("2 caption counts for 10 entities"), std::string::npos) << short_hits.message();
}

TEST(AliasFold, FoldedRowsHoldTheirTargetsVectorsAndNothingElseMoves) {
    const auto t = table();
    const auto folded = fold_aliases(t, {{id("大熊猫"), id("熊猫")}});
    EXPECT_EQ(folded.names(), t.names());
    EXPECT_TRUE(torch::equal(folded.vectors()[id("大熊猫")], t.vectors()[id("熊猫")]));
    auto others = torch::ones({t.size()}, torch::kBool);
    others[id("大熊猫")] = false;
    EXPECT_TRUE(torch::equal(folded.vectors().index({others}), t.vectors().index({others})));
    EXPECT_FALSE(torch::equal(t.vectors()[id("大熊猫")], t.vectors()[id("熊猫")]));  // the source is untouched
}

class CaptionCounts : public ::testing::Test {
protected:
    fs::path write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return dir_ / name;
    }
    BertTokenizer tokenizer() const {
        std::vector<std::string> vocab = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
        for (const char* c : {"熊", "猫", "大", "老", "虎", "和", "一", "只"}) vocab.emplace_back(c);
        return BertTokenizer::from_tokens(vocab);
    }
    test::TempDir dir_;
};

TEST_F(CaptionCounts, OncePerCaptionOverEveryTable) {
    const auto a = write("a.tsv", "1\t一只熊猫\tpng\n2\t熊猫和老虎熊猫\tpng\n3\t大熊猫\n");
    const auto b = write("b.tsv", "7\t老虎\tpng\n");
    auto counts = count_caption_entities(table(), tokenizer(), false, {a, b});
    ASSERT_TRUE(counts) << counts.message();
    auto hits = [&](const std::string& name) { return counts->hits[static_cast<std::size_t>(id(name))]; };
    EXPECT_EQ(hits("熊猫"), 2);
    EXPECT_EQ(hits("老虎"), 2);
    EXPECT_EQ(hits("大熊猫"), 0);  // its row has no image: training skips it, so it is not read
    EXPECT_EQ(counts->rows, 4);
    EXPECT_EQ(counts->bad_rows, 1);
}

TEST_F(CaptionCounts, KnowledgeRowsCountTheLatticeTrainingUses) {
    // The lattice columns say 老虎 over a caption that names 熊猫. Training
    // reads the columns, unless the model links one-character names: then it
    // links the text, as generation does (EntityTable::caption_lattice).
    const auto row = write("k.tsv", "1\t熊猫\t" + std::to_string(id("老虎")) + "\t0 1 0\t0 1 1\t2\tpng\n");
    for (const bool single_chars : {false, true}) {
        auto counts = count_caption_entities(table(), tokenizer(), single_chars, {row});
        ASSERT_TRUE(counts) << counts.message();
        EXPECT_EQ(counts->hits[static_cast<std::size_t>(id("老虎"))], single_chars ? 0 : 1) << single_chars;
        EXPECT_EQ(counts->hits[static_cast<std::size_t>(id("熊猫"))], single_chars ? 1 : 0) << single_chars;
    }
}

TEST_F(CaptionCounts, ATableWithoutATrainingRowOrFileIsNamed) {
    const auto captions = write("captions.txt", "一只熊猫\n两只老虎\n");  // captions without idx or image
    auto none = count_caption_entities(table(), tokenizer(), false, {captions});
    ASSERT_FALSE(none);
    EXPECT_NE(none.message().find("captions.txt: no training row"), std::string::npos) << none.message();
    auto missing = count_caption_entities(table(), tokenizer(), false, {dir_.path() / "none.tsv"});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.message().find("none.tsv"), std::string::npos) << missing.message();
}

}  // namespace
}  // namespace shenbi
