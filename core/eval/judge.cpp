#include "core/eval/judge.h"

#include <algorithm>
#include <fstream>

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "core/format/state_dict.h"
#include "core/image/image_io.h"
#include "core/util/atomic_file.h"
#include "core/util/guard.h"

namespace shenbi {
namespace fs = std::filesystem;

JudgeNetImpl::JudgeNetImpl(int classes) {
    const int channels[] = {3, 16, 32, 64, 128};
    for (int i = 0; i < 4; ++i) {
        convs.push_back(register_module(
            "conv" + std::to_string(i),
            torch::nn::Conv2d(torch::nn::Conv2dOptions(channels[i], channels[i + 1], 3).padding(1).bias(false))));
        norms.push_back(register_module("norm" + std::to_string(i), torch::nn::BatchNorm2d(channels[i + 1])));
    }
    head = register_module("head", torch::nn::Linear(128, classes));
}

torch::Tensor JudgeNetImpl::forward(torch::Tensor x) {
    for (std::size_t i = 0; i < convs.size(); ++i) {
        x = torch::relu(norms[i]->forward(convs[i]->forward(x)));
        if (i + 1 < convs.size()) x = torch::max_pool2d(x, 2);  // 32 -> 16 -> 8 -> 4
    }
    x = x.mean({2, 3});  // (B, 128)
    return head->forward(torch::dropout(x, 0.2, is_training()));
}

torch::Tensor judge_crop(const cv::Mat& rgb, const cv::Rect& box, const cv::Vec3b& background) {
    const int side = static_cast<int>(std::max(box.width, box.height) * 1.15) + 2;
    const int cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    const cv::Rect square(cx - side / 2, cy - side / 2, side, side);
    cv::Mat canvas(side, side, CV_8UC3, cv::Scalar(background[0], background[1], background[2]));
    const cv::Rect inside = square & cv::Rect(0, 0, rgb.cols, rgb.rows);
    if (inside.area() > 0) rgb(inside).copyTo(canvas(inside - square.tl()));
    cv::Mat small;
    cv::resize(canvas, small, {JudgeNetImpl::kInput, JudgeNetImpl::kInput}, 0, 0,
               side > JudgeNetImpl::kInput ? cv::INTER_AREA : cv::INTER_LINEAR);
    return image_to_tensor(small);  // (3, 32, 32) in [-1, 1]
}

Judge::Judge(JudgeNet net, std::vector<std::string> classes) : net_(std::move(net)), classes_(std::move(classes)) {
    net_->eval();
}

int Judge::class_index(const std::string& name) const {
    for (std::size_t i = 0; i < classes_.size(); ++i)
        if (classes_[i] == name) return static_cast<int>(i);
    return -1;
}

Result<Judge> Judge::load(const fs::path& dir) {
    std::ifstream in(dir / "classes.txt");
    if (!in)
        return make_error(ErrorCode::NotFound,
                          (dir / "classes.txt").string() + ": no judge here (train one: shenbi-cli eval judge train)");
    std::vector<std::string> classes;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) classes.push_back(line);
    if (classes.size() < 2)
        return make_error(ErrorCode::Corrupt, (dir / "classes.txt").string() + ": fewer than 2 classes");
    JudgeNet net(static_cast<int>(classes.size()));
    auto st = guarded("judge weights " + (dir / "judge.pt").string(), [&]() -> Status {
        torch::serialize::InputArchive archive;
        archive.load_from((dir / "judge.pt").string());
        net->load(archive);
        return Status::success();
    });
    if (!st.ok()) return st.error();
    return Judge(net, std::move(classes));
}

Status Judge::save(const fs::path& dir) const {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return make_error(ErrorCode::Io, dir.string() + ": " + ec.message());
    std::ostringstream weights;
    auto st = guarded("save judge", [&]() -> Status {
        torch::serialize::OutputArchive archive;
        net_->save(archive);
        archive.save_to(weights);
        return Status::success();
    });
    if (!st.ok()) return st;
    SHENBI_TRY_STATUS(write_file_atomic(dir / "judge.pt", weights.str()));
    std::string names;
    for (const auto& c : classes_) names += c + "\n";
    return write_file_atomic(dir / "classes.txt", names);
}

torch::Tensor Judge::probabilities(const torch::Tensor& crops) {
    torch::NoGradGuard no_grad;
    return torch::softmax(net_->forward(crops), 1);
}

Result<JudgedImage> Judge::judge(const cv::Mat& input) {
    return guarded("judge image", [&]() -> Result<JudgedImage> {
        JudgedImage out;
        const cv::Mat rgb = at_scene_side(input);
        auto layout = find_regions(rgb);
        out.background_name = layout.background_name;
        if (layout.regions.empty()) return out;
        std::vector<torch::Tensor> crops;
        for (const auto& r : layout.regions) crops.push_back(judge_crop(rgb, r.box, layout.background));
        auto probs = probabilities(torch::stack(crops));  // (R, classes)
        const int k = std::min<int>(5, static_cast<int>(classes_.size()));
        auto [top, top_idx] = probs.topk(k, 1);
        for (std::size_t i = 0; i < layout.regions.size(); ++i) {
            Detection d;
            const auto row = static_cast<std::int64_t>(i);
            d.cls = top_idx[row][0].item<int>();
            d.prob = top[row][0].item<float>();
            for (int j = 0; j < k; ++j) d.top5.push_back(top_idx[row][j].item<int>());
            d.colour = colour_name(rgb, layout.regions[i].mask);
            d.region = std::move(layout.regions[i]);
            out.detections.push_back(std::move(d));
        }
        return out;
    });
}

namespace {

// The `count` most confident detections of a class (GenEval's detected[cls][:count]).
std::vector<const Detection*> most_confident(const JudgedImage& image, int cls, int count) {
    std::vector<const Detection*> out;
    for (const auto& d : image.detections)
        if (d.cls == cls) out.push_back(&d);
    std::stable_sort(out.begin(), out.end(), [](const Detection* a, const Detection* b) { return a->prob > b->prob; });
    if (static_cast<int>(out.size()) > count) out.resize(static_cast<std::size_t>(count));
    return out;
}

}  // namespace

std::string describe_judged(const JudgedImage& image, const Judge& judge) {
    std::vector<const Detection*> order;
    for (const auto& d : image.detections) order.push_back(&d);
    std::stable_sort(order.begin(), order.end(),
                     [](const Detection* a, const Detection* b) { return a->region.area > b->region.area; });
    std::string out;
    for (const auto* d : order) {
        const auto& b = d->region.box;
        const bool known = d->cls >= 0 && d->cls < static_cast<int>(judge.classes().size());
        out += (out.empty() ? "" : "; ") + (known ? judge.classes()[static_cast<std::size_t>(d->cls)] : "?") +
               (d->colour.empty() ? "" : " " + d->colour) + " " + std::to_string(b.x) + "," + std::to_string(b.y) +
               " " + std::to_string(b.width) + "x" + std::to_string(b.height);
    }
    return out.empty() ? "nothing" : out;
}

bool facts_hold(const std::vector<ObjectFact>& include,
                const std::vector<ObjectFact>& exclude,
                const JudgedImage& image,
                const Judge& judge) {
    // GenEval's evaluate_image: each include takes its class's `count` most
    // confident detections; all of them must have the colour, and every one
    // must stand in the relation to every object matched for the other fact.
    std::vector<std::vector<const Detection*>> found(include.size());
    std::vector<bool> matched(include.size(), false);
    for (std::size_t i = 0; i < include.size(); ++i) {
        const auto& f = include[i];
        const int cls = judge.class_index(f.cls);
        if (cls < 0) continue;
        found[i] = most_confident(image, cls, f.count);
        matched[i] = static_cast<int>(found[i].size()) >= f.count &&
                     (f.colour.empty() || std::all_of(found[i].begin(), found[i].end(),
                                                      [&](const Detection* d) { return d->colour == f.colour; }));
    }
    for (std::size_t i = 0; i < include.size(); ++i) {
        const auto& f = include[i];
        if (!matched[i]) return false;
        if (f.relation.empty()) continue;
        const auto to = static_cast<std::size_t>(f.relative_to);
        if (f.relative_to < 0 || to >= include.size() || to == i || !matched[to]) return false;
        for (const auto* a : found[i])
            for (const auto* b : found[to])
                if (!relation_holds(a->region.box, b->region.box, f.relation)) return false;
    }
    for (const auto& f : exclude) {
        const int cls = judge.class_index(f.cls);
        if (cls < 0) continue;
        int n = 0;
        for (const auto& d : image.detections) n += d.cls == cls && (f.colour.empty() || d.colour == f.colour);
        if (n >= f.count) return false;
    }
    return true;
}

}  // namespace shenbi
