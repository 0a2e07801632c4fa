#include "core/sampling/predict.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "core/data/tsv_reader.h"
#include "core/image/image_io.h"
#include "core/util/base64.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tiny_model.h"

using namespace shenbi;
namespace fs = std::filesystem;

TEST(Predict, WritesEasyNlpOutputAndReportsBadRows) {
    auto model = shenbi::test::tiny_model(FusionMode::EasyNLP);
    const test::TempDir tmp;
    const auto& dir = tmp.path();
    {
        std::ofstream in(dir / "in.tsv");
        in << "0\t一丁七\n";                                // plain predict row
        in << "1\t只有一列的行\textra\n";                   // 3 columns: neither format
        in << "2\t一丁七\t0 2\t0 1 2 0 1\t0 1 2 1 2\t3\n";  // knowledge columns
        in << "3\t \n";                                     // empty text
        in << "4\t一丁\tx y\t0 1\t0 1\t2\n";                // lex_id not integers
    }
    GenerationParams base;
    base.candidates = 2;
    base.seed = 3;
    auto summary = predict_tsv(*model, dir / "in.tsv", dir / "out.tsv", base);
    ASSERT_TRUE(summary.ok()) << summary.message();
    EXPECT_EQ(summary->written, 2);
    ASSERT_EQ(summary->skipped.size(), 3u);
    EXPECT_NE(summary->skipped[0].find("in.tsv:2"), std::string::npos) << summary->skipped[0];
    EXPECT_NE(summary->skipped[1].find("in.tsv:4"), std::string::npos) << summary->skipped[1];
    EXPECT_NE(summary->skipped[2].find("in.tsv:5"), std::string::npos) << summary->skipped[2];

    auto reader = TsvReader::open(dir / "out.tsv");
    ASSERT_TRUE(reader.ok());
    TsvRow row;
    ASSERT_TRUE(reader->next(row));
    ASSERT_EQ(row.fields.size(), 3u);
    EXPECT_EQ(row.fields[0], "0");
    EXPECT_EQ(row.fields[1], "一丁七");
    const std::string list(row.fields[2]);
    const std::regex python_list(R"(\['[A-Za-z0-9+/=]+', '[A-Za-z0-9+/=]+'\])");
    EXPECT_TRUE(std::regex_match(list, python_list)) << list.substr(0, 80);
    // Each entry is a PNG of the model's resolution.
    auto b64 = list.substr(2, list.find('\'', 2) - 2);
    auto png = base64_decode(b64);
    ASSERT_TRUE(png.ok());
    auto image = decode_image(*png);
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image->rows, model->config.vqgan.resolution);
    ASSERT_TRUE(reader->next(row));
    EXPECT_EQ(row.fields[0], "2");
    EXPECT_FALSE(reader->next(row));
}

TEST(Predict, MissingInputIsAnErrorAndWritesNothing) {
    auto model = shenbi::test::tiny_model();
    const test::TempDir tmp;
    const auto out = tmp / "out.tsv";
    auto summary = predict_tsv(*model, "/nonexistent/in.tsv", out, GenerationParams{});
    ASSERT_FALSE(summary.ok());
    EXPECT_NE(summary.message().find("/nonexistent/in.tsv"), std::string::npos);
    EXPECT_FALSE(fs::exists(out));
}
