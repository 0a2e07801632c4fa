// `shenbi-cli eval --model DIR`: the measured quality of a model on the
// corpus's evaluation sets, as one report (Markdown and JSON):
//   - the GenEval-shaped compositional score per category (Ghosh et al.
//     2023; single object, two objects, counting, colours, position, colour
//     attribute binding), judged by core/eval/judge.h, knowledge on and off;
//   - concept accuracy (the judge's top-1/top-5) of single-object prompts and
//     of prompts that name an object only by a graph alias, knowledge on/off;
//   - FID and KID (nsfwjs-InceptionV3 mixed5) against real test images, with
//     the real-val-vs-real-test floor and the VQGAN-reconstruction floor;
//     candidate diversity beside real images;
//   - the first stage's PSNR/SSIM on real test images;
//   - the judge's own accuracy on real test scenes, without which the rest
//     means nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/eval/inception_v3.h"
#include "core/eval/judge_train.h"
#include "core/sampling/generate.h"
#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

struct EvalOptions {
    std::filesystem::path corpus;  // data/corpus's output (eval/*.jsonl, *.tsv, *.gt.jsonl)
    int candidates = 4;            // images per prompt (GenEval: 4)
    int limit = 0;                 // prompts per set, 0 = all
    int skip = 0;                  // leave out each set's first N prompts (a tuning split beside the reported one)
    std::uint64_t seed = 1;
    SamplingParams sampling;
    int fid_images = 400;                        // generated for the first N test captions; 0 = no FID
    bool ablation = true;                        // the same prompts with knowledge off
    std::vector<std::string> sets;               // eval_set_names() to run; empty: all of them
    std::optional<InceptionV3Mixed5> inception;  // none: no FID or diversity
    bool keep_images = false;                    // PromptOutcome::images (eval --samples)
    std::function<void(const std::string&)> message;
};

// One prompt of a GenEval-shaped set, knowledge on: what was drawn and what
// the judge saw in each image (report.json "prompts"; eval --out's prompts.tsv).
struct PromptOutcome {
    std::string set, id, prompt;
    std::string parts;              // the layout drawn (describe_layout), empty when drawn whole
    std::vector<bool> holds;        // per image: every stated fact found
    std::vector<std::string> seen;  // per image: describe_judged
    std::vector<cv::Mat> images;    // RGB8, only with EvalOptions::keep_images
};

struct CategoryScore {
    std::string tag;
    int prompts = 0;
    double on = 0;              // fraction of images whose every fact holds
    std::optional<double> off;  // knowledge off
};

struct ConceptScore {
    int prompts = 0;
    double top1 = 0, top5 = 0;                 // knowledge on
    std::optional<double> top1_off, top5_off;  // knowledge off
};

// `--sets negative`: a negative prompt that names what most of a
// single-object prompt's candidates show, and how often it still shows;
// the control names a value none of them shows.
struct NegativeFigure {
    std::string what;  // "background" ("白色背景") or "object colour" ("红色")
    int prompts = 0;   // prompts where most candidates showed one
    // Share of images showing it: without a negative prompt, with it named, with the control.
    double before = 0, after = 0, control = 0;
    double top1_before = 0, top1_after = 0, top1_control = 0;  // the prompt's object is the judge's first class
};

struct EvalReport {
    std::string model_name, model_dir, checksum;
    SamplingParams sampling;
    int candidates = 0, limit = 0, skip = 0;
    std::uint64_t seed = 0;
    JudgeValidation judge;  // on the real test scenes
    std::vector<CategoryScore> categories;
    std::vector<PromptOutcome> prompts;          // every GenEval-shaped prompt, knowledge on
    std::optional<double> overall, overall_off;  // only when every GenEval-shaped set ran
    ConceptScore single_concepts;                // single_object prompts
    ConceptScore alias;                          // alias prompts whose target is a judge class
    std::vector<NegativeFigure> negative;        // only when the negative set ran
    int fid_images = 0;
    std::optional<double> fid, fid_floor, kid, kid_floor;  // KID x 1000
    // The first stage's floor: the VQGAN's reconstructions of the real val
    // images against real test, what a GPT that drew real images' codes
    // exactly would reach.
    std::optional<double> fid_vqgan, kid_vqgan;
    std::optional<double> diversity, diversity_real;  // mean pairwise feature distance
    int vq_images = 0;
    double vq_psnr = 0, vq_ssim = 0;
    double seconds = 0;
};

// The prompt sets `EvalOptions::sets` chooses from: the six GenEval-shaped
// categories, "alias" (the concept accuracy of alias prompts), and
// "negative" (what a negative prompt does; only run when named).
const std::vector<std::string>& eval_set_names();

Result<EvalReport> evaluate_model(const ModelBundle& model, Judge& judge, const EvalOptions& options);

// Images through the model's VQGAN (encode, quantise, decode), at its
// resolution (resized and centre-cropped first); in batches of 32.
Result<std::vector<cv::Mat>> vqgan_round_trip(const ModelBundle& model, const std::vector<cv::Mat>& images);

std::string report_markdown(const EvalReport& report);
std::string report_json(const EvalReport& report);
// One row per GenEval-shaped prompt (EvalReport::prompts): set, id, prompt,
// the parts drawn, the images whose facts hold ("3/4"), then per image
// "yes: " or "no: " and what the judge saw.
std::string prompts_tsv(const EvalReport& report);

}  // namespace shenbi
