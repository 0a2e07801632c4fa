// `shenbi-cli preprocess` core: released column order, unreadable rows
// reported with their line numbers and skipped.
#include "core/knowledge/preprocess.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/data/tsv_reader.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

TEST(Preprocess, ReportsMalformedRowsByLineAndWritesTheRest) {
    auto table = EntityTable::load_names(SHENBI_TEST_DATA_DIR "/knowledge/entity2id_example.txt");
    ASSERT_TRUE(table.ok()) << table.message();
    const test::TempDir tmp;
    const auto out = tmp / "out.tsv";
    std::vector<std::string> problems;
    auto report = preprocess_knowledge_tsv(SHENBI_TEST_DATA_DIR "/knowledge/malformed.tsv", *table, nullptr, out,
                                           [&](const std::string& p) { problems.push_back(p); });
    ASSERT_TRUE(report.ok()) << report.message();
    EXPECT_EQ(report->rows_read, 6);
    EXPECT_EQ(report->rows_written, 2);
    EXPECT_EQ(report->rows_skipped, 4);
    ASSERT_EQ(problems.size(), 4u);
    EXPECT_NE(problems[0].find("malformed.tsv:2: expected"), std::string::npos) << problems[0];
    EXPECT_NE(problems[1].find("malformed.tsv:3: bad base64"), std::string::npos) << problems[1];
    EXPECT_NE(problems[2].find("malformed.tsv:4: empty text"), std::string::npos) << problems[2];
    EXPECT_NE(problems[3].find("malformed.tsv:7: expected 3"), std::string::npos) << problems[3];

    auto reader = TsvReader::open(out);
    ASSERT_TRUE(reader.ok());
    TsvRow row;
    ASSERT_TRUE(reader->next(row));
    ASSERT_EQ(row.fields.size(), 7u);  // idx, text, lex_id, pos_s, pos_e, token_len, imgbase64
    EXPECT_EQ(row.fields[0], "1");
    EXPECT_EQ(row.fields[1], "北京故宫的猫");
    EXPECT_EQ(row.fields[2], "10 20 30");
    EXPECT_EQ(row.fields[3], "0 1 2 3 4 5 0 0 2");
    EXPECT_EQ(row.fields[4], "0 1 2 3 4 5 1 3 3");
    EXPECT_EQ(row.fields[5], "6");
    EXPECT_EQ(row.fields[6], "iVBORw0KGgpmYWtl");
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.fields[0], "5");
    EXPECT_EQ(row.fields[2], "10");
    EXPECT_EQ(row.fields[3], "0 1 2 3 2");
    EXPECT_FALSE(reader->next(row));
}

TEST(Preprocess, PredictInputWithoutImages) {
    const test::TempDir tmp;
    const auto& dir = tmp.path();
    const auto in = dir / "in.tsv", out = dir / "out.tsv";
    std::ofstream(in) << "a\t北京没有实体的猫\nb\tno entity here\n";
    auto table = EntityTable::load_names(SHENBI_TEST_DATA_DIR "/knowledge/entity2id_example.txt");
    ASSERT_TRUE(table.ok());
    auto report = preprocess_knowledge_tsv(in, *table, nullptr, out);
    ASSERT_TRUE(report.ok()) << report.message();
    EXPECT_EQ(report->rows_written, 2);
    EXPECT_EQ(report->rows_with_entities, 1);
    auto reader = TsvReader::open(out);
    TsvRow row;
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.fields.size(), 6u);
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.fields[2], "");
    EXPECT_EQ(row.fields[5], "3");  // basic tokens: no, entity, here
    EXPECT_FALSE(preprocess_knowledge_tsv(dir / "missing.tsv", *table, nullptr, out).ok());
}

}  // namespace
}  // namespace shenbi
