#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/data/tsv_reader.h"

using namespace shenbi;

TEST(TsvReader, StreamsRowsWithLineNumbers) {
    auto path = std::filesystem::temp_directory_path() / "shenbi_tsv_test.tsv";
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
