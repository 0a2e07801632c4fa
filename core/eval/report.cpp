#include "core/eval/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <map>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/eval/fid.h"
#include "core/eval/image_metrics.h"
#include "core/eval/tsv_images.h"
#include "core/image/image_io.h"
#include "core/model/model_bundle.h"
#include "core/sampling/layout.h"
#include "core/util/guard.h"
#include "core/util/hash.h"

namespace shenbi {
namespace fs = std::filesystem;

namespace {

const char* const kGenEvalSets[] = {"single_object", "two_object", "counting", "colors", "position", "color_attr"};

// Every set runs when none is named, except "negative", which only runs when
// named: it draws each single-object prompt three times for a studio
// feature, not for the table.
bool runs_set(const EvalOptions& o, const std::string& name) {
    if (o.sets.empty()) return name != "negative";
    return std::find(o.sets.begin(), o.sets.end(), name) != o.sets.end();
}

void say(const EvalOptions& o, const std::string& m) {
    if (o.message) o.message(m);
}

// A stable per-prompt seed: the same prompt gets the same candidates in every run.
std::uint64_t prompt_seed(std::uint64_t seed, const std::string& id) {
    return fnv1a(id, kFnv1aOffset ^ seed);
}

Result<std::vector<cv::Mat>> images_for(const ModelBundle& model,
                                        const std::string& prompt,
                                        int n,
                                        std::uint64_t seed,
                                        const EvalOptions& o,
                                        bool knowledge,
                                        const std::string& negative = {},
                                        std::vector<RegionPrompt>* parts = nullptr) {
    GenerationParams p;
    p.prompt = prompt;
    p.negative_prompt = negative;
    p.candidates = n;
    p.seed = seed;
    p.sampling = o.sampling;
    p.use_knowledge = knowledge;
    p.preview_every = 0;
    auto r = generate(model, p);
    if (!r)
        return make_error(
            r.error().code,
            "\"" + prompt + "\"" + (negative.empty() ? "" : " (negative \"" + negative + "\")") + ": " + r.message());
    if (parts) *parts = r->regions;
    std::vector<cv::Mat> out;
    for (auto& c : r->candidates) out.push_back(c.image);
    return out;
}

// The object an image shows: its largest region.
const Detection* main_object(const JudgedImage& j) {
    const Detection* best = nullptr;
    for (const auto& d : j.detections)
        if (!best || d.region.area > best->region.area) best = &d;
    return best;
}

struct ConceptTally {
    int images = 0, top1 = 0, top5 = 0;
    void add(const JudgedImage& j, int target) {
        ++images;
        const auto* d = main_object(j);
        if (!d) return;
        top1 += d->cls == target;
        top5 += std::find(d->top5.begin(), d->top5.end(), target) != d->top5.end();
    }
    double p1() const { return images ? double(top1) / images : 0; }
    double p5() const { return images ? double(top5) / images : 0; }
};

// The candidates of one prompt, judged; `kept` (optional) gets the images,
// `parts` (optional) the layout drawn.
Result<std::vector<JudgedImage>> judged_candidates(const ModelBundle& model,
                                                   Judge& judge,
                                                   const EvalOptions& o,
                                                   const EvalPrompt& p,
                                                   bool knowledge,
                                                   std::vector<std::vector<cv::Mat>>* kept,
                                                   const std::string& negative = {},
                                                   std::vector<RegionPrompt>* parts = nullptr) {
    auto imgs = images_for(model, p.prompt, o.candidates, prompt_seed(o.seed, p.id), o, knowledge, negative, parts);
    if (!imgs) return imgs.error();
    if (kept) kept->push_back(*imgs);
    std::vector<JudgedImage> out;
    for (const auto& img : *imgs) {
        auto j = judge.judge(img);
        if (!j) return j.error();
        out.push_back(std::move(*j));
    }
    return out;
}

// The prompts of eval/NAME.jsonl that `keep` accepts, after the first --skip
// of them, at most --limit of them.
Result<std::vector<EvalPrompt>> eval_prompts(const EvalOptions& o,
                                             const std::string& name,
                                             const std::function<bool(const EvalPrompt&)>& keep = {}) {
    auto prompts = read_eval_prompts(o.corpus / "eval" / (name + ".jsonl"));
    if (!prompts) return prompts.error();
    if (keep) std::erase_if(*prompts, [&](const EvalPrompt& p) { return !keep(p); });
    prompts->erase(prompts->begin(), prompts->begin() + std::min<std::ptrdiff_t>(o.skip, std::ssize(*prompts)));
    if (o.limit > 0 && static_cast<int>(prompts->size()) > o.limit) prompts->resize(static_cast<std::size_t>(o.limit));
    return prompts;
}

// One GenEval-shaped set with knowledge on (and off); single_object also
// feeds the concept tally and keeps its images for the diversity figure.
// Each prompt's outcome with knowledge on goes to `outcomes`.
Result<CategoryScore> score_set(const ModelBundle& model,
                                Judge& judge,
                                const EvalOptions& o,
                                const std::string& tag,
                                ConceptScore* concepts,
                                std::vector<std::vector<cv::Mat>>* kept,
                                std::vector<PromptOutcome>& outcomes) {
    auto prompts = eval_prompts(o, tag);
    if (!prompts) return prompts.error();
    CategoryScore s;
    s.tag = tag;
    s.prompts = static_cast<int>(prompts->size());
    int right[2] = {0, 0}, images[2] = {0, 0};
    ConceptTally tally[2];
    for (const auto& p : *prompts) {
        for (int k = 0; k < (o.ablation ? 2 : 1); ++k) {
            const bool on = k == 0;  // the outcome and the images are kept for knowledge on
            std::vector<std::vector<cv::Mat>> drawn;
            std::vector<RegionPrompt> parts;
            auto judged = judged_candidates(model, judge, o, p, on, on ? &drawn : nullptr, {}, &parts);
            if (!judged) return judged.error();
            if (on && kept) kept->push_back(drawn.front());
            PromptOutcome outcome;
            for (const auto& j : *judged) {
                ++images[k];
                const bool holds = facts_hold(p.include, p.exclude, j, judge);
                right[k] += holds;
                if (concepts && !p.include.empty()) tally[k].add(j, judge.class_index(p.include[0].cls));
                if (!on) continue;
                outcome.holds.push_back(holds);
                outcome.seen.push_back(describe_judged(j, judge));
            }
            if (!on) continue;
            outcome.set = tag, outcome.id = p.id, outcome.prompt = p.prompt;
            outcome.parts = parts.empty() ? "" : describe_layout(parts);
            if (o.keep_images) outcome.images = std::move(drawn.front());
            outcomes.push_back(std::move(outcome));
        }
    }
    s.on = images[0] ? double(right[0]) / images[0] : 0;
    if (o.ablation) s.off = images[1] ? double(right[1]) / images[1] : 0;
    if (concepts) {
        concepts->prompts = s.prompts;
        concepts->top1 = tally[0].p1(), concepts->top5 = tally[0].p5();
        if (o.ablation) concepts->top1_off = tally[1].p1(), concepts->top5_off = tally[1].p5();
    }
    say(o, tag + ": " + std::to_string(s.prompts) + " prompts, score " + std::to_string(s.on));
    return s;
}

// Alias prompts whose object the judge knows: the concept with knowledge on and off.
Result<ConceptScore> score_aliases(const ModelBundle& model, Judge& judge, const EvalOptions& o) {
    auto prompts = eval_prompts(o, "alias", [&](const EvalPrompt& p) { return judge.class_index(p.target) >= 0; });
    if (!prompts) return prompts.error();
    ConceptTally tally[2];
    for (const auto& p : *prompts) {
        for (int k = 0; k < (o.ablation ? 2 : 1); ++k) {
            auto judged = judged_candidates(model, judge, o, p, k == 0, nullptr);
            if (!judged) return judged.error();
            for (const auto& j : *judged) tally[k].add(j, judge.class_index(p.target));
        }
    }
    ConceptScore c;
    c.prompts = static_cast<int>(prompts->size());
    c.top1 = tally[0].p1(), c.top5 = tally[0].p5();
    if (o.ablation) c.top1_off = tally[1].p1(), c.top5_off = tally[1].p5();
    say(o, "alias: " + std::to_string(c.prompts) + " prompts, top-1 " + std::to_string(c.top1) + " with knowledge");
    return c;
}

// The value most of `values` hold (a tie: the first seen); empty values are
// not counted, and none at all gives "".
std::string most_common(const std::vector<std::string>& values) {
    std::string best;
    long best_count = 0;
    for (const auto& v : values) {
        const long n = std::count(values.begin(), values.end(), v);
        if (!v.empty() && n > best_count) best = v, best_count = n;
    }
    return best;
}

// What a negative prompt does, on the single-object prompts: what most of a
// prompt's candidates show (their background; their object's colour) is
// named in a negative prompt ("白色背景"; "红色") and the same seeds are
// drawn again. The control draws them again with a negative prompt naming a
// value none of them shows: any negative prompt changes the images, and a
// redraw of what was chosen as the most common drifts back by itself.
// Knowledge on.
Result<std::vector<NegativeFigure>> score_negative(const ModelBundle& model, Judge& judge, const EvalOptions& o) {
    auto prompts = eval_prompts(o, "single_object");
    if (!prompts) return prompts.error();
    struct Probe {
        const char* what;
        const char* suffix;  // turns what the judge names into a phrase of the captions
        std::string (*shows)(const JudgedImage&);
        const std::vector<std::string>& (*values)();
    };
    static const Probe probes[] = {
        {"background", "背景", [](const JudgedImage& j) { return j.background_name; }, background_names},
        {"object colour", "",
         [](const JudgedImage& j) {
             const auto* d = main_object(j);
             return d ? d->colour : std::string();
         },
         colour_names},
    };
    constexpr int kDraws = 3;  // without a negative prompt, naming the common value, naming an unseen one
    std::vector<NegativeFigure> out(std::size(probes));
    ConceptTally tally[std::size(probes)][kDraws];
    int shows[std::size(probes)][kDraws] = {};
    for (const auto& p : *prompts) {
        auto plain = judged_candidates(model, judge, o, p, true, nullptr);
        if (!plain) return plain.error();
        const int target = judge.class_index(p.include.empty() ? std::string() : p.include[0].cls);
        for (std::size_t k = 0; k < std::size(probes); ++k) {
            std::vector<std::string> seen;
            for (const auto& j : *plain) seen.push_back(probes[k].shows(j));
            const std::string named = most_common(seen);
            const auto& values = probes[k].values();
            const auto unseen = std::find_if(values.begin(), values.end(), [&](const std::string& v) {
                return std::find(seen.begin(), seen.end(), v) == seen.end();
            });
            if (named.empty() || unseen == values.end()) continue;  // e.g. no object with a saturated colour
            auto steered = judged_candidates(model, judge, o, p, true, nullptr, named + probes[k].suffix);
            if (!steered) return steered.error();
            auto control = judged_candidates(model, judge, o, p, true, nullptr, *unseen + probes[k].suffix);
            if (!control) return control.error();
            ++out[k].prompts;
            const std::vector<JudgedImage>* draws[kDraws] = {&*plain, &*steered, &*control};
            for (int w = 0; w < kDraws; ++w)
                for (const auto& j : *draws[w]) {
                    tally[k][w].add(j, target);
                    shows[k][w] += probes[k].shows(j) == named;
                }
        }
    }
    for (std::size_t k = 0; k < std::size(probes); ++k) {
        auto& f = out[k];
        f.what = probes[k].what;
        const double n = tally[k][0].images;
        f.before = n ? shows[k][0] / n : 0, f.after = n ? shows[k][1] / n : 0, f.control = n ? shows[k][2] / n : 0;
        f.top1_before = tally[k][0].p1(), f.top1_after = tally[k][1].p1(), f.top1_control = tally[k][2].p1();
        say(o, "negative prompt naming the " + f.what + ": " + std::to_string(f.before) + " -> " +
                   std::to_string(f.after) + " of the images show it (" + std::to_string(f.control) +
                   " naming another)");
    }
    return out;
}

double mean_pairwise_distance(const torch::Tensor& f) {  // (n, D)
    if (f.size(0) < 2) return 0;
    auto d = torch::cdist(f.unsqueeze(0), f.unsqueeze(0)).squeeze(0);  // (n, n)
    return d.sum().item<double>() / static_cast<double>(f.size(0) * (f.size(0) - 1));
}

// Mean over groups of the mean pairwise feature distance within a group.
Result<double> diversity(InceptionV3Mixed5& net, const std::vector<std::vector<cv::Mat>>& groups) {
    double sum = 0;
    int n = 0;
    for (const auto& g : groups) {
        if (g.size() < 2) continue;
        auto f = inception_features(net, g);
        if (!f) return f.error();
        sum += mean_pairwise_distance(*f), ++n;
    }
    return n ? sum / n : 0.0;
}

// Real single images of the single_object prompts' classes (train split),
// up to `per_class` each: the diversity the candidates are compared with.
Result<std::vector<std::vector<cv::Mat>>> real_groups(const EvalOptions& o, int per_class) {
    auto prompts = read_eval_prompts(o.corpus / "eval" / "single_object.jsonl");  // every class, not --limit
    if (!prompts) return prompts.error();
    auto gt = read_gt_rows(o.corpus / "train.gt.jsonl");
    if (!gt) return gt.error();
    auto tsv = read_tsv_images(o.corpus / "train.tsv");
    if (!tsv) return tsv.error();
    std::map<std::string, std::vector<cv::Mat>> by_class;
    std::string last_id;
    for (std::size_t i = 0; i < tsv->images.size(); ++i) {
        if (tsv->ids[i] == last_id) continue;  // a keyword row repeats its image
        last_id = tsv->ids[i];
        auto it = gt->find(tsv->ids[i]);
        if (it == gt->end() || it->second.kind == "scene" || it->second.objects.size() != 1) continue;
        auto& v = by_class[it->second.objects[0].cls];
        if (static_cast<int>(v.size()) < per_class) v.push_back(tsv->images[i]);
    }
    std::vector<std::vector<cv::Mat>> groups;
    std::set<std::string> seen;
    for (const auto& p : *prompts)
        if (!p.include.empty() && seen.insert(p.include[0].cls).second && by_class.count(p.include[0].cls))
            groups.push_back(by_class[p.include[0].cls]);
    return groups;
}

struct Distances {
    double fid = 0, kid = 0;  // KID x 1000
};

// FID and KID of `images` against the `reference` features.
Result<Distances> distances_to(InceptionV3Mixed5& net,
                               const std::vector<cv::Mat>& images,
                               const torch::Tensor& reference) {
    auto f = inception_features(net, images);
    if (!f) return f.error();
    auto fid = frechet_distance(*f, reference);
    if (!fid) return fid.error();
    auto kid = kernel_inception_distance(*f, reference);
    if (!kid) return kid.error();
    return Distances{*fid, kid->mean * 1000};
}

// FID/KID of generated images for the first N test captions against the
// real test images, the floor (real val against real test), and the first
// stage's floor: the VQGAN's reconstructions of those val images against
// real test, what a GPT that drew real images' codes exactly would reach.
Status fid_figures(const ModelBundle& model, const EvalOptions& o, EvalReport& r) {
    auto test = read_tsv_images(o.corpus / "test.tsv", static_cast<std::size_t>(o.fid_images));
    if (!test) return test.error();
    auto val = read_tsv_images(o.corpus / "val.tsv", static_cast<std::size_t>(o.fid_images));
    if (!val) return val.error();
    std::vector<cv::Mat> generated;
    for (std::size_t i = 0; i < test->texts.size(); ++i) {
        auto imgs = images_for(model, test->texts[i], 1, prompt_seed(o.seed, test->ids[i]), o, true);
        if (!imgs) return imgs.error();
        generated.push_back(imgs->front());
    }
    auto val_vq = vqgan_round_trip(model, val->images);
    if (!val_vq) return val_vq.error();
    auto net = *o.inception;
    auto ft = inception_features(net, test->images);
    if (!ft) return ft.error();
    auto gen = distances_to(net, generated, *ft);
    if (!gen) return gen.error();
    auto floor = distances_to(net, val->images, *ft);
    if (!floor) return floor.error();
    auto vq = distances_to(net, *val_vq, *ft);
    if (!vq) return vq.error();
    r.fid_images = static_cast<int>(generated.size());
    r.fid = gen->fid, r.kid = gen->kid;
    r.fid_floor = floor->fid, r.kid_floor = floor->kid;
    r.fid_vqgan = vq->fid, r.kid_vqgan = vq->kid;
    say(o, "FID " + std::to_string(gen->fid) + " (floor " + std::to_string(floor->fid) + ", VQGAN reconstructions " +
               std::to_string(vq->fid) + ")");
    return Status::success();
}

// The first stage alone: encode and decode real test images.
Status vqgan_figures(const ModelBundle& model, const EvalOptions& o, int n, EvalReport& r) {
    auto test = read_tsv_images(o.corpus / "test.tsv", static_cast<std::size_t>(n));
    if (!test) return test.error();
    const int res = model.net->first_stage_model->config().resolution;
    std::vector<cv::Mat> refs;
    refs.reserve(test->images.size());
    for (const auto& img : test->images) refs.push_back(resize_center_crop(img, res));
    auto out = vqgan_round_trip(model, refs);  // already at its resolution: no second resampling
    if (!out) return out.error();
    double psnr_sum = 0, ssim_sum = 0;
    for (std::size_t i = 0; i < out->size(); ++i)
        psnr_sum += psnr(refs[i], (*out)[i]), ssim_sum += ssim(refs[i], (*out)[i]);
    r.vq_images = static_cast<int>(test->images.size());
    r.vq_psnr = psnr_sum / r.vq_images, r.vq_ssim = ssim_sum / r.vq_images;
    return Status::success();
}

}  // namespace

Result<std::vector<cv::Mat>> vqgan_round_trip(const ModelBundle& model, const std::vector<cv::Mat>& images) {
    return guarded("VQGAN reconstruction", [&]() -> Result<std::vector<cv::Mat>> {
        torch::NoGradGuard no_grad;
        auto vq = model.net->first_stage_model;
        const int res = vq->config().resolution;
        std::vector<cv::Mat> out;
        out.reserve(images.size());
        for (std::size_t start = 0; start < images.size(); start += 32) {
            std::vector<torch::Tensor> xs;
            for (std::size_t i = start; i < std::min(images.size(), start + 32); ++i)
                xs.push_back(image_to_tensor(resize_center_crop(images[i], res)));
            auto x = torch::stack(xs).to(model.device);
            auto y = vq->decode(vq->encode(x)).to(torch::kCPU).to(torch::kFloat32);  // (B, 3, R, R)
            for (std::int64_t i = 0; i < y.size(0); ++i) out.push_back(tensor_to_image(y[i]));
        }
        return out;
    });
}

const std::vector<std::string>& eval_set_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v(std::begin(kGenEvalSets), std::end(kGenEvalSets));
        v.push_back("alias");
        v.push_back("negative");
        return v;
    }();
    return names;
}

Result<EvalReport> evaluate_model(const ModelBundle& model, Judge& judge, const EvalOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    EvalReport r;
    r.model_name = model.config.name, r.model_dir = model.dir.string(), r.checksum = model.checksum;
    r.sampling = o.sampling, r.candidates = o.candidates, r.limit = o.limit, r.skip = o.skip, r.seed = o.seed;
    if (runs_set(o, "negative") && o.sampling.guidance == 1.0)
        return make_error(ErrorCode::InvalidArgument,
                          "the negative set needs guidance other than 1 (--guidance): guidance is what steers away "
                          "from a negative prompt");
    auto v = validate_judge(judge, o.corpus, "test");
    if (!v) return v.error();
    r.judge = *v;
    say(o, "judge on real test scenes: every stated fact found in " + std::to_string(v->scene_accuracy));
    std::vector<std::vector<cv::Mat>> single_images;
    double sum_on = 0, sum_off = 0;
    for (const char* tag : kGenEvalSets) {
        if (!runs_set(o, tag)) continue;
        const bool single = std::string(tag) == "single_object";
        auto s = score_set(model, judge, o, tag, single ? &r.single_concepts : nullptr,
                           single ? &single_images : nullptr, r.prompts);
        if (!s) return s.error();
        sum_on += s->on, sum_off += s->off.value_or(0);
        r.categories.push_back(*s);
    }
    if (r.categories.size() == std::size(kGenEvalSets)) {
        r.overall = sum_on / static_cast<double>(r.categories.size());
        if (o.ablation) r.overall_off = sum_off / static_cast<double>(r.categories.size());
    }
    if (runs_set(o, "alias")) {
        auto alias = score_aliases(model, judge, o);
        if (!alias) return alias.error();
        r.alias = *alias;
    }
    if (runs_set(o, "negative")) {
        auto negative = score_negative(model, judge, o);
        if (!negative) return negative.error();
        r.negative = *negative;
    }
    if (o.inception && !single_images.empty()) {  // diversity: the single objects' candidates
        auto net = *o.inception;
        auto d = diversity(net, single_images);
        if (!d) return d.error();
        auto groups = real_groups(o, o.candidates);
        if (!groups) return groups.error();
        auto dr = diversity(net, *groups);
        if (!dr) return dr.error();
        r.diversity = *d, r.diversity_real = *dr;
    }
    if (o.inception && o.fid_images > 0) SHENBI_TRY_STATUS(fid_figures(model, o, r));
    SHENBI_TRY_STATUS(vqgan_figures(model, o, std::max(o.fid_images, 200), r));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

namespace {

std::string fmt(double v, int digits = 3) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string fmt(const std::optional<double>& v, int digits = 3) {
    return v ? fmt(*v, digits) : "n/a";
}

}  // namespace

std::string report_markdown(const EvalReport& r) {
    std::string m;
    m += "Model `" + r.model_name + "` (" + r.model_dir + ", weights " + r.checksum.substr(0, 12) + "); top-k " +
         std::to_string(r.sampling.top_k) + ", temperature " + fmt(r.sampling.temperature, 2) +
         (r.sampling.guidance != 1.0 ? ", guidance " + fmt(r.sampling.guidance, 2) : std::string()) +
         (r.sampling.best_of != 1 ? ", best of " + std::to_string(r.sampling.best_of) : std::string()) +
         (r.sampling.layout ? ", layouts planned from the prompts" : std::string()) +
         (r.sampling.layout_guidance != 0 ? ", guidance " + fmt(r.sampling.layout_guidance, 2) + " for parts"
                                          : std::string()) +
         (r.sampling.colour_guidance != 0 ? ", colour guidance " + fmt(r.sampling.colour_guidance, 2) : std::string()) +
         (r.sampling.knowledge_guidance != 0 ? ", knowledge guidance " + fmt(r.sampling.knowledge_guidance, 2)
                                             : std::string()) +
         ", " + std::to_string(r.candidates) + " images per prompt, seed " + std::to_string(r.seed) +
         (r.limit ? ", at most " + std::to_string(r.limit) + " prompts per set" : std::string()) +
         (r.skip ? ", each set's first " + std::to_string(r.skip) + " prompts left out" : std::string()) + ".\n\n";
    m += "**Judge** on " + std::to_string(r.judge.scenes) + " real test scenes: every stated fact found " +
         fmt(r.judge.scene_accuracy) + ", one fact changed and rejected " + fmt(r.judge.negative_accuracy) +
         ", class at the true box " + fmt(r.judge.scene_crop_accuracy) + ".\n\n";
    if (r.judge.scene_accuracy < 0.95)
        m += "**Warning: the judge finds the facts of fewer than 95 % of real scenes; the scores below are not "
             "trustworthy.**\n\n";
    m += "| compositional score (GenEval-shaped, unseen combinations) | prompts | knowledge on | knowledge off |\n";
    m += "|---|---:|---:|---:|\n";
    for (const auto& c : r.categories)
        m += "| " + c.tag + " | " + std::to_string(c.prompts) + " | " + fmt(c.on) + " | " + fmt(c.off) + " |\n";
    m += "| **overall** (mean of the categories) | | **" + fmt(r.overall) + "** | " + fmt(r.overall_off) + " |\n\n";
    if (!r.overall) m += "Some sets were not run (`--sets`): no overall score.\n\n";
    m += "| concept accuracy (judge top-1 / top-5) | prompts | knowledge on | knowledge off |\n|---|---:|---:|---:|\n";
    auto concept_row = [&](const char* name, const ConceptScore& c) {
        if (c.prompts == 0) {
            m += std::string("| ") + name + " | 0 | n/a | n/a |\n";  // the set was not run
            return;
        }
        m += std::string("| ") + name + " | " + std::to_string(c.prompts) + " | " + fmt(c.top1) + " / " + fmt(c.top5) +
             " | " + fmt(c.top1_off) + " / " + fmt(c.top5_off) + " |\n";
    };
    concept_row("single objects", r.single_concepts);
    concept_row("objects named only by a graph alias", r.alias);
    if (!r.negative.empty()) {
        m += "\n| negative prompt naming what most of a single-object prompt's candidates show (same seeds) | prompts "
             "| images showing it: no negative / naming it / naming one they do not show | object is the judge's "
             "top-1: same three |\n|---|---:|---:|---:|\n";
        for (const auto& f : r.negative)
            m += "| " + f.what + " | " + std::to_string(f.prompts) + " | " + fmt(f.before) + " / " + fmt(f.after) +
                 " / " + fmt(f.control) + " | " + fmt(f.top1_before) + " / " + fmt(f.top1_after) + " / " +
                 fmt(f.top1_control) + " |\n";
    }
    m += "\n| image figures | generated | real | VQGAN reconstructions of real |\n|---|---:|---:|---:|\n";
    m += "| FID, nsfwjs-InceptionV3 mixed5 (" + std::to_string(r.fid_images) +
         " test captions vs real test; real: val vs test; reconstructions: val's, vs test) | " + fmt(r.fid) + " | " +
         fmt(r.fid_floor) + " | " + fmt(r.fid_vqgan) + " |\n";
    m += "| KID x1000, same features | " + fmt(r.kid) + " | " + fmt(r.kid_floor) + " | " + fmt(r.kid_vqgan) + " |\n";
    m += "| candidate diversity (mean pairwise mixed5 distance; real: the class's images in different styles) | " +
         fmt(r.diversity) + " | " + fmt(r.diversity_real) + " | |\n";
    m += "| VQGAN reconstruction of " + std::to_string(r.vq_images) + " real test images: PSNR dB / SSIM | | | " +
         fmt(r.vq_psnr, 2) + " / " + fmt(r.vq_ssim) + " |\n\n";
    m += "Not comparable with published FID: another Inception graph, features from mixed5. " + std::string("Took ") +
         fmt(r.seconds / 60, 1) + " min.\n";
    return m;
}

std::string prompts_tsv(const EvalReport& r) {
    // Tabs and line breaks cannot occur in the corpus's prompts; replaced anyway to keep one row per prompt.
    auto cell = [](std::string s) {
        std::replace_if(
            s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
        return s;
    };
    std::string t = "set\tid\tprompt\tparts\tholds";
    const std::size_t images = r.prompts.empty() ? 0 : r.prompts.front().seen.size();
    for (std::size_t i = 0; i < images; ++i) t += "\timage " + std::to_string(i + 1);
    t += "\n";
    for (const auto& p : r.prompts) {
        t += cell(p.set) + "\t" + cell(p.id) + "\t" + cell(p.prompt) + "\t" + cell(p.parts) + "\t" +
             std::to_string(std::count(p.holds.begin(), p.holds.end(), true)) + "/" + std::to_string(p.holds.size());
        for (std::size_t i = 0; i < p.seen.size(); ++i)
            t += "\t" + std::string(p.holds[i] ? "yes: " : "no: ") + cell(p.seen[i]);
        t += "\n";
    }
    return t;
}

std::string report_json(const EvalReport& r) {
    using nlohmann::json;
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    json j;
    j["model"] = {{"name", r.model_name}, {"dir", r.model_dir}, {"checksum", r.checksum}};
    j["sampling"] = {{"top_k", r.sampling.top_k},
                     {"top_p", r.sampling.top_p},
                     {"temperature", r.sampling.temperature},
                     {"guidance", r.sampling.guidance},
                     {"best_of", r.sampling.best_of},
                     {"layout", r.sampling.layout},
                     {"layout_guidance", r.sampling.layout_guidance},
                     {"colour_guidance", r.sampling.colour_guidance},
                     {"knowledge_guidance", r.sampling.knowledge_guidance}};
    j["candidates"] = r.candidates, j["limit"] = r.limit, j["skip"] = r.skip, j["seed"] = r.seed;
    j["judge_test"] = {{"scenes", r.judge.scenes},
                       {"facts_found", r.judge.scene_accuracy},
                       {"changed_fact_rejected", r.judge.negative_accuracy},
                       {"class_at_true_box", r.judge.scene_crop_accuracy}};
    for (const auto& c : r.categories)
        j["geneval"][c.tag] = {{"prompts", c.prompts}, {"knowledge_on", c.on}, {"knowledge_off", opt(c.off)}};
    j["geneval"]["overall"] = {{"knowledge_on", opt(r.overall)}, {"knowledge_off", opt(r.overall_off)}};
    auto concept_json = [&](const ConceptScore& c) {
        return json{{"prompts", c.prompts},
                    {"top1", c.top1},
                    {"top5", c.top5},
                    {"top1_off", opt(c.top1_off)},
                    {"top5_off", opt(c.top5_off)}};
    };
    j["concepts"] = {{"single_objects", concept_json(r.single_concepts)}, {"alias", concept_json(r.alias)}};
    for (const auto& f : r.negative)
        j["negative"][f.what] = {{"prompts", f.prompts},
                                 {"shows_without", f.before},
                                 {"shows_with", f.after},
                                 {"shows_with_control", f.control},
                                 {"top1_without", f.top1_before},
                                 {"top1_with", f.top1_after},
                                 {"top1_with_control", f.top1_control}};
    j["fid_nsfwjs_mixed5"] = {{"images", r.fid_images},
                              {"generated_vs_test", opt(r.fid)},
                              {"val_vs_test", opt(r.fid_floor)},
                              {"val_vqgan_vs_test", opt(r.fid_vqgan)}};
    j["kid_x1000"] = {
        {"generated_vs_test", opt(r.kid)}, {"val_vs_test", opt(r.kid_floor)}, {"val_vqgan_vs_test", opt(r.kid_vqgan)}};
    j["diversity"] = {{"generated", opt(r.diversity)}, {"real", opt(r.diversity_real)}};
    j["vqgan"] = {{"images", r.vq_images}, {"psnr", r.vq_psnr}, {"ssim", r.vq_ssim}};
    j["prompts"] = json::array();
    for (const auto& p : r.prompts) {
        json images = json::array();
        for (std::size_t i = 0; i < p.holds.size(); ++i) images.push_back({{"holds", p.holds[i]}, {"seen", p.seen[i]}});
        j["prompts"].push_back(
            {{"set", p.set}, {"id", p.id}, {"prompt", p.prompt}, {"parts", p.parts}, {"images", images}});
    }
    j["seconds"] = r.seconds;
    return j.dump(1);
}

}  // namespace shenbi
