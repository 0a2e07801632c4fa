// bf16 mixed precision for stage 2 (core/train/mixed_precision.h): names and
// refusals everywhere; where the CPU has native bf16, autocast really runs
// the products in bf16 and a run still memorises its rows in fp32 weights.
#include "core/train/mixed_precision.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "core/model/precision.h"
#include "core/train/gpt_loss.h"
#include "core/train/trainer.h"
#include "tests/train/fixture.h"

using namespace shenbi;
namespace fs = std::filesystem;

namespace {

TrainOptions memorise_options(const fs::path& dir, MixedPrecision mixed) {
    TrainOptions o;
    o.stage = TrainStage::Gpt;
    o.train_tsv = dir / "train.tsv";
    o.run_dir = dir / "run";
    o.micro_batch = 2;
    o.max_steps = 300;
    o.optim.learning_rate = 1e-2;
    o.optim.weight_decay = 0;
    o.threads = 2;
    o.save_model = false;
    o.mixed = mixed;
    return o;
}

}  // namespace

TEST(MixedPrecision, NamesAndRefusals) {
    EXPECT_EQ(*mixed_precision_from_string("off"), MixedPrecision::Off);
    EXPECT_EQ(*mixed_precision_from_string("bf16"), MixedPrecision::BFloat16);
    const auto unknown = mixed_precision_from_string("fp16");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.message().find("known: off, bf16"), std::string::npos) << unknown.message();
    EXPECT_EQ(to_string(MixedPrecision::BFloat16), "bf16");

    EXPECT_TRUE(check_mixed_precision(MixedPrecision::Off, c10::Device(c10::kCUDA, 0)).ok());
    const auto cuda = check_mixed_precision(MixedPrecision::BFloat16, c10::Device(c10::kCUDA, 0));
    ASSERT_FALSE(cuda.ok());
    EXPECT_NE(cuda.message().find("CPU only"), std::string::npos) << cuda.message();
    const auto cpu = check_mixed_precision(MixedPrecision::BFloat16, c10::Device(c10::kCPU));
    EXPECT_EQ(cpu.ok(), cpu_runs_precision(WeightPrecision::BFloat16)) << cpu.message();
    if (!cpu.ok()) EXPECT_NE(cpu.message().find("native bf16"), std::string::npos) << cpu.message();

    // The VQGAN stage is refused before any work, whatever the CPU.
    auto dir = test::temp_dir("mixed-vqgan");
    test::write_tsv(dir / "train.tsv", 2);
    auto o = memorise_options(dir, MixedPrecision::BFloat16);
    o.stage = TrainStage::Vqgan;
    const auto r = train(*test::tiny_lattice_model(), o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("(stage 2) only"), std::string::npos) << r.message();
    EXPECT_FALSE(fs::exists(dir / "run"));
    fs::remove_all(dir);
}

// Products in bf16 inside the scope, fp32 again after it (nested scopes too);
// the loss comes back in fp32.
TEST(MixedPrecision, AutocastRunsProductsInBf16AndRestores) {
    if (!cpu_runs_precision(WeightPrecision::BFloat16)) GTEST_SKIP() << "no native bf16 on this CPU";
    const auto x = torch::randn({4, 32}), w = torch::randn({16, 32});
    {
        AutocastScope outer(MixedPrecision::BFloat16);
        EXPECT_EQ(torch::linear(x, w).scalar_type(), torch::kBFloat16);
        {
            AutocastScope off(MixedPrecision::Off);  // Off changes nothing
            AutocastScope inner(MixedPrecision::BFloat16);
        }
        EXPECT_EQ(torch::linear(x, w).scalar_type(), torch::kBFloat16);
    }
    EXPECT_EQ(torch::linear(x, w).scalar_type(), torch::kFloat32);

    auto model = test::tiny_lattice_model();
    auto& gpt = model->net->transformer;
    const auto& c = gpt->config();
    torch::manual_seed(2);
    const auto text = torch::randint(1, c.text_vocab, {2, c.text_len});
    const auto codes = torch::randint(0, c.img_vocab, {2, c.img_len});
    const auto fp32 = gpt_image_loss(gpt, text, codes, {}, MixedPrecision::Off);
    const auto bf16 = gpt_image_loss(gpt, text, codes, {}, MixedPrecision::BFloat16);
    EXPECT_EQ(bf16.scalar_type(), torch::kFloat32);
    EXPECT_NEAR(bf16.item<double>(), fp32.item<double>(), 0.02 * fp32.item<double>());
    EXPECT_EQ(torch::linear(x, w).scalar_type(), torch::kFloat32);
}

// The memorising run of train_test.cpp in bf16 autocast: the same low loss,
// and the trained weights are still fp32.
TEST(MixedPrecision, Bf16TrainingMemorisesInFp32Weights) {
    if (!cpu_runs_precision(WeightPrecision::BFloat16)) GTEST_SKIP() << "no native bf16 on this CPU";
    auto dir = test::temp_dir("mixed-memorise");
    test::write_tsv(dir / "train.tsv", 2);
    auto model = test::tiny_lattice_model();
    const auto r = train(*model, memorise_options(dir, MixedPrecision::BFloat16));
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_LT(r->last_loss, 0.1);
    for (const auto& p : model->net->transformer->parameters()) EXPECT_EQ(p.scalar_type(), torch::kFloat32);
    fs::remove_all(dir);
}
