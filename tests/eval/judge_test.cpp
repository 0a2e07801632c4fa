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
#include "core/eval/scene_regions.h"

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

Detection detection(int cls, cv::Rect box, std::string colour = {}) {
    Detection d;
    d.cls = cls;
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
    EXPECT_TRUE(facts_hold({fact("猫", 1, "蓝色")}, {}, img, judge));
    EXPECT_FALSE(facts_hold({fact("猫", 2, "蓝色")}, {}, img, judge));
    EXPECT_TRUE(facts_hold({fact("狗", 1), fact("猫", 1, "", "left of", 0)}, {}, img, judge));
    EXPECT_FALSE(facts_hold({fact("狗", 1), fact("猫", 1, "", "right of", 0)}, {}, img, judge));
    EXPECT_FALSE(facts_hold({fact("兔子", 1)}, {}, img, judge));  // not a class of the judge
}

TEST(Judge, SavedAndLoadedGivesTheSameProbabilities) {
    auto judge = tiny_judge();
    const auto dir = std::filesystem::temp_directory_path() / "shenbi-judge-test";
    std::filesystem::remove_all(dir);
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
    const auto path = std::filesystem::temp_directory_path() / "shenbi-bad-gt.jsonl";
    std::ofstream(path) << "{\"idx\": \"a\", \"objects\": []}\n{not json\n";
    auto gt = read_gt_rows(path);
    ASSERT_FALSE(gt);
    EXPECT_NE(gt.message().find("shenbi-bad-gt.jsonl:2"), std::string::npos) << gt.message();
    std::filesystem::remove(path);
}

TEST(ImageMetrics, IdenticalImagesAreAtTheTopAndNoiseLowersBoth) {
    cv::Mat a(64, 64, CV_8UC3);
    cv::randu(a, 0, 255);
    EXPECT_DOUBLE_EQ(psnr(a, a), 100.0);
    EXPECT_NEAR(ssim(a, a), 1.0, 1e-9);
    cv::Mat b = a.clone();
    b += cv::Scalar(10, 10, 10);  // saturates at 255, so MSE <= 100
    EXPECT_GE(psnr(a, b), 10 * std::log10(255.0 * 255.0 / 100.0) - 1e-9);
    EXPECT_LT(ssim(a, b), 1.0);
}

}  // namespace
}  // namespace shenbi
