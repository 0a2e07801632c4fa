#include "core/eval/judge_train.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "core/eval/tsv_images.h"
#include "core/util/guard.h"

namespace shenbi {
namespace fs = std::filesystem;

namespace {

struct CropSource {
    std::size_t image = 0;
    cv::Rect box;
    int cls = 0;
    bool scene = false;  // an object of a scene (else a single image)
};

struct SplitData {
    std::vector<cv::Mat> images;
    std::vector<cv::Vec3b> backgrounds;
    std::vector<const GtRow*> rows;  // per image
    std::unordered_map<std::string, GtRow> gt;
    std::vector<CropSource> crops;
    std::vector<bool> colourable;  // per class: hue-rotated in training (eval prompts ask for unseen colours)
};

// Images and truth of one split; crops of the judge's classes, and up to
// `max_other` of everything else (a seeded sample) as the catch-all class.
Result<SplitData> load_split(const fs::path& corpus,
                             const std::string& split,
                             const std::vector<std::string>& classes,
                             int max_other,
                             std::uint64_t seed) {
    SplitData d;
    auto gt = read_gt_rows(corpus / (split + ".gt.jsonl"));
    if (!gt) return gt.error();
    d.gt = std::move(*gt);
    auto tsv = read_tsv_images(corpus / (split + ".tsv"));
    if (!tsv) return tsv.error();
    std::unordered_map<std::string, int> index;
    for (std::size_t i = 0; i < classes.size(); ++i) index[classes[i]] = static_cast<int>(i);
    const auto other_it = index.find(kOtherClass);
    if (other_it == index.end())
        return make_error(ErrorCode::InvalidArgument, std::string("the judge has no catch-all class ") + kOtherClass);
    const int other = other_it->second;
    std::vector<CropSource> others;
    for (std::size_t i = 0; i < tsv->images.size(); ++i) {
        auto it = d.gt.find(tsv->ids[i]);
        if (it == d.gt.end())
            return make_error(ErrorCode::Corrupt, (corpus / (split + ".tsv")).string() + ": row " + tsv->ids[i] +
                                                      " has no entry in " + split + ".gt.jsonl");
        cv::Mat img = tsv->images[i];
        const double sx = double(kSceneSide) / img.cols, sy = double(kSceneSide) / img.rows;  // boxes: own pixels
        img = at_scene_side(img);
        const std::size_t k = d.images.size();
        d.images.push_back(img);
        d.backgrounds.push_back(estimate_background(img));
        d.rows.push_back(&it->second);
        // keyword rows repeat an image: its crops once
        if (i > 0 && tsv->ids[i] == tsv->ids[i - 1]) continue;
        for (const auto& o : it->second.objects) {
            const cv::Rect box(cv::Point(static_cast<int>(o.box.x * sx), static_cast<int>(o.box.y * sy)),
                               cv::Point(static_cast<int>(o.box.br().x * sx), static_cast<int>(o.box.br().y * sy)));
            auto c = index.find(o.cls);
            if (c != index.end())
                d.crops.push_back({k, box, c->second, it->second.kind == "scene"});
            else if (it->second.kind != "scene")
                others.push_back({k, box, other, false});
        }
    }
    std::mt19937_64 rng(seed);
    std::shuffle(others.begin(), others.end(), rng);
    if (static_cast<int>(others.size()) > max_other) others.resize(static_cast<std::size_t>(max_other));
    d.crops.insert(d.crops.end(), others.begin(), others.end());
    return d;
}

// A training crop: the box jittered (shift up to 10 %, scale 0.9-1.15),
// flipped half the time, blurred half the time (a down-up resize or a
// Gaussian), as generated images are.
torch::Tensor augmented_crop(const SplitData& d, const CropSource& c, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    cv::Mat src = d.images[c.image];
    if (d.colourable[static_cast<std::size_t>(c.cls)] && u(rng) < 0.75) {
        // as the corpus recolours: another hue, saturation lifted or lowered
        cv::Mat hsv;
        cv::cvtColor(src, hsv, cv::COLOR_RGB2HSV);  // 8-bit: H in 0..179
        const int shift = static_cast<int>(u(rng) * 180);
        const double sat = 0.8 + 0.7 * u(rng);
        for (auto it = hsv.begin<cv::Vec3b>(); it != hsv.end<cv::Vec3b>(); ++it) {
            (*it)[0] = static_cast<uchar>(((*it)[0] + shift) % 180);
            (*it)[1] = cv::saturate_cast<uchar>((*it)[1] * sat);
        }
        cv::Mat recoloured;  // a new buffer: src shares the stored image's pixels
        cv::cvtColor(hsv, recoloured, cv::COLOR_HSV2RGB);
        src = recoloured;
    }
    cv::Mat img = src;
    if (u(rng) < 0.5) {
        cv::Mat blurred;
        if (u(rng) < 0.5) {
            cv::Mat small;
            const int side = 24 + static_cast<int>(u(rng) * 16);  // 24-40 px
            cv::resize(src, small, {side, side}, 0, 0, cv::INTER_AREA);
            cv::resize(small, blurred, src.size(), 0, 0, cv::INTER_LINEAR);
        } else {
            cv::GaussianBlur(src, blurred, {0, 0}, 0.4 + 0.8 * u(rng));
        }
        img = blurred;
    }
    const double s = 0.9 + 0.25 * u(rng);
    const double w = c.box.width * s, h = c.box.height * s;
    const double cx = c.box.x + c.box.width / 2.0 + (u(rng) - 0.5) * 0.2 * c.box.width;
    const double cy = c.box.y + c.box.height / 2.0 + (u(rng) - 0.5) * 0.2 * c.box.height;
    const cv::Rect box(static_cast<int>(cx - w / 2), static_cast<int>(cy - h / 2), std::max(1, static_cast<int>(w)),
                       std::max(1, static_cast<int>(h)));
    auto t = judge_crop(img, box, d.backgrounds[c.image]);
    return u(rng) < 0.5 ? t.flip({2}) : t;
}

// The corpus's classes and the catch-all; `colourable` gets their indices.
Result<std::vector<std::string>> judge_classes_with_other(const fs::path& corpus, std::vector<bool>* colourable) {
    auto infos = read_judge_classes(corpus / "eval" / "classes.json");
    if (!infos) return infos.error();
    std::vector<std::string> names;
    for (const auto& c : *infos) {
        names.push_back(c.name);
        if (colourable) colourable->push_back(c.colourable);
    }
    names.push_back(kOtherClass);
    if (colourable) colourable->push_back(false);
    return names;
}

// Classes at the true boxes: of every crop, or of the scene objects only;
// `confusions` (optional) counts (true, predicted) pairs of the errors.
double crop_accuracy(Judge& judge,
                     const SplitData& d,
                     bool scenes_only = false,
                     std::map<std::pair<int, int>, int>* confusions = nullptr) {
    std::vector<CropSource> crops;
    for (const auto& c : d.crops)
        if (!scenes_only || c.scene) crops.push_back(c);
    if (crops.empty()) return 0;
    std::int64_t right = 0;
    for (std::size_t start = 0; start < crops.size(); start += 256) {
        std::vector<torch::Tensor> xs;
        std::vector<std::int64_t> ys;
        for (std::size_t i = start; i < std::min(crops.size(), start + 256); ++i) {
            const auto& c = crops[i];
            xs.push_back(judge_crop(d.images[c.image], c.box, d.backgrounds[c.image]));
            ys.push_back(c.cls);
        }
        auto pred = judge.probabilities(torch::stack(xs)).argmax(1);
        right += (pred == torch::tensor(ys)).sum().item<std::int64_t>();
        for (std::size_t i = 0; confusions && i < ys.size(); ++i) {
            const int p = pred[static_cast<std::int64_t>(i)].item<int>();
            if (p != ys[i]) ++(*confusions)[{static_cast<int>(ys[i]), p}];
        }
    }
    return static_cast<double>(right) / static_cast<double>(crops.size());
}

}  // namespace

Result<JudgeTrainReport> train_judge(const JudgeTrainOptions& o) {
    std::vector<bool> colourable;
    auto listed = judge_classes_with_other(o.corpus, &colourable);
    if (!listed) return listed.error();  // names the file and the line
    const auto& classes = *listed;
    auto train = load_split(o.corpus, "train", classes, o.max_other, o.seed);
    if (!train) return train.error();
    train->colourable = colourable;
    auto val = load_split(o.corpus, "val", classes, o.max_other / 10, o.seed);
    if (!val) return val.error();
    if (train->crops.empty())
        return make_error(ErrorCode::InvalidArgument,
                          (o.corpus / "train.tsv").string() + ": no crops of the judge's classes");
    if (o.message)
        o.message("judge: " + std::to_string(classes.size()) + " classes, " + std::to_string(train->crops.size()) +
                  " training crops, " + std::to_string(val->crops.size()) + " validation crops");
    return guarded("judge training", [&]() -> Result<JudgeTrainReport> {
        torch::manual_seed(o.seed);
        JudgeNet net(static_cast<int>(classes.size()));
        torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(o.learning_rate).weight_decay(1e-4));
        std::mt19937_64 rng(o.seed);
        std::vector<std::size_t> order(train->crops.size());
        const auto steps_per_epoch = static_cast<std::int64_t>((order.size() + o.batch - 1) / o.batch);
        const auto total = steps_per_epoch * o.epochs;
        std::int64_t step = 0;
        Judge judge(net, classes);
        for (int epoch = 0; epoch < o.epochs; ++epoch) {
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng);
            net->train();
            double loss_sum = 0;
            for (std::size_t start = 0; start < order.size(); start += static_cast<std::size_t>(o.batch), ++step) {
                std::vector<torch::Tensor> xs;
                std::vector<std::int64_t> ys;
                for (std::size_t i = start; i < std::min(order.size(), start + o.batch); ++i) {
                    const auto& c = train->crops[order[i]];
                    xs.push_back(augmented_crop(*train, c, rng));
                    ys.push_back(c.cls);
                }
                // linear decay to 0 over the run
                for (auto& g : opt.param_groups())
                    static_cast<torch::optim::AdamWOptions&>(g.options())
                        .lr(o.learning_rate * (1.0 - double(step) / total));
                opt.zero_grad();
                auto loss = torch::nn::functional::cross_entropy(net->forward(torch::stack(xs)), torch::tensor(ys));
                loss.backward();
                opt.step();
                loss_sum += loss.item<double>();
            }
            net->eval();
            const double acc = crop_accuracy(judge, *val), scene_acc = crop_accuracy(judge, *val, true);
            if (o.message) {
                char buf[200];
                std::snprintf(
                    buf, sizeof buf,
                    "judge epoch %d/%d: training loss %.4f, validation crop accuracy %.4f (scene objects %.4f)",
                    epoch + 1, o.epochs, loss_sum / steps_per_epoch, acc, scene_acc);
                o.message(buf);
            }
        }
        net->eval();
        SHENBI_TRY_STATUS(judge.save(o.out));
        JudgeTrainReport r;
        r.train_crops = static_cast<std::int64_t>(train->crops.size());
        r.val_crops = static_cast<std::int64_t>(val->crops.size());
        r.val_accuracy = crop_accuracy(judge, *val);
        return r;
    });
}

namespace {

// The same facts with one changed so that the scene no longer shows them:
// a count off by one, another colour, or the opposite relation.
std::vector<ObjectFact> perturbed(std::vector<ObjectFact> facts, std::mt19937_64& rng) {
    static const std::unordered_map<std::string, std::string> opposite{
        {"left of", "right of"}, {"right of", "left of"}, {"above", "below"}, {"below", "above"}};
    auto& f = facts[rng() % facts.size()];
    if (auto o = opposite.find(f.relation); o != opposite.end()) {
        f.relation = o->second;
    } else if (!f.colour.empty()) {
        std::string c = f.colour;
        const auto& colours = colour_names();
        while (c == f.colour) c = colours[rng() % colours.size()];
        f.colour = c;
    } else {
        f.count = f.count >= 4 ? f.count - 1 : f.count + 1;
    }
    return facts;
}

// Exact counts, as a scene's caption states them: "two" means not three.
bool exact_facts_hold(const std::vector<ObjectFact>& facts, const JudgedImage& image, const Judge& judge) {
    std::vector<ObjectFact> exclude;
    for (const auto& f : facts) {
        ObjectFact e;
        e.cls = f.cls;
        e.count = f.count + 1;
        exclude.push_back(e);
    }
    return facts_hold(facts, exclude, image, judge);
}

}  // namespace

Result<JudgeValidation> validate_judge(Judge& judge,
                                       const fs::path& corpus,
                                       const std::string& split,
                                       const std::function<void(const std::string&)>& message,
                                       const ImageRoundTrip& through) {
    auto d = load_split(corpus, split, judge.classes(), 300, 1);
    if (!d) return d.error();
    if (through) {
        auto out = through(d->images);
        if (!out) return out.error();
        if (out->size() != d->images.size())
            return make_error(ErrorCode::Internal, "the image round trip returned another number of images");
        for (std::size_t i = 0; i < out->size(); ++i) {
            d->images[i] = at_scene_side((*out)[i]);
            d->backgrounds[i] = estimate_background(d->images[i]);
        }
    }
    return guarded("judge validation", [&]() -> Result<JudgeValidation> {
        JudgeValidation v;
        v.split = split;
        v.crops = static_cast<int>(d->crops.size());
        v.crop_accuracy = crop_accuracy(judge, *d);
        std::map<std::pair<int, int>, int> confusions;
        v.scene_crop_accuracy = crop_accuracy(judge, *d, true, &confusions);
        std::vector<std::pair<int, std::pair<int, int>>> ranked;
        for (const auto& [pair, n] : confusions) ranked.push_back({n, pair});
        std::sort(ranked.rbegin(), ranked.rend());
        for (std::size_t i = 0; i < std::min<std::size_t>(10, ranked.size()); ++i) {
            const auto& [n, pair] = ranked[i];
            v.confusions.push_back({judge.classes()[static_cast<std::size_t>(pair.first)],
                                    judge.classes()[static_cast<std::size_t>(pair.second)], n});
        }
        std::mt19937_64 rng(7);
        int right = 0, rejected = 0, background_right = 0, images = 0;
        for (std::size_t i = 0; i < d->images.size(); ++i) {
            const GtRow& row = *d->rows[i];
            if (row.kind != "scene" || row.facts.empty()) continue;
            auto judged = judge.judge(d->images[i]);
            if (!judged) return judged.error();
            ++images;
            background_right += judged->background_name == row.background;
            bool all_known = true;
            for (const auto& f : row.facts) all_known = all_known && judge.class_index(f.cls) >= 0;
            if (!all_known) continue;
            ++v.scenes;
            right += exact_facts_hold(row.facts, *judged, judge);
            ++v.negatives;
            rejected += !exact_facts_hold(perturbed(row.facts, rng), *judged, judge);
        }
        v.scene_accuracy = v.scenes ? double(right) / v.scenes : 0;
        v.negative_accuracy = v.negatives ? double(rejected) / v.negatives : 0;
        v.background_accuracy = images ? double(background_right) / images : 0;
        if (message) message("judge on " + split + ": " + std::to_string(v.scenes) + " scenes checked");
        return v;
    });
}

}  // namespace shenbi
