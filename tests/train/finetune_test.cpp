// The fine-tune plan (what the wizard and `shenbi-cli finetune` share), the
// folder split, the artist's own knowledge vectors, and the trainer's
// stop / save now / sample now requests.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

#include <unistd.h>

#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_extension.h"
#include "core/model/lora.h"
#include "core/model/precision.h"
#include "core/train/finetune_plan.h"
#include "core/train/finetune_prepare.h"
#include "core/train/run_lock.h"
#include "core/train/step_timing.h"
#include "core/train/trainer.h"
#include "tests/train/fixture.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;
const fs::path kFolder = SHENBI_TEST_DATA_DIR "/finetune-folder";

FinetunePlan valid_plan(const fs::path& dir) {
    FinetunePlan p;
    p.base_model = dir / "base";
    p.folder = kFolder;
    p.run_dir = dir / "run";
    p.max_steps = 4;
    p.micro_batch = 2;
    return p;
}

TEST(FinetunePlan, EveryProblemIsNamedAtOnce) {
    auto dir = test::temp_dir("plan_errors");
    FinetunePlan p = valid_plan(dir);
    p.base_model = dir / "missing";
    p.train_tsv = dir / "train.tsv";  // as well as a folder
    p.val_fraction = 0.9;
    p.lora_rank = 4;
    p.lora_targets = {"attn.nope"};
    p.learning_rate = 0;
    p.micro_batch = 0;
    p.early_stop_patience = 2;  // without --eval_steps
    p.device = "gpu";
    p.threads = 100000;
    p.mixed_precision = "fp16";
    const auto errors = validate_plan(p);
    std::string all;
    for (const auto& e : errors) all += e + "\n";
    for (const char* flag : {"--model", "--folder and --tables", "--val_fraction 0.9", "attn.nope", "--learning_rate 0",
                             "--micro_batch_size 0", "--early_stop_patience", "--device gpu", "--threads 100000",
                             "--mixed_precision fp16"})
        EXPECT_NE(all.find(flag), std::string::npos) << flag << " missing in:\n" << all;
}

// bf16 mixed precision is a plan setting: refused by name where the CPU
// lacks native bf16, passed to the CLI and kept in finetune.json elsewhere.
TEST(FinetunePlan, MixedPrecisionIsCheckedExportedAndKept) {
    auto dir = test::temp_dir("plan_mixed");
    FinetunePlan p = valid_plan(dir);
    p.mixed_precision = "bf16";
    std::string mixed_errors;  // valid_plan names no base model: only this flag's errors count here
    for (const auto& e : validate_plan(p))
        if (e.find("--mixed_precision") != std::string::npos) mixed_errors += e;
    if (!cpu_runs_precision(WeightPrecision::BFloat16)) {
        EXPECT_NE(mixed_errors.find("--mixed_precision bf16 needs a CPU with native bf16"), std::string::npos)
            << mixed_errors;
        return;
    }
    EXPECT_EQ(mixed_errors, "");
    const std::string line = shell_command("shenbi-cli", finetune_arguments(p));
    EXPECT_NE(line.find("--mixed_precision bf16"), std::string::npos) << line;
    EXPECT_EQ(finetune_train_options(p).mixed, MixedPrecision::BFloat16);
    ASSERT_TRUE(save_plan(p, plan_path(p.run_dir)).ok());
    auto back = load_plan(plan_path(p.run_dir));
    ASSERT_TRUE(back.ok()) << back.message();
    EXPECT_EQ(back->mixed_precision, "bf16");
    p.mixed_precision = "off";
    EXPECT_EQ(shell_command("shenbi-cli", finetune_arguments(p)).find("--mixed_precision"), std::string::npos);
}

TEST(FinetunePlan, ArgumentsAndPlanFileRoundTrip) {
    auto dir = test::temp_dir("plan_args");
    FinetunePlan p = valid_plan(dir);
    p.lora_rank = 8;
    p.learning_rate = 1e-3;
    p.prompts = {"一只猫", "it's red"};
    const auto args = finetune_arguments(p);
    ASSERT_EQ(args.front(), "finetune");
    const std::string line = shell_command("shenbi-cli", args);
    EXPECT_NE(line.find("--learning_rate 0.001"), std::string::npos) << line;
    EXPECT_NE(line.find("--lora_rank 8"), std::string::npos) << line;
    EXPECT_NE(line.find("--max_steps 4"), std::string::npos) << line;
    EXPECT_NE(line.find("'一只猫|it'\\''s red'"), std::string::npos) << line;  // quoted for a POSIX shell

    ASSERT_TRUE(save_plan(p, plan_path(p.run_dir)).ok());
    auto back = load_plan(plan_path(p.run_dir));
    ASSERT_TRUE(back.ok()) << back.message();
    EXPECT_EQ(finetune_arguments(*back), args);

    std::ofstream(dir / "broken.json") << "{\"format\": \"shenbi-finetune\", \"base_model\": 3, \"run_dir\": \"x\"}";
    auto broken = load_plan(dir / "broken.json");
    ASSERT_FALSE(broken.ok());
    EXPECT_NE(broken.message().find("broken.json"), std::string::npos) << broken.message();
}

TEST(FinetunePlan, FolderSplitIsSeededAndLeavesOutTheBrokenFiles) {
    auto dir = test::temp_dir("plan_split");
    auto a = split_folder_tables(kFolder, 0.34, 7, dir / "a");
    ASSERT_TRUE(a.ok()) << a.message();
    EXPECT_EQ(a->train_rows, 2);
    EXPECT_EQ(a->val_rows, 1);
    ASSERT_EQ(a->left_out.size(), 3u);
    std::string left;
    for (const auto& l : a->left_out) left += l + "\n";
    for (const char* f : {"truncated.png", "not-an-image.jpg", "yellow-star"})
        EXPECT_NE(left.find(f), std::string::npos) << left;
    auto b = split_folder_tables(kFolder, 0.34, 7, dir / "b");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(test::read_file(a->val), test::read_file(b->val));
    auto none = split_folder_tables(kFolder, 0, 7, dir / "c");
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(none->train_rows, 3);
    EXPECT_TRUE(none->val.empty());
    EXPECT_EQ(validation_count(1, 0.5), 0);
    EXPECT_EQ(validation_count(10, 0.01), 1);
    EXPECT_EQ(validation_count(3, 0.5), 2);
}

TEST(EntityExtension, NewNamesLandWhereTheirRelationsPutThemAndOldVectorsStay) {
    const int dim = 16, n = 40;
    torch::manual_seed(3);
    auto vectors =
        torch::nn::functional::normalize(torch::randn({n, dim}), torch::nn::functional::NormalizeFuncOptions().dim(1));
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) names.push_back("e" + std::to_string(i));
    const auto table = EntityTable::from_names(names, vectors);
    RelationVectors rel{{"是一种", "颜色"}, torch::randn({2, dim}) * 0.5};
    const std::vector<UserTriple> triples{{"阿花", "是一种", "e5", 1},
                                          {"阿花", "颜色", "e9", 2},
                                          {"e1", "是一种", "e2", 3},   // known: ignored
                                          {"小黑", "住在", "e7", 4}};  // a new relation too
    auto ext = extend_entity_table(table, rel, triples);
    ASSERT_TRUE(ext.ok()) << ext.message();
    EXPECT_EQ(ext->new_entities, (std::vector<std::string>{"阿花", "小黑"}));
    EXPECT_EQ(ext->new_relations, std::vector<std::string>{"住在"});
    ASSERT_EQ(ext->table.size(), n + 2);
    EXPECT_TRUE(torch::equal(ext->table.vectors().narrow(0, 0, n), vectors));
    EXPECT_EQ(ext->table.id_of("阿花"), n);
    // As the head of (?, 是一种, e5), 阿花 ranks first among the other 41 entities.
    const auto all = ext->table.vectors();
    auto dist = (all + rel.vectors[0] - all[5]).abs().sum(-1);  // (N + 2)
    dist[5] = std::numeric_limits<float>::infinity();           // e5 itself: the tail, not a head
    EXPECT_EQ(dist.argmin().item<std::int64_t>(), n) << dist;
}

TEST(EntityExtension, TripleFilesNameTheLineOfAProblem) {
    auto dir = test::temp_dir("triples");
    std::ofstream(dir / "ok.tsv") << "\xEF\xBB\xBF# mine\n阿花\t是一种\t猫\n\n小黑,是一种,狗\n";
    auto ok = read_user_triples(dir / "ok.tsv");
    ASSERT_TRUE(ok.ok()) << ok.message();
    ASSERT_EQ(ok->size(), 2u);
    EXPECT_EQ((*ok)[1].tail, "狗");
    EXPECT_EQ((*ok)[1].line, 4);
    std::ofstream(dir / "bad.tsv") << "阿花\t是一种\t猫\n阿花\t\t猫\n";
    auto bad = read_user_triples(dir / "bad.tsv");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("bad.tsv:2"), std::string::npos) << bad.message();
}

TEST(Train, StopSaveNowAndSampleNowRequests) {
    auto dir = test::temp_dir("requests");
    test::write_tsv(dir / "train.tsv", 16);
    test::write_tsv(dir / "val.tsv", 4, 50);
    auto model = test::tiny_lattice_model();
    TrainOptions o;
    o.train_tsv = dir / "train.tsv";
    o.val_tsv = dir / "val.tsv";
    o.run_dir = dir / "run";
    o.micro_batch = 4;
    o.max_steps = 20;
    o.threads = 2;
    o.sample_prompts = {test::caption(1)};
    std::atomic<bool> stop{false}, save_now{false}, sample_now{false};
    TrainHooks hooks;
    hooks.stop = &stop;
    hooks.save_now = &save_now;
    hooks.sample_now = &sample_now;
    hooks.on_step = [&](const StepEvent& e) {
        if (e.step == 2) save_now = sample_now = true;
        if (e.step == 5) stop = true;
    };
    auto r = train(*model, o, hooks);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_TRUE(r->finished_early);
    EXPECT_EQ(r->steps, 5);
    EXPECT_TRUE(fs::exists(o.run_dir / "checkpoints" / "step-00000002.ckpt"));
    EXPECT_TRUE(fs::exists(o.run_dir / "samples" / "step-00000002"));
    EXPECT_TRUE(fs::exists(r->model_dir / "model.json")) << "stop writes the model";
    EXPECT_FALSE(save_now.load());
    EXPECT_FALSE(sample_now.load());
}

TEST(Finetune, FolderTriplesAndLoraGiveAnAdapterWithTheExtendedTable) {
    auto dir = test::temp_dir("prepare");
    ASSERT_TRUE(save_model_dir(*test::tiny_lattice_model(), dir / "base").ok());
    std::ofstream(dir / "mine.tsv") << "阿花\t是一种\t" << test::cjk(1) + test::cjk(3) << "\n";
    FinetunePlan p = valid_plan(dir);
    p.triples = dir / "mine.tsv";
    p.lora_rank = 2;
    p.val_fraction = 0.34;
    p.threads = 2;
    auto model = load_model_dir(p.base_model, c10::kCPU).value();
    const auto before = model->entities->size();
    auto prepared = prepare_finetune(p, *model);
    ASSERT_TRUE(prepared.ok()) << prepared.message();
    EXPECT_EQ(prepared->new_entities, std::vector<std::string>{"阿花"});
    EXPECT_EQ(prepared->left_out.size(), 3u);
    EXPECT_EQ(model->entities->size(), before + 1);
    auto r = train(*model, prepared->options);
    ASSERT_TRUE(r.ok()) << r.message();
    auto opened = load_model_dir(r->model_dir, c10::kCPU);
    ASSERT_TRUE(opened.ok()) << opened.message();
    EXPECT_EQ((*opened)->entities->id_of("阿花"), before);

    // The adapter as the next base: new adapters are refused before any work;
    // a full fine-tune starts from the merged weights.
    FinetunePlan on_adapter = p;
    on_adapter.base_model = r->model_dir;
    on_adapter.run_dir = dir / "run2";
    on_adapter.triples.clear();
    std::string refused;
    for (const auto& e : validate_plan(on_adapter)) refused += e;
    EXPECT_NE(refused.find("is a LoRA adapter"), std::string::npos) << refused;
    on_adapter.lora_rank = 0;
    EXPECT_TRUE(validate_plan(on_adapter).empty());
    auto adapted = load_model_dir(r->model_dir, c10::kCPU).value();
    auto merged = prepare_finetune(on_adapter, *adapted);
    ASSERT_TRUE(merged.ok()) << merged.message();
    EXPECT_FALSE(has_lora(adapted->net->transformer));

    // A resumed run reuses the vectors kept in run_dir/knowledge.
    auto again = load_model_dir(p.base_model, c10::kCPU).value();
    auto kept = apply_user_triples(*again, p.triples, p.run_dir, 99);
    ASSERT_TRUE(kept.ok()) << kept.message();
    EXPECT_TRUE(torch::equal(again->entities->vectors(), model->entities->vectors()));

    // Timing a LoRA step leaves no adapters behind.
    StepTimingOptions t;
    t.micro_batch = 2;
    t.steps = 1;
    t.lora = LoraConfig{.rank = 2, .alpha = 4};
    auto timed = time_train_steps(*again, t);
    ASSERT_TRUE(timed.ok()) << timed.message();
    EXPECT_GT(timed->seconds_per_step, 0);
    EXPECT_FALSE(has_lora(again->net->transformer));
}

TEST(Train, ASecondRunOnTheSameDirectoryIsRefusedAndStaleTempsAreRemoved) {
    auto dir = test::temp_dir("lock");
    test::write_tsv(dir / "train.tsv", 8);
    TrainOptions o;
    o.train_tsv = dir / "train.tsv";
    o.run_dir = dir / "run";
    o.micro_batch = 4;
    o.max_steps = 1;
    o.threads = 2;
    o.save_model = false;
    fs::create_directories(o.run_dir / "checkpoints");
    {
        auto other = RunLock::acquire(o.run_dir);  // another training holds it
        ASSERT_TRUE(other.ok()) << other.message();
        auto refused = train(*test::tiny_lattice_model(), o);
        ASSERT_FALSE(refused.ok());
        EXPECT_NE(refused.message().find("in use by another training (pid " + std::to_string(::getpid())),
                  std::string::npos)
            << refused.message();
        EXPECT_FALSE(fs::exists(o.run_dir / "metrics.csv")) << "refused before any work";
    }
    // What a kill during a checkpoint or a model save leaves behind.
    std::ofstream(o.run_dir / "checkpoints" / ".step-00000004.ckpt.tmp123456") << "half";
    fs::create_directories(o.run_dir / "model.saving");
    fs::create_directories(o.run_dir / ".best.saving-42");
    std::vector<std::string> messages;
    TrainHooks hooks;
    hooks.on_message = [&](const std::string& m) { messages.push_back(m); };
    auto r = train(*test::tiny_lattice_model(), o, hooks);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_FALSE(fs::exists(o.run_dir / "checkpoints" / ".step-00000004.ckpt.tmp123456"));
    EXPECT_FALSE(fs::exists(o.run_dir / "model.saving"));
    EXPECT_FALSE(fs::exists(o.run_dir / ".best.saving-42"));
    EXPECT_EQ(
        std::count_if(messages.begin(), messages.end(),
                      [](const std::string& m) { return m.find("left by an interrupted run") != std::string::npos; }),
        3);
}

// The command the wizard exports, with every setting it can set, runs in
// the CLI as it is.
TEST(FinetunePlan, TheExportedCommandRunsInTheCli) {
    auto dir = test::temp_dir("exported");
    ASSERT_TRUE(save_model_dir(*test::tiny_lattice_model(), dir / "base").ok());
    std::ofstream(dir / "mine.tsv") << "阿花\t是一种\t" << test::cjk(1) + test::cjk(3) << "\n";
    FinetunePlan p = valid_plan(dir);
    p.val_fraction = 0.34;
    p.triples = dir / "mine.tsv";
    p.lora_rank = 2;
    p.lora_alpha = 3;
    p.lora_targets = {"attn.query", "attn.value"};
    p.learning_rate = 2e-3;
    p.warmup_fraction = 0.2;
    p.max_steps = 3;
    p.micro_batch = 1;
    p.eval_every = 1;
    p.save_every = 1;
    p.early_stop_patience = 5;
    p.prompts = {test::caption(1), "阿花 it's"};
    p.seed = 9;
    p.device = "cpu";
    p.threads = 1;
    ASSERT_TRUE(validate_plan(p).empty());
    const std::string log = (dir / "cli.log").string();
    const int rc = std::system((shell_command(SHENBI_CLI, finetune_arguments(p)) + " > " + log + " 2>&1").c_str());
    EXPECT_EQ(rc, 0) << test::read_file(log);
    EXPECT_TRUE(fs::exists(p.run_dir / "model" / "adapter.json")) << test::read_file(log);
    EXPECT_TRUE(fs::exists(p.run_dir / "model" / "entity2vec.bin"));
    EXPECT_NE(test::read_file(p.run_dir / "model" / "adapter.json").find("attn.value"), std::string::npos);
}

}  // namespace
}  // namespace shenbi
