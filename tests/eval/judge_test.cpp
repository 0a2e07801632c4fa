// The judge's non-learned half on drawn scenes with known answers, its fact
// logic on hand-made detections, the corpus readers on the mini corpus, and
// PSNR/SSIM on cases with known values.
#include "core/eval/judge.h"

#include <gtest/gtest.h>

#include <fstream>

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "core/eval/eval_sets.h"
#include "core/eval/image_metrics.h"
#include "core/eval/report.h"
#include "core/eval/scene_regions.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

const std::filesystem::path kMini = std::filesystem::path(SHENBI_SOURCE_DIR) / "tests/data/corpus-mini";

cv::Mat canvas(cv::Scalar bg = {255, 255, 255}) {
    return cv::Mat(64, 64, CV_8UC3, bg);
}

TEST(SceneRegions, TwoColouredShapesAreTwoRegionsWithTheirColoursAndPlaces) {
    auto img = canvas();
    cv::circle(img, {16, 32}, 9, cv::Scalar(220, 30, 30), cv::FILLED);            // red, left
    cv::rectangle(img, {40, 24}, {56, 40}, cv::Scalar(30, 80, 230), cv::FILLED);  // blue, right
    const auto layout = find_regions(img);
    EXPECT_EQ(layout.background_name, "白色");
    ASSERT_EQ(layout.regions.size(), 2u);
    const auto& a = layout.regions[0].center.x < layout.regions[1].center.x ? layout.regions[0] : layout.regions[1];
    const auto& b = &a == &layout.regions[0] ? layout.regions[1] : layout.regions[0];
    EXPECT_EQ(colour_name(img, a.mask), "红色");
    EXPECT_EQ(colour_name(img, b.mask), "蓝色");
    EXPECT_TRUE(relation_holds(a.box, b.box, "left of"));
    EXPECT_TRUE(relation_holds(b.box, a.box, "right of"));
    EXPECT_TRUE(relation_holds(a.box, b.box, "next to"));
    EXPECT_FALSE(relation_holds(a.box, b.box, "right of"));
    EXPECT_FALSE(relation_holds(a.box, b.box, "above"));
}

// A white body inside a dark outline (a panda's face) is one object, not a
// ring; a grey, unsaturated object has no colour word.
TEST(SceneRegions, HolesBelongToTheObjectAndGreyHasNoColour) {
    auto img = canvas(cv::Scalar(190, 222, 255));  // 浅蓝色
    cv::circle(img, {32, 32}, 14, cv::Scalar(255, 255, 255), cv::FILLED);
    cv::circle(img, {32, 32}, 14, cv::Scalar(40, 40, 40), 2);
    const auto layout = find_regions(img);
    EXPECT_EQ(layout.background_name, "浅蓝色");
    ASSERT_EQ(layout.regions.size(), 1u);
    EXPECT_GT(layout.regions[0].area, 500);  // filled: pi * 15^2 ~ 700, the ring alone ~ 180
    EXPECT_EQ(colour_name(img, layout.regions[0].mask), "");
}

TEST(SceneRegions, SpecksAreDroppedAndAFragmentJoinsItsNeighbour) {
    auto img = canvas();
    cv::rectangle(img, {10, 10}, {30, 30}, cv::Scalar(0, 160, 0), cv::FILLED);
    cv::rectangle(img, {32, 14}, {34, 18}, cv::Scalar(0, 160, 0), cv::FILLED);  // a stem 2 px away
    img.at<cv::Vec3b>(50, 50) = {0, 0, 0};                                      // a speck
    const auto layout = find_regions(img);
    ASSERT_EQ(layout.regions.size(), 1u);
    EXPECT_EQ(layout.regions[0].box.x + layout.regions[0].box.width, 35);
}

Judge tiny_judge() {
    torch::manual_seed(0);
    return Judge(JudgeNet(3), {"猫", "狗", kOtherClass});
}

Detection detection(int cls, cv::Rect box, std::string colour = {}, float prob = 0.9f) {
    Detection d;
    d.cls = cls;
    d.prob = prob;
    d.region.box = box;
    d.colour = std::move(colour);
    return d;
}

TEST(FactsHold, CountsColoursRelationsAndExcludesFollowGenEval) {
    auto judge = tiny_judge();
    JudgedImage img;
    img.detections = {detection(0, {4, 20, 16, 16}, "红色"), detection(0, {24, 20, 16, 16}, "蓝色"),
                      detection(1, {44, 20, 16, 16})};
    auto fact = [](std::string cls, int count, std::string colour = {}, std::string rel = {}, int to = -1) {
        return ObjectFact{std::move(cls), count, std::move(colour), std::move(rel), to};
    };
    EXPECT_TRUE(facts_hold({fact("猫", 2)}, {}, img, judge));
    EXPECT_FALSE(facts_hold({fact("猫", 3)}, {}, img, judge));
    EXPECT_FALSE(facts_hold({fact("猫", 2)}, {fact("猫", 2)}, img, judge));  // "exactly one" fails with two
    EXPECT_TRUE(facts_hold({fact("猫", 1, "红色")}, {}, img, judge));        // the first of two equally sure cats
    EXPECT_FALSE(facts_hold({fact("猫", 2, "蓝色")}, {}, img, judge));
    EXPECT_TRUE(facts_hold({fact("狗", 1), fact("猫", 1, "", "left of", 0)}, {}, img, judge));
    EXPECT_FALSE(facts_hold({fact("狗", 1), fact("猫", 1, "", "right of", 0)}, {}, img, judge));
    EXPECT_FALSE(facts_hold({fact("兔子", 1)}, {}, img, judge));  // not a class of the judge
}

// GenEval judges the `count` most confident detections of a class, not any
// that happen to fit: a confident red cat beside a doubtful blue one is not
// "a blue cat", and the surer of two dogs must be the one left of the cat.
TEST(FactsHold, OnlyTheMostConfidentDetectionsCount) {
    auto judge = tiny_judge();
    auto fact = [](std::string cls, int count, std::string colour = {}, std::string rel = {}, int to = -1) {
        return ObjectFact{std::move(cls), count, std::move(colour), std::move(rel), to};
    };
    JudgedImage cats;
    cats.detections = {detection(0, {4, 20, 16, 16}, "红色", 0.95f), detection(0, {40, 20, 16, 16}, "蓝色", 0.5f)};
    EXPECT_FALSE(facts_hold({fact("猫", 1, "蓝色")}, {}, cats, judge));
    EXPECT_TRUE(facts_hold({fact("猫", 1, "红色")}, {}, cats, judge));
    JudgedImage dogs;
    dogs.detections = {detection(1, {2, 24, 12, 12}, "", 0.6f), detection(0, {26, 24, 12, 12}),
                       detection(1, {50, 24, 12, 12}, "", 0.95f)};
    EXPECT_FALSE(facts_hold({fact("猫", 1), fact("狗", 1, "", "left of", 0)}, {}, dogs, judge));
    EXPECT_TRUE(facts_hold({fact("猫", 1), fact("狗", 1, "", "right of", 0)}, {}, dogs, judge));
    EXPECT_FALSE(facts_hold({fact("猫", 1), fact("狗", 2, "", "right of", 0)}, {}, dogs, judge));  // every one
}

// What an evaluation's prompts.tsv says the judge saw: regions largest first,
// class, colour and box; "nothing" for an empty image. The table has one row
// per prompt, its images that hold, and each image's verdict.
TEST(DescribeJudged, RegionsLargestFirstAndOneRowPerPrompt) {
    auto judge = tiny_judge();
    JudgedImage img;
    img.detections = {detection(1, {44, 20, 8, 8}), detection(0, {4, 20, 16, 16}, "红色")};
    img.detections[0].region.area = 64;
    img.detections[1].region.area = 256;
    EXPECT_EQ(describe_judged(img, judge), "猫 红色 4,20 16x16; 狗 44,20 8x8");
    EXPECT_EQ(describe_judged(JudgedImage{}, judge), "nothing");

    EvalReport report;
    report.prompts.push_back({"two_object",
                              "two_object/0000",
                              "一只猫和一条狗",
                              "猫在左边 | 狗在右边",
                              {true, false},
                              {describe_judged(img, judge), "nothing"},
                              {}});
    EXPECT_EQ(prompts_tsv(report),
              "set\tid\tprompt\tparts\tholds\timage 1\timage 2\n"
              "two_object\ttwo_object/0000\t一只猫和一条狗\t猫在左边 | 狗在右边\t1/2\t"
              "yes: 猫 红色 4,20 16x16; 狗 44,20 8x8\tno: nothing\n");
}

TEST(Judge, SavedAndLoadedGivesTheSameProbabilities) {
    auto judge = tiny_judge();
    const test::TempDir tmp;
    const auto dir = tmp / "judge";
    ASSERT_TRUE(judge.save(dir).ok());
    auto loaded = Judge::load(dir);
    ASSERT_TRUE(loaded) << loaded.message();
    EXPECT_EQ(loaded->classes(), judge.classes());
    auto x = torch::rand({2, 3, 32, 32}) * 2 - 1;
    EXPECT_TRUE(torch::allclose(loaded->probabilities(x), judge.probabilities(x)));
    std::filesystem::remove_all(dir);
    auto missing = Judge::load(dir);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.message().find("eval judge train"), std::string::npos) << missing.message();
}

TEST(EvalSets, ReadsTheMiniCorpus) {
    auto gt = read_gt_rows(kMini / "test.gt.jsonl");
    ASSERT_TRUE(gt) << gt.message();
    EXPECT_EQ(gt->size(), 14u);
    int scenes = 0;
    for (const auto& [idx, row] : *gt) {
        if (row.kind != "scene") continue;
        ++scenes;
        EXPECT_FALSE(row.facts.empty()) << idx;
        for (const auto& o : row.objects) EXPECT_GT(o.box.area(), 0) << idx;
    }
    EXPECT_EQ(scenes, 10);
    auto prompts = read_eval_prompts(kMini / "eval" / "position.jsonl");
    ASSERT_TRUE(prompts) << prompts.message();
    ASSERT_EQ(prompts->size(), 2u);
    EXPECT_FALSE((*prompts)[0].include.at(1).relation.empty());
    auto classes = read_judge_classes(kMini / "eval" / "classes.json");
    ASSERT_TRUE(classes) << classes.message();
    EXPECT_EQ(classes->size(), 81u);
}

TEST(EvalSets, AMalformedLineIsAnErrorNamingFileAndLine) {
    const test::TempDir tmp;
    const auto path = tmp / "bad-gt.jsonl";
    std::ofstream(path) << "{\"idx\": \"a\", \"objects\": []}\n{not json\n";
    auto gt = read_gt_rows(path);
    ASSERT_FALSE(gt);
    EXPECT_NE(gt.message().find("bad-gt.jsonl:2"), std::string::npos) << gt.message();
    // a field of the wrong type is an error value too, never an exception
    std::ofstream(path) << "{\"idx\": \"a\", \"objects\": [{\"class\": \"猫\", \"bbox\": [1, null, 3, 4]}]}\n";
    gt = read_gt_rows(path);
    ASSERT_FALSE(gt);
    EXPECT_NE(gt.message().find("bad-gt.jsonl:1"), std::string::npos) << gt.message();
    std::ofstream(path) << "{\"prompt\": \"两只猫\", \"include\": [{\"class\": \"猫\", \"count\": null}]}\n";
    auto prompts = read_eval_prompts(path);
    ASSERT_FALSE(prompts);
    EXPECT_NE(prompts.message().find("bad-gt.jsonl:1"), std::string::npos) << prompts.message();
}

TEST(ImageMetrics, PsnrAndSsimAgainstValuesWorkedOutByHand) {
    cv::Mat a(64, 64, CV_8UC3);
    cv::randu(a, 0, 255);
    EXPECT_DOUBLE_EQ(psnr(a, a), 100.0);
    EXPECT_NEAR(ssim(a, a), 1.0, 1e-9);
    cv::Mat b = a.clone();
    b += cv::Scalar(10, 10, 10);  // saturates at 255
    double se = 0;
    const cv::Mat a1 = a.reshape(1), b1 = b.reshape(1);  // one uchar per channel value
    for (auto p = a1.begin<uchar>(), q = b1.begin<uchar>(); p != a1.end<uchar>(); ++p, ++q) se += (*q - *p) * (*q - *p);
    EXPECT_NEAR(psnr(a, b), 10 * std::log10(255.0 * 255.0 / (se / (64 * 64 * 3))), 1e-9);
    // Flat images: SSIM is the luminance term (2 mx my + C1) / (mx^2 + my^2 + C1).
    const cv::Mat x(32, 32, CV_8UC3, cv::Scalar(100, 100, 100)), y(32, 32, CV_8UC3, cv::Scalar(110, 110, 110));
    const double c1 = (0.01 * 255) * (0.01 * 255);
    EXPECT_NEAR(ssim(x, y), (2 * 100 * 110 + c1) / (100 * 100 + 110 * 110 + c1), 1e-9);
}

}  // namespace
}  // namespace shenbi
