#include "core/util/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

using namespace shenbi;
namespace fs = std::filesystem;

TEST(AtomicFile, WritesAndReplaces) {
    const test::TempDir tmp("atomic");
    const auto& dir = tmp.path();
    ASSERT_TRUE(write_file_atomic(dir / "a.txt", "one").ok());
    ASSERT_TRUE(write_file_atomic(dir / "a.txt", "two").ok());
    EXPECT_EQ(*read_file(dir / "a.txt"), "two");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);  // no temp left
}

TEST(AtomicFile, FailedWriterKeepsPreviousFile) {
    const test::TempDir tmp("atomic_fail");
    const auto& dir = tmp.path();
    ASSERT_TRUE(write_file_atomic(dir / "a.txt", "precious").ok());
    Status st = write_file_atomic(dir / "a.txt", [](std::ostream& out) -> Status {
        out << "half";
        return make_error(ErrorCode::Io, "simulated disk full");
    });
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(*read_file(dir / "a.txt"), "precious");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
}

TEST(AtomicFile, MissingDirectoryNamesThePath) {
    Status st = write_file_atomic("/nonexistent_shenbi_dir/x.bin", "x");
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("/nonexistent_shenbi_dir"), std::string::npos);
}
