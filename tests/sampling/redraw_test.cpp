#include "core/sampling/redraw.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/model/model_bundle.h"
#include "core/sampling/generate.h"
#include "tests/support/tiny_model.h"

using namespace shenbi;
using shenbi::test::tiny_model;

namespace {

GenerationParams one(std::uint64_t seed) {
    GenerationParams p;
    p.prompt = "一丁七万丈";
    p.candidates = 1;
    p.seed = seed;
    p.sampling.top_k = 10;
    return p;
}

bool inside(const CellRect& r, int grid, std::size_t i) {
    const int row = static_cast<int>(i) / grid, col = static_cast<int>(i) % grid;
    return row >= r.row && row < r.row + r.rows && col >= r.col && col < r.col + r.cols;
}

cv::Mat stripes(int width, int height) {
    cv::Mat m(height, width, CV_8UC3, cv::Scalar(240, 240, 240));
    for (int x = 0; x < width; x += 6) cv::line(m, {x, 0}, {x, height - 1}, cv::Scalar(200, 30, 20), 2);
    cv::circle(m, {width / 2, height / 2}, std::min(width, height) / 4, cv::Scalar(20, 40, 220), -1);
    return m;
}

}  // namespace

// A region redrawn with the seed that drew the picture draws the same codes
// again (each drawn cell sees the prefix it saw then and the same random
// stream); with other seeds the cells outside the region keep their codes,
// those inside change, and the cells before the region are those of the picture.
TEST(Redraw, KeepsTheCellsOutsideTheRegionAndDrawsTheRest) {
    for (auto fusion : {FusionMode::None, FusionMode::Lattice}) {
        auto model = tiny_model(fusion);
        const int grid = model->config.vqgan.grid_size();
        auto picture = generate(*model, one(5));
        ASSERT_TRUE(picture.ok()) << picture.message();
        const auto& codes = picture->candidates[0].codes;
        const CellRect region{.col = 1, .row = 1, .cols = 2, .rows = 2};

        auto p = one(5);
        auto kept = redraw_region(codes, grid, region);
        ASSERT_TRUE(kept.ok()) << kept.message();
        p.kept_codes = *kept;
        auto same = generate(*model, p);
        ASSERT_TRUE(same.ok()) << same.message();
        EXPECT_EQ(same->candidates[0].codes, codes);

        int changed = 0;
        for (std::uint64_t seed = 6; seed < 12; ++seed) {
            p.seed = seed;
            p.sampling.guidance = seed % 2 ? 2.0 : 1.0;  // the guided batch keeps them too
            p.sampling.best_of = seed % 3 ? 1 : 2;
            auto r = generate(*model, p);
            ASSERT_TRUE(r.ok()) << r.message();
            const auto& drawn = r->candidates[0].codes;
            ASSERT_EQ(drawn.size(), codes.size());
            for (std::size_t i = 0; i < codes.size(); ++i) {
                if (!inside(region, grid, i)) {
                    EXPECT_EQ(drawn[i], codes[i]) << "cell " << i << " seed " << seed;
                } else {
                    changed += drawn[i] != codes[i];
                }
            }
        }
        EXPECT_GT(changed, 0) << "no seed drew anything new in the region";
    }
}

// A redraw is refused before any work when the kept codes are not a picture
// of this model: the wrong length, a code past the codebook, nothing to
// redraw, or teacher forcing beside it.
TEST(Redraw, BadKeptCodesAreRefusedNamingWhy) {
    auto model = tiny_model();
    const int n = model->config.gpt.img_len;
    auto expect_error = [&](std::vector<std::int64_t> kept, const std::string& why, bool forced = false) {
        auto p = one(1);
        p.kept_codes = std::move(kept);
        if (forced) p.forced_codes = std::vector<std::int64_t>(static_cast<std::size_t>(n), 0);
        auto r = generate(*model, p);
        ASSERT_FALSE(r.ok()) << why;
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(r.message().find(why), std::string::npos) << r.message();
    };
    std::vector<std::int64_t> ok(static_cast<std::size_t>(n), 0);
    ok[3] = kRedrawCode;
    expect_error({0, kRedrawCode}, "kept_codes must hold " + std::to_string(n) + " codes, got 2");
    auto past = ok;
    past[5] = model->config.vqgan.n_embed;
    expect_error(past, "kept_codes[5] is " + std::to_string(model->config.vqgan.n_embed));
    auto below = ok;
    below[0] = -2;
    expect_error(below, "kept_codes[0] is -2");
    expect_error(std::vector<std::int64_t>(static_cast<std::size_t>(n), 1), "nothing to redraw");
    expect_error(ok, "kept_codes and forced_codes cannot be given together", true);
}

// Pixels are mapped through the same square centre crop as training images,
// and widened to whole cells; a rectangle outside that square is refused.
TEST(Redraw, CellsCoverThePixelRectangleOfTheSquareCentre) {
    auto a = cells_covering(cv::Rect(10, 10, 10, 10), cv::Size(64, 64), 16);  // 4 px cells: 2.5 .. 5
    ASSERT_TRUE(a.ok()) << a.message();
    EXPECT_EQ(a->col, 2);
    EXPECT_EQ(a->row, 2);
    EXPECT_EQ(a->cols, 3);
    EXPECT_EQ(a->rows, 3);

    auto whole = cells_covering(cv::Rect(20, 0, 60, 60), cv::Size(100, 60), 16);  // the square is x 20..80
    ASSERT_TRUE(whole.ok()) << whole.message();
    EXPECT_EQ(whole->col, 0);
    EXPECT_EQ(whole->row, 0);
    EXPECT_EQ(whole->cols, 16);
    EXPECT_EQ(whole->rows, 16);

    auto clipped = cells_covering(cv::Rect(70, 50, 500, 500), cv::Size(100, 60), 4);  // 15 px cells, clipped
    ASSERT_TRUE(clipped.ok()) << clipped.message();
    EXPECT_EQ(clipped->col, 3);
    EXPECT_EQ(clipped->row, 3);
    EXPECT_EQ(clipped->cols, 1);
    EXPECT_EQ(clipped->rows, 1);

    auto outside = cells_covering(cv::Rect(0, 0, 10, 10), cv::Size(100, 60), 16);
    ASSERT_FALSE(outside.ok());
    EXPECT_NE(outside.message().find("region 0,0,10,10 misses the square centre of the 100x60 image (20,0,60,60)"),
              std::string::npos)
        << outside.message();
    EXPECT_FALSE(cells_covering(cv::Rect(5, 5, 0, 3), cv::Size(64, 64), 16).ok());
    EXPECT_FALSE(cells_covering(cv::Rect(5, 5, 3, 3), cv::Size(64, 64), 0).ok());
    EXPECT_FALSE(cells_covering(cv::Rect(2000000000, 0, 2000000000, 3), cv::Size(64, 64), 16).ok());

    // A grid that does not divide the side: 100 px over 24 cells, pixels 25..49
    // are cells 6 (25 * 24 / 100 = 6.0) to 11 (49 * 24 / 100 = 11.76), no wider.
    auto uneven = cells_covering(cv::Rect(25, 25, 25, 25), cv::Size(100, 100), 24);
    ASSERT_TRUE(uneven.ok()) << uneven.message();
    EXPECT_EQ(uneven->col, 6);
    EXPECT_EQ(uneven->cols, 6);

    // A region off the grid, or codes that are no grid, are refused, not written past.
    const std::vector<std::int64_t> sixteen(16, 0);
    EXPECT_FALSE(redraw_region(sixteen, 4, CellRect{.col = 3, .row = 0, .cols = 2, .rows = 1}).ok());
    EXPECT_FALSE(redraw_region(sixteen, 4, CellRect{.col = 0, .row = -1, .cols = 1, .rows = 1}).ok());
    EXPECT_FALSE(redraw_region(sixteen, 5, CellRect{.col = 0, .row = 0, .cols = 1, .rows = 1}).ok());
    auto one = redraw_region(sixteen, 4, CellRect{.col = 3, .row = 3, .cols = 1, .rows = 1});
    ASSERT_TRUE(one.ok()) << one.message();
    EXPECT_EQ(std::count(one->begin(), one->end(), kRedrawCode), 1);
    EXPECT_EQ(one->back(), kRedrawCode);
}

// An image is encoded as training encodes one: its square centre at the
// VQGAN's resolution, so a wide picture gives the codes of its centre.
TEST(Redraw, AnImageIsEncodedFromItsSquareCentre) {
    auto model = tiny_model();
    const auto wide = stripes(96, 64);
    auto codes = encode_image_codes(*model, wide);
    ASSERT_TRUE(codes.ok()) << codes.message();
    ASSERT_EQ(static_cast<int>(codes->size()), model->config.gpt.img_len);
    for (auto c : *codes) {
        EXPECT_GE(c, 0);
        EXPECT_LT(c, model->config.vqgan.n_embed);
    }
    auto centre = encode_image_codes(*model, wide(cv::Rect(16, 0, 64, 64)).clone());
    ASSERT_TRUE(centre.ok()) << centre.message();
    EXPECT_EQ(*codes, *centre);
    EXPECT_FALSE(encode_image_codes(*model, cv::Mat(8, 8, CV_8UC1, cv::Scalar(3))).ok());
}
