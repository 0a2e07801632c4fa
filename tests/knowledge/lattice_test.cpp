// ARTIST's entity lattice: every dictionary span over single-character
// tokens, nested and overlapping, ordered by start then end.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/data/train_data.h"
#include "core/knowledge/entity_table.h"
#include "core/knowledge/knowledge_graph.h"
#include "core/knowledge/lattice_columns.h"
#include "core/knowledge/linker.h"
#include "core/text/tokenizer.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

EntityTable example_table() {
    auto t = EntityTable::load_names(SHENBI_TEST_DATA_DIR "/knowledge/entity2id_example.txt");
    if (!t) throw std::runtime_error(t.message());
    return std::move(t).value();
}

}  // namespace

// An entity2id.txt cut short (fewer lines than its first line declares) is
// refused, naming the file and both counts; a bad count line too.
TEST(EntityIds, AFileShorterThanItsCountIsRefused) {
    const test::TempDir tmp;
    const auto& dir = tmp.path();
    std::ofstream(dir / "short.txt") << "5\n北京\t0\n故宫\t1\n北京故宫\t2\n";
    auto cut = EntityTable::load_names(dir / "short.txt");
    ASSERT_FALSE(cut.ok());
    EXPECT_EQ(cut.error().code, ErrorCode::Corrupt);
    EXPECT_NE(cut.message().find("short.txt: declares 5 entries on its first line but holds 3"), std::string::npos)
        << cut.message();
    std::ofstream(dir / "count.txt") << "five\n北京\t0\n";
    auto bad = EntityTable::load_names(dir / "count.txt");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("'five' is not a number"), std::string::npos) << bad.message();
    std::ofstream(dir / "whole.txt") << "2\n北京\t0\n故宫\t1\n";
    EXPECT_TRUE(EntityTable::load_names(dir / "whole.txt").ok());
}

namespace {

std::vector<std::string> chars(const std::string& s) {
    std::vector<std::string> out;
    // Every CJK character its own token: split UTF-8 by lead bytes.
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = 1;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0xF0)
            n = 4;
        else if (c >= 0xE0)
            n = 3;
        else if (c >= 0xC0)
            n = 2;
        out.push_back(s.substr(i, n));
        i += n;
    }
    return out;
}

TEST(Lattice, ArtistExample) {
    const EntityTable table = example_table();
    EXPECT_EQ(table.id_of("北京故宫"), 20);
    const auto lattice = table.lattice(chars("北京故宫的猫"));
    const LatticeColumns c = format_lattice_columns(lattice, 6);
    EXPECT_EQ(c.lex_id, "10 20 30");
    EXPECT_EQ(c.pos_s, "0 1 2 3 4 5 0 0 2");
    EXPECT_EQ(c.pos_e, "0 1 2 3 4 5 1 3 3");
    // 猫 is a single-character name: never matched.
    for (const auto& e : lattice) EXPECT_NE(e.id, 5);

    auto back = parse_lattice_columns(c.lex_id, c.pos_s, c.pos_e);
    ASSERT_TRUE(back.ok()) << back.message();
    ASSERT_EQ(back->size(), 3u);
    EXPECT_EQ((*back)[1].id, 20);
    EXPECT_EQ((*back)[1].token_begin, 0);
    EXPECT_EQ((*back)[1].token_end, 3);
    EXPECT_FALSE(parse_lattice_columns("1 x", "0 0", "0 0").ok());
}

TEST(Lattice, OnlyRunsOfSingleCharacterTokensMatch) {
    const EntityTable table = EntityTable::from_names({"", "猫咪", "ab", "t恤"}, torch::Tensor());
    EXPECT_TRUE(table.lattice(std::vector<std::string>{"ab"}).empty());
    EXPECT_TRUE(table.lattice(std::vector<std::string>{"猫", "##咪"}).empty());
    const auto l = table.lattice(std::vector<std::string>{"a", "b", "猫", "咪", "t", "恤"});
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0].id, 2);
    EXPECT_EQ(l[1].id, 1);
    EXPECT_EQ(l[1].token_begin, 2);
    EXPECT_EQ(l[2].id, 3);  // "T恤" would be matched after lower-casing too
}

// A model with single_char_entities links 猫 and 树 alone, but not inside a
// longer name (猫 in 猫咪) and not an ambiguous character (上, 一).
TEST(Lattice, SingleCharacterNamesWhereAskedLongestMatchFirst) {
    const EntityTable table = EntityTable::from_names({"", "猫", "猫咪", "树", "上", "一"}, torch::Tensor());
    const auto text = chars("一只猫在树上和猫咪");
    EXPECT_EQ(table.lattice(text).size(), 1u);  // ARTIST: 猫咪 only
    const auto l = table.lattice(text, true);
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0].id, 1);  // 猫 at 2
    EXPECT_EQ(l[0].token_begin, 2);
    EXPECT_EQ(l[0].token_end, 2);
    EXPECT_EQ(l[1].id, 3);  // 树 at 4
    EXPECT_EQ(l[2].id, 2);  // 猫咪 at 7-8, its 猫 not linked alone
    EXPECT_EQ(l[2].token_begin, 7);
    EXPECT_EQ(l[2].token_end, 8);
}

// The editor's linker and the model's lattice apply one rule: for a model
// with single_char_entities, the spans the editor underlines are exactly the
// entities the model gets.
TEST(Lattice, EditorLinksWhatTheModelGets) {
    const std::vector<std::string> names = {"猫", "猫咪", "树", "上", "一", "龙", "熊猫", "狗"};
    std::vector<std::array<std::string, 3>> triples;
    for (const auto& n : names) triples.push_back({n, "关键词", "动物"});
    const EntityLinker linker =
        EntityLinker::from_graph(std::make_shared<const KnowledgeGraph>(KnowledgeGraph::from_triples(triples)));
    std::vector<std::string> table_names = {""};
    table_names.insert(table_names.end(), names.begin(), names.end());
    const EntityTable table = EntityTable::from_names(table_names, torch::Tensor());
    for (const std::string prompt : {"一只猫坐在月亮上", "猫", "一只猫在树上和猫咪", "熊猫和一条龙", "狗狗", "上"}) {
        for (const bool single : {false, true}) {
            std::vector<std::string> editor, model;
            for (const auto& e : linker.link(prompt, 0, single)) editor.push_back(e.name);
            for (const auto& e : table.lattice(chars(prompt), single)) model.push_back(table.name(e.id));
            EXPECT_EQ(editor, model) << prompt << (single ? " with" : " without") << " single characters";
        }
    }
    const auto cat = linker.link("一只猫坐在月亮上", 8, true);
    ASSERT_EQ(cat.size(), 1u);
    EXPECT_EQ(cat[0].name, "猫");
    EXPECT_EQ(cat[0].char_begin, 2);
    EXPECT_EQ(cat[0].char_end, 3);
    EXPECT_TRUE(linker.link("一只猫坐在月亮上").empty());  // ARTIST's rule without the flag
}

TEST(Lattice, WordsMatRowsAndClipping) {
    const std::vector<LatticeEntity> l = {{10, 0, 1}, {20, 0, 3}, {30, 2, 3}, {40, 40, 41}};
    const WordsMat m = make_words_mat(l, 10, 32);
    ASSERT_EQ(m.ids.sizes(), (std::vector<int64_t>{10, 32}));
    EXPECT_EQ(m.ids[0][0].item<int64_t>(), 10);
    EXPECT_EQ(m.ids[0][1].item<int64_t>(), 10);
    EXPECT_EQ(m.ids[0][2].item<int64_t>(), 0);
    EXPECT_EQ(m.ids[1][3].item<int64_t>(), 20);
    EXPECT_EQ(m.ids[2][1].item<int64_t>(), 0);
    EXPECT_EQ(m.ids[2][2].item<int64_t>(), 30);
    EXPECT_EQ(m.ids[3].sum().item<int64_t>(), 0);  // past the window
    EXPECT_EQ(m.mask.sum().item<int64_t>(), 2 + 4 + 2);
    const WordsMat clipped = make_words_mat(l, 2, 3);
    EXPECT_EQ(clipped.ids[1][2].item<int64_t>(), 20);
    EXPECT_EQ(clipped.ids.size(0), 2);
}

}  // namespace
}  // namespace shenbi
