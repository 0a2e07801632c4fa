#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/data/train_data.h"
#include "core/format/state_dict.h"
#include "core/io/model_dir.h"
#include "core/sampling/generate.h"
#include "core/text/tokenizer.h"
#include "core/train/checkpoint.h"
#include "core/train/distributed.h"
#include "core/train/stage.h"
#include "core/train/trainer.h"
#include "tests/train/fixture.h"

using namespace shenbi;
namespace fs = std::filesystem;

namespace {

TrainOptions tiny_options(const fs::path& dir, TrainStage stage) {
    TrainOptions o;
    o.stage = stage;
    o.train_tsv = dir / "train.tsv";
    o.run_dir = dir / "run";
    o.optim.learning_rate = 3e-3;
    o.micro_batch = 4;
    o.epochs = 2;
    o.threads = 2;
    o.save_model = false;
    return o;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

class ResumeEquivalence : public ::testing::TestWithParam<TrainStage> {};

// 2N steps straight vs N steps, stop, resume from the step-N checkpoint in a
// fresh process state (new model object) and N more: same weights.
TEST_P(ResumeEquivalence, StopAndResumeEqualsStraightRun) {
    const TrainStage stage = GetParam();
    auto dir = test::temp_dir(stage == TrainStage::Gpt ? "resume_gpt" : "resume_vq");
    test::write_tsv(dir / "train.tsv", 22);  // 6 batches of 4 (the last has 2): crosses an epoch
    test::write_tsv(dir / "val.tsv", 5, 100);
    const int N = 4;

    auto straight = test::tiny_lattice_model();
    auto o = tiny_options(dir, stage);
    o.val_tsv = dir / "val.tsv";
    o.max_steps = 2 * N;
    o.save_every = N;
    o.eval_every = N;
    o.run_dir = dir / "straight";
    auto a = train(*straight, o);
    ASSERT_TRUE(a.ok()) << a.message();
    EXPECT_EQ(a->steps, 2 * N);

    auto first = test::tiny_lattice_model();
    o.run_dir = dir / "interrupted";
    o.stop_after = N;
    auto b = train(*first, o);
    ASSERT_TRUE(b.ok()) << b.message();
    EXPECT_TRUE(b->stopped);
    EXPECT_EQ(b->steps, N);
    ASSERT_TRUE(fs::exists(checkpoint_path(o.run_dir, N)));

    o.stop_after = 0;
    if (stage == TrainStage::Gpt) {
        // Stage 2 depends on the frozen VQGAN: other first-stage weights are refused.
        auto other = test::tiny_lattice_model(/*seed=*/99);
        auto refused = train(*other, o);
        ASSERT_FALSE(refused.ok());
        EXPECT_NE(refused.message().find("other frozen weights"), std::string::npos) << refused.message();
    }
    // Same model directory as at the start, but the trained weights scrambled:
    // everything that trains must come from the checkpoint.
    auto resumed = test::tiny_lattice_model();
    {
        torch::NoGradGuard no_grad;
        torch::nn::Module& m = stage == TrainStage::Gpt ? static_cast<torch::nn::Module&>(*resumed->net->transformer)
                                                        : *resumed->net->first_stage_model;
        for (auto& p : m.parameters()) p.add_(torch::randn_like(p));
    }
    std::vector<std::string> messages;
    auto c = train(*resumed, o, TrainHooks{.on_message = [&](const std::string& m) { messages.push_back(m); }});
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->resumed_from, N);
    EXPECT_EQ(c->steps, 2 * N);
    EXPECT_NEAR(c->last_loss, a->last_loss, 1e-5);
    EXPECT_NEAR(c->last_val_loss, a->last_val_loss, 1e-5);

    torch::nn::Module& ma = stage == TrainStage::Gpt ? static_cast<torch::nn::Module&>(*straight->net->transformer)
                                                     : *straight->net->first_stage_model;
    torch::nn::Module& mc = stage == TrainStage::Gpt ? static_cast<torch::nn::Module&>(*resumed->net->transformer)
                                                     : *resumed->net->first_stage_model;
    EXPECT_LT(test::max_abs_diff(ma, mc), 1e-5);

    // metrics.csv continues where it stopped: one train row per step, no duplicates.
    const std::string metrics = read_text(o.run_dir / "metrics.csv");
    EXPECT_EQ(metrics.rfind("step,epoch,split,loss,lr,tokens_per_s,elapsed_s\n", 0), 0u);
    int train_rows = 0;
    for (std::size_t pos = 0; (pos = metrics.find(",train,", pos)) != std::string::npos; ++pos) ++train_rows;
    EXPECT_EQ(train_rows, 2 * N);
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Stages,
                         ResumeEquivalence,
                         ::testing::Values(TrainStage::Gpt, TrainStage::Vqgan),
                         [](const auto& info) { return info.param == TrainStage::Gpt ? "Gpt" : "Vqgan"; });

TEST(Train, BadRowsAreSkippedAndReportedWithLineNumbers) {
    auto dir = test::temp_dir("bad_rows");
    {
        std::ofstream out(dir / "train.tsv");
        for (int i = 0; i < 10; ++i) {
            if (i == 2)
                out << "2\t" << test::caption(2) << "\n";  // line 3: missing column
            else if (i == 5)
                out << "5\t" << test::caption(5) << "\t!!!notbase64\n";  // line 6: bad base64
            else if (i == 8)
                out << "8\t" << test::caption(8) << "\tAAAAAAAA\n";  // line 9: not an image
            else
                out << i << "\t" << test::caption(i) << "\t" << test::png_base64(i) << "\n";
        }
    }
    for (TrainStage stage : {TrainStage::Gpt, TrainStage::Vqgan}) {
        auto model = test::tiny_lattice_model();
        auto o = tiny_options(dir, stage);
        o.run_dir = dir / (stage == TrainStage::Gpt ? "gpt" : "vq");
        std::vector<std::string> messages;
        auto r = train(*model, o, TrainHooks{.on_message = [&](const std::string& m) { messages.push_back(m); }});
        ASSERT_TRUE(r.ok()) << r.message();
        ASSERT_EQ(r->bad_rows.size(), 3u);
        std::set<int64_t> lines;
        for (const auto& b : r->bad_rows) lines.insert(b.line);
        EXPECT_EQ(lines, (std::set<int64_t>{3, 6, 9}));
        int reported = 0;
        for (const auto& m : messages) reported += m.find("bad row") != std::string::npos;
        EXPECT_EQ(reported, 3);
        EXPECT_GT(r->steps, 0);
    }
    // A table with no usable row is an error, not a crash.
    {
        std::ofstream out(dir / "empty.tsv");
        out << "1\tx\n";
    }
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.train_tsv = dir / "empty.tsv";
    o.run_dir = dir / "empty";
    auto r = train(*model, o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("no usable rows"), std::string::npos);
    fs::remove_all(dir);
}

TEST(Train, PauseResumeAndCancelFromAnotherThread) {
    auto dir = test::temp_dir("cancel");
    test::write_tsv(dir / "train.tsv", 16);
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.epochs = 100;  // would take far too long: must be cancelled
    std::atomic<bool> cancel{false}, pause{false};
    std::atomic<int64_t> last_step{0};
    TrainHooks hooks;
    hooks.cancel = &cancel;
    hooks.pause = &pause;
    hooks.on_step = [&](const StepEvent& e) {
        last_step = e.step;
        EXPECT_GE(e.lr, 0);  // 0 for the very first step (linear warm-up from 0)
        EXPECT_GT(e.tokens_per_s, 0);
        EXPECT_GE(e.eta_s, 0);
    };
    Result<TrainSummary> result = make_error(ErrorCode::Internal, "not run");
    std::thread worker([&] { result = train(*model, o, hooks); });
    while (last_step < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    pause = true;
    // The step in flight finishes first (slow under the sanitizers): wait
    // until the count stands still, then check that it stays so.
    int64_t paused_at = -1;
    for (int i = 0; i < 100 && paused_at != last_step; ++i) {
        paused_at = last_step;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(last_step, paused_at);  // no progress while paused
    pause = false;
    while (last_step < paused_at + 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    cancel = true;
    worker.join();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::Cancelled);
    // The cancel wrote a checkpoint at the step reached, and a later run resumes there.
    auto cks = list_checkpoints(o.run_dir);
    ASSERT_FALSE(cks.empty());
    EXPECT_EQ(checkpoint_step(cks.back()), last_step.load());
    o.max_steps = last_step + 1;
    auto again = train(*test::tiny_lattice_model(), o);
    ASSERT_TRUE(again.ok()) << again.message();
    EXPECT_EQ(again->resumed_from, last_step.load());
    fs::remove_all(dir);
}

TEST(Train, FailedCheckpointWriteIsAnErrorAndKeepsThePreviousOne) {
    auto dir = test::temp_dir("ckpt_fail");
    test::write_tsv(dir / "train.tsv", 8);
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.max_steps = 6;
    o.save_every = 2;
    o.keep_last = 2;
    // The step-4 file cannot be created (a non-empty directory sits at its
    // path; works for root too, unlike permissions).
    fs::create_directories(checkpoint_path(o.run_dir, 4) / "blocker");
    auto r = train(*model, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Io);
    EXPECT_NE(r.message().find("step-00000004.ckpt"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find("previous checkpoint is kept"), std::string::npos) << r.message();
    auto latest = load_latest_checkpoint(o.run_dir);
    ASSERT_TRUE(latest.ok()) << latest.message();
    EXPECT_EQ(latest->step, 2);
    // Unblocked, the run resumes from step 2 and finishes; only the last 2 are kept.
    fs::remove_all(checkpoint_path(o.run_dir, 4));
    auto again = train(*test::tiny_lattice_model(), o);
    ASSERT_TRUE(again.ok()) << again.message();
    EXPECT_EQ(again->resumed_from, 2);
    auto cks = list_checkpoints(o.run_dir);
    ASSERT_EQ(cks.size(), 2u);
    EXPECT_EQ(checkpoint_step(cks[0]), 4);
    EXPECT_EQ(checkpoint_step(cks[1]), 6);
    fs::remove_all(dir);
}

TEST(Train, CorruptNewestCheckpointFallsBackToThePreviousOne) {
    auto dir = test::temp_dir("ckpt_corrupt");
    test::write_tsv(dir / "train.tsv", 8);
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.max_steps = 4;
    o.save_every = 2;
    ASSERT_TRUE(train(*test::tiny_lattice_model(), o).ok());
    std::ofstream(checkpoint_path(o.run_dir, 4), std::ios::trunc) << "truncated";
    auto latest = load_latest_checkpoint(o.run_dir);
    ASSERT_TRUE(latest.ok());
    ASSERT_TRUE(latest->found());
    EXPECT_EQ(latest->step, 2);
    EXPECT_EQ(latest->skipped.size(), 1u);
    // None readable: nothing found, both named, and a run starts afresh.
    std::ofstream(checkpoint_path(o.run_dir, 2), std::ios::trunc) << "truncated";
    latest = load_latest_checkpoint(o.run_dir);
    ASSERT_TRUE(latest.ok());
    EXPECT_FALSE(latest->found());
    EXPECT_EQ(latest->skipped.size(), 2u);
    auto fresh = train(*test::tiny_lattice_model(), o);
    ASSERT_TRUE(fresh.ok()) << fresh.message();
    EXPECT_LT(fresh->resumed_from, 0);
    fs::remove_all(dir);
}

TEST(Train, ValidationSamplesMetricsAndModelDirectory) {
    auto dir = test::temp_dir("observe");
    test::write_tsv(dir / "train.tsv", 12);
    test::write_tsv(dir / "val.tsv", 4, 50);
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.val_tsv = dir / "val.tsv";
    o.max_steps = 6;
    o.eval_every = 3;
    o.save_model = true;
    o.sample_prompts = {test::cjk(1) + test::cjk(3), test::cjk(2)};
    std::vector<int64_t> val_steps, sample_steps;
    TrainHooks hooks;
    hooks.on_validation = [&](const ValidationEvent& e) { val_steps.push_back(e.step); };
    hooks.on_samples = [&](const SampleEvent& e) {
        sample_steps.push_back(e.step);
        ASSERT_EQ(e.images.size(), 2u);
        EXPECT_EQ(e.images[0].cols, 16);
    };
    auto r = train(*model, o, hooks);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ(val_steps, (std::vector<int64_t>{0, 3, 6}));
    EXPECT_EQ(sample_steps, (std::vector<int64_t>{0, 3, 6}));
    EXPECT_TRUE(fs::exists(o.run_dir / "samples" / "step-00000000" / "01.png"));
    EXPECT_GT(r->first_val_loss, 0);
    const std::string metrics = read_text(o.run_dir / "metrics.csv");
    EXPECT_NE(metrics.find("\n0,0.0000,val,"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("\n6,"), std::string::npos);
    // The model directory loads back with the trained weights.
    auto loaded = load_model_dir(r->model_dir, c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_LT(test::max_abs_diff(*(*loaded)->net, *model->net), 1e-7);
    fs::remove_all(dir);
}

// run_dir/best holds the weights of the last improving evaluation, which a
// too-high learning rate makes differ from the final weights.
TEST(Train, BestModelIsTheLowestValidationLoss) {
    auto dir = test::temp_dir("best");
    test::write_tsv(dir / "train.tsv", 12);
    test::write_tsv(dir / "val.tsv", 4, 50);
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.val_tsv = dir / "val.tsv";
    o.max_steps = 8;
    o.eval_every = 2;
    o.optim.learning_rate = 0.3;
    std::int64_t best_step = -1;
    std::vector<torch::Tensor> best_weights;
    TrainHooks hooks;
    hooks.on_validation = [&](const ValidationEvent& e) {
        if (!e.improved) return;
        best_step = e.step;
        best_weights.clear();
        for (const auto& p : model->net->transformer->parameters()) best_weights.push_back(p.detach().clone());
    };
    auto r = train(*model, o, hooks);
    ASSERT_TRUE(r.ok()) << r.message();
    ASSERT_EQ(r->best_model_dir, o.run_dir / "best");
    auto best = load_model_dir(r->best_model_dir, c10::kCPU);
    ASSERT_TRUE(best.ok()) << best.message();
    const auto params = (*best)->net->transformer->parameters();
    ASSERT_EQ(params.size(), best_weights.size());
    for (std::size_t i = 0; i < params.size(); ++i) EXPECT_TRUE(params[i].equal(best_weights[i])) << i;
    const std::string json = read_text(o.run_dir / "best" / "model.json");
    EXPECT_NE(json.find("\"trained_steps\": \"" + std::to_string(best_step) + "\""), std::string::npos) << json;
    EXPECT_NE(json.find("best_val_loss"), std::string::npos);
    fs::remove_all(dir);
}

// Several captions of one image (COCO style, emoji aliases): the image is
// encoded once and every row trains on its codes.
TEST(Train, RowsRepeatingAnImageAreEncodedOnce) {
    auto dir = test::temp_dir("repeats");
    {
        std::ofstream out(dir / "train.tsv");
        for (int i = 0; i < 8; ++i) out << i << "\t" << test::caption(i) << "\t" << test::png_base64(i % 3) << "\n";
    }
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.max_steps = 2;
    std::vector<std::string> messages;
    TrainHooks hooks;
    hooks.on_message = [&](const std::string& m) { messages.push_back(m); };
    auto r = train(*test::tiny_lattice_model(), o, hooks);
    ASSERT_TRUE(r.ok()) << r.message();
    bool found = false;
    for (const auto& m : messages)
        found |= m.find("encoded 3 images") != std::string::npos &&
                 m.find("(5 rows repeat an earlier image)") != std::string::npos;
    EXPECT_TRUE(found) << ::testing::PrintToString(messages);
    EXPECT_TRUE(r->bad_rows.empty());
    fs::remove_all(dir);
}

// The code cache is keyed by the table's bytes, not its path: a copy of the
// table in another folder, trained in another run sharing the cache folder,
// reads the codes; a table with one more row is encoded again. A cache that
// lacks codes for an indexed row (another table's, under this table's name)
// is ignored with a message and the images are encoded again.
TEST(Train, CodeCacheIsKeyedByContentAndSharedAcrossRuns) {
    auto dir = test::temp_dir("code-cache");
    test::write_tsv(dir / "train.tsv", 6);
    fs::create_directories(dir / "copy");
    fs::copy_file(dir / "train.tsv", dir / "copy" / "train.tsv");
    auto run = [&](const fs::path& table, const std::string& name) {
        auto o = tiny_options(dir, TrainStage::Gpt);
        o.train_tsv = table;
        o.run_dir = dir / name;
        o.code_cache_dir = dir / "codes";
        o.max_steps = 1;
        std::string messages;
        TrainHooks hooks;
        hooks.on_message = [&](const std::string& m) { messages += m + "\n"; };
        auto r = train(*test::tiny_lattice_model(), o, hooks);
        EXPECT_TRUE(r.ok()) << r.message();
        return messages;
    };
    auto cache_file = [](const std::string& messages) {  // from "encoding the images of T into F"
        const auto at = messages.find(" into ");
        return at == std::string::npos ? fs::path()
                                       : fs::path(messages.substr(at + 6, messages.find('\n', at) - at - 6));
    };
    const auto a = run(dir / "train.tsv", "a");
    EXPECT_EQ(a.find("read from cache"), std::string::npos) << a;
    EXPECT_NE(run(dir / "copy" / "train.tsv", "b").find("read from cache"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir / "b" / "cache"));
    test::write_tsv(dir / "copy" / "train.tsv", 7);
    const auto c = run(dir / "copy" / "train.tsv", "c");
    EXPECT_EQ(c.find("read from cache"), std::string::npos) << c;
    ASSERT_TRUE(fs::exists(cache_file(a)) && fs::exists(cache_file(c))) << a << c;
    fs::copy_file(cache_file(a), cache_file(c), fs::copy_options::overwrite_existing);
    const auto d = run(dir / "copy" / "train.tsv", "d");
    EXPECT_NE(d.find("ignoring unreadable code cache"), std::string::npos) << d;
    EXPECT_NE(d.find("no codes for line 7"), std::string::npos) << d;
    EXPECT_NE(d.find("encoded 7 images"), std::string::npos) << d;
    fs::remove_all(dir);
}

// Training and sampling must condition the GPT the same way: a model that
// memorised two captioned images writes their codes back under greedy
// decoding (top-k 1), knowledge lattice included.
TEST(Train, MemorisedRowsAreReproducedByGreedySampling) {
    auto dir = test::temp_dir("memorise");
    test::write_tsv(dir / "train.tsv", 2);
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.micro_batch = 2;
    o.max_steps = 300;
    o.optim.learning_rate = 1e-2;
    o.optim.weight_decay = 0;
    auto r = train(*model, o);
    ASSERT_TRUE(r.ok()) << r.message();
    ASSERT_LT(r->last_loss, 0.05);
    torch::NoGradGuard no_grad;
    for (int i = 0; i < 2; ++i) {
        auto image = decode_example_image(test::png_base64(i), model->config.vqgan.resolution, false);
        ASSERT_TRUE(image.ok()) << image.message();
        auto expected = model->net->first_stage_model->encode(image->unsqueeze(0)).reshape({-1});  // (L)
        GenerationParams params;
        params.prompt = test::caption(i);
        params.candidates = 1;
        params.sampling.top_k = 1;
        params.preview_every = 0;
        auto g = generate(*model, params);
        ASSERT_TRUE(g.ok()) << g.message();
        EXPECT_FALSE(g->entities.empty());
        const auto& codes = g->candidates.front().codes;
        ASSERT_EQ(static_cast<std::int64_t>(codes.size()), expected.numel());
        for (std::size_t k = 0; k < codes.size(); ++k)
            EXPECT_EQ(codes[k], expected[static_cast<std::int64_t>(k)].item<std::int64_t>())
                << "row " << i << " code " << k;
    }
    fs::remove_all(dir);
}

TEST(Train, EarlyStopOnValidationLoss) {
    auto dir = test::temp_dir("early");
    test::write_tsv(dir / "train.tsv", 8);
    test::write_tsv(dir / "val.tsv", 4, 50);
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.val_tsv = dir / "val.tsv";
    o.optim.learning_rate = 0;  // the validation loss can never improve
    o.max_steps = 50;
    o.eval_every = 1;
    o.early_stop_patience = 2;
    auto r = train(*test::tiny_lattice_model(), o);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_TRUE(r->early_stopped);
    EXPECT_EQ(r->steps, 2);
    fs::remove_all(dir);
}

TEST(Train, VqganWithEmaCodebookAndDiscriminator) {
    auto dir = test::temp_dir("vq_ema");
    test::write_tsv(dir / "train.tsv", 8);
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Vqgan);
    o.max_steps = 4;
    o.save_every = 2;
    o.flip = true;
    o.vqgan.ema_codebook = true;
    o.vqgan.dead_code_threshold = 0.5;
    o.vqgan.disc_start = 2;
    auto before = model->net->first_stage_model->quantize->embedding->weight.clone();
    auto r = train(*model, o);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_TRUE(std::isfinite(r->last_loss));
    const auto& after = model->net->first_stage_model->quantize->embedding->weight;
    EXPECT_FALSE(after.requires_grad());
    EXPECT_GT((after - before).abs().max().item<double>(), 0);  // moved by EMA, not by AdamW
    // Resume restores the EMA and discriminator state too.
    o.max_steps = 6;
    auto again = train(*test::tiny_lattice_model(), o);
    ASSERT_TRUE(again.ok()) << again.message();
    EXPECT_EQ(again->resumed_from, 4);
    fs::remove_all(dir);
}

// decoder_only: the encoder, quant_conv and codebook do not move, so every
// image keeps its codes; the decoder (with the discriminator) does.
TEST(Train, VqganDecoderOnlyKeepsTheCodes) {
    auto dir = test::temp_dir("vq_decoder");
    test::write_tsv(dir / "train.tsv", 8);
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Vqgan);
    o.max_steps = 3;
    o.vqgan.decoder_only = true;
    o.vqgan.disc_start = 1;
    auto vq = model->net->first_stage_model;
    const auto x = torch::rand({2, 3, vq->config().resolution, vq->config().resolution}) * 2 - 1;  // (2, 3, R, R)
    torch::Tensor codes_before;
    {
        torch::NoGradGuard no_grad;
        codes_before = vq->forward(x).codes.clone();
    }
    const auto encoder_before = vq->encoder->parameters().front().detach().clone();
    const auto codebook_before = vq->quantize->embedding->weight.detach().clone();
    const auto decoder_before = vq->decoder->parameters().front().detach().clone();
    auto r = train(*model, o);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_TRUE(vq->encoder->parameters().front().detach().equal(encoder_before));
    EXPECT_TRUE(vq->quantize->embedding->weight.detach().equal(codebook_before));
    EXPECT_FALSE(vq->decoder->parameters().front().detach().equal(decoder_before));
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(vq->forward(x).codes.equal(codes_before));
    // An EMA codebook would move the codes: refused before any step.
    o.vqgan.ema_codebook = true;
    o.run_dir = dir / "ema";
    auto refused = train(*test::tiny_lattice_model(), o);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.message().find("decoder_only"), std::string::npos) << refused.message();
    fs::remove_all(dir);
}

TEST(Train, KnowledgeColumnsAreUsedForStage2) {
    auto dir = test::temp_dir("knowledge");
    {
        std::ofstream out(dir / "train.tsv");
        for (int i = 0; i < 8; ++i) {
            out << i << "\t" << test::caption(i) << "\t" << (1 + i % 3) << "\t0 1 2 0\t0 1 2 1\t3\t"
                << test::png_base64(i) << "\n";
        }
        out << "8\t" << test::caption(8) << "\t999\t0 1 2 0\t0 1 2 1\t3\t" << test::png_base64(8)
            << "\n";  // unknown entity
    }
    auto model = test::tiny_lattice_model();
    auto ent_before = model->net->transformer->ent_emb->weight.clone();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.max_steps = 3;
    auto r = train(*model, o);
    ASSERT_TRUE(r.ok()) << r.message();
    ASSERT_EQ(r->bad_rows.size(), 1u);
    EXPECT_EQ(r->bad_rows[0].line, 9);
    EXPECT_NE(r->bad_rows[0].reason.find("999"), std::string::npos);
    // The fusion projection trains; the entity table and the VQGAN stay frozen.
    EXPECT_GT((model->net->transformer->ent_emb->weight - ent_before).abs().max().item<double>(), 0);
    fs::remove_all(dir);
}

// Four rows whose captions link one entity over tokens 0-1 (pos_s 0, pos_e 1).
static void write_linked_tsv(const fs::path& path) {
    std::ofstream out(path);
    for (int i = 0; i < 4; ++i)
        out << i << "\t" << test::caption(i) << "\t" << (1 + i % 3) << "\t0 1 2 0\t0 1 2 1\t3\t" << test::png_base64(i)
            << "\n";
}

// The knowledge technique: with --entity_mask 1 every linked entity's tokens
// become [UNK] in training batches while its entity ids stay; validation
// batches and unlinked tokens are untouched; the same item is masked the
// same way whichever batch it lands in.
TEST(Train, EntityMaskHidesEntityTokensButKeepsTheirVectors) {
    auto dir = test::temp_dir("entity-mask");
    write_linked_tsv(dir / "train.tsv");
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.val_tsv = dir / "train.tsv";
    o.entity_mask = 1.0;
    auto stage = make_gpt_stage(*model);
    auto comm = make_local_communicator();
    BadRowLog log;
    ASSERT_TRUE(stage->prepare(o, *comm, log, {}).ok());
    const auto unk = model->tokenizer->unk_id();
    auto train_batch = stage->load_batch({0, 1, 2, 3}, 0, false);
    auto val_batch = stage->load_batch({0, 1, 2, 3}, 0, true);
    for (std::int64_t i = 0; i < 4; ++i) {
        // the entity spans tokens 0-1 (pos_s 0, pos_e 1): masked in training only; token 2 is no entity's
        EXPECT_EQ(train_batch.text_ids[i][0].item<std::int64_t>(), unk) << i;
        EXPECT_NE(val_batch.text_ids[i][0].item<std::int64_t>(), unk) << i;
        EXPECT_EQ(train_batch.text_ids[i][2].item<std::int64_t>(), val_batch.text_ids[i][2].item<std::int64_t>()) << i;
    }
    EXPECT_TRUE(torch::equal(train_batch.words, val_batch.words));
    EXPECT_TRUE(torch::equal(train_batch.words_mask, val_batch.words_mask));
    o.entity_mask = 0.5;
    auto half = make_gpt_stage(*model);
    ASSERT_TRUE(half->prepare(o, *comm, log, {}).ok());
    auto a = half->load_batch({2, 0}, 3, false), b = half->load_batch({0, 1, 2}, 3, false);
    EXPECT_TRUE(torch::equal(a.text_ids[1], b.text_ids[0]));
    EXPECT_TRUE(torch::equal(a.text_ids[0], b.text_ids[2]));
    // over 10 epochs x 4 rows, some are masked and some are not
    int masked = 0;
    for (int epoch = 0; epoch < 10; ++epoch) {
        auto batch = half->load_batch({0, 1, 2, 3}, epoch, false);
        masked += (batch.text_ids.select(1, 0) == unk).sum().item<int>();
    }
    EXPECT_GT(masked, 5);
    EXPECT_LT(masked, 35);
    fs::remove_all(dir);
}

// Caption dropout for classifier-free guidance: a dropped row is exactly the
// empty prompt generation's unconditional pass feeds (the tokenizer's "" and
// no entity); validation rows are never dropped; the same item is dropped the
// same way whichever batch it lands in; entity masking draws as it did before.
TEST(Train, TextDropoutFeedsTheEmptyPromptWithoutKnowledge) {
    auto dir = test::temp_dir("text-dropout");
    write_linked_tsv(dir / "train.tsv");
    auto model = test::tiny_lattice_model();
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.val_tsv = dir / "train.tsv";
    o.entity_mask = 0.5;
    auto comm = make_local_communicator();
    BadRowLog log;
    auto masked_only = make_gpt_stage(*model);
    ASSERT_TRUE(masked_only->prepare(o, *comm, log, {}).ok());
    o.text_dropout = 0.5;
    auto stage = make_gpt_stage(*model);
    ASSERT_TRUE(stage->prepare(o, *comm, log, {}).ok());
    const auto empty = torch::tensor(model->tokenizer->encode("", model->config.gpt.text_len), torch::kInt64);
    int dropped = 0;
    for (int epoch = 0; epoch < 10; ++epoch) {
        auto batch = stage->load_batch({0, 1, 2, 3}, epoch, false);
        auto before = masked_only->load_batch({0, 1, 2, 3}, epoch, false);
        auto val = stage->load_batch({0, 1, 2, 3}, epoch, true);
        EXPECT_FALSE(torch::equal(val.text_ids[0], empty));
        for (std::int64_t i = 0; i < 4; ++i) {
            if (torch::equal(batch.text_ids[i], empty)) {
                ++dropped;
                EXPECT_FALSE(batch.words_mask[i].any().item<bool>()) << epoch << " " << i;
                EXPECT_EQ(batch.words[i].abs().sum().item<std::int64_t>(), 0) << epoch << " " << i;
            } else {
                EXPECT_TRUE(torch::equal(batch.text_ids[i], before.text_ids[i])) << epoch << " " << i;
                EXPECT_TRUE(torch::equal(batch.words_mask[i], before.words_mask[i])) << epoch << " " << i;
            }
        }
    }
    EXPECT_GT(dropped, 5);  // 10 epochs x 4 rows at p = 0.5
    EXPECT_LT(dropped, 35);
    auto a = stage->load_batch({2, 0}, 3, false), b = stage->load_batch({0, 1, 2}, 3, false);
    EXPECT_TRUE(torch::equal(a.text_ids[1], b.text_ids[0]));
    EXPECT_TRUE(torch::equal(a.text_ids[0], b.text_ids[2]));
    fs::remove_all(dir);
}

// LoRA fine-tuning: only the adapters train; model/ is an
// adapter directory that opens on top of its base with the trained outputs;
// a stopped run resumes to the straight run's adapters; a resume with other
// LoRA settings is refused.
TEST(Train, LoraAdaptersTrainSaveResumeAndOpenOnTheirBase) {
    auto dir = test::temp_dir("lora");
    test::write_tsv(dir / "train.tsv", 12);
    test::write_tsv(dir / "val.tsv", 4, 50);
    ASSERT_TRUE(save_model_dir(*test::tiny_lattice_model(), dir / "base").ok());
    auto load_base = [&] { return load_model_dir(dir / "base", c10::kCPU).value(); };
    auto o = tiny_options(dir, TrainStage::Gpt);
    o.val_tsv = dir / "val.tsv";
    o.max_steps = 6;
    o.save_every = 3;
    o.eval_every = 3;
    o.save_model = true;
    o.lora = LoraConfig{.rank = 2, .alpha = 4};

    auto straight = load_base();
    const StateDict before = module_state_dict(*straight->net);
    o.run_dir = dir / "straight";
    auto a = train(*straight, o);
    ASSERT_TRUE(a.ok()) << a.message();
    for (const auto& [key, t] : module_state_dict(*straight->net)) {
        const auto it = std::find_if(before.begin(), before.end(), [&](const auto& e) { return e.first == key; });
        ASSERT_NE(it, before.end());
        EXPECT_TRUE(torch::equal(t, it->second)) << key << " changed: the base must stay frozen";
    }
    ASSERT_TRUE(fs::exists(a->model_dir / "adapter.json"));
    EXPECT_FALSE(fs::exists(a->model_dir / "model.json"));
    EXPECT_LT(fs::file_size(a->model_dir / "adapter.bin"), 200'000u);
    EXPECT_EQ(a->best_model_dir, o.run_dir / "best");

    // The adapter directory opens as a model: its base plus the adapters.
    auto opened = load_model_dir(a->model_dir, c10::kCPU);
    ASSERT_TRUE(opened.ok()) << opened.message();
    EXPECT_TRUE(has_lora((*opened)->net->transformer));
    const auto& g = straight->config.gpt;
    torch::manual_seed(3);
    const auto idx = torch::cat({torch::randint(g.img_vocab, g.vocab_size(), {2, g.text_len}, torch::kLong),
                                 torch::randint(0, g.img_vocab, {2, g.img_len - 1}, torch::kLong)},
                                1);  // (2, text_len + img_len - 1)
    auto logits = [&](ModelBundle& m) {
        torch::NoGradGuard no_grad;  // only here: the runs below need gradients
        m.net->eval();
        return m.net->transformer->forward(idx);
    };
    const auto trained = logits(*straight);
    EXPECT_TRUE(torch::allclose(logits(**opened), trained, 1e-5, 1e-6));
    EXPECT_GT((logits(*load_base()) - trained).abs().max().item<double>(), 1e-4);

    // Stop at 3, resume to 6: the straight run's adapters.
    o.run_dir = dir / "interrupted";
    o.stop_after = 3;
    auto first = load_base();
    auto b = train(*first, o);
    ASSERT_TRUE(b.ok()) << b.message();
    o.stop_after = 0;
    auto other = o;
    other.lora->rank = 4;
    auto refused = train(*load_base(), other);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.message().find("LoRA"), std::string::npos) << refused.message();
    auto resumed = load_base();
    auto c = train(*resumed, o);
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->resumed_from, 3);
    EXPECT_TRUE(torch::allclose(logits(*resumed), trained, 1e-5, 1e-5));
    fs::remove_all(dir);
}
