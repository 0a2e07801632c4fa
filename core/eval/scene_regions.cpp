#include "core/eval/scene_regions.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

#include <opencv2/imgproc.hpp>

namespace shenbi {

namespace {

struct NamedColour {
    const char* name;
    cv::Vec3b rgb;
};

// data/corpus/vocab.py BACKGROUNDS.
const std::array<NamedColour, 7> kBackgrounds{{{"白色", {255, 255, 255}},
                                               {"浅蓝色", {190, 222, 255}},
                                               {"浅绿色", {200, 238, 192}},
                                               {"浅黄色", {255, 243, 176}},
                                               {"粉色", {255, 208, 224}},
                                               {"灰色", {170, 170, 170}},
                                               {"黑色", {28, 28, 28}}}};

double distance(const cv::Vec3b& a, const cv::Vec3b& b) {
    double s = 0;
    for (int c = 0; c < 3; ++c) s += (a[c] - b[c]) * (a[c] - b[c]);
    return std::sqrt(s);
}

cv::Vec3b border_median(const cv::Mat& rgb) {
    std::array<std::vector<int>, 3> ch;
    auto take = [&](int y, int x) {
        const auto& p = rgb.at<cv::Vec3b>(y, x);
        for (int c = 0; c < 3; ++c) ch[c].push_back(p[c]);
    };
    for (int x = 0; x < rgb.cols; ++x) take(0, x), take(rgb.rows - 1, x);
    for (int y = 1; y + 1 < rgb.rows; ++y) take(y, 0), take(y, rgb.cols - 1);
    cv::Vec3b out;
    for (int c = 0; c < 3; ++c) {
        auto& v = ch[c];
        std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
        out[c] = static_cast<uchar>(v[v.size() / 2]);
    }
    return out;
}

}  // namespace

const std::vector<std::string>& background_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& b : kBackgrounds) v.emplace_back(b.name);
        return v;
    }();
    return names;
}

const std::vector<std::string>& colour_names() {
    static const std::vector<std::string> names{"红色", "橙色", "黄色", "绿色", "蓝色", "紫色"};
    return names;
}

namespace {

// Hue cuts halfway between the corpus's recolour targets (红 0, 橙 28, 黄 52,
// 绿 120, 蓝 220, 紫 280 degrees); magenta and pink count as red.
std::string hue_word(double hue) {
    static const std::pair<double, const char*> cuts[] = {{14, "红色"},  {40, "橙色"},  {86, "黄色"}, {170, "绿色"},
                                                          {250, "蓝色"}, {320, "紫色"}, {360, "红色"}};
    for (const auto& [hi, name] : cuts)
        if (hue < hi) return name;
    return "红色";
}

}  // namespace

cv::Vec3b estimate_background(const cv::Mat& rgb) {
    return border_median(rgb);
}

namespace {

// Segmentation constants for a 64 px canvas (validated on the 1,600 real
// val + test scenes: objects found 0.9996, region count exact 0.9981).
constexpr int kMinThreshold = 12;    // Chebyshev distance from the background
constexpr int kNoiseFactor = 4;      // ... or 4 x the border's median distance (noisy images)
constexpr int kNoiseArea = 4;        // components below this are specks
constexpr int kFragmentArea = 40;    // a fragment (sun ray, balloon string) ...
constexpr int kFragmentExtent = 10;  // ... or shorter than this joins its neighbour
constexpr int kFragmentGap = 3;      // ... within this many px
constexpr int kOverlap = 2;          // boxes interpenetrating this much on both axes are one object
constexpr int kMinArea = 30;
constexpr int kSplitLength = 33;  // no single scene object is longer (0.5 x 64)
constexpr double kSplitAspect = 1.5;
constexpr int kSplitShort = 27;  // objects of multi-object layouts are at most 0.4 x 64

int chebyshev(const cv::Vec3b& a, const cv::Vec3b& b) {
    return std::max({std::abs(a[0] - b[0]), std::abs(a[1] - b[1]), std::abs(a[2] - b[2])});
}

SceneRegion region_of(cv::Mat mask) {
    SceneRegion r;
    r.area = cv::countNonZero(mask);
    r.box = r.area ? cv::boundingRect(mask) : cv::Rect();
    r.mask = std::move(mask);
    r.center = {r.box.x + r.box.width / 2.0, r.box.y + r.box.height / 2.0};
    return r;
}

// Pixels not 4-connected to the border through non-foreground are holes:
// white bodies inside an outline (panda, cow, egg) belong to the object.
cv::Mat fill_holes(const cv::Mat& fg) {
    cv::Mat padded;
    cv::copyMakeBorder(fg, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
    cv::floodFill(padded, cv::Point(0, 0), 128, nullptr, 0, 0, 4);
    return padded(cv::Rect(1, 1, fg.cols, fg.rows)) != 128;
}

int box_gap(const cv::Rect& a, const cv::Rect& b) {
    return std::max({a.x - (b.x + b.width), b.x - (a.x + a.width), a.y - (b.y + b.height), b.y - (a.y + a.height), 0});
}

int box_overlap(const cv::Rect& a, const cv::Rect& b) {
    const int ox = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
    const int oy = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
    return std::min(ox, oy);
}

// Interpenetrating boxes are one object; a fragment joins the nearest region
// within kFragmentGap. Repeated until nothing changes, largest regions first.
void merge_fragments(std::vector<SceneRegion>& regs) {
    for (bool changed = true; changed;) {
        changed = false;
        std::sort(regs.begin(), regs.end(), [](const auto& a, const auto& b) {
            return std::tuple(-a.area, a.box.y, a.box.x) < std::tuple(-b.area, b.box.y, b.box.x);
        });
        for (std::size_t j = 0; j < regs.size() && !changed; ++j) {
            const auto& b = regs[j];
            int target = -1;
            for (std::size_t i = 0; i < regs.size() && target < 0; ++i)
                if (i != j && box_overlap(regs[i].box, b.box) >= kOverlap) target = static_cast<int>(i);
            const bool fragment = b.area < kFragmentArea || std::max(b.box.width, b.box.height) < kFragmentExtent;
            if (target < 0 && fragment) {
                int best_gap = kFragmentGap + 1, best_area = -1;
                for (std::size_t i = 0; i < regs.size(); ++i) {
                    if (i == j) continue;
                    const int g = box_gap(regs[i].box, b.box);
                    if (g > kFragmentGap) continue;
                    if (g < best_gap || (g == best_gap && regs[i].area > best_area))
                        best_gap = g, best_area = regs[i].area, target = static_cast<int>(i);
                }
            }
            if (target < 0) continue;
            auto& t = regs[static_cast<std::size_t>(target)];
            t = region_of(t.mask | b.mask);
            regs.erase(regs.begin() + static_cast<long>(j));
            changed = true;
        }
    }
}

// A region longer than any single scene object, elongated and no wider than
// a multi-object layout's object is several touching objects: cut across the
// long axis at the emptiest line of the middle half (ties: nearest the
// centre), recursively.
void split_touching(SceneRegion r, std::vector<SceneRegion>& out) {
    const int w = r.box.width, h = r.box.height, L = std::max(w, h), S = std::min(w, h);
    if (L < kSplitLength || L < kSplitAspect * S || S > kSplitShort) {
        out.push_back(std::move(r));
        return;
    }
    const bool horizontal = w >= h;
    cv::Mat profile;
    cv::reduce(r.mask(r.box) / 255, profile, horizontal ? 0 : 1, cv::REDUCE_SUM, CV_32S);
    const double c = (L - 1) / 2.0;
    int cut = L / 4;
    for (int i = L / 4; i < L - L / 4; ++i) {
        const int pi = profile.at<int>(i), pc = profile.at<int>(cut);
        if (pi < pc || (pi == pc && std::fabs(i - c) < std::fabs(cut - c))) cut = i;
    }
    for (auto [a, b] : {std::pair{0, cut}, std::pair{cut, L}}) {
        cv::Mat piece(r.mask.size(), CV_8U, cv::Scalar(0));
        const cv::Rect part =
            horizontal ? cv::Rect(r.box.x + a, r.box.y, b - a, h) : cv::Rect(r.box.x, r.box.y + a, w, b - a);
        r.mask(part).copyTo(piece(part));
        if (cv::countNonZero(piece)) split_touching(region_of(piece), out);
    }
}

}  // namespace

cv::Mat at_scene_side(const cv::Mat& rgb) {
    if (rgb.cols == kSceneSide && rgb.rows == kSceneSide) return rgb;
    cv::Mat out;
    cv::resize(rgb, out, {kSceneSide, kSceneSide}, 0, 0, cv::INTER_AREA);
    return out;
}

SceneLayout find_regions(const cv::Mat& input) {
    const cv::Mat rgb = at_scene_side(input);
    SceneLayout out;
    out.background = border_median(rgb);
    double best = 1e9;
    for (const auto& b : kBackgrounds) {
        const double d = distance(out.background, b.rgb);
        if (d < best) best = d, out.background_name = b.name;
    }
    // Foreground: farther from the background than the border's own noise.
    cv::Mat dist(rgb.size(), CV_32S);
    for (int y = 0; y < rgb.rows; ++y)
        for (int x = 0; x < rgb.cols; ++x) dist.at<int>(y, x) = chebyshev(rgb.at<cv::Vec3b>(y, x), out.background);
    std::vector<int> border;
    for (int x = 0; x < rgb.cols; ++x)
        border.push_back(dist.at<int>(0, x)), border.push_back(dist.at<int>(rgb.rows - 1, x));
    for (int y = 1; y + 1 < rgb.rows; ++y)
        border.push_back(dist.at<int>(y, 0)), border.push_back(dist.at<int>(y, rgb.cols - 1));
    std::nth_element(border.begin(), border.begin() + static_cast<long>(border.size() / 2), border.end());
    const int threshold = std::max(kMinThreshold, kNoiseFactor * border[border.size() / 2]);
    cv::Mat fg = fill_holes(dist > threshold);
    cv::Mat labels;
    const int n = cv::connectedComponents(fg, labels, 8, CV_32S);
    std::vector<SceneRegion> regs;
    for (int i = 1; i < n; ++i) {
        auto r = region_of(labels == i);
        if (r.area >= kNoiseArea) regs.push_back(std::move(r));
    }
    merge_fragments(regs);
    for (auto& r : regs) split_touching(std::move(r), out.regions);
    std::erase_if(out.regions, [](const auto& r) { return r.area < kMinArea; });
    // top to bottom, then left to right
    std::sort(out.regions.begin(), out.regions.end(), [](const auto& a, const auto& b) {
        return std::pair(a.center.y, a.center.x) < std::pair(b.center.y, b.center.x);
    });
    return out;
}

std::string colour_name(const cv::Mat& rgb, const cv::Mat& mask) {
    cv::Mat f, hsv;
    rgb.convertTo(f, CV_32FC3, 1.0 / 255);
    cv::cvtColor(f, hsv, cv::COLOR_RGB2HSV);  // H in degrees, S and V in [0, 1]
    std::vector<float> hues;
    int total = 0;
    for (int y = 0; y < rgb.rows; ++y)
        for (int x = 0; x < rgb.cols; ++x) {
            if (!mask.at<uchar>(y, x)) continue;
            ++total;
            const auto& p = hsv.at<cv::Vec3f>(y, x);
            if (p[1] > 80 / 255.0 && p[2] > 70 / 255.0) hues.push_back(p[0]);
        }
    if (total == 0 || hues.size() < std::max(5.0, 0.15 * total)) return {};
    // The dominant 10-degree band (smoothed over its neighbours), then the
    // circular mean of the hues within 25 degrees of it.
    std::array<int, 36> hist{};
    for (float h : hues) ++hist[static_cast<int>(h / 10) % 36];
    int peak = 0, peak_count = -1;
    for (int i = 0; i < 36; ++i) {
        const int s = hist[i] + hist[(i + 1) % 36] + hist[(i + 35) % 36];
        if (s > peak_count) peak_count = s, peak = i;
    }
    const double centre = peak * 10 + 5;
    double sx = 0, sy = 0;
    for (float h : hues) {
        const double d = std::fabs(std::fmod(h - centre + 540.0, 360.0) - 180.0);
        if (d > 25) continue;
        sx += std::cos(h * M_PI / 180), sy += std::sin(h * M_PI / 180);
    }
    const double mean = std::fmod(std::atan2(sy, sx) * 180 / M_PI + 360.0, 360.0);
    return hue_word(mean);
}

bool relation_holds(const cv::Rect& a, const cv::Rect& b, const std::string& relation) {
    constexpr double kThreshold = 0.1;
    const double dx = (a.x + a.width / 2.0) - (b.x + b.width / 2.0);
    const double dy = (a.y + a.height / 2.0) - (b.y + b.height / 2.0);
    const double norm = std::hypot(dx, dy);
    if (norm < 1e-9) return false;
    auto revise = [&](double off, double dim) {
        return std::max(std::fabs(off) - kThreshold * dim, 0.0) * (off < 0 ? -1 : 1);
    };
    const double rx = revise(dx, a.width + b.width) / norm, ry = revise(dy, a.height + b.height) / norm;
    if (relation == "left of") return rx < -0.5;
    if (relation == "right of") return rx > 0.5;
    if (relation == "above") return ry < -0.5;
    if (relation == "below") return ry > 0.5;
    if (relation == "next to") return std::fabs(rx) > 0.5;  // 旁边: left of or right of
    return false;
}

}  // namespace shenbi
