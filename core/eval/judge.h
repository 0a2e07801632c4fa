// The judge of `shenbi-cli eval`: finds the objects of a 64 px scene
// (scene_regions), names each with JudgeNet, a small CNN trained on the
// corpus's real images (judge_train), measures colours, and says whether a
// prompt's GenEval-shaped facts hold. Validated on real rendered scenes
// before any score is reported (judge_train's validate_judge).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include "core/eval/eval_sets.h"
#include "core/eval/scene_regions.h"
#include "core/util/result.h"

namespace shenbi {

// (B, 3, 32, 32) crops in [-1, 1] -> (B, classes) logits. Four conv levels
// (16, 32, 64, 128 channels), each conv -> BN -> ReLU, max-pooled between,
// global average pool, one linear layer.
class JudgeNetImpl : public torch::nn::Module {
public:
    static constexpr int kInput = 32;
    explicit JudgeNetImpl(int classes);
    torch::Tensor forward(torch::Tensor x);

    std::vector<torch::nn::Conv2d> convs;
    std::vector<torch::nn::BatchNorm2d> norms;
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(JudgeNet);

// The square around `box` (15 % margin) as the net's input, (3, 32, 32) in
// [-1, 1]; outside the image it is filled with `background`.
torch::Tensor judge_crop(const cv::Mat& rgb, const cv::Rect& box, const cv::Vec3b& background);

struct Detection {
    int cls = -1;  // index into Judge::classes()
    float prob = 0;
    std::vector<int> top5;
    SceneRegion region;
    std::string colour;  // colour_name of the region, empty when none
};

struct JudgedImage {
    std::string background_name;
    std::vector<Detection> detections;  // every region, the "other" class included
};

class Judge {
public:
    // dir: judge.pt + classes.txt, as train_judge writes them.
    static Result<Judge> load(const std::filesystem::path& dir);
    Status save(const std::filesystem::path& dir) const;
    Judge(JudgeNet net, std::vector<std::string> classes);

    const std::vector<std::string>& classes() const { return classes_; }
    int class_index(const std::string& name) const;  // -1 when not a class
    JudgeNet& net() { return net_; }

    // One image: regions, classes, colours.
    Result<JudgedImage> judge(const cv::Mat& rgb);
    // Class probabilities of prepared crops (B, 3, 32, 32) -> (B, classes).
    torch::Tensor probabilities(const torch::Tensor& crops);

private:
    JudgeNet net_;
    std::vector<std::string> classes_;
};

// What the judge saw, for people reading an evaluation: each region as its
// class, colour and box, largest first ("猫 红色 3,10 24x22; 其他 40,8 6x6"),
// "nothing" when there is none.
std::string describe_judged(const JudgedImage& image, const Judge& judge);

// The name of the judge's catch-all class: objects that are none of the
// scene classes (other emoji, fragments, blobs).
inline constexpr const char* kOtherClass = "其他";

// GenEval's rule: for every include, the class's `count` most confident
// detections exist, all have the colour, and each stands in the relation to
// each object matched for include[relative_to]; no exclude holds (an exclude
// fails with `count` or more detections of its class).
bool facts_hold(const std::vector<ObjectFact>& include,
                const std::vector<ObjectFact>& exclude,
                const JudgedImage& image,
                const Judge& judge);

}  // namespace shenbi
