// shenbi-cli eval judge train | check: the judge of the compositional score
// (core/eval/judge.h), trained on the corpus's real images and validated on
// its real rendered scenes before any score over a model means anything.
#include <cstdio>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/eval/judge_train.h"
#include "core/eval/report.h"
#include "core/util/runtime.h"

namespace shenbi::cli {
namespace {

const char* const kDefaultCorpus = "data/cache/corpus";
const char* const kDefaultJudge = "data/cache/judge";

void print_validation(const JudgeValidation& v) {
    std::printf(
        "| split | crops | class at true box: all / scene objects | scenes | every stated fact found | one fact "
        "changed, rejected | background named |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %s | %d | %.4f / %.4f | %d | %.4f | %.4f | %.4f |\n", v.split.c_str(), v.crops, v.crop_accuracy,
                v.scene_crop_accuracy, v.scenes, v.scene_accuracy, v.negative_accuracy, v.background_accuracy);
    if (v.confusions.empty()) return;
    std::printf("\ncommonest errors on scene objects (true -> judged):");
    for (const auto& c : v.confusions) std::printf(" %s->%s %d;", c.truth.c_str(), c.predicted.c_str(), c.count);
    std::printf("\n");
}

int run_judge_train(const Args& args) {
    JudgeTrainOptions o;
    o.corpus = args.get("corpus", kDefaultCorpus);
    o.out = args.get("out", kDefaultJudge);
    // Every flag is read and range-checked before any work.
    o.epochs = static_cast<int>(args.get_int("epochs", o.epochs, 1, 1000));
    o.batch = static_cast<int>(args.get_int("batch", o.batch, 1, 4096));
    o.max_other = static_cast<int>(args.get_int("max_other", o.max_other, 0, 1000000));
    o.learning_rate = args.get_double("learning_rate", o.learning_rate, Bounds::open(0, 1));
    o.seed = args.get_u64("seed", 1);
    const int threads = threads_flag(args);
    if (!args.errors().empty()) return 2;  // main() prints them
    set_compute_threads(threads);
    o.message = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
    auto r = train_judge(o);
    if (!r) return fail("eval judge train", r.message());
    std::printf("judge written to %s: %lld training crops, validation crop accuracy %.4f on %lld crops\n",
                o.out.string().c_str(), static_cast<long long>(r->train_crops), r->val_accuracy,
                static_cast<long long>(r->val_crops));
    auto judge = Judge::load(o.out);
    if (!judge) return fail("eval judge train", judge.message());
    auto v = validate_judge(*judge, o.corpus, "val");
    if (!v) return fail("eval judge train", v.message());
    print_validation(*v);
    return 0;
}

int run_judge_check(const Args& args) {
    const std::string corpus = args.get("corpus", kDefaultCorpus), dir = args.get("judge", kDefaultJudge);
    const std::string split = args.get("split", "test");
    const int threads = threads_flag(args);
    if (!args.errors().empty()) return 2;  // main() prints them
    if (split != "val" && split != "test") {
        fail("eval judge check", "--split must be val or test, got '" + split + "'");
        return 2;
    }
    if (args.has("model") && !args.has("through_vqgan")) {
        fail("eval judge check", "--model names the VQGAN of --through_vqgan; give both or neither");
        return 2;
    }
    set_compute_threads(threads);
    auto judge = Judge::load(dir);
    if (!judge) return fail("eval judge check", judge.message());
    ImageRoundTrip through;
    std::shared_ptr<ModelBundle> model;
    if (args.has("through_vqgan")) {
        auto loaded = load_model_from_args(args, "fp32");
        if (!loaded) return fail("eval judge check", loaded.message());
        model = *loaded;
        std::printf("the scenes pass through the VQGAN of %s first\n\n", model->dir.string().c_str());
        through = [&](const std::vector<cv::Mat>& images) { return vqgan_round_trip(*model, images); };
    }
    auto v = validate_judge(*judge, corpus, split, {}, through);
    if (!v) return fail("eval judge check", v.message());
    print_validation(*v);
    return 0;
}

}  // namespace

SHENBI_COMMAND("eval judge train",
               "train the compositional judge on the corpus's real images",
               "shenbi-cli eval judge train [--corpus data/cache/corpus] [--out data/cache/judge]\n"
               "  --corpus DIR          data/corpus's output: train/val TSVs, *.gt.jsonl, eval/classes.json\n"
               "  --out DIR             where judge.pt and classes.txt go (default data/cache/judge)\n"
               "  --epochs N            (default 8)   --batch N (default 64)   --learning_rate X (default 2e-3)\n"
               "  --max_other N         crops of other emoji in the catch-all class (default 1000)\n"
               "  --seed N              (default 1)   --threads N (default: all cores)\n"
               "  Prints its accuracy on the validation scenes when done.",
               run_judge_train);

SHENBI_COMMAND("eval judge check",
               "the judge's accuracy on the corpus's real rendered scenes",
               "shenbi-cli eval judge check [--judge data/cache/judge] [--corpus data/cache/corpus] [--split test]\n"
               "  --split val|test      which real scenes (default test)\n"
               "  --through_vqgan       the scenes pass through a model's VQGAN first: what its codes can carry,\n"
               "                        the ceiling of any GPT drawing them\n"
               "  --model DIR           that model (default: the bundled one)\n"
               "  --threads N           CPU threads (default: all cores)",
               run_judge_check);

}  // namespace shenbi::cli
