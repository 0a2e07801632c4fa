#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "core/data/prefetcher.h"
#include "core/data/train_data.h"
#include "core/train/optim.h"
#include "tests/train/fixture.h"

using namespace shenbi;
namespace fs = std::filesystem;

TEST(TrainData, ParsesTheLatticeColumnsOfTheReferenceExample) {
    // 北京故宫的猫 with 北京→10, 北京故宫→20, 故宫→30 (ARTIST's lattice)
    auto lattice = parse_lattice_columns("10 20 30", "0 1 2 3 4 5 0 0 2", "0 1 2 3 4 5 1 3 3");
    ASSERT_TRUE(lattice.ok()) << lattice.message();
    ASSERT_EQ(lattice->size(), 3u);
    EXPECT_EQ((*lattice)[0].id, 10);
    EXPECT_EQ((*lattice)[0].token_begin, 0);
    EXPECT_EQ((*lattice)[0].token_end, 1);
    EXPECT_EQ((*lattice)[1].id, 20);
    EXPECT_EQ((*lattice)[1].token_end, 3);
    EXPECT_EQ((*lattice)[2].token_begin, 2);
    EXPECT_EQ((*lattice)[2].token_end, 3);
    EXPECT_TRUE(parse_lattice_columns("", "0 1", "0 1")->empty());
    EXPECT_FALSE(parse_lattice_columns("1 2 3", "0", "0").ok());
    EXPECT_FALSE(parse_lattice_columns("x", "0", "0").ok());
}

TEST(TrainData, ParsesPlainAndKnowledgeRows) {
    auto plain = parse_example_fields({"7", "猫", "AAAA"}, 3);
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(plain->has_knowledge);
    EXPECT_EQ(plain->line, 3);
    auto know = parse_example_fields({"7", "北京", "10", "0 1 0", "0 1 1", "2", "AAAA"}, 4);
    ASSERT_TRUE(know.ok()) << know.message();
    EXPECT_TRUE(know->has_knowledge);
    EXPECT_EQ(know->token_len, 2);
    ASSERT_EQ(know->entities.size(), 1u);
    EXPECT_EQ(know->entities[0].token_end, 1);
    EXPECT_FALSE(parse_example_fields({"7", "猫"}, 1).ok());
    EXPECT_FALSE(parse_example_fields({"7", "", "AAAA"}, 1).ok());
}

TEST(TrainData, DecodesUrlSafeBase64AndFlips) {
    std::string b64 = test::png_base64(1, 20);
    for (char& c : b64) c = c == '+' ? '-' : c == '/' ? '_' : c;
    auto img = decode_example_image(b64, 16, false);
    ASSERT_TRUE(img.ok()) << img.message();
    EXPECT_EQ(img->sizes(), (std::vector<int64_t>{3, 16, 16}));
    EXPECT_LE(img->max().item<float>(), 1.0f);
    EXPECT_GE(img->min().item<float>(), -1.0f);
    auto flipped = decode_example_image(b64, 16, true);
    ASSERT_TRUE(flipped.ok());
    EXPECT_TRUE(torch::allclose(flipped->flip({2}), *img));
    EXPECT_FALSE(decode_example_image("AAAA", 16, false).ok());
}

TEST(TrainData, IndexLogsStructurallyBrokenRowsWithLineNumbers) {
    auto dir = test::temp_dir("index");
    const auto path = dir / "t.tsv";
    {
        std::ofstream out(path);
        out << "0\t" << test::caption(0) << "\t" << test::png_base64(0) << "\n";
        out << "1\tonly two columns\n";  // line 2
        out << "\n";                     // line 3: empty, skipped silently
        out << "3\t" << test::caption(3) << "\t" << test::png_base64(3) << "\r\n";
        out << "4\t\t" << test::png_base64(4) << "\n";  // line 5: empty text
    }
    BadRowLog log;
    auto index = TsvIndex::build(path, &log);
    ASSERT_TRUE(index.ok());
    EXPECT_EQ(index->size(), 2u);
    EXPECT_EQ(index->line(1), 4);
    auto rows = log.rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].line, 2);
    EXPECT_EQ(rows[1].line, 5);
    EXPECT_NE(rows[0].where().find("t.tsv:2"), std::string::npos);
    auto in = index->open_stream();
    auto ex = index->read(in, 1);
    ASSERT_TRUE(ex.ok());
    EXPECT_EQ(ex->idx, "3");
    EXPECT_TRUE(decode_example_image(ex->image_base64, 16, false).ok());
    EXPECT_FALSE(log.add(path, 2, "again"));  // deduplicated
    fs::remove_all(dir);
}

TEST(TrainData, EpochOrderIsAPermutationFixedBySeedAndEpoch) {
    auto a = epoch_order(100, 42, 0);
    EXPECT_EQ(a, epoch_order(100, 42, 0));
    EXPECT_NE(a, epoch_order(100, 42, 1));
    EXPECT_NE(a, epoch_order(100, 43, 0));
    std::set<int64_t> seen(a.begin(), a.end());
    EXPECT_EQ(seen.size(), 100u);
    EXPECT_EQ(*seen.rbegin(), 99);
}

TEST(TrainData, PrefetcherDeliversInOrderAndStopsEarly) {
    Prefetcher<int> p(3, 10, 2, [](int64_t i) { return static_cast<int>(i * i); });
    for (int i = 3; i < 10; ++i) EXPECT_EQ(p.next().value(), i * i);
    EXPECT_FALSE(p.next().has_value());
    // Destroyed while the worker waits on a full queue.
    auto early = std::make_unique<Prefetcher<int>>(0, 1000, 2, [](int64_t i) { return static_cast<int>(i); });
    EXPECT_EQ(early->next().value(), 0);
    early.reset();
}

TEST(TrainData, FolderOfImagesAndCaptionsBecomesATsv) {
    auto dir = test::temp_dir("folder");
    fs::create_directories(dir / "src" / "sub");
    auto write_png = [&](const fs::path& p, int i) {
        auto bytes = base64_decode(test::png_base64(i)).value();
        std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    };
    write_png(dir / "src" / "a.png", 0);
    std::ofstream(dir / "src" / "a.txt") << "红色\t的圆\n";
    write_png(dir / "src" / "sub" / "b.PNG", 1);
    std::ofstream(dir / "src" / "sub" / "b.txt") << "方块";
    write_png(dir / "src" / "no_caption.png", 2);
    std::ofstream(dir / "src" / "broken.png") << "not an image";
    std::ofstream(dir / "src" / "broken.txt") << "坏";
    auto report = folder_to_tsv(dir / "src", dir / "out.tsv");
    ASSERT_TRUE(report.ok()) << report.message();
    EXPECT_EQ(report->rows, 2);
    EXPECT_EQ(report->skipped.size(), 2u);
    BadRowLog log;
    auto index = TsvIndex::build(dir / "out.tsv", &log);
    ASSERT_TRUE(index.ok());
    ASSERT_EQ(index->size(), 2u);
    EXPECT_EQ(log.count(), 0u);
    auto in = index->open_stream();
    EXPECT_EQ(index->read(in, 0)->text, "红色 的圆");
    EXPECT_EQ(index->read(in, 1)->idx, "sub/b");
    fs::remove_all(dir);
}

// The data check before a fine-tune: the
// fixture folder's two broken images and one empty caption are named, the
// rest is usable; a duplicate image and a missing caption are named too; a
// caption longer than the text context is a warning, not a problem.
TEST(TrainData, FolderCheckNamesEveryProblemFile) {
    auto report = check_image_folder(SHENBI_TEST_DATA_DIR "/finetune-folder", {.resolution = 64});
    ASSERT_TRUE(report.ok()) << report.message();
    ASSERT_EQ(report->items.size(), 6u);
    EXPECT_EQ(report->usable(), 3);
    std::map<std::string, std::string> problems;
    for (const auto& item : report->items)
        if (!item.usable()) problems[item.image.filename().string()] = item.problems.front();
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_NE(problems["truncated.png"].find("unreadable or truncated"), std::string::npos)
        << problems["truncated.png"];
    EXPECT_NE(problems["not-an-image.jpg"].find("unreadable or truncated"), std::string::npos);
    EXPECT_EQ(problems["yellow-star.png"], "empty caption in yellow-star.txt");
    EXPECT_EQ(report->sizes, "48x48 (3), 64x48 (1) -> 64x64: shortest side scaled to 64, centre crop");

    auto dir = test::temp_dir("folder_check");
    for (const char* name : {"red-circle", "green-tree"}) {
        fs::copy_file(fs::path(SHENBI_TEST_DATA_DIR "/finetune-folder") / (std::string(name) + ".png"),
                      dir / (std::string(name) + ".png"));
    }
    fs::copy_file(dir / "red-circle.png", dir / "red-circle-again.png");
    std::ofstream(dir / "red-circle.txt") << "一个红色的圆";
    std::ofstream(dir / "red-circle-again.txt") << "又一个红色的圆";
    auto tokenizer = test::make_tiny_model({.seed = 1})->tokenizer;
    auto checked = check_image_folder(dir, {.tokenizer = tokenizer.get(), .text_len = 3});
    ASSERT_TRUE(checked.ok()) << checked.message();
    ASSERT_EQ(checked->items.size(), 3u);
    EXPECT_EQ(checked->items[0].image.filename(), "green-tree.png");
    EXPECT_EQ(checked->items[0].problems, std::vector<std::string>{"no caption file green-tree.txt"});
    EXPECT_EQ(checked->items[1].image.filename(), "red-circle-again.png");
    EXPECT_TRUE(checked->items[1].usable());  // the first of the two in path order
    EXPECT_EQ(checked->items[2].problems, std::vector<std::string>{"the same image as red-circle-again.png"});
    EXPECT_EQ(checked->items[1].caption_tokens, 7);
    ASSERT_EQ(checked->items[1].warnings.size(), 1u);
    EXPECT_EQ(checked->items[1].warnings[0], "caption is 7 tokens; the model reads the first 3");
    fs::remove_all(dir);
}

TEST(TrainOptim, LinearWarmupThenLinearDecay) {
    OptimConfig c;
    c.learning_rate = 1.0;
    c.warmup_fraction = 0.1;
    EXPECT_DOUBLE_EQ(scheduled_lr(c, 0, 100), 0.0);
    EXPECT_DOUBLE_EQ(scheduled_lr(c, 5, 100), 0.5);
    EXPECT_DOUBLE_EQ(scheduled_lr(c, 10, 100), 1.0);
    EXPECT_DOUBLE_EQ(scheduled_lr(c, 55, 100), 0.5);
    EXPECT_DOUBLE_EQ(scheduled_lr(c, 100, 100), 0.0);
}

TEST(TrainOptim, NoWeightDecayOnBiasesAndNorms) {
    torch::nn::Sequential net(torch::nn::Linear(4, 4), torch::nn::LayerNorm(torch::nn::LayerNormOptions({4})));
    auto groups = split_params({{"net", net.ptr().get()}});
    EXPECT_EQ(groups.decay_names, (std::vector<std::string>{"net.0.weight"}));
    EXPECT_EQ(groups.no_decay_names.size(), 3u);  // linear bias, norm weight + bias
    auto opt = make_adamw(groups, OptimConfig{});
    ASSERT_EQ(opt->param_groups().size(), 2u);
    auto& o0 = static_cast<torch::optim::AdamWOptions&>(opt->param_groups()[0].options());
    auto& o1 = static_cast<torch::optim::AdamWOptions&>(opt->param_groups()[1].options());
    EXPECT_DOUBLE_EQ(o0.weight_decay(), 1e-4);
    EXPECT_DOUBLE_EQ(o1.weight_decay(), 0.0);
    EXPECT_DOUBLE_EQ(o0.eps(), 1e-6);
    set_lr(*opt, 0.25);
    EXPECT_DOUBLE_EQ(o1.lr(), 0.25);
}
