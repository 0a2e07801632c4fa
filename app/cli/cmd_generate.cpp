// shenbi-cli generate | predict: text to images from the command line.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <unistd.h>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/image/image_io.h"
#include "core/sampling/generate.h"
#include "core/sampling/layout.h"
#include "core/sampling/predict.h"
#include "core/sampling/prompt.h"
#include "core/sampling/redraw.h"
#include "core/util/atomic_file.h"

namespace shenbi::cli {
namespace {

namespace fs = std::filesystem;

const char* const kGridUsage =
    "  --grid FILE.png          also write all candidates side by side in one image\n"
    "  --grid_scale N           upscale the grid N times (1..16), nearest neighbour (default 1)\n";

// A one-line progress bar on stderr when it is a terminal.
GenerationHooks terminal_progress(const std::string& label) {
    GenerationHooks hooks;
    if (!isatty(fileno(stderr))) return hooks;
    hooks.on_progress = [label](const GenerationProgress& p) {
        const int width = 30;
        const int filled = p.step * width / std::max(1, p.total_steps);
        std::fprintf(stderr, "\r%s [%s%s] %d/%d  eta %.1fs ", label.c_str(), std::string(filled, '#').c_str(),
                     std::string(width - filled, '.').c_str(), p.step, p.total_steps, p.eta_s);
        if (p.step == p.total_steps) std::fprintf(stderr, "\n");
    };
    return hooks;
}

const char* const kRedrawUsage =
    "  --redraw FILE            redraw a region of this picture (PNG, JPEG, WebP) and keep the rest: it is\n"
    "                           cropped to its square centre and encoded by the model's VQGAN, the cells of\n"
    "                           --region are drawn for the prompt, every other cell keeps its code\n"
    "  --region X,Y,W,H         the region to redraw, in FILE's pixels, widened to whole code cells\n"
    "  --regions \"C,R,W,H=PROMPT|...\"  parts of the picture drawn from their own prompts, in cells of the\n"
    "                           model's grid (16x16 for the bundled model), e.g. \"0,0,8,16=一只猫在左边|8,0,8,16=\n"
    "                           一条狗在右边\"; the rest from --prompt; instead of a planned --layout\n";

// Four whole numbers X,Y,W,H, nothing else ("1,,2,3,4" is refused, not read
// as 1,2,3,4), X and Y >= 0, W and H > 0.
std::optional<std::array<int, 4>> rectangle(const std::string& text) {
    std::vector<int> v;
    for (std::size_t begin = 0; begin <= text.size();) {
        const std::size_t comma = std::min(text.find(',', begin), text.size());
        int x = 0;
        const auto [end, ec] = std::from_chars(text.data() + begin, text.data() + comma, x);
        if (ec != std::errc() || end != text.data() + comma) return std::nullopt;
        v.push_back(x);
        begin = comma + 1;
    }
    if (v.size() != 4 || v[0] < 0 || v[1] < 0 || v[2] <= 0 || v[3] <= 0) return std::nullopt;
    return std::array<int, 4>{v[0], v[1], v[2], v[3]};
}

struct RedrawRequest {
    std::string path;
    cv::Rect region;  // in the picture's pixels
};

// --redraw FILE --region X,Y,W,H: both or neither, checked with the other
// flags before anything is read.
std::optional<RedrawRequest> redraw_from_args(const Args& args) {
    const bool picture = args.has("redraw"), region = args.has("region");
    if (!picture && !region) return std::nullopt;
    if (picture != region) {
        args.error(picture ? "--redraw needs --region X,Y,W,H (the pixels to redraw)"
                           : "--region needs --redraw FILE (the picture to redraw)");
        return std::nullopt;
    }
    const std::string text = args.get("region");
    auto v = rectangle(text);
    if (!v) {
        args.error("--region must be X,Y,W,H in pixels (whole numbers, X and Y >= 0, W and H > 0), got '" + text + "'");
        return std::nullopt;
    }
    return RedrawRequest{args.get("redraw"), cv::Rect((*v)[0], (*v)[1], (*v)[2], (*v)[3])};
}

// --regions "C,R,W,H=prompt|C,R,W,H=prompt": parts drawn from their own
// prompts, in cells of the model's grid (generate() checks them against it).
std::vector<RegionPrompt> regions_from_args(const Args& args) {
    std::vector<RegionPrompt> out;
    if (!args.has("regions")) return out;
    const std::string text = args.get("regions");
    std::size_t begin = 0;
    for (int n = 1; begin <= text.size(); ++n) {
        const std::size_t bar = std::min(text.find('|', begin), text.size());
        const std::string part = text.substr(begin, bar - begin);
        const std::size_t eq = part.find('=');
        auto v = rectangle(part.substr(0, std::min(eq, part.size())));
        const std::string prompt = eq == std::string::npos ? std::string() : part.substr(eq + 1);
        if (!v || !check_prompt(prompt).ok()) {
            args.error("--regions: region " + std::to_string(n) +
                       " must be C,R,W,H=prompt (cells of the model's grid, whole numbers, W and H > 0, a prompt "
                       "that is valid UTF-8), got '" +
                       part + "'");
            return {};
        }
        out.push_back({CellRect{(*v)[0], (*v)[1], (*v)[2], (*v)[3]}, prompt});
        begin = bar + 1;
    }
    return out;
}

// The kept codes of a redraw: the picture encoded, the region's cells to draw.
// (A region that misses the picture was refused before the model loaded.)
Result<std::vector<std::int64_t>> kept_codes_for(const ModelBundle& model,
                                                 const RedrawRequest& redraw,
                                                 const cv::Mat& picture) {
    const int grid = model.config.vqgan.grid_size();
    auto cells = cells_covering(redraw.region, picture.size(), grid);
    if (!cells) return make_error(cells.error().code, "--region: " + cells.message());
    auto codes = encode_image_codes(model, picture);
    if (!codes) return make_error(codes.error().code, redraw.path + ": " + codes.message());
    auto kept = redraw_region(*codes, grid, *cells);
    if (!kept) return kept.error();
    std::cout << "redraw: " << redraw.path << ", cells " << cells->col << "," << cells->row << " to "
              << cells->col + cells->cols - 1 << "," << cells->row + cells->rows - 1 << " of the " << grid << "x"
              << grid << " grid (" << cells->cols * cells->rows << " of " << grid * grid << " codes drawn)\n";
    return kept;
}

// --grid_scale N: 1..16, refused outside (it was clamped); 16 already makes a
// grid of 4 candidates of 256 px 16384 px wide.
int grid_scale(const Args& args) {
    return static_cast<int>(args.get_int("grid_scale", 1, 1, 16));
}

// --negative with guidance left at 1 (the model recommends no guidance):
// refused like a bad flag, after the model says what it recommends.
bool negative_needs_guidance(const Args& args, const GenerationParams& p) {
    if (p.negative_prompt.empty() || p.sampling.guidance != 1.0) return true;
    args.error(
        "--negative needs --guidance other than 1 (the model recommends 1): guidance is what steers away "
        "from it");
    return false;
}

int run_generate(const Args& args) {
    const std::string out_dir = args.get("out", "out");
    const std::string prompt = args.get("prompt");
    const int scale = grid_scale(args);
    // An empty prompt or one that is not UTF-8 is a bad argument like a bad
    // flag value (exit 2), found before the model is loaded; `link` refuses
    // the same bytes with the same message (check_utf8).
    if (auto st = check_prompt(prompt); !st.ok()) args.error(st.message());
    const auto redraw = redraw_from_args(args);
    auto regions = regions_from_args(args);
    if (!generation_flags_parse(args)) return 2;
    cv::Mat picture;
    if (redraw) {
        auto read = read_image(redraw->path);
        if (!read) return fail("generate", "--redraw: " + read.message());
        picture = *read;
        // A region that misses the picture is refused before the model loads:
        // on a one-cell grid the only question is whether it meets the square.
        if (auto cells = cells_covering(redraw->region, picture.size(), 1); !cells) {
            args.error("--region: " + cells.message());
            return 2;
        }
    }
    auto model = load_model_from_args(args);
    if (!model) {
        return fail("generate", model.message());
    }
    auto params = params_from_args(args, (*model)->config.sampling);
    params.prompt = prompt;
    params.regions = std::move(regions);
    if (!negative_needs_guidance(args, params)) return 2;
    if (redraw) {
        auto kept = kept_codes_for(**model, *redraw, picture);
        if (!kept) return fail("generate", kept.message());
        params.kept_codes = std::move(*kept);
    }
    auto result = generate(**model, params, terminal_progress("generating"));
    if (!result) {
        return fail("generate", result.message());
    }
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (result->unknown_tokens > 0 && result->unknown_tokens == result->token_len) {
        std::cerr << "warning: the model's vocabulary knows none of the prompt's " << result->token_len
                  << " tokens: the images follow no prompt\n";
    } else if (result->unknown_tokens > 0) {
        std::cerr << "warning: " << result->unknown_tokens << " of the prompt's " << result->token_len
                  << " tokens are unknown to the model's vocabulary\n";
    }
    if (result->token_len > (*model)->config.gpt.text_len) {
        std::cerr << "warning: prompt has " << result->token_len << " tokens; only the first "
                  << (*model)->config.gpt.text_len << " were used\n";
    }
    if (result->negative_unknown_tokens > 0)
        std::cerr << "warning: " << result->negative_unknown_tokens << " of the negative prompt's "
                  << result->negative_token_len << " tokens are unknown to the model's vocabulary\n";
    if (result->negative_token_len > (*model)->config.gpt.text_len) {
        std::cerr << "warning: the negative prompt has " << result->negative_token_len << " tokens; only the first "
                  << (*model)->config.gpt.text_len << " were used\n";
    }
    for (const auto& e : result->entities)
        std::cout << "entity: " << e.name << " (id " << e.id << ", tokens " << e.token_begin << "-" << e.token_end
                  << ")\n";
    for (const auto& e : result->negative_entities)
        std::cout << "negative entity: " << e.name << " (id " << e.id << ", tokens " << e.token_begin << "-"
                  << e.token_end << ")\n";
    for (const auto& g : result->regions)
        std::cout << "region: cells " << g.cells.col << "," << g.cells.row << " " << g.cells.cols << "x" << g.cells.rows
                  << ": " << g.prompt << "\n";
    if (!result->regions.empty() && result->guidance != params.sampling.guidance)
        std::cout << "parts guidance: " << result->guidance << " (layout_guidance, in place of guidance "
                  << params.sampling.guidance << ")\n";
    const double colour = params.sampling.colour_guidance;
    if (colour != 0 && colour != result->guidance && result->colourless_prompts.empty())
        std::cout << "colour guidance " << colour << ": no object is given a colour (红色的…): nothing read apart\n";
    for (const auto& c : result->colourless_prompts)
        std::cout << "colour guidance " << colour << ": the colours apart from \"" << c << "\"\n";
    const double knowledge = params.sampling.knowledge_guidance;
    if (knowledge != 0 && knowledge != result->guidance && params.use_knowledge &&
        result->knowledgeless_prompts.empty())
        std::cout << "knowledge guidance " << knowledge
                  << ": no entity vector fed (the prompt links none, or the model has no knowledge): "
                     "nothing read apart\n";
    for (const auto& k : result->knowledgeless_prompts)
        std::cout << "knowledge guidance " << knowledge << ": \"" << k << "\" read apart without its entity vectors\n";
    if (params.sampling.layout && result->regions.empty())
        std::cout << "layout: no plan (the rules read one object, or none, in the prompt): drawn whole\n";
    for (size_t i = 0; i < result->candidates.size(); ++i) {
        const auto& c = result->candidates[i];
        const fs::path path =
            fs::path(out_dir) / ("candidate_" + std::to_string(i) + "_seed" + std::to_string(c.seed) + ".png");
        if (auto st = write_png(path, c.image); !st.ok()) return fail("generate", st.message());
        std::printf("%s  likelihood %.3f\n", path.string().c_str(), c.likelihood);
    }
    if (args.has("grid")) {
        // All candidates side by side, upscaled without smoothing: one file to compare them.
        std::vector<cv::Mat> row;
        for (const auto& c : result->candidates) row.push_back(c.image);
        cv::Mat grid;
        cv::hconcat(row, grid);
        if (scale > 1) cv::resize(grid, grid, {}, scale, scale, cv::INTER_NEAREST);
        const fs::path path = args.get("grid");
        if (auto st = write_png(path, grid); !st.ok()) return fail("generate", st.message());
        std::cout << path.string() << "\n";
    }
    std::printf("%zu images", result->candidates.size());
    if (result->sampled > static_cast<int>(result->candidates.size()))
        std::printf(", the likeliest of %d sampled,", result->sampled);
    std::printf(" in %.2f s (%.1f ms per token step)\n", result->seconds, result->ms_per_step);
    return 0;
}

int run_predict(const Args& args) {
    if (!generation_flags_parse(args)) return 2;  // before reading or writing any file
    const std::string input = args.get("input_file"), output = args.get("output_file");
    if (input.empty() || output.empty()) {
        fail("predict", "--input_file and --output_file are required");
        return 2;
    }
    auto model = load_model_from_args(args);
    if (!model) {
        return fail("predict", model.message());
    }
    const auto base = params_from_args(args, (*model)->config.sampling);
    if (!negative_needs_guidance(args, base)) return 2;  // not once per row
    PredictHooks hooks;
    hooks.on_row = [&hooks](const std::string& where) { hooks.generation = terminal_progress(where); };
    auto summary = predict_tsv(**model, input, output, base, hooks);
    if (!summary) {
        return fail("predict", summary.message());
    }
    for (const auto& s : summary->skipped) std::cerr << "skipped " << s << "\n";
    std::printf("%d rows written to %s, %zu skipped\n", summary->written, output.c_str(), summary->skipped.size());
    return summary->written == 0 && !summary->skipped.empty() ? 1 : 0;
}

}  // namespace

namespace {

// What --layout would draw, without a model: each prompt, then its regions
// (or why it is drawn whole). Prompts from the command line, else one per line on stdin.
int run_layout(const Args& a) {
    const int grid = static_cast<int>(a.get_int("grid", 16, 1, 1024));
    std::vector<std::string> prompts = a.positional();
    if (prompts.empty())
        for (std::string line; std::getline(std::cin, line);)
            if (!line.empty()) prompts.push_back(line);
    for (std::size_t i = 0; i < prompts.size(); ++i)
        if (auto st = check_prompt(prompts[i]); !st.ok())
            a.error("prompt " + std::to_string(i + 1) + ": " + st.message());
    if (!a.errors().empty()) return 2;  // main() prints them
    for (const auto& prompt : prompts) {
        const auto regions = plan_layout(prompt, grid);
        std::printf("%s\t%s\n", prompt.c_str(), regions.empty() ? "drawn whole" : describe_layout(regions).c_str());
    }
    return 0;
}

}  // namespace

SHENBI_COMMAND("generate",
               "generate candidate images for a prompt and write PNGs",
               std::string("shenbi-cli generate --prompt TEXT [--model DIR] [--out DIR]\n") + kModelFlagsUsage +
                   kSamplingUsage + kGridUsage + kRedrawUsage,
               run_generate);

SHENBI_COMMAND("layout",
               "the layout generate --layout plans for prompts (no model needed)",
               "shenbi-cli layout [TEXT...] [--grid N]\n"
               "  TEXT...   prompts (default: one per line on stdin); prints each, a tab, its regions\n"
               "  --grid N  the code grid's side (default 16, the bundled model's)",
               run_layout);
SHENBI_COMMAND("predict",
               "EasyNLP-style batch prediction: TSV (idx, text[, knowledge columns]) -> idx, text, gen_imgbase64",
               std::string("shenbi-cli predict --model DIR --input_file F --output_file F\n") + kModelFlagsUsage +
                   kSamplingUsage,
               run_predict);

}  // namespace shenbi::cli
