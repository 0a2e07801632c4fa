// shenbi-cli eval fid: FID and KID between the images of two TSVs, on
// nsfwjs-InceptionV3 mixed5 features (core/eval). The first piece of
// `shenbi-cli eval` (issue 10); the report over a model comes on top of it.
#include <cstdio>
#include <iostream>

#include "app/cli/command.h"
#include "core/eval/fid.h"
#include "core/eval/inception_v3.h"
#include "core/eval/tsv_images.h"
#include "core/util/runtime.h"

namespace shenbi::cli {
namespace {

int run_eval_fid(const Args& args) {
    const std::string a_path = args.get("real"), b_path = args.get("fake");
    const auto max_images = args.get_int("max_images", 0);
    const auto subsets = args.get_int("kid_subsets", 100);
    const auto batch = args.get_int("batch", 16);
    const auto threads = args.get_int("threads", 0);
    if (!args.errors().empty()) return 2;
    if (a_path.empty() || b_path.empty()) {
        fail("eval fid", "--real TSV and --fake TSV are required");
        return 2;
    }
    if (max_images < 0 || subsets < 1 || subsets > 100000 || batch < 1 || batch > 1024 || threads < 0) {
        fail("eval fid", "--max_images and --threads must be >= 0, --kid_subsets 1..100000, --batch 1..1024");
        return 2;
    }
    set_compute_threads(static_cast<int>(threads));
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

}  // namespace

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
