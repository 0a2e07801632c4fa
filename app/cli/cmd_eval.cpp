// shenbi-cli eval: the report over a model (core/eval/report.h), and
// eval fid: FID and KID between the images of two TSVs, on
// nsfwjs-InceptionV3 mixed5 features.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>
#include <utility>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/eval/fid.h"
#include "core/eval/inception_v3.h"
#include "core/eval/report.h"
#include "core/eval/tsv_images.h"
#include "core/image/image_io.h"
#include "core/util/atomic_file.h"
#include "core/util/runtime.h"

namespace shenbi::cli {
namespace {

int run_eval_fid(const Args& args) {
    const std::string a_path = args.get("real"), b_path = args.get("fake");
    const auto max_images = args.get_int("max_images", 0, 0, std::numeric_limits<long long>::max());  // 0: all
    const auto subsets = args.get_int("kid_subsets", 100, 1, 100000);
    const auto batch = args.get_int("batch", 16, 1, 1024);
    const int threads = threads_flag(args);
    if (!args.errors().empty()) return 2;  // main() prints them
    if (a_path.empty() || b_path.empty()) {
        fail("eval fid", "--real TSV and --fake TSV are required");
        return 2;
    }
    set_compute_threads(threads);
    // Read both sets before the network loads: a bad row costs nothing.
    auto a = read_tsv_images(a_path, static_cast<std::size_t>(max_images));
    if (!a) return fail("eval fid", a.message());
    auto b = read_tsv_images(b_path, static_cast<std::size_t>(max_images));
    if (!b) return fail("eval fid", b.message());
    const auto dir = args.has("inception") ? std::filesystem::path(args.get("inception")) : default_nsfwjs_model_dir();
    auto net = load_inception_nsfwjs(dir);
    if (!net)
        return fail("eval fid", net.message() + " (fetch it with data/inception/fetch.sh, or give --inception DIR)");
    auto fa = inception_features(*net, a->images, static_cast<int>(batch));
    if (!fa) return fail("eval fid", a_path + ": " + fa.message());
    auto fb = inception_features(*net, b->images, static_cast<int>(batch));
    if (!fb) return fail("eval fid", b_path + ": " + fb.message());
    auto fid = frechet_distance(*fa, *fb);
    if (!fid) return fail("eval fid", fid.message());
    auto kid = kernel_inception_distance(*fa, *fb, static_cast<int>(subsets));
    if (!kid) return fail("eval fid", kid.message());
    std::printf(
        "| set A | set B | images A | images B | FID (nsfwjs-InceptionV3 mixed5) | KID x1000 (mean +- std) |\n");
    std::printf("|---|---|---:|---:|---:|---:|\n");
    std::printf("| %s | %s | %zu | %zu | %.3f | %.3f +- %.3f |\n", a_path.c_str(), b_path.c_str(), a->images.size(),
                b->images.size(), *fid, kid->mean * 1000, kid->std * 1000);
    return 0;
}

// Each prompt's candidates side by side, twice their size (no smoothing), in
// DIR/SET/NNNN.png: what prompts.tsv's rows describe.
Status write_samples(const EvalReport& report, const std::filesystem::path& dir) {
    for (const auto& p : report.prompts) {
        if (p.images.empty()) continue;
        const auto folder = dir / std::filesystem::path(p.set).filename();
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
        if (ec) return make_error(ErrorCode::Io, folder.string() + ": " + ec.message());
        cv::Mat strip;
        cv::hconcat(p.images, strip);
        cv::resize(strip, strip, {}, 2, 2, cv::INTER_NEAREST);
        SHENBI_TRY_STATUS(write_png(folder / (std::filesystem::path(p.id).filename().string() + ".png"), strip));
    }
    return Status::success();
}

int run_eval(const Args& args) {
    EvalOptions o;
    o.corpus = args.get("corpus", "data/cache/corpus");
    const std::string judge_dir = args.get("judge", "data/cache/judge"), out = args.get("out");
    // Every flag is read and range-checked here, before any work (the judge's
    // own check alone takes a minute); the sampling flags as generate's.
    o.candidates = static_cast<int>(args.get_int("candidates", 4, 1, 64));
    o.limit = static_cast<int>(args.get_int("limit", 0, 0, 1000000));  // 0: all
    o.skip = static_cast<int>(args.get_int("skip", 0, 0, 1000000));
    o.fid_images = static_cast<int>(args.get_int("fid_images", 400, 0, 100000));
    o.seed = args.get_u64("seed", 0);
    o.ablation = !args.has("no_ablation");
    o.keep_images = args.has("samples");
    if (o.keep_images && out.empty()) args.error("--samples writes under --out DIR: give --out");
    const auto& names = eval_set_names();
    for (const auto& set : args.get_list("sets")) {
        if (std::find(names.begin(), names.end(), set) == names.end()) {
            std::string all;
            for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
            args.error("--sets: no set '" + set + "' (the sets: " + all + ")");
        }
        o.sets.push_back(set);
    }
    if (args.has("sets") && o.sets.empty()) args.error("--sets: name at least one set");
    if (!generation_flags_parse(args)) return 2;  // main() prints them
    // The report is written after the work: a folder it cannot be written to is said before.
    if (!out.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(out, ec);
        if (ec || !std::filesystem::is_directory(out))
            return fail("eval", "--out " + out + ": cannot create the folder" + (ec ? " (" + ec.message() + ")" : ""));
    }
    auto judge = Judge::load(judge_dir);
    if (!judge) return fail("eval", judge.message());
    if (!args.has("no_inception")) {
        const auto dir =
            args.has("inception") ? std::filesystem::path(args.get("inception")) : default_nsfwjs_model_dir();
        auto net = load_inception_nsfwjs(dir);
        if (!net)
            return fail(
                "eval",
                net.message() + " (fetch it with data/inception/fetch.sh, give --inception DIR, or --no_inception)");
        o.inception = *net;
    }
    auto model = load_model_from_args(args, "fp32");  // the published tables were measured in fp32
    if (!model) return fail("eval", model.message());
    o.sampling = params_from_args(args, (*model)->config.sampling).sampling;
    o.message = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
    auto report = evaluate_model(**model, *judge, o);
    if (!report) return fail("eval", report.message());
    const std::string md = report_markdown(*report);
    std::printf("%s", md.c_str());
    if (!out.empty()) {
        const std::filesystem::path dir(out);
        for (const auto& [name, text] : {std::pair{"report.md", md}, std::pair{"report.json", report_json(*report)},
                                         std::pair{"prompts.tsv", prompts_tsv(*report)}})
            if (auto st = write_file_atomic(dir / name, text); !st.ok()) return fail("eval", st.message());
        std::fprintf(stderr, "report written to %s/report.md, report.json and prompts.tsv\n", out.c_str());
        if (o.keep_images) {
            if (auto st = write_samples(*report, dir / "samples"); !st.ok()) return fail("eval", st.message());
            std::fprintf(stderr, "each prompt's images in %s/samples/SET/ID.png\n", out.c_str());
        }
    }
    return 0;
}

}  // namespace

SHENBI_COMMAND(
    "eval",
    "the quality report of a model: compositional score, concepts, knowledge ablation, FID, diversity, VQGAN",
    std::string(
        "shenbi-cli eval [--model DIR] [--out DIR] [--limit N]\n"
        "  --corpus DIR             data/corpus's output (default data/cache/corpus)\n"
        "  --judge DIR              the judge (default data/cache/judge; shenbi-cli eval judge train)\n"
        "  --out DIR                also write DIR/report.md, DIR/report.json and DIR/prompts.tsv (each\n"
        "                           GenEval-shaped prompt: the parts drawn, which images hold, what the judge saw)\n"
        "  --samples                also write each of those prompts' images to DIR/samples/SET/ID.png\n"
        "  --limit N                at most N prompts per set (default: all)\n"
        "  --skip N                 leave out each set's first N prompts: with --skip 25 --limit 25, a tuning\n"
        "                           split of prompts that the reported --limit 25 table does not use\n"
        "  --fid_images N           test captions generated for FID/KID (default 400; 0 = none)\n"
        "  --no_ablation            knowledge on only (the GenEval sets take half the time)\n"
        "  --sets A,B               only these prompt sets: single_object, two_object, counting, colors,\n"
        "                           position, color_attr, alias (default: all; overall needs the first six),\n"
        "                           negative (only when named: for each single-object prompt, what most of its\n"
        "                           candidates show, their background or their object's colour, named in a\n"
        "                           negative prompt, and the same seeds drawn again; needs guidance)\n"
        "  --inception DIR          nsfwjs's dist/models/inception_v3 (default: data/inception/fetch.sh's cache)\n"
        "  --no_inception           no FID, KID or diversity\n"
        "  --candidates N           images per prompt (default 4, as GenEval)\n"
        "  --seed S                 base seed (default 0); each prompt's seed derives from it and its id\n"
        "  --top_k K, --top_p P, --temperature T, --guidance G, --best_of N   default: the model's recommendation\n"
        "  --layout_guidance G      guidance for prompts drawn in parts (0 = --guidance; default: the model's)\n"
        "  --colour_guidance G      guidance for the colour words (0 = --guidance; default: the model's)\n"
        "  --knowledge_guidance G   guidance for the entity vectors (0 = --guidance, the default)\n"
        "  --layout on|off          plan each prompt's layout (generate --layout; default: the model's "
        "recommendation)\n") +
        kModelFlagsUsage + "  Also: shenbi-cli eval fid, eval judge train, eval judge check.",
    run_eval);

SHENBI_COMMAND(
    "eval fid",
    "FID and KID between the images of two TSVs (nsfwjs-InceptionV3 mixed5 features)",
    "shenbi-cli eval fid --real real.tsv --fake generated.tsv\n"
    "  --real TSV, --fake TSV   EasyNLP rows (idx, text, imgbase64) or predict output (gen_imgbase64 lists)\n"
    "  --max_images N           at most N images from each (default: all)\n"
    "  --kid_subsets N          KID subsets (default 100; subset size min(N_a, N_b, 1000))\n"
    "  --batch N                images per forward pass (default 16)\n"
    "  --inception DIR          nsfwjs's dist/models/inception_v3 (default: the cache data/inception/fetch.sh fills)\n"
    "  --threads N              CPU threads (default: all cores)\n"
    "  Not comparable with published FID: a different Inception graph, features from mixed5.",
    run_eval_fid);

}  // namespace shenbi::cli
