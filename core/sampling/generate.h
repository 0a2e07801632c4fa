// Text-to-image generation over a loaded model: tokenize, link entities,
// sample image codes with a KV cache (all candidates in one batch), decode.
//
// Thread-safety: a ModelBundle is shared read-only; each call owns its
// per-run state (KV cache, RNG, params, hooks). Calls on the same model from
// several threads are safe but compete for the same cores.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/model/config.h"
#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

struct SamplingParams {
    int top_k = 100;           // 0 = off
    double top_p = 1.0;        // 1.0 = off
    double temperature = 1.0;  // > 0
    // Classifier-free guidance: logits = u + guidance * (c - u), where c are the
    // prompt's logits and u those of an empty prompt without knowledge. 1 = off
    // (no second pass); larger follows the prompt more closely. 1..20.
    double guidance = 1.0;
    // Best of N: sample candidates x best_of images and keep the `candidates`
    // the model is surest of (Candidate::likelihood). 1 = off; the sampled
    // batch (candidates x best_of) is at most kMaxSampledRows.
    int best_of = 1;
    // Plan regions from the prompt (core/sampling/layout.h: one per object it
    // names, each drawn from its own prompt) when GenerationParams::regions is
    // empty and no GenerationParams::entities are given (each part's prompt is
    // linked afresh). A prompt the rules read as one object is drawn whole.
    bool layout = false;
    // Guidance for a picture drawn in parts (planned or given regions), in place
    // of `guidance`: a part is one placed object, which a stronger pull towards
    // its prompt draws more often where it belongs. 0 = `guidance`.
    double layout_guidance = 0;
    // Guidance for the colour words, apart from the rest: where a prompt gives
    // its objects colours (一辆橙色的汽车), one more pass reads it without them
    // (c0: 一辆汽车, layout.h without_object_colours) and logits = u +
    // guidance * (c0 - u) + colour_guidance * (c - c0). Plain guidance is the
    // case colour_guidance = guidance; above it the colours are followed more
    // closely (and the objects drawn less well), below it less. Each part of a
    // layout gets its own (with layout_guidance as its guidance). 0 = as
    // `guidance` (no extra pass); else kGuidanceMin..kGuidanceMax.
    double colour_guidance = 0;
    // Guidance for the knowledge, apart from the rest: where knowledge is on
    // and the prompt links an entity, one more pass reads it with no entity
    // vectors (k0) and knowledge_guidance - guidance times (c - k0) is added
    // to the guided logits (to the colour-guided ones with colour guidance:
    // each pull is added on top of plain guidance). Above the guidance the
    // entity vectors, which carry most of what a lone object is drawn as, pull
    // harder. Each part of a layout gets its own (with layout_guidance as its
    // guidance). 0 = as `guidance` (no extra pass); else kGuidanceMin..
    // kGuidanceMax. The CLI's experiment flag, not a model recommendation:
    // measured in docs/default-model.md, "Knowledge guidance".
    double knowledge_guidance = 0;
};

inline constexpr int kMaxSampledRows = 64;  // images generate() samples in one batch

struct LinkedSpan {
    std::string name;
    std::int64_t id = -1;
    int token_begin = 0;  // inclusive
    int token_end = 0;    // inclusive
};

// A rectangle of cells on the code grid (grid_size x grid_size).
struct CellRect {
    int col = 0;
    int row = 0;
    int cols = 0;
    int rows = 0;
    bool contains(int c, int r) const { return c >= col && c < col + cols && r >= row && r < row + rows; }
};

// Part of the picture drawn from its own prompt (GenerationParams::regions).
struct RegionPrompt {
    CellRect cells;
    std::string prompt;  // e.g. 一只猫在左边: what these cells show
};

inline constexpr int kMaxRegions = 8;
// Rows of one batch: the sampled images once per prompt that draws (the prompt
// or each region's), once per such prompt without its colours (colour
// guidance) and once more with guidance. A planned layout (at most
// three parts and guidance) fits with kMaxSampledRows images; with colour
// guidance over three coloured parts, with 32.
inline constexpr int kMaxBatchRows = 256;

struct GenerationParams {
    std::string prompt;
    // What guidance steers away from: with guidance != 1, the second pass
    // reads this prompt (linked like the prompt when knowledge is on) instead
    // of the empty one, so logits = n + guidance * (c - n). Empty: the empty
    // prompt. Needs guidance != 1 (an error otherwise: it would do nothing).
    std::string negative_prompt;
    int candidates = 4;      // images per request, sampled in one batch (1..64)
    std::uint64_t seed = 0;  // candidate i uses derive_seed(seed, i)
    SamplingParams sampling;
    bool use_knowledge = true;
    int preview_every = 16;       // tokens between previews; 0 = no previews
    bool full_recompute = false;  // the released algorithm (no KV cache), for benchmarks and tests
    // When set, these entities are fed instead of linking the prompt against the
    // model's entity table (EasyNLP predict TSVs carry lex_id / pos_s / pos_e).
    std::optional<std::vector<LinkedSpan>> entities;
    // Teacher forcing (benchmarks: bench agreement): every candidate is fed
    // these img_len codes instead of its own choices, and its Candidate::codes
    // are what it chose at each position given the forced ones before it.
    std::optional<std::vector<std::int64_t>> forced_codes;
    // Redraw part of a picture (core/sampling/redraw.h): img_len codes in
    // raster order, each a code to keep or kRedrawCode where the model draws.
    // Kept codes are fed as they are, so a drawn cell follows the kept cells
    // before it in raster order (above it, and left of it in its row); the
    // kept cells after it are not seen while it is drawn, but they count in
    // Candidate::likelihood, so best of N keeps the candidates they fit best.
    // Candidate::codes holds the whole picture. Not with forced_codes.
    std::optional<std::vector<std::int64_t>> kept_codes;
    // Regional prompting (core/sampling/layout.h plans regions from a prompt):
    // a cell inside a region takes its code from that region's prompt, a cell
    // outside every region from `prompt` (a later region wins where two
    // overlap). Each prompt runs as its own rows of the batch over the same
    // codes, so every region sees the whole picture drawn so far; the cost per
    // step grows with the prompts run. Empty: `prompt` draws every cell.
    std::vector<RegionPrompt> regions;

    // Images sampled in the batch: each shown candidate is the surest of best_of.
    int sampled_rows() const { return candidates * sampling.best_of; }
};

struct GenerationProgress {
    int step = 0;         // image tokens sampled so far
    int total_steps = 0;  // img_len
    double elapsed_s = 0;
    double eta_s = 0;  // seconds left; -1 while too few steps are measured (core/sampling/eta.h)
};

// Per-request hooks; all optional. Called on the generating thread.
struct GenerationHooks {
    std::function<void(const GenerationProgress&)> on_progress;
    // Partial images (RGB8), one per candidate; unknown codes shown grey.
    std::function<void(int step, const std::vector<cv::Mat>&)> on_preview;
    const std::atomic<bool>* cancel = nullptr;  // checked before every token step
};

struct Candidate {
    cv::Mat image;                    // RGB8, vqgan.resolution square
    std::vector<std::int64_t> codes;  // img_len codes, raster order
    std::uint64_t seed = 0;           // the derived per-candidate seed
    // How sure the model is of this image given the prompt: the mean over its
    // codes of log p(code | prompt), in nats per code (before guidance,
    // temperature and top-k; 0 = certain). Best-of keeps the highest.
    double likelihood = 0;
};

struct GenerationResult {
    std::vector<Candidate> candidates;          // surest first when best_of > 1, else in seed order
    int sampled = 0;                            // images sampled (candidates x best_of)
    std::vector<std::int64_t> text_ids;         // text_len ids as fed to the GPT (not offset)
    int token_len = 0;                          // tokens before truncation
    int unknown_tokens = 0;                     // tokens the vocabulary does not know ([UNK])
    std::vector<LinkedSpan> entities;           // entities fed to the model (empty if knowledge off)
    int negative_token_len = 0;                 // the negative prompt's tokens before truncation (0: none)
    int negative_unknown_tokens = 0;            // of those, [UNK]
    std::vector<LinkedSpan> negative_entities;  // entities of the negative prompt fed to the model
    std::vector<RegionPrompt> regions;          // the regions drawn: given, or planned (SamplingParams::layout)
    double guidance = 1;                        // the guidance used (SamplingParams::layout_guidance for parts)
    // What colour guidance read apart: the prompt (or each part's) without its
    // objects' colours, one per prompt that draws and colours an object.
    std::vector<std::string> colourless_prompts;
    // Prompts (the prompt, or each part's) that knowledge guidance read again
    // without their entity vectors.
    std::vector<std::string> knowledgeless_prompts;
    double seconds = 0;
    double ms_per_step = 0;
};

// Seed of candidate `index` from the request seed (SplitMix64): stable across
// versions, different for every index.
std::uint64_t derive_seed(std::uint64_t request_seed, int index);

// Errors: empty prompt, bad parameters (a negative prompt without guidance,
// or one that is not valid UTF-8; kept_codes that are no picture of this
// model or leave nothing to redraw), cancellation (ErrorCode::Cancelled). An
// over-long prompt is truncated to text_len (GenerationResult::token_len
// tells; negative_token_len for the negative prompt).
Result<GenerationResult> generate(const ModelBundle& model,
                                  const GenerationParams& params,
                                  const GenerationHooks& hooks = {});

}  // namespace shenbi
