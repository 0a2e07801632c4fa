// The judge's non-learned half: where the objects of a small rendered or
// generated scene are (a background estimate, a foreground mask, connected
// regions), what colour an object and the background are, and GenEval's
// relative-position test. The classes of the regions come from JudgeNet.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace shenbi {

// The judge reads every scene at 64 px: the segmentation constants and the
// corpus's boxes are set for it.
constexpr int kSceneSide = 64;
// `rgb` at kSceneSide x kSceneSide (area-resampled; as it is when it already is).
cv::Mat at_scene_side(const cv::Mat& rgb);

struct SceneRegion {
    cv::Rect box;
    cv::Mat mask;  // CV_8U, the image's size, 255 on the region's pixels
    int area = 0;
    cv::Point2d center;  // of the box
};

struct SceneLayout {
    cv::Vec3b background;         // RGB
    std::string background_name;  // the nearest corpus background word ("白色", "浅蓝色", ...)
    std::vector<SceneRegion> regions;
};

// The background colour: the per-channel median of the border pixels
// (objects rarely touch the edge).
cv::Vec3b estimate_background(const cv::Mat& rgb);

// rgb: 8-bit RGB; resized to the 64 px the constants are set for, so
// boxes and masks are in 64 px coordinates.
SceneLayout find_regions(const cv::Mat& rgb);

// The colour word of an object's saturated body hue ("红色", "橙色", "黄色",
// "绿色", "蓝色", "紫色", the hues the corpus recolours into); empty when
// under 15 % of the region's pixels are saturated.
std::string colour_name(const cv::Mat& rgb, const cv::Mat& mask);

// Every word background_name and colour_name can give, in a fixed order.
const std::vector<std::string>& background_names();
const std::vector<std::string>& colour_names();

// GenEval's relative position (Ghosh et al. 2023, POSITION_THRESHOLD 0.1):
// does `a` stand in `relation` ("left of", "right of", "above", "below") to `b`?
// "next to" (旁边, not in GenEval) is left of or right of.
bool relation_holds(const cv::Rect& a, const cv::Rect& b, const std::string& relation);

}  // namespace shenbi
