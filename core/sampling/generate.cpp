#include "core/sampling/generate.h"

#include <algorithm>
#include <chrono>

#include <torch/torch.h>

#include "core/image/image_io.h"
#include "core/model/decode_kernels.h"
#include "core/model/model_bundle.h"
#include "core/model/precision.h"
#include "core/sampling/eta.h"
#include "core/sampling/layout.h"
#include "core/sampling/prompt.h"
#include "core/sampling/redraw.h"
#include "core/sampling/sampler.h"
#include "core/util/guard.h"
#include "core/util/runtime.h"

namespace shenbi {
namespace {

using Clock = std::chrono::steady_clock;
using torch::indexing::Slice;

Status validate_kept(const GenerationParams& p, int img_len, int n_codes) {
    if (!p.kept_codes) return Status::success();
    auto bad = [](const std::string& why) { return make_error(ErrorCode::InvalidArgument, why); };
    const auto& kept = *p.kept_codes;
    if (p.forced_codes) return bad("kept_codes and forced_codes cannot be given together");
    if (static_cast<int>(kept.size()) != img_len)
        return bad("kept_codes must hold " + std::to_string(img_len) + " codes, got " + std::to_string(kept.size()));
    for (std::size_t i = 0; i < kept.size(); ++i)
        if (kept[i] < kRedrawCode || kept[i] >= n_codes)
            return bad("kept_codes[" + std::to_string(i) + "] is " + std::to_string(kept[i]) +
                       ": not a code of this model's VQGAN (0.." + std::to_string(n_codes - 1) + ") or " +
                       std::to_string(kRedrawCode) + " (redraw)");
    if (std::find(kept.begin(), kept.end(), kRedrawCode) == kept.end())
        return bad("kept_codes keeps every cell: there is nothing to redraw");
    return Status::success();
}

// Which prompt draws each cell (raster order): 0 for the prompt, i + 1 for
// region i; then the prompts that draw at least one cell, in that numbering.
struct CellPrompts {
    std::vector<int> of_cell;  // index into `used`
    std::vector<int> used;     // 0 = the prompt, i + 1 = region i
};

CellPrompts cell_prompts(const GenerationParams& p, int grid) {
    std::vector<int> owner(static_cast<size_t>(grid * grid), 0);
    for (std::size_t i = 0; i < p.regions.size(); ++i)
        for (int cell = 0; cell < grid * grid; ++cell)
            if (p.regions[i].cells.contains(cell % grid, cell / grid))
                owner[static_cast<size_t>(cell)] = static_cast<int>(i) + 1;
    CellPrompts out;
    for (int o : owner) {
        auto it = std::find(out.used.begin(), out.used.end(), o);
        if (it == out.used.end()) it = out.used.insert(out.used.end(), o);
        out.of_cell.push_back(static_cast<int>(it - out.used.begin()));
    }
    return out;
}

// The prompt without its objects' colours, when colour guidance differs from
// the guidance and the prompt colours one (and something is left: 红色 alone
// has nothing to contrast).
// Not over given entities (the studio's unlinked names, a predict TSV's
// lattice columns): the colourless prompt is linked afresh, and c - c0 would
// carry the names the user unlinked.
std::optional<std::string> colourless_of(const GenerationParams& p, const std::string& prompt) {
    if (p.sampling.colour_guidance == 0 || p.sampling.colour_guidance == p.sampling.guidance || p.entities)
        return std::nullopt;
    auto stripped = without_object_colours(prompt);
    std::string bare = stripped;  // without spaces and punctuation: 红色。 leaves nothing to read
    for (std::string_view mark : {" ", "\t", "\r", "\n", "\u3000", "\u3002", "\uFF0C", ",", "."})
        for (auto at = bare.find(mark); at != std::string::npos; at = bare.find(mark)) bare.erase(at, mark.size());
    if (stripped == prompt || bare.empty()) return std::nullopt;
    return stripped;
}

// Whether knowledge guidance reads the prompts that link an entity once more
// without their entity vectors: it differs from the guidance and knowledge is on.
bool knowledge_guided(const GenerationParams& p) {
    return p.use_knowledge && p.sampling.knowledge_guidance != 0 &&
           p.sampling.knowledge_guidance != p.sampling.guidance;
}

const std::string& prompt_of(const GenerationParams& p, int used) {
    return used == 0 ? p.prompt : p.regions[static_cast<size_t>(used - 1)].prompt;
}

// The second readings of the prompts that draw, for colour and knowledge
// guidance: per prompt (the prompt, then each region's) the text
// `reading_of(i)` gives, encoded with or without knowledge; none where it
// gives none. Errors name the guidance (`what`) and the text.
struct SecondReadings {
    std::vector<std::optional<EncodedPrompt>> encoded;  // one per prompt, drawing or not
    std::vector<std::string> text;                      // the texts read, in drawing order
};

template <class ReadingOf>
Result<SecondReadings> read_again(const ModelBundle& model,
                                  const std::vector<int>& drawing,
                                  size_t prompts,
                                  bool use_knowledge,
                                  const std::string& what,
                                  ReadingOf reading_of) {
    SecondReadings out;
    out.encoded.resize(prompts);
    for (int i : drawing) {
        std::optional<std::string> text = reading_of(i);
        if (!text) continue;
        auto encoded = encode_prompt(model, *text, use_knowledge);
        if (!encoded) return make_error(encoded.error().code, what + ": \"" + *text + "\": " + encoded.message());
        out.encoded[static_cast<size_t>(i)] = std::move(*encoded);
        out.text.push_back(*text);
    }
    return out;
}

Status validate_regions(const GenerationParams& p, int grid) {
    if (static_cast<int>(p.regions.size()) > kMaxRegions)
        return make_error(ErrorCode::InvalidArgument, "at most " + std::to_string(kMaxRegions) + " regions, got " +
                                                          std::to_string(p.regions.size()));
    for (std::size_t i = 0; i < p.regions.size(); ++i) {
        const auto& c = p.regions[i].cells;
        if (c.cols < 1 || c.rows < 1 || c.col < 0 || c.row < 0 || c.col > grid - c.cols || c.row > grid - c.rows)
            return make_error(ErrorCode::InvalidArgument,
                              "region " + std::to_string(i + 1) + " (cells " + std::to_string(c.col) + "," +
                                  std::to_string(c.row) + " " + std::to_string(c.cols) + "x" + std::to_string(c.rows) +
                                  ") is not on the " + std::to_string(grid) + "x" + std::to_string(grid) + " grid");
    }
    return Status::success();
}

Status validate(const GenerationParams& p, int img_len, int n_codes, int grid) {
    auto bad = [](const std::string& why) { return make_error(ErrorCode::InvalidArgument, why); };
    if (p.candidates < 1 || p.candidates > kMaxSampledRows)
        return bad("candidates must be 1.." + std::to_string(kMaxSampledRows) + ", got " +
                   std::to_string(p.candidates));
    if (p.sampling.best_of < 1 || p.sampling.best_of > kMaxSampledRows ||  // no overflow below
        p.sampled_rows() > kMaxSampledRows)
        return bad("best_of must be >= 1 with candidates x best_of <= " + std::to_string(kMaxSampledRows) + ", got " +
                   std::to_string(p.candidates) + " x " + std::to_string(p.sampling.best_of));
    if (!(p.sampling.temperature > 0)) return bad("temperature must be > 0");
    if (p.sampling.top_k < 0) return bad("top_k must be >= 0 (0 = off)");
    if (!(p.sampling.top_p > 0 && p.sampling.top_p <= 1)) return bad("top_p must be in (0, 1]");
    if (!(p.sampling.guidance >= kGuidanceMin && p.sampling.guidance <= kGuidanceMax))
        return bad("guidance must be in " + guidance_range_text());
    if (!valid_guidance_or_zero(p.sampling.layout_guidance))
        return bad("layout_guidance must be 0 (the guidance) or in " + guidance_range_text());
    if (!valid_guidance_or_zero(p.sampling.colour_guidance))
        return bad("colour_guidance must be 0 (the guidance) or in " + guidance_range_text());
    if (!valid_guidance_or_zero(p.sampling.knowledge_guidance))
        return bad("knowledge_guidance must be 0 (the guidance) or in " + guidance_range_text());
    if (!p.negative_prompt.empty() && p.sampling.guidance == 1.0)
        return bad("a negative prompt needs guidance other than 1: guidance is what steers away from it");
    if (p.preview_every < 0) return bad("preview_every must be >= 0");
    if (p.forced_codes && static_cast<int>(p.forced_codes->size()) != img_len)
        return bad("forced_codes must hold " + std::to_string(img_len) + " codes, got " +
                   std::to_string(p.forced_codes->size()));
    SHENBI_TRY_STATUS(validate_regions(p, grid));
    // Each prompt that draws is a block of the batch: bound the whole of it.
    const auto used = cell_prompts(p, grid).used;
    int blocks = static_cast<int>(used.size()) + (p.sampling.guidance != 1.0 ? 1 : 0);
    for (int u : used) blocks += colourless_of(p, prompt_of(p, u)) ? 1 : 0;
    if (knowledge_guided(p)) blocks += static_cast<int>(used.size());  // at most: prompts that link nothing have none
    if (blocks * p.sampled_rows() > kMaxBatchRows)
        return bad(std::to_string(blocks) + " prompt passes (regions, colours, knowledge, guidance) x " +
                   std::to_string(p.sampled_rows()) + " images (candidates x best_of) is more than " +
                   std::to_string(kMaxBatchRows) + " rows in one batch: use fewer regions, candidates or best of" +
                   (p.sampling.colour_guidance != 0 ? ", or colour guidance 0 (as the guidance)" : "") +
                   (knowledge_guided(p) ? ", or knowledge guidance 0 (as the guidance)" : ""));
    return validate_kept(p, img_len, n_codes);
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Per-request state: the sequence so far, the KV cache and one random stream
// per sampled row. The model itself is only read. The batch holds the R
// sampled rows once per prompt that draws (P of them: the prompt, or the
// regions' prompts, core/sampling/layout.h), then with colour guidance once
// per such prompt that colours an object, read without its colours (C of
// them), then with knowledge guidance once per such prompt that links an
// entity, read without entity vectors (K of them), then with guidance once
// more for `against` (the negative prompt, else the empty one): rows
// [pR, (p+1)R) see prompt p, rows [(P+C+K)R, (P+C+K+1)R) `against`, and every
// block continues with the same codes.
class Session {
public:
    Session(const ModelBundle& model,
            const GenerationParams& params,
            const std::vector<EncodedPrompt>& prompts,                       // the prompt, then each region's
            const std::vector<std::optional<EncodedPrompt>>& colourless,     // each of those without colours
            const std::vector<std::optional<EncodedPrompt>>& knowledgeless,  // each without entity vectors
            const EncodedPrompt& against)
        : model_(model),
          params_(params),
          gpt_(model.net->transformer),
          R_(params.sampled_rows()),
          guided_(params.sampling.guidance != 1.0),
          cells_(cell_prompts(params, model.config.vqgan.grid_size())),
          P_(static_cast<int>(cells_.used.size())),
          likelihood_(torch::zeros({R_}, torch::kDouble)) {
        for (int i = 0; i < R_; ++i) streams_.emplace_back(derive_seed(params.seed, i));
        std::vector<const EncodedPrompt*> inputs;  // one per block of R rows
        for (int used : cells_.used) inputs.push_back(&prompts[static_cast<size_t>(used)]);
        // One block per prompt that draws and has a second reading; `block`
        // says which, per prompt that draws (-1: none). Returns how many.
        auto add_blocks = [&](const std::vector<std::optional<EncodedPrompt>>& readings, std::vector<int>& block) {
            const auto before = inputs.size();
            for (int used : cells_.used) {
                const auto& r = readings[static_cast<size_t>(used)];
                block.push_back(r ? static_cast<int>(inputs.size()) : -1);
                if (r) inputs.push_back(&*r);
            }
            return static_cast<int>(inputs.size() - before);
        };
        C_ = add_blocks(colourless, colour_block_);
        K_ = add_blocks(knowledgeless, knowledge_block_);
        if (guided_) inputs.push_back(&against);
        std::vector<torch::Tensor> texts;
        for (const auto* b : inputs) {
            texts.push_back(text_input(model, *b, R_));  // (R, T_text)
            knowledge_ = texts.size() == 1 ? knowledge_input(model, *b, R_)
                                           : concat_knowledge(knowledge_, (static_cast<int64_t>(texts.size()) - 1) * R_,
                                                              knowledge_input(model, *b, R_), R_);
        }
        text_ = torch::cat(texts, 0);  // (blocks x R, T_text)
        codes_ = torch::zeros({R_, model.config.gpt.img_len}, torch::kLong);
        if (params.forced_codes) {
            forced_ = torch::tensor(*params.forced_codes, torch::kLong).expand({R_, -1}).contiguous();  // (R, n)
            chosen_ = torch::zeros_like(codes_);
        }
        if (params.kept_codes) kept_ = *params.kept_codes;
        if (!params.full_recompute) cache_ = gpt_->make_cache(blocks() * R_);
    }

    void sample(int step) {
        auto logits = raw_logits(step).to(torch::kFloat32);  // (blocks x R, V)
        const int64_t p = cells_.of_cell[static_cast<size_t>(step)];
        auto cond = logits.index({Slice(p * R_, (p + 1) * R_)});  // (R, V): the logits of the prompt drawing this cell
        // Colour guidance: the colourless prompt takes the prompt's place in
        // guidance, and the colour words get their own scale on top.
        const int64_t b = colour_block_[static_cast<size_t>(p)];
        auto base = b >= 0 ? logits.index({Slice(b * R_, (b + 1) * R_)}) : cond;  // (R, V)
        auto guided = base;
        if (guided_) {
            auto uncond = logits.index({Slice((P_ + C_ + K_) * R_)});  // (R, V)
            guided = uncond + params_.sampling.guidance * (base - uncond);
        }
        if (b >= 0) guided = guided + params_.sampling.colour_guidance * (cond - base);
        // Knowledge guidance: the pull of the entity vectors, on top of the rest.
        const int64_t k = knowledge_block_[static_cast<size_t>(p)];
        if (k >= 0) {
            auto bare = logits.index({Slice(k * R_, (k + 1) * R_)});  // (R, V): the prompt without entity vectors
            guided = guided + (params_.sampling.knowledge_guidance - params_.sampling.guidance) * (cond - bare);
        }
        logits = guided;
        auto next = sample_codes(logits, params_.sampling, streams_);
        if (forced_.defined()) {
            chosen_.index_put_({Slice(), step}, next);
            next = forced_.index({Slice(), step});
        }
        if (!kept_.empty() && kept_[static_cast<std::size_t>(step)] != kRedrawCode)
            next = torch::full_like(next, kept_[static_cast<std::size_t>(step)]);  // (R): the kept cell
        codes_.index_put_({Slice(), step}, next);
        add_likelihood(cond, next);
    }

    // The codes fed so far (what previews and the decoded images show).
    const torch::Tensor& codes() const { return codes_; }
    // What each row chose: the codes, or under teacher forcing its own choices.
    const torch::Tensor& chosen() const { return forced_.defined() ? chosen_ : codes_; }
    // Rows of the GPT's first call: every row of the batch times the prompt's tokens.
    std::int64_t prefill_rows() const { return text_.numel(); }
    std::uint64_t seed_of(int row) const { return derive_seed(params_.seed, row); }
    // Candidate::likelihood of `row` after `steps` codes.
    double likelihood_of(int row, int steps) const { return likelihood_[row].item<double>() / steps; }

    // The rows to show, `candidates` of them: with best-of, those
    // the model is surest of so far (a stable sort: ties keep seed order);
    // otherwise every row.
    std::vector<int> shown_rows() const {
        std::vector<int> rows(static_cast<size_t>(R_));
        for (int i = 0; i < R_; ++i) rows[static_cast<size_t>(i)] = i;
        if (params_.sampling.best_of > 1) {
            const double* m = likelihood_.data_ptr<double>();
            std::stable_sort(rows.begin(), rows.end(), [m](int a, int b) { return m[a] > m[b]; });
            rows.resize(static_cast<size_t>(params_.candidates));
        }
        return rows;
    }

private:
    // Blocks of R rows in the batch: one per prompt that draws, one per such
    // prompt without its colours, one without its entity vectors, one more
    // with guidance.
    int64_t blocks() const { return P_ + C_ + K_ + (guided_ ? 1 : 0); }

    // log p(code | prompt) of the fed codes, before guidance, temperature and top-k.
    void add_likelihood(const torch::Tensor& cond, const torch::Tensor& fed) {
        auto index = fed.to(cond.device()).unsqueeze(1);                    // (R, 1)
        auto lp = torch::log_softmax(cond, 1).gather(1, index).squeeze(1);  // (R)
        likelihood_ += lp.to(torch::kCPU, torch::kDouble);
    }

    // The codes so far for every row of the batch: (rows, n).
    torch::Tensor batch_codes(int64_t begin, int64_t end) const {
        auto c = codes_.index({Slice(), Slice(begin, end)});                    // (R, n)
        return (blocks() > 1 ? c.repeat({blocks(), 1}) : c).to(model_.device);  // (blocks x R, n)
    }

    // The GPT's logits (rows, img_vocab) at image position `step`.
    torch::Tensor raw_logits(int step) {
        if (params_.full_recompute) {
            auto seq = torch::cat({text_, batch_codes(0, step)}, 1);  // (rows, T_text + step)
            return gpt_->forward(seq, knowledge_).index({Slice(), -1});
        }
        auto input = step == 0 ? text_ : batch_codes(step - 1, step);
        auto logits = gpt_->forward_cached(input, cache_, step == 0 ? knowledge_ : KnowledgeInput{});
        return logits.index({Slice(), -1});
    }

    const ModelBundle& model_;
    const GenerationParams& params_;
    Gpt gpt_;
    int R_;                             // rows sampled: candidates x best_of
    bool guided_;                       // a pass over the negative (or empty) prompt runs beside the prompt's
    CellPrompts cells_;                 // which prompt draws each cell
    int P_;                             // prompts that draw (1 without regions)
    int C_ = 0;                         // of those, read again without their colours (colour guidance)
    std::vector<int> colour_block_;     // per prompt that draws: the block without its colours, or -1
    int K_ = 0;                         // of those, read again without entity vectors (knowledge guidance)
    std::vector<int> knowledge_block_;  // per prompt that draws: the block without entity vectors, or -1
    torch::Tensor likelihood_;          // (R) double: summed log p(code | prompt) of the fed codes
    std::vector<SeededStream> streams_;
    torch::Tensor text_, codes_, forced_, chosen_;  // forced_, chosen_: teacher forcing only
    std::vector<std::int64_t> kept_;                // redrawing a region: the kept codes, else empty
    KnowledgeInput knowledge_;
    KvCache cache_;
};

torch::Tensor rows_of(const torch::Tensor& t, const std::vector<int>& rows) {
    return t.index_select(0, torch::tensor(std::vector<int64_t>(rows.begin(), rows.end()), torch::kLong));
}

std::vector<cv::Mat> decode_images(const ModelBundle& model, const torch::Tensor& codes) {
    Vqgan vqgan = model.net->first_stage_model;  // a handle: the bundle is const, decoding does not change it
    auto images = vqgan->decode(codes.to(model.device)).to(torch::kFloat32);  // (B, 3, R, R)
    std::vector<cv::Mat> out;
    for (int64_t b = 0; b < images.size(0); ++b) out.push_back(tensor_to_image(images[b]));
    return out;
}

// Decodes the completed rows of the grid; the rest of the picture stays grey.
std::vector<cv::Mat> preview_images(const ModelBundle& model, const torch::Tensor& codes, int done) {
    const auto& vq = model.config.vqgan;
    const int grid = vq.grid_size();
    const int rows = done / grid;
    std::vector<cv::Mat> out;
    if (rows == 0) {
        for (int64_t b = 0; b < codes.size(0); ++b)
            out.emplace_back(vq.resolution, vq.resolution, CV_8UC3, cv::Scalar(128, 128, 128));
        return out;
    }
    auto partial = codes.index({Slice(), Slice(0, rows * grid)}).view({codes.size(0), rows, grid});  // (B, rows, grid)
    Vqgan vqgan = model.net->first_stage_model;
    auto images = vqgan->decode_grid(partial.to(model.device)).to(torch::kFloat32);
    for (int64_t b = 0; b < images.size(0); ++b) {
        cv::Mat canvas(vq.resolution, vq.resolution, CV_8UC3, cv::Scalar(128, 128, 128));
        tensor_to_image(images[b]).copyTo(canvas(cv::Rect(0, 0, vq.resolution, rows * vq.downsample_factor())));
        out.push_back(canvas);
    }
    return out;
}

// What guidance compares the prompt against: the negative prompt when one is
// given (its errors name it), else the empty prompt.
Result<EncodedPrompt> against_prompt(const ModelBundle& model,
                                     const GenerationParams& params,
                                     const EncodedPrompt& prompt) {
    if (params.negative_prompt.empty()) return unconditional_prompt(model, prompt);
    auto negative = encode_prompt(model, params.negative_prompt, params.use_knowledge);
    if (!negative) return make_error(negative.error().code, "negative prompt: " + negative.message());
    return negative;
}

void report_progress(const GenerationHooks& hooks, int done, int total, Clock::time_point t0, EtaEstimator& eta) {
    if (!hooks.on_progress) return;
    GenerationProgress p;
    p.step = done;
    p.total_steps = total;
    p.elapsed_s = seconds_since(t0);
    eta.record(done, p.elapsed_s);
    p.eta_s = done == total ? 0 : eta.eta_s(total);
    hooks.on_progress(p);
}

Result<GenerationResult> run(const ModelBundle& model, const GenerationParams& asked, const GenerationHooks& hooks) {
    GenerationParams params = asked;
    // Not over given entities (the studio's unlinked names, a predict TSV's
    // lattice columns): the parts' prompts are linked afresh and would drop them.
    if (params.regions.empty() && params.sampling.layout && !params.entities)
        params.regions = plan_layout(params.prompt, model.config.vqgan.grid_size());
    if (!params.regions.empty() && params.sampling.layout_guidance != 0 &&
        valid_guidance_or_zero(params.sampling.layout_guidance))  // validate() names a bad one
        params.sampling.guidance = params.sampling.layout_guidance;
    SHENBI_TRY_STATUS(
        validate(params, model.config.gpt.img_len, model.config.vqgan.n_embed, model.config.vqgan.grid_size()));
    auto prompt =
        encode_prompt(model, params.prompt, params.use_knowledge, params.entities ? &*params.entities : nullptr);
    if (!prompt) return prompt.error();
    auto against = against_prompt(model, params, *prompt);
    if (!against) return against.error();
    std::vector<EncodedPrompt> prompts{*prompt};
    for (std::size_t i = 0; i < params.regions.size(); ++i) {
        auto region = encode_prompt(model, params.regions[i].prompt, params.use_knowledge);
        if (!region)
            return make_error(region.error().code, "region " + std::to_string(i + 1) + " prompt \"" +
                                                       params.regions[i].prompt + "\": " + region.message());
        prompts.push_back(std::move(*region));
    }
    const auto drawing = cell_prompts(params, model.config.vqgan.grid_size()).used;  // the prompts that draw
    auto colourless = read_again(model, drawing, prompts.size(), params.use_knowledge, "colour guidance",
                                 [&](int i) { return colourless_of(params, prompt_of(params, i)); });
    if (!colourless) return colourless.error();
    const bool knowledge_apart = knowledge_guided(params);
    auto knowledgeless = read_again(model, drawing, prompts.size(), /*use_knowledge=*/false, "knowledge guidance",
                                    [&](int i) -> std::optional<std::string> {
                                        const auto& linked = prompts[static_cast<size_t>(i)];
                                        if (!knowledge_apart || !linked.knowledge || linked.entities.empty())
                                            return std::nullopt;
                                        return prompt_of(params, i);
                                    });
    if (!knowledgeless) return knowledgeless.error();

    c10::InferenceMode inference;  // thread-local: must be inside the worker
    const auto t0 = Clock::now();
    const int total = model.config.gpt.img_len;
    Session session(model, params, prompts, colourless->encoded, knowledgeless->encoded, *against);
    const int pool_threads = compute_threads();
    // The decode kernels use the OpenMP pool; the released algorithm (full
    // recompute) and a prefill of more rows than the kernels take
    // (kDecodeMaxRows) are BLAS products, which want the cores in OpenBLAS's
    // pool (core/util/runtime.h).
    const bool decode_kernels = uses_decode_kernels(model) && !params.full_recompute;
    const int first_kernel_step = session.prefill_rows() <= kDecodeMaxRows ? 0 : 1;
    std::optional<GemmBoundScope> gemm_bound;
    std::optional<OpenMpBoundScope> openmp_bound;
    if (!decode_kernels || first_kernel_step > 0) gemm_bound.emplace(model.device);
    auto cancelled = [&] { return hooks.cancel && hooks.cancel->load(std::memory_order_acquire); };
    EtaEstimator eta;
    for (int step = 0; step < total; ++step) {
        if (cancelled())
            return make_error(ErrorCode::Cancelled, "generation cancelled at token " + std::to_string(step));
        if (decode_kernels && step == first_kernel_step) {
            gemm_bound.reset();
            openmp_bound.emplace(model.device);
        }
        session.sample(step);
        report_progress(hooks, step + 1, total, t0, eta);
        if (hooks.on_preview && params.preview_every > 0 && (step + 1) % params.preview_every == 0 &&
            step + 1 < total) {
            ScopedIntraOpThreads convolutions(pool_threads);
            hooks.on_preview(step + 1, preview_images(model, rows_of(session.codes(), session.shown_rows()), step + 1));
        }
    }
    const double sampling_s = seconds_since(t0);
    gemm_bound.reset();  // the VQGAN's convolutions use the intra-op pool
    openmp_bound.reset();
    if (cancelled()) return make_error(ErrorCode::Cancelled, "generation cancelled before decoding");

    GenerationResult result;
    const auto shown = session.shown_rows();
    auto images = decode_images(model, rows_of(session.codes(), shown));
    for (size_t i = 0; i < shown.size(); ++i) {
        Candidate c;
        c.image = images[i];
        auto row = session.chosen()[shown[i]].contiguous();
        c.codes.assign(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + row.numel());
        c.seed = session.seed_of(shown[i]);
        c.likelihood = session.likelihood_of(shown[i], total);
        result.candidates.push_back(std::move(c));
    }
    result.sampled = params.sampled_rows();
    result.regions = params.regions;
    result.guidance = params.sampling.guidance;
    result.colourless_prompts = colourless->text;
    result.knowledgeless_prompts = knowledgeless->text;
    result.text_ids = prompt->text_ids;
    result.token_len = prompt->token_len;
    result.unknown_tokens = prompt->unknown_tokens;
    result.entities = prompt->entities;
    if (!params.negative_prompt.empty()) {
        result.negative_token_len = against->token_len;
        result.negative_unknown_tokens = against->unknown_tokens;
        result.negative_entities = against->entities;
    }
    result.seconds = seconds_since(t0);
    result.ms_per_step = sampling_s * 1000.0 / total;
    return result;
}

}  // namespace

std::uint64_t derive_seed(std::uint64_t request_seed, int index) {
    SeededStream s(request_seed ^ (0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(index + 1)));
    return s.next_u64();
}

Result<GenerationResult> generate(const ModelBundle& model,
                                  const GenerationParams& params,
                                  const GenerationHooks& hooks) {
    return guarded("generate", [&] { return run(model, params, hooks); });
}

}  // namespace shenbi
