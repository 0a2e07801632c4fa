#include "core/sampling/generate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <thread>

#include "core/model/model_bundle.h"
#include "core/sampling/prompt.h"
#include "tests/support/tiny_model.h"

using namespace shenbi;
using shenbi::test::tiny_model;

namespace {

GenerationParams params(std::uint64_t seed, int candidates = 3) {
    GenerationParams p;
    p.prompt = "一丁七万丈";
    p.candidates = candidates;
    p.seed = seed;
    p.sampling.top_k = 10;
    return p;
}

// Guided greedy codes with the prompt and `against` as two separate batch-1
// sequences (no shared batch, no zero-filled knowledge rows), their logits
// combined by hand.
std::vector<int64_t> guided_greedy(const ModelBundle& model,
                                   const EncodedPrompt& prompt,
                                   const EncodedPrompt& against,
                                   double g) {
    auto gpt = model.net->transformer;
    auto cond_text = text_input(model, prompt, 1), uncond_text = text_input(model, against, 1);
    auto cond_k = knowledge_input(model, prompt, 1), uncond_k = knowledge_input(model, against, 1);
    std::vector<int64_t> codes;
    for (int step = 0; step < model.config.gpt.img_len; ++step) {
        auto so_far = torch::tensor(codes, torch::kLong).view({1, -1});  // (1, step)
        auto c = gpt->forward(torch::cat({cond_text, so_far}, 1), cond_k).index({0, -1});
        auto u = gpt->forward(torch::cat({uncond_text, so_far}, 1), uncond_k).index({0, -1});
        codes.push_back((u + g * (c - u)).argmax().item<int64_t>());
    }
    return codes;
}

std::vector<std::vector<int64_t>> codes_of(const GenerationResult& r) {
    std::vector<std::vector<int64_t>> out;
    for (const auto& c : r.candidates) out.push_back(c.codes);
    return out;
}

}  // namespace

TEST(Generate, SameSeedGivesIdenticalImages) {
    auto model = tiny_model();
    auto a = generate(*model, params(42));
    auto b = generate(*model, params(42));
    ASSERT_TRUE(a.ok()) << a.message();
    ASSERT_TRUE(b.ok()) << b.message();
    ASSERT_EQ(a->candidates.size(), 3u);
    EXPECT_EQ(codes_of(*a), codes_of(*b));
    for (size_t i = 0; i < a->candidates.size(); ++i) {
        EXPECT_EQ(cv::norm(a->candidates[i].image, b->candidates[i].image, cv::NORM_INF), 0.0);
    }
}

TEST(Generate, OtherSeedAndOtherCandidateDiffer) {
    auto model = tiny_model();
    auto a = generate(*model, params(42));
    auto b = generate(*model, params(43));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(codes_of(*a), codes_of(*b));
    EXPECT_NE(a->candidates[0].codes, a->candidates[1].codes);  // each candidate has its own seed
    EXPECT_NE(a->candidates[0].seed, a->candidates[1].seed);
    EXPECT_EQ(a->candidates[1].seed, derive_seed(42, 1));
}

TEST(Generate, ImagesHaveTheModelResolution) {
    auto model = tiny_model();
    auto r = generate(*model, params(1, 2));
    ASSERT_TRUE(r.ok());
    const int res = model->config.vqgan.resolution;
    EXPECT_EQ(r->candidates[0].image.rows, res);
    EXPECT_EQ(r->candidates[0].image.cols, res);
    EXPECT_EQ(r->candidates[0].image.type(), CV_8UC3);
    EXPECT_EQ(static_cast<int>(r->candidates[0].codes.size()), model->config.gpt.img_len);
}

TEST(Generate, KvCacheAndFullRecomputeAgreeOnGreedyCodes) {
    for (auto fusion : {FusionMode::None, FusionMode::EasyNLP, FusionMode::Lattice}) {
        auto model = tiny_model(fusion);
        auto p = params(5);
        p.sampling.top_k = 1;  // greedy: codes depend only on the logits' argmax
        auto cached = generate(*model, p);
        p.full_recompute = true;
        auto full = generate(*model, p);
        ASSERT_TRUE(cached.ok() && full.ok());
        EXPECT_EQ(codes_of(*cached), codes_of(*full)) << to_string(fusion);
    }
}

TEST(Generate, CancelFromProgressStopsBeforeTheNextStep) {
    auto model = tiny_model();
    std::atomic<bool> cancel{false};
    int last_step = 0;
    GenerationHooks hooks;
    hooks.cancel = &cancel;
    hooks.on_progress = [&](const GenerationProgress& p) {
        last_step = p.step;
        if (p.step == 5) cancel = true;
    };
    auto r = generate(*model, params(1), hooks);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    EXPECT_EQ(last_step, 5);
}

TEST(Generate, CancelFromAnotherThreadReturnsWithinOneStep) {
    auto config = ModelConfig::preset("tiny").value();
    config.gpt.n_layer = 4;
    config.gpt.n_embd = 64;
    auto model = make_random_bundle(config, 3);
    std::atomic<bool> cancel{false};
    std::atomic<int> step{0};
    std::atomic<int> step_at_cancel{-1};
    GenerationHooks hooks;
    hooks.cancel = &cancel;
    // At step 3 the generating thread waits for the other thread's flag, so
    // a loaded machine cannot let the 16 steps finish before it is set.
    hooks.on_progress = [&](const GenerationProgress& p) {
        step = p.step;
        if (p.step == 3)
            while (!cancel.load()) std::this_thread::yield();
    };
    std::thread canceller([&] {
        while (step.load() < 3) std::this_thread::yield();
        step_at_cancel = step.load();
        cancel = true;
    });
    auto r = generate(*model, params(1), hooks);
    canceller.join();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    // The flag is read before every step: at most the step already running finishes.
    EXPECT_LE(step.load(), step_at_cancel.load() + 1);
}

TEST(Generate, EmptyPromptAndBadParametersAreErrors) {
    auto model = tiny_model();
    auto p = params(1);
    p.prompt = "   ";
    auto r = generate(*model, p);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("empty"), std::string::npos);
    p = params(1);
    p.candidates = 0;
    EXPECT_FALSE(generate(*model, p).ok());
    p = params(1);
    p.sampling.temperature = 0;
    EXPECT_FALSE(generate(*model, p).ok());
    p = params(1);
    p.sampling.top_p = 1.5;
    EXPECT_FALSE(generate(*model, p).ok());
    for (double g : {0.5, 21.0, std::numeric_limits<double>::quiet_NaN()}) {
        p = params(1);
        p.sampling.guidance = g;
        auto bad = generate(*model, p);
        ASSERT_FALSE(bad.ok()) << g;
        EXPECT_NE(bad.message().find("guidance"), std::string::npos);
    }
}

TEST(Generate, OverlongPromptIsTruncatedAndReported) {
    auto model = tiny_model();
    auto p = params(1, 1);
    p.prompt = std::string();
    for (int i = 0; i < 40; ++i) p.prompt += "一";
    auto r = generate(*model, p);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ(r->token_len, 40);
    EXPECT_EQ(static_cast<int>(r->text_ids.size()), model->config.gpt.text_len);
}

TEST(Generate, PreviewsArriveWithPartialImages) {
    auto model = tiny_model();
    std::vector<int> steps;
    GenerationHooks hooks;
    hooks.on_preview = [&](int step, const std::vector<cv::Mat>& images) {
        steps.push_back(step);
        ASSERT_EQ(images.size(), 3u);
        EXPECT_EQ(images[0].rows, model->config.vqgan.resolution);
    };
    auto p = params(1);
    p.preview_every = 4;
    ASSERT_TRUE(generate(*model, p, hooks).ok());
    EXPECT_EQ(steps, (std::vector<int>{4, 8, 12}));  // 16 tokens: the last preview would be the final image
}

TEST(Generate, KnowledgeIsLinkedAndChangesTheImage) {
    for (auto fusion : {FusionMode::EasyNLP, FusionMode::Lattice}) {
        auto model = tiny_model(fusion);
        auto p = params(9, 2);
        p.sampling.top_k = 1;
        auto with = generate(*model, p);
        p.use_knowledge = false;
        auto without = generate(*model, p);
        ASSERT_TRUE(with.ok() && without.ok()) << with.message();
        ASSERT_EQ(with->entities.size(), 3u) << to_string(fusion);  // 一丁, 一丁七, 丁七
        EXPECT_TRUE(without->entities.empty());
        // Random weights are near-uniform, so compare logits-driven greedy codes over all candidates.
        EXPECT_NE(codes_of(*with), codes_of(*without)) << to_string(fusion);
    }
}

// Guided greedy codes against a reference that runs the prompt and the empty
// prompt as two separate batch-1 sequences (no shared batch, no zero-filled
// knowledge rows) and combines their logits by hand.
TEST(Generate, GuidanceMatchesSeparateConditionalAndUnconditionalPasses) {
    const double g = 3.0;
    for (auto fusion : {FusionMode::None, FusionMode::EasyNLP, FusionMode::Lattice}) {
        auto model = tiny_model(fusion);
        auto p = params(5, 2);
        p.sampling.top_k = 1;
        p.sampling.guidance = g;
        auto cached = generate(*model, p);
        ASSERT_TRUE(cached.ok()) << cached.message();
        p.full_recompute = true;
        auto full = generate(*model, p);
        ASSERT_TRUE(full.ok()) << full.message();
        EXPECT_EQ(codes_of(*cached), codes_of(*full)) << to_string(fusion);

        std::vector<int64_t> codes;
        {
            c10::InferenceMode inference;
            auto prompt = encode_prompt(*model, p.prompt, true);
            ASSERT_TRUE(prompt.ok());
            if (fusion != FusionMode::None) {
                ASSERT_FALSE(prompt->entities.empty());
            }
            codes = guided_greedy(*model, *prompt, unconditional_prompt(*model, *prompt), g);
        }
        // Greedy decoding ignores the seed, so both candidates follow the reference.
        EXPECT_EQ(cached->candidates[0].codes, codes) << to_string(fusion);
        EXPECT_EQ(cached->candidates[1].codes, codes) << to_string(fusion);
        p.full_recompute = false;
        p.sampling.guidance = 1.0;
        auto plain = generate(*model, p);
        ASSERT_TRUE(plain.ok());
        EXPECT_NE(plain->candidates[0].codes, codes) << to_string(fusion);  // guidance changed the image
    }
}

// A negative prompt takes the empty prompt's place in guidance, linked like
// the prompt (entities on either side, both or neither), with or without
// the KV cache; it needs guidance and must be a prompt itself.
TEST(Generate, NegativePromptReplacesTheEmptyPromptInGuidance) {
    const double g = 2.5;
    const std::pair<const char*, const char*> pairs[] = {
        {"一丁七万丈", "丁七万"},  // entities in both
        {"七万丈", "丁七"},        // only in the negative prompt
        {"一丁七万丈", "万丈"},    // only in the prompt
    };
    for (auto fusion : {FusionMode::None, FusionMode::EasyNLP, FusionMode::Lattice}) {
        for (const auto& [prompt_text, negative_text] : pairs) {
            const std::string where = to_string(fusion) + " " + prompt_text + " / " + negative_text;
            auto model = tiny_model(fusion);
            auto p = params(5, 2);
            p.prompt = prompt_text;
            p.sampling.top_k = 1;
            p.sampling.guidance = g;
            auto plain = generate(*model, p);
            ASSERT_TRUE(plain.ok()) << plain.message();
            p.negative_prompt = negative_text;
            auto steered = generate(*model, p);
            ASSERT_TRUE(steered.ok()) << steered.message();
            p.full_recompute = true;
            auto full = generate(*model, p);
            ASSERT_TRUE(full.ok()) << full.message();
            EXPECT_EQ(codes_of(*steered), codes_of(*full)) << where;
            EXPECT_EQ(plain->negative_token_len, 0);
            std::vector<int64_t> codes;
            {
                c10::InferenceMode inference;
                auto prompt = encode_prompt(*model, p.prompt, true);
                auto negative = encode_prompt(*model, p.negative_prompt, true);
                ASSERT_TRUE(prompt.ok() && negative.ok());
                EXPECT_EQ(steered->negative_token_len, negative->token_len) << where;
                EXPECT_EQ(steered->negative_entities.size(), negative->entities.size()) << where;
                codes = guided_greedy(*model, *prompt, *negative, g);
            }
            EXPECT_EQ(steered->candidates[0].codes, codes) << where;
            EXPECT_EQ(steered->candidates[1].codes, codes) << where;
            EXPECT_NE(plain->candidates[0].codes, codes) << where;  // the negative prompt changed the image
        }
    }
    auto model = tiny_model();
    auto p = params(5, 1);
    p.negative_prompt = "丁七";  // guidance 1: nothing would steer away from it
    auto unguided = generate(*model, p);
    ASSERT_FALSE(unguided.ok());
    EXPECT_NE(unguided.message().find("negative prompt needs guidance"), std::string::npos) << unguided.message();
    p.sampling.guidance = 2;
    p.negative_prompt = "  ";
    auto blank = generate(*model, p);
    ASSERT_FALSE(blank.ok());
    EXPECT_NE(blank.message().find("negative prompt: "), std::string::npos) << blank.message();
}

// Teacher forcing: fed its own greedy codes, a model chooses them again at
// every position; fed other codes, the images show what was fed, the codes
// what it chose; a wrong number of codes is refused before any work.
TEST(Generate, ForcedCodesAreFedAndTheChoicesReported) {
    auto model = tiny_model(FusionMode::Lattice);
    auto p = params(3, 1);
    p.sampling.top_k = 1;
    auto free = generate(*model, p);
    ASSERT_TRUE(free.ok()) << free.message();
    p.forced_codes = free->candidates[0].codes;
    auto self = generate(*model, p);
    ASSERT_TRUE(self.ok()) << self.message();
    EXPECT_EQ(self->candidates[0].codes, free->candidates[0].codes);

    std::vector<std::int64_t> other(free->candidates[0].codes.size(), 0);
    p.forced_codes = other;
    auto forced = generate(*model, p);
    ASSERT_TRUE(forced.ok());
    EXPECT_EQ(forced->candidates[0].codes[0], free->candidates[0].codes[0]);  // nothing forced before it
    EXPECT_FALSE(cv::norm(forced->candidates[0].image, free->candidates[0].image, cv::NORM_L1) == 0);

    p.forced_codes = std::vector<std::int64_t>{1, 2, 3};
    auto bad = generate(*model, p);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("forced_codes must hold"), std::string::npos) << bad.message();
}

// Best of N samples candidates x N rows with the seeds of rows 0..RN-1 and
// keeps the `candidates` the model is surest of: each kept image is the one
// plain sampling gives for its seed, the likelihoods are the best of all rows
// in descending order, and each equals the mean log-probability the prompt
// gives the image's codes.
TEST(Generate, BestOfKeepsTheLikeliestOfTheSampledImages) {
    auto model = tiny_model(FusionMode::Lattice);
    for (double g : {1.0, 3.0}) {
        auto p = params(7, 8);  // every row a best-of-4 request for 2 candidates samples
        p.sampling.guidance = g;
        auto all = generate(*model, p);
        ASSERT_TRUE(all.ok()) << all.message();
        p.candidates = 2;
        p.sampling.best_of = 4;
        auto best = generate(*model, p);
        ASSERT_TRUE(best.ok()) << best.message();
        ASSERT_EQ(best->candidates.size(), 2u);
        EXPECT_EQ(best->sampled, 8);

        auto rows = all->candidates;
        std::stable_sort(rows.begin(), rows.end(),
                         [](const Candidate& a, const Candidate& b) { return a.likelihood > b.likelihood; });
        for (size_t i = 0; i < 2; ++i) {
            EXPECT_EQ(best->candidates[i].seed, rows[i].seed) << g;
            EXPECT_EQ(best->candidates[i].codes, rows[i].codes) << g;
            EXPECT_DOUBLE_EQ(best->candidates[i].likelihood, rows[i].likelihood) << g;
            EXPECT_EQ(cv::norm(best->candidates[i].image, rows[i].image, cv::NORM_INF), 0.0);
        }
        EXPECT_GE(best->candidates[0].likelihood, best->candidates[1].likelihood);
        EXPECT_LT(best->candidates[0].likelihood, 0.0);

        // The figure itself: log p(code | prompt) averaged over the codes, from separate passes.
        c10::InferenceMode inference;
        auto prompt = encode_prompt(*model, p.prompt, true);
        ASSERT_TRUE(prompt.ok());
        auto text = text_input(*model, *prompt, 1);
        auto knowledge = knowledge_input(*model, *prompt, 1);
        const auto& codes = best->candidates[0].codes;
        auto seq = torch::cat({text, torch::tensor(codes, torch::kLong).view({1, -1})}, 1);  // (1, T_text + n)
        auto logits = model->net->transformer->forward(seq, knowledge);                      // (1, T, V)
        const int64_t t = text.size(1);
        double sum = 0;
        for (size_t i = 0; i < codes.size(); ++i)
            sum += torch::log_softmax(logits.index({0, t - 1 + static_cast<int64_t>(i)}), 0)[codes[i]].item<double>();
        EXPECT_NEAR(best->candidates[0].likelihood, sum / static_cast<double>(codes.size()), 1e-4) << g;
    }
}

TEST(Generate, BestOfBeyondTheBatchIsRefused) {
    auto model = tiny_model();
    auto p = params(1, 8);
    p.sampling.best_of = 0;
    auto r = generate(*model, p);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("best_of"), std::string::npos);
    p.sampling.best_of = 9;  // 8 x 9 > 64
    r = generate(*model, p);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("8 x 9"), std::string::npos);
    p.sampling.best_of = 1 << 29;  // 8 x 2^29 overflows int: refused, not wrapped
    r = generate(*model, p);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
}
