#include "core/data/tsv_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

using namespace shenbi;

TEST(TsvReader, StreamsRowsWithLineNumbers) {
    const test::TempDir tmp;
    const auto path = tmp / "rows.tsv";
    {
        std::ofstream out(path);
        out << "1\t北京故宫\tAAAA\r\n\n2\t猫\n3\n";
    }
    auto reader = TsvReader::open(path);
    ASSERT_TRUE(reader.ok());
    TsvRow row;
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.line, 1);
    ASSERT_EQ(row.fields.size(), 3u);
    EXPECT_EQ(row.fields[1], "北京故宫");
    EXPECT_EQ(row.fields[2], "AAAA");  // '\r' dropped
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.line, 3);  // the empty line 2 is skipped but counted
    EXPECT_EQ(row.fields.size(), 2u);
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(reader->where(row), path.string() + ":4");
    EXPECT_FALSE(reader->next(row));
}

TEST(TsvReader, MissingFileIsAnError) {
    auto reader = TsvReader::open("/nonexistent/file.tsv");
    ASSERT_FALSE(reader.ok());
    EXPECT_NE(reader.message().find("/nonexistent/file.tsv"), std::string::npos);
}

// A directory given as a table is an error (it used to read as 0 rows, exit
// 0), and a UTF-8 byte-order mark does not end up in the first field.
TEST(TsvReader, ADirectoryIsRefusedAndAByteOrderMarkIsDropped) {
    const test::TempDir tmp;
    const auto& dir = tmp.path();
    auto as_table = TsvReader::open(dir);
    ASSERT_FALSE(as_table.ok());
    EXPECT_NE(as_table.message().find("it is a directory"), std::string::npos) << as_table.message();
    const auto path = dir / "bom.tsv";
    std::ofstream(path) << "\xEF\xBB\xBF"
                        << "7\t猫\n8\t狗\n";
    auto reader = TsvReader::open(path);
    ASSERT_TRUE(reader.ok());
    TsvRow row;
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.fields[0], "7");
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.fields[0], "8");
}
