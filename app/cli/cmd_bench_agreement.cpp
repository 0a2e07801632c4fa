// shenbi-cli bench agreement: how far int8 weights move the model's choices.
// The same model is loaded in fp32 and in int8 and each prompt is sampled
// greedily (top-k 1: no randomness, so every difference is the weights'),
// with the model's recommended guidance. Two figures:
// - per step: int8 fed fp32's codes (teacher forcing) chooses fp32's next
//   code at this share of the positions;
// - free-running: int8 on its own produces the same code at this share of the
//   positions. One early difference changes the rest of the grid, so this is
//   far noisier and lower; the images show what it means.

#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>

#include <opencv2/core.hpp>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/image/image_io.h"
#include "core/model/model_bundle.h"
#include "core/sampling/generate.h"

namespace shenbi::cli {
namespace {

// Names, sentences, counts, colours and positions, in the bundled model's domain.
const char* const kDefaultPrompts =
    "熊猫|红苹果|一只猫坐在月亮上|两个苹果|蓝色的汽车|左边是狗，右边是猫|手绘风格的樱花|一碗饺子|黄色背景上的星星|"
    "三个气球";

std::vector<std::string> split_prompts(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string p; std::getline(in, p, '|');) {
        if (!p.empty()) out.push_back(p);
    }
    return out;
}

struct Greedy {
    std::vector<std::int64_t> codes;
    cv::Mat image;
};

Result<Greedy> greedy(const ModelBundle& model,
                      const std::string& prompt,
                      std::optional<std::vector<std::int64_t>> forced = std::nullopt) {
    GenerationParams p;
    p.forced_codes = std::move(forced);
    p.prompt = prompt;
    p.candidates = 1;
    p.preview_every = 0;
    p.sampling.top_k = 1;  // greedy: the arg max at every step
    if (model.config.sampling) p.sampling.guidance = model.config.sampling->guidance;  // as the model is run
    auto r = generate(model, p);
    if (!r) return r.error();
    return Greedy{r->candidates.front().codes, r->candidates.front().image};
}

int run_bench_agreement(const Args& args) {
    read_model_flags(args);
    const std::string against = args.get("precision", "int8");  // what fp32 is compared with
    if (against != "int8" && against != "w8a8") args.error("--precision must be int8 or w8a8, got '" + against + "'");
    const auto prompts = split_prompts(args.get("prompts", kDefaultPrompts));
    if (prompts.empty()) args.error("--prompts: no prompt given (separate them with |)");
    const std::filesystem::path out = args.get("out", "");
    if (!args.errors().empty()) return 2;
    auto fp32 = load_model_from_args(args, "fp32", "fp32");
    if (!fp32) return fail("bench agreement", fp32.message());
    auto int8 = load_model_from_args(args, against);
    if (!int8) return fail("bench agreement", int8.message());
    if (!out.empty()) std::filesystem::create_directories(out);

    std::printf("model %s, greedy, guidance %.2g, %zu prompts\n\n", (*fp32)->config.name.c_str(),
                (*fp32)->config.sampling ? (*fp32)->config.sampling->guidance : 1.0, prompts.size());
    std::printf(
        "| prompt | per step (teacher-forced) | free-running | first free-running difference at |\n"
        "|---|---|---|---|\n");
    std::int64_t equal = 0, forced_equal = 0, total = 0;
    std::vector<cv::Mat> rows;
    for (const auto& prompt : prompts) {
        auto a = greedy(**fp32, prompt);
        if (!a) return fail("bench agreement", a.message());
        auto b = greedy(**int8, prompt);
        if (!b) return fail("bench agreement", b.message());
        auto c = greedy(**int8, prompt, a->codes);
        if (!c) return fail("bench agreement", c.message());
        std::int64_t same = 0, forced_same = 0, first = -1;
        for (size_t i = 0; i < a->codes.size(); ++i) {
            forced_same += a->codes[i] == c->codes[i];
            if (a->codes[i] == b->codes[i]) {
                ++same;
            } else if (first < 0) {
                first = static_cast<std::int64_t>(i);
            }
        }
        equal += same;
        forced_equal += forced_same;
        const auto n = static_cast<double>(a->codes.size());
        total += static_cast<std::int64_t>(a->codes.size());
        std::printf("| %s | %.1f%% | %.1f%% | %s |\n", prompt.c_str(), 100.0 * forced_same / n, 100.0 * same / n,
                    first < 0 ? "-" : std::to_string(first).c_str());
        cv::Mat row;
        cv::hconcat(a->image, b->image, row);  // fp32 left, the other right
        rows.push_back(row);
    }
    std::printf("\n%s chooses fp32's code, per step (teacher-forced): %.1f%% of %lld tokens\n", against.c_str(),
                100.0 * forced_equal / total, static_cast<long long>(total));
    std::printf("%s codes equal to fp32's, free-running: %.1f%% of %lld tokens\n", against.c_str(),
                100.0 * equal / total, static_cast<long long>(total));
    if (!out.empty()) {
        cv::Mat sheet;
        cv::vconcat(rows, sheet);
        const auto path = out / "agreement.png";
        auto written = write_png(path, sheet);
        if (!written) return fail("bench agreement", written.message());
        std::printf("images (fp32 left, %s right, one prompt per row, in the order above): %s\n", against.c_str(),
                    path.string().c_str());
    }
    return 0;
}

}  // namespace

SHENBI_COMMAND(
    "bench agreement",
    "int8 (or w8a8) against fp32 weights: greedy codes compared position by position",
    std::string("shenbi-cli bench agreement [--model DIR] [--precision int8|w8a8] [--prompts 'A|B|C'] [--out DIR]\n"
                "  --precision P        what fp32 is compared with: int8 (default) or w8a8\n"
                "  --prompts 'A|B|C'    prompts separated by | (default: ten in the bundled model's domain)\n"
                "  --out DIR            writes DIR/agreement.png: fp32 | the other, one row per prompt\n") +
        kModelFlagsUsage,
    run_bench_agreement);

}  // namespace shenbi::cli
