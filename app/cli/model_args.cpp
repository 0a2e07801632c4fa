#include "app/cli/model_args.h"

#include <iostream>

#include "core/io/model_dir.h"
#include "core/model/precision.h"
#include "core/sampling/prompt.h"
#include "core/util/resources.h"
#include "core/util/runtime.h"

namespace shenbi::cli {

const char* const kModelFlagsUsage =
    "  --model DIR              Shenbi model directory or EasyNLP ARTIST directory\n"
    "                           (default: the bundled model; $SHENBI_MODEL_DIR overrides it)\n"
    "  --preset NAME            with --random-weights: artist-base, scene, small or tiny\n"
    "  --random-weights         random weights (benchmarks, smoke tests)\n"
    "  --seed-weights N         seed of the random weights (default 0)\n"
    "  --device auto|cpu|cuda   compute device (default auto)\n"
    "  --threads N              CPU threads (default: all cores)\n"
    "  --precision P            GPT weights: auto, fp32, bf16, int8 or w8a8 (default auto: int8 on a\n"
    "                           CPU with AVX2 or AVX-512, else fp32; eval's default is fp32). w8a8\n"
    "                           quantizes activations too: faster on AVX512-VNNI CPUs, less exact\n";

void read_model_flags(const Args& args) {
    (void)threads_flag(args);
    (void)args.get_u64("seed-weights", 0);
    if (args.has("precision") && !weight_precision_from_string(args.get("precision")))
        args.error("--precision must be auto, fp32, bf16, int8 or w8a8, got '" + args.get("precision") + "'");
}

bool generation_flags_parse(const Args& args) {
    (void)params_from_args(args, std::nullopt);
    read_model_flags(args);
    return args.errors().empty();
}

Result<std::string> model_dir_from_args(const Args& args) {
    if (args.has("model")) {
        if (args.get("model").empty()) return make_error(ErrorCode::InvalidArgument, "--model needs a directory");
        return args.get("model");
    }
    if (auto bundled = default_model_dir()) {
        std::cerr << "using the bundled model " << bundled->string() << "\n";
        return bundled->string();
    }
    return make_error(ErrorCode::NotFound, "no --model given and no bundled model found (" +
                                               describe_candidates("models/default", "SHENBI_MODEL_DIR") +
                                               "); give --model DIR, or --preset NAME --random-weights");
}

std::filesystem::path default_graph_dir() {
    if (auto dir = default_knowledge_dir()) {
        std::cerr << "using the bundled knowledge graph " << dir->string() << "\n";
        return *dir;
    }
    std::cerr << "no bundled knowledge graph found (" << describe_candidates("knowledge", "SHENBI_KNOWLEDGE_DIR")
              << ")\n";
    return "resources/knowledge";
}

Result<std::shared_ptr<ModelBundle>> load_model_from_args(const Args& args,
                                                          const std::string& default_precision,
                                                          const std::string& forced_precision) {
    if (args.has("preset") && !args.has("random-weights") && !args.has("model"))
        return make_error(ErrorCode::InvalidArgument, "--preset needs --random-weights (or give --model DIR)");
    set_compute_threads(threads_flag(args));
    auto device = parse_device(args.get("device", "auto"));
    if (!device) return device.error();
    auto precision = weight_precision_from_string(!forced_precision.empty() ? forced_precision
                                                                            : args.get("precision", default_precision));
    if (!precision) return precision.error();

    std::shared_ptr<ModelBundle> model;
    if (args.has("random-weights")) {
        auto config = ModelConfig::preset(args.get("preset", "tiny"));
        if (!config) return config.error();
        model = make_random_bundle(*config, args.get_u64("seed-weights", 0));
        model->net->to(*device);
        model->device = *device;
    } else {
        auto dir = model_dir_from_args(args);
        if (!dir) return dir.error();
        auto loaded = load_model_dir(*dir, *device);
        if (!loaded) return loaded.error();
        model = *loaded;
    }
    SHENBI_TRY_STATUS(set_gpt_precision(*model, *precision));
    return model;
}

const char* const kSamplingUsage =
    "  --candidates N           images per prompt (default 4)\n"
    "  --seed S                 request seed (default 0); candidate i uses a seed derived from it\n"
    "  --top_k K                default: the model's recommendation, else 100 (0 = off)\n"
    "  --top_p P                default: the model's recommendation, else 1.0 (off)\n"
    "  --temperature T          default: the model's recommendation, else 1.0\n"
    "  --guidance G             classifier-free guidance 1..20 (1 = off; default: the model's recommendation, else 1)\n"
    "  --best_of N              sample N images per candidate and keep those the model is surest of\n"
    "                           (candidates x N <= 64; default: the model's recommendation, else 1 = off)\n"
    "  --negative TEXT          what guidance steers away from instead of the empty prompt, e.g. 红色\n"
    "                           (needs guidance other than 1)\n"
    "  --layout on|off          plan the picture from the prompt: each object it names (一只猫和一条狗,\n"
    "                           一个苹果在一只熊猫的左边) drawn in its own part (default: the\n"
    "                           model's recommendation, else off)\n"
    "  --layout_guidance G      guidance for a picture drawn in parts (planned or --regions) instead of\n"
    "                           --guidance; 0 = --guidance (default: the model's recommendation, else 0)\n"
    "  --colour_guidance G      guidance for the colours the prompt gives its objects, apart from the rest:\n"
    "                           one more pass reads the prompt without them (一辆汽车 for 一辆橙色的汽车);\n"
    "                           above --guidance the colours are followed more closely, below it less;\n"
    "                           0 = --guidance (default: the model's recommendation, else 0)\n"
    "  --knowledge_guidance G   guidance for the knowledge, apart from the rest: one more pass reads a\n"
    "                           prompt that links an entity without the entity vectors; above --guidance\n"
    "                           the entity vectors pull harder; 0 = --guidance (default 0; an experiment:\n"
    "                           no model recommends it and the studio has no field for it)\n"
    "  --no-knowledge           do not feed entity knowledge\n"
    "  --full_recompute         no KV cache: recompute the whole sequence per token (the released algorithm)\n";

double guidance_or_zero_from_args(const Args& args, const std::string& flag, double fallback) {
    const double g = args.get_double(flag, fallback, Bounds::closed(0, kGuidanceMax));
    if (valid_guidance_or_zero(g)) return g;
    args.error("--" + flag + ": 0 (the same as --guidance) or " + guidance_range_text() + ", got " + args.get(flag));
    return fallback;
}

// Sampling flags default to what the model recommends (model.json "sampling").
GenerationParams params_from_args(const Args& args, const std::optional<RecommendedSampling>& recommended) {
    const RecommendedSampling r = recommended.value_or(RecommendedSampling{});
    GenerationParams p;
    // The ranges generate() enforces (core/sampling/generate.cpp), checked here
    // before the model loads.
    p.candidates = static_cast<int>(args.get_int("candidates", 4, 1, 64));
    p.seed = args.get_u64("seed", 0);
    p.sampling.top_k = static_cast<int>(args.get_int("top_k", r.top_k, 0, std::numeric_limits<int>::max()));
    p.sampling.top_p = args.get_double("top_p", r.top_p, Bounds::left_open(0, 1));
    p.sampling.temperature = args.get_double("temperature", r.temperature, Bounds::above(0));
    p.sampling.guidance = args.get_double("guidance", r.guidance, Bounds::closed(kGuidanceMin, kGuidanceMax));
    p.sampling.best_of = static_cast<int>(args.get_int("best_of", r.best_of, 1, kMaxSampledRows / p.candidates));
    if (args.has("negative")) {
        p.negative_prompt = args.get("negative");
        if (auto st = check_prompt(p.negative_prompt); !st.ok())
            args.error("--negative: " + st.message());
        else if (args.has("guidance") && p.sampling.guidance == 1.0)  // else generate() says it, before work
            args.error("--negative needs --guidance other than 1: guidance is what steers away from it");
    }
    p.sampling.layout = args.get_on_off("layout", r.layout);
    p.sampling.layout_guidance = guidance_or_zero_from_args(args, "layout_guidance", r.layout_guidance);
    p.sampling.colour_guidance = guidance_or_zero_from_args(args, "colour_guidance", r.colour_guidance);
    // Not a model recommendation (model.json, the studio): an experiment's flag
    // (docs/default-model.md, "Knowledge guidance").
    p.sampling.knowledge_guidance = guidance_or_zero_from_args(args, "knowledge_guidance", 0);
    p.use_knowledge = !args.has("no-knowledge");
    p.full_recompute = args.has("full_recompute");
    p.preview_every = 0;
    return p;
}

}  // namespace shenbi::cli
