// Entity linking for display: spans in characters of the original text,
// neighbours from the graph, name completion.
#include "core/knowledge/linker.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/knowledge/knowledge_graph.h"

namespace shenbi {
namespace {

EntityLinker small_linker() {
    auto g = std::make_shared<const KnowledgeGraph>(KnowledgeGraph::from_triples({
        {"西兰花", "别名", "花椰菜"},
        {"西兰花", "属于子类", "蔬菜类食物"},
        {"西兰花", "关键词", "甘蓝"},
        {"西兰花", "关键词", "野生卷心菜"},
        {"西兰花", "关键词", "绿色"},
        {"绿色心", "关键词", "绿色"},
        {"猫脸", "关键词", "猫"},
        {"猫脸", "关键词", "Cat"},
    }));
    return EntityLinker::from_graph(g);
}

TEST(Linker, SpansInCharactersOfTheOriginalText) {
    const EntityLinker l = small_linker();
    const auto found = l.link("一颗绿色的花椰菜在生长");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].name, "绿色");
    EXPECT_EQ(found[0].char_begin, 2);
    EXPECT_EQ(found[0].char_end, 4);
    EXPECT_EQ(found[1].name, "花椰菜");
    EXPECT_EQ(found[1].char_begin, 5);
    EXPECT_EQ(found[1].char_end, 8);
    ASSERT_EQ(found[1].neighbours.size(), 1u);
    EXPECT_EQ(found[1].neighbours[0].relation, "别名");
    EXPECT_EQ(found[1].neighbours[0].other, "西兰花");
    EXPECT_FALSE(found[1].neighbours[0].outgoing);
    EXPECT_EQ(found[1].id, -1);  // no entity table given
}

TEST(Linker, NestedOverlappingEmojiAndLatinBoundaries) {
    const EntityLinker l = small_linker();
    // Emoji before the name: spans count code points, not bytes.
    const auto f = l.link("🥦绿色心");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].name, "绿色");
    EXPECT_EQ(f[0].char_begin, 1);
    EXPECT_EQ(f[1].name, "绿色心");
    EXPECT_EQ(f[1].char_end, 4);
    // Single-character names (猫) are not linked; Latin is case-insensitive
    // but never cut out of a longer word.
    EXPECT_TRUE(l.link("catalog 猫").empty());
    const auto c = l.link("a CAT!");
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].name, "Cat");
    EXPECT_EQ(c[0].char_begin, 2);
}

TEST(Linker, NeighboursAlternateRelationsAndAreCapped) {
    const EntityLinker l = small_linker();
    const auto f = l.link("西兰花", 3);
    ASSERT_EQ(f.size(), 1u);
    ASSERT_EQ(f[0].neighbours.size(), 3u);
    // three different relations before a second 关键词
    EXPECT_NE(f[0].neighbours[0].relation, f[0].neighbours[1].relation);
    EXPECT_NE(f[0].neighbours[1].relation, f[0].neighbours[2].relation);
    EXPECT_NE(f[0].neighbours[0].relation, f[0].neighbours[2].relation);
}

TEST(Linker, CompleteMostConnectedFirst) {
    const EntityLinker l = small_linker();
    EXPECT_EQ(l.complete("绿"), (std::vector<std::string>{"绿色", "绿色心"}));
    EXPECT_EQ(l.complete("西", 5), (std::vector<std::string>{"西兰花"}));
    EXPECT_TRUE(l.complete("无").empty());
    EXPECT_EQ(l.complete("", 1).size(), 1u);
}

TEST(Linker, BundledGraph) {
    const std::filesystem::path dir = SHENBI_SOURCE_DIR "/resources/knowledge";
    if (!std::filesystem::exists(dir / "triples.tsv")) GTEST_SKIP() << "no bundled graph";
    auto l = EntityLinker::load(dir);
    ASSERT_TRUE(l.ok()) << l.message();
    const auto found = l->link("一颗绿色的花椰菜在生长");
    bool broccoli = false;
    for (const auto& e : found) {
        if (e.name != "花椰菜") continue;
        broccoli = true;
        EXPECT_EQ(e.char_begin, 5);
        EXPECT_EQ(e.char_end, 8);
        EXPECT_GE(e.id, 0);
        bool alias = false;
        for (const auto& n : e.neighbours) alias |= n.other == "西兰花";
        EXPECT_TRUE(alias);
    }
    EXPECT_TRUE(broccoli);
}

}  // namespace
}  // namespace shenbi
