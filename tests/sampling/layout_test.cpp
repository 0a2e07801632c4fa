#include "core/sampling/layout.h"

#include <gtest/gtest.h>

#include "core/model/model_bundle.h"
#include "tests/support/tiny_model.h"

using namespace shenbi;
using shenbi::test::tiny_model;

namespace {

std::string objects_of(const std::string& prompt) {
    std::string out;
    for (const auto& o : read_prompt(prompt).objects)
        out += (out.empty() ? "" : " | ") + std::to_string(o.count) + o.measure + " " + o.colour + " " + o.name + " @" +
               o.where;
    return out;
}

std::string plan_of(const std::string& prompt) {
    return describe_layout(plan_layout(prompt, 16));
}

GenerationParams request(const std::string& prompt, double guidance) {
    GenerationParams p;
    p.prompt = prompt;
    p.candidates = 2;
    p.seed = 11;
    p.sampling.top_k = 10;
    p.sampling.guidance = guidance;
    return p;
}

// The same with Plan the layout on (and a guidance for the parts, 0 = guidance).
GenerationParams planned_request(const std::string& prompt, double guidance, double layout_guidance = 0) {
    auto p = request(prompt, guidance);
    p.sampling.layout = true;
    p.sampling.layout_guidance = layout_guidance;
    return p;
}

std::vector<std::vector<std::int64_t>> codes_of(const GenerationResult& r) {
    std::vector<std::vector<std::int64_t>> out;
    for (const auto& c : r.candidates) out.push_back(c.codes);
    return out;
}

}  // namespace

TEST(Layout, ReadsObjectsCountsColoursAndPlaces) {
    EXPECT_EQ(objects_of("一只猴子和一座房子"), "1只  猴子 @ | 1座  房子 @");
    EXPECT_EQ(objects_of("一块披萨在一只章鱼的下面"), "1块  披萨 @下面 | 1只  章鱼 @上面");
    EXPECT_EQ(objects_of("一只章鱼的下面有一块披萨"), "1块  披萨 @下面 | 1只  章鱼 @上面");
    EXPECT_EQ(objects_of("一只兔子在一条鱼旁边"), "1只  兔子 @左边 | 1条  鱼 @右边");
    EXPECT_EQ(objects_of("左边是两只猫，右边是一条红色的鱼"), "2只  猫 @左边 | 1条 红色 鱼 @右边");
    EXPECT_EQ(objects_of("画面里有三把伞"), "3把  伞 @");
    EXPECT_EQ(objects_of("一件和服"), "1件  和服 @");              // 和 inside a name
    EXPECT_EQ(objects_of("一只猫在画面的左边"), "1只  猫 @左边");  // 画面 is no object
    EXPECT_EQ(objects_of("蓝色苹果、猫与一条狗"), "1 蓝色 苹果 @ | 1  猫 @ | 1条  狗 @");
    // 画 is stripped only before a count or colour (画家和狗 is no 家): 画披萨 stays
    // whole, which the model reads as the caption words it learnt (画{a}).
    EXPECT_EQ(objects_of("画披萨和两把黄色的伞"), "1  画披萨 @ | 2把 黄色 伞 @");
    EXPECT_EQ(objects_of("一只熊猫在吃竹子"), "");                             // a sentence the rules do not read
    EXPECT_EQ(objects_of("一双高跟鞋和一个包"), "1双  高跟鞋 @ | 1个  包 @");  // 跟 is no separator
    EXPECT_EQ(objects_of("和服和扇子"), "1  和服和扇子 @");                    // an empty piece: no listing
    EXPECT_EQ(objects_of("画家和狗"), "1  画家 @ | 1  狗 @");
    EXPECT_EQ(objects_of("一只猫在两棵树的中间"), "");  // no half says 中间 of two
    EXPECT_EQ(objects_of(""), "");

    // Clauses that neither place nor count objects are about the whole picture.
    EXPECT_EQ(read_prompt("一只猫，水彩画").dressing, std::vector<std::string>{"水彩画"});
    EXPECT_EQ(objects_of("一只猫，水彩画"), "1只  猫 @");

    auto dressed = read_prompt("扁平风格的一把黄色的伞和一个红色的苹果，浅蓝色背景");
    EXPECT_EQ(dressed.dressing, (std::vector<std::string>{"扁平风格", "浅蓝色背景"}));
    EXPECT_EQ(dressed.objects.size(), 2u);
    EXPECT_EQ(read_prompt("浅蓝色背景上的两朵云").dressing, std::vector<std::string>{"浅蓝色背景"});
}

TEST(Layout, PlansHalvesAndThirdsInTheWordsOfSinglePlacedObjects) {
    EXPECT_EQ(plan_of("一只猴子在一座房子的右边"), "cells 0,0 8x16: 一座房子在左边; cells 8,0 8x16: 一只猴子在右边");
    EXPECT_EQ(plan_of("一块披萨在一只章鱼的下面"), "cells 0,0 16x8: 一只章鱼在上面; cells 0,8 16x8: 一块披萨在下面");
    EXPECT_EQ(plan_of("右边是狗，左边是猫"), "cells 0,0 8x16: 猫在左边; cells 8,0 8x16: 狗在右边");
    EXPECT_EQ(plan_of("两只猫和一条鱼，浅蓝色背景"),
              "cells 0,0 8x16: 两只猫在左边，浅蓝色背景; cells 8,0 8x16: 一条鱼在右边，浅蓝色背景");
    EXPECT_EQ(plan_of("从左到右是猫、狗和鱼"),
              "cells 0,0 5x16: 猫在左边; cells 5,0 5x16: 狗在中间; cells 10,0 6x16: 鱼在右边");
    EXPECT_EQ(plan_of("上面是太阳，中间是山，下面是湖"),
              "cells 0,0 16x5: 太阳在上面; cells 0,5 16x5: 山在中间; cells 0,10 16x6: 湖在下面");
    EXPECT_EQ(plan_of("一只猫在右边，一只狗在中间"), "cells 0,0 8x16: 一只狗在左边; cells 8,0 8x16: 一只猫在右边");
    EXPECT_EQ(plan_of("一只猫和一条狗，8k，高清"),
              "cells 0,0 8x16: 一只猫在左边，8k，高清; cells 8,0 8x16: 一条狗在右边，8k，高清");
    EXPECT_EQ(describe_layout(plan_layout("猫、狗和鱼", 2)), "");  // a grid too small for thirds
    EXPECT_EQ(plan_of("一只猫，水彩画"), "");
    EXPECT_EQ(plan_of("一个红色的苹果"), "");  // one object: drawn whole
    EXPECT_EQ(plan_of("三把伞"), "");          // one object, counted: drawn whole
    EXPECT_EQ(plan_of("四只猫和一条鱼"), "");  // more than a column of three
    EXPECT_EQ(plan_of("猫、狗、鱼和鸟"), "");  // four objects
}

// Regions run as blocks of the batch beside the prompt: a region over the
// whole grid draws what its prompt alone draws, with the same seeds (with
// guidance too), and regions that repeat the prompt change nothing.
TEST(Layout, ARegionDrawsWhatItsPromptDrawsAlone) {
    for (auto fusion : {FusionMode::None, FusionMode::Lattice}) {
        auto model = tiny_model(fusion);
        const int grid = model->config.vqgan.grid_size();
        for (double guidance : {1.0, 2.0}) {
            auto alone = generate(*model, request("七万丈", guidance));
            ASSERT_TRUE(alone.ok()) << alone.message();

            auto p = request("一丁", guidance);
            p.regions = {{CellRect{0, 0, grid, grid}, "七万丈"}};
            auto whole = generate(*model, p);
            ASSERT_TRUE(whole.ok()) << whole.message();
            EXPECT_EQ(codes_of(*whole), codes_of(*alone));

            auto q = request("七万丈", guidance);
            q.regions = {{CellRect{0, 0, grid / 2, grid}, "七万丈"}, {CellRect{grid / 2, 0, grid / 2, grid}, "七万丈"}};
            auto halves = generate(*model, q);
            ASSERT_TRUE(halves.ok()) << halves.message();
            EXPECT_EQ(codes_of(*halves), codes_of(*alone));
            EXPECT_EQ(halves->regions.size(), 2u);
        }
    }
}

TEST(Layout, BadRegionsAreRefusedNamingThem) {
    auto model = tiny_model(FusionMode::Lattice);
    const int grid = model->config.vqgan.grid_size();
    auto p = request("一丁", 1.0);
    p.regions = {{CellRect{0, 0, grid, grid}, "七万"}, {CellRect{1, 0, grid, 1}, "七万"}};
    auto off_grid = generate(*model, p);
    ASSERT_FALSE(off_grid.ok());
    EXPECT_NE(off_grid.message().find("region 2"), std::string::npos) << off_grid.message();

    p.regions = {{CellRect{0, 0, 1, 1}, "  "}};
    auto empty = generate(*model, p);
    ASSERT_FALSE(empty.ok());
    EXPECT_NE(empty.message().find("region 1 prompt"), std::string::npos) << empty.message();

    p.regions.assign(kMaxRegions + 1, RegionPrompt{CellRect{0, 0, 1, 1}, "七万"});
    EXPECT_FALSE(generate(*model, p).ok());

    // Eight small regions and the prompt, with guidance: ten passes of 32 images is too big a batch.
    p.regions.clear();
    for (int i = 0; i < kMaxRegions; ++i) p.regions.push_back({CellRect{i % grid, i / grid, 1, 1}, "七万"});
    p.candidates = 8;
    p.sampling.best_of = 4;
    p.sampling.guidance = 2;
    auto big = generate(*model, p);
    ASSERT_FALSE(big.ok());
    EXPECT_NE(big.message().find("rows in one batch"), std::string::npos) << big.message();
}

// With layout on, a prompt the rules read as two objects is drawn from two
// regions, which the result reports; one object is drawn as without.
TEST(Layout, PlannedFromThePromptWhenAsked) {
    auto model = tiny_model(FusionMode::Lattice);
    auto planned = generate(*model, planned_request("一丁和七万", 1.0));
    ASSERT_TRUE(planned.ok()) << planned.message();
    ASSERT_EQ(planned->regions.size(), 2u);
    EXPECT_EQ(planned->regions[0].prompt, "一丁在左边");

    auto plain = generate(*model, request("七万丈", 1.0));
    auto unplanned = generate(*model, planned_request("七万丈", 1.0));
    ASSERT_TRUE(plain.ok() && unplanned.ok());
    EXPECT_TRUE(unplanned->regions.empty());
    EXPECT_EQ(codes_of(*unplanned), codes_of(*plain));
}

// layout_guidance replaces guidance for a picture drawn in parts, planned or
// given, and nowhere else: a planned pair at guidance 1 with layout_guidance
// 3 is exactly the pair at guidance 3; a prompt drawn whole keeps guidance 1.
TEST(Layout, PartsAreGuidedByLayoutGuidanceAlone) {
    auto model = tiny_model(FusionMode::Lattice);
    auto expected = generate(*model, planned_request("一丁和七万", 3.0));
    ASSERT_TRUE(expected.ok()) << expected.message();
    EXPECT_EQ(expected->guidance, 3.0);

    auto p = planned_request("一丁和七万", 1.0, 3.0);
    auto planned = generate(*model, p);
    ASSERT_TRUE(planned.ok()) << planned.message();
    EXPECT_EQ(planned->guidance, 3.0);
    EXPECT_EQ(codes_of(*planned), codes_of(*expected));

    auto given = request("一丁和七万", 1.0);
    given.regions = expected->regions;
    given.sampling.layout_guidance = 3.0;
    auto placed = generate(*model, given);
    ASSERT_TRUE(placed.ok()) << placed.message();
    EXPECT_EQ(codes_of(*placed), codes_of(*expected));

    auto plain = generate(*model, request("七万丈", 1.0));
    auto unplanned = generate(*model, planned_request("七万丈", 1.0, 3.0));
    ASSERT_TRUE(plain.ok() && unplanned.ok());
    EXPECT_EQ(unplanned->guidance, 1.0);
    EXPECT_EQ(codes_of(*unplanned), codes_of(*plain));

    for (double bad : {0.5, 21.0, -1.0}) {
        p.sampling.layout_guidance = bad;
        auto refused = generate(*model, p);
        ASSERT_FALSE(refused.ok()) << bad;
        EXPECT_NE(refused.message().find("layout_guidance"), std::string::npos) << refused.message();
    }
}

TEST(Layout, ObjectColoursAreLeftOutBackgroundsKept) {
    EXPECT_EQ(without_object_colours("一辆橙色的汽车"), "一辆汽车");
    EXPECT_EQ(without_object_colours("画两个浅蓝色苹果"), "画两个苹果");
    EXPECT_EQ(without_object_colours("一只粉红色的猫和一条金黄色的鱼"), "一只猫和一条鱼");
    EXPECT_EQ(without_object_colours("一只红色的猫在左边，浅黄色背景"), "一只猫在左边，浅黄色背景");
    EXPECT_EQ(without_object_colours("绿色的伞，背景是白色"), "伞，背景是白色");
    EXPECT_EQ(without_object_colours("白色的背景上有一只黑色的狗"), "白色的背景上有一只狗");
    EXPECT_EQ(without_object_colours("一只米黄色的猫，一朵紫红色的花，咖啡色的狗"), "一只猫，一朵花，狗");
    EXPECT_EQ(without_object_colours("一只猫，红色"), "一只猫，");
    EXPECT_EQ(without_object_colours("背景为纯白色，一只黑色的猫"), "背景为纯白色，一只猫");
    EXPECT_EQ(without_object_colours("一只猫，背景颜色是白色和蓝色"), "一只猫，背景颜色是白色和蓝色");
    EXPECT_EQ(without_object_colours("底色为黄色；背景：白色"), "底色为黄色；背景：白色");
    EXPECT_EQ(without_object_colours("浅蓝色背景上的一只红色的猫"), "浅蓝色背景上的一只猫");
    EXPECT_EQ(without_object_colours("美丽的景色，特色小吃，颜色，彩色，黑白照片"),
              "美丽的景色，特色小吃，颜色，彩色，黑白照片");  // no colours
    EXPECT_EQ(without_object_colours("一只猫"), "一只猫");
    EXPECT_EQ(without_object_colours(""), "");
}

// `p` with `field` at `value` draws what `p` draws, and reads nothing apart.
static void expect_as_plain(const ModelBundle& model,
                            GenerationParams p,
                            double SamplingParams::*field,
                            double value,
                            std::vector<std::string> GenerationResult::*apart) {
    auto plain = generate(model, p);
    p.sampling.*field = value;
    auto guided = generate(model, p);
    ASSERT_TRUE(plain.ok() && guided.ok()) << p.prompt;
    EXPECT_EQ(codes_of(*guided), codes_of(*plain)) << p.prompt << " at " << value;
    EXPECT_TRUE(((*guided).*apart).empty()) << p.prompt << " at " << value;
}

// What a guidance read apart (`apart`) when `prompt` is planned, at guidance 2
// and `field` 4; the error, or the count of parts when not two, instead.
static std::vector<std::string> read_apart_in_parts(const ModelBundle& model,
                                                    const std::string& prompt,
                                                    double SamplingParams::*field,
                                                    std::vector<std::string> GenerationResult::*apart) {
    auto parts = planned_request(prompt, 2.0);
    parts.sampling.*field = 4.0;
    auto planned = generate(model, parts);
    if (!planned.ok()) return {"error: " + planned.message()};
    if (planned->regions.size() != 2) return {std::to_string(planned->regions.size()) + " parts"};
    return (*planned).*apart;
}

// A guidance that may be 0 (as the guidance) refuses what is neither, naming
// its field.
static void expect_out_of_range_refused(const ModelBundle& model,
                                        GenerationParams p,
                                        double SamplingParams::*field,
                                        const std::string& name) {
    for (double bad : {0.5, 21.0, -1.0}) {
        p.sampling.*field = bad;
        auto refused = generate(model, p);
        ASSERT_FALSE(refused.ok()) << name << " " << bad;
        EXPECT_NE(refused.message().find(name), std::string::npos) << refused.message();
    }
}

// Knowledge guidance reads a prompt that links an entity once more without
// its entity vectors (k0) and adds (h - guidance) * (c - k0): at h equal to
// the guidance, with knowledge off, or on a prompt that links nothing, the
// images are those of plain guidance; each part of a layout is read apart on
// its own, and only the parts that link an entity.
TEST(Layout, KnowledgeGuidanceAddsThePullOfTheEntityVectors) {
    auto model = tiny_model(FusionMode::Lattice);
    auto plain = generate(*model, request("一丁", 2.0));
    ASSERT_TRUE(plain.ok()) << plain.message();
    ASSERT_FALSE(plain->entities.empty());  // 一丁 is linked
    auto p = request("一丁", 2.0);
    p.sampling.knowledge_guidance = 4.0;
    auto pulled = generate(*model, p);
    ASSERT_TRUE(pulled.ok()) << pulled.message();
    EXPECT_EQ(pulled->knowledgeless_prompts, std::vector<std::string>{"一丁"});
    EXPECT_NE(codes_of(*pulled), codes_of(*plain));  // the pass is not idle
    auto again = generate(*model, p);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(codes_of(*again), codes_of(*pulled));  // seeded as every request

    expect_as_plain(*model, request("一丁", 2.0), &SamplingParams::knowledge_guidance, 2.0,
                    &GenerationResult::knowledgeless_prompts);  // the guidance: nothing apart
    auto off = request("一丁", 2.0);
    off.use_knowledge = false;
    expect_as_plain(*model, off, &SamplingParams::knowledge_guidance, 4.0, &GenerationResult::knowledgeless_prompts);
    expect_as_plain(*model, request("七万丈", 2.0), &SamplingParams::knowledge_guidance, 4.0,
                    &GenerationResult::knowledgeless_prompts);  // links nothing

    // With colour guidance too: both passes run, each pull on top of the guidance.
    auto both = request("红色的一丁", 2.0);
    both.sampling.colour_guidance = 3.0;
    auto colour_only = generate(*model, both);
    both.sampling.knowledge_guidance = 4.0;
    auto colour_and_knowledge = generate(*model, both);
    ASSERT_TRUE(colour_only.ok() && colour_and_knowledge.ok()) << colour_and_knowledge.message();
    EXPECT_EQ(colour_and_knowledge->colourless_prompts, std::vector<std::string>{"一丁"});
    EXPECT_EQ(colour_and_knowledge->knowledgeless_prompts, std::vector<std::string>{"红色的一丁"});
    EXPECT_NE(codes_of(*colour_and_knowledge), codes_of(*colour_only));

    EXPECT_EQ(read_apart_in_parts(*model, "一丁和七万", &SamplingParams::knowledge_guidance,
                                  &GenerationResult::knowledgeless_prompts),
              std::vector<std::string>{"一丁在左边"});

    expect_out_of_range_refused(*model, p, &SamplingParams::knowledge_guidance, "knowledge_guidance");
}

// Colour guidance reads the prompt without its colours (c0) apart: at guidance
// 1, logits c0 + h * (c - c0), which is guidance h against c0 as the negative
// prompt. Prompts that colour nothing, and h equal to the guidance, are drawn
// as without it; each part of a layout is read apart on its own.
TEST(Layout, ColourGuidanceAddsThePullOfTheColourWords) {
    auto model = tiny_model(FusionMode::Lattice);
    auto against = request("红色的七万丈", 3.0);
    against.negative_prompt = "七万丈";
    auto expected = generate(*model, against);
    ASSERT_TRUE(expected.ok()) << expected.message();
    auto p = request("红色的七万丈", 1.0);
    p.sampling.colour_guidance = 3.0;
    auto coloured = generate(*model, p);
    ASSERT_TRUE(coloured.ok()) << coloured.message();
    EXPECT_EQ(codes_of(*coloured), codes_of(*expected));
    EXPECT_EQ(coloured->colourless_prompts, std::vector<std::string>{"七万丈"});
    // The prompt that draws is read apart, whichever it is: here a region over
    // the whole grid, in place of the prompt.
    auto whole = request("一丁", 1.0);
    whole.regions = {
        {CellRect{0, 0, model->config.vqgan.grid_size(), model->config.vqgan.grid_size()}, "红色的七万丈"}};
    whole.sampling.colour_guidance = 3.0;
    auto region = generate(*model, whole);
    ASSERT_TRUE(region.ok()) << region.message();
    EXPECT_EQ(codes_of(*region), codes_of(*expected));
    EXPECT_EQ(region->colourless_prompts, std::vector<std::string>{"七万丈"});
    // Given entities (a name the user unlinked) are not read apart: the
    // colourless prompt would be linked afresh.
    auto given = p;
    given.entities = std::vector<LinkedSpan>{};
    auto unlinked = generate(*model, given);
    ASSERT_TRUE(unlinked.ok()) << unlinked.message();
    EXPECT_TRUE(unlinked->colourless_prompts.empty());
    auto unguided = generate(*model, request("红色的七万丈", 1.0));
    ASSERT_TRUE(unguided.ok()) << unguided.message();
    EXPECT_NE(codes_of(*coloured), codes_of(*unguided));  // the pass is not idle

    expect_as_plain(*model, request("七万丈", 2.0), &SamplingParams::colour_guidance, 3.0,
                    &GenerationResult::colourless_prompts);  // colours nothing
    expect_as_plain(*model, request("红色的七万丈", 2.0), &SamplingParams::colour_guidance, 2.0,
                    &GenerationResult::colourless_prompts);  // the guidance: nothing apart

    EXPECT_EQ(read_apart_in_parts(*model, "红色的一丁和七万", &SamplingParams::colour_guidance,
                                  &GenerationResult::colourless_prompts),
              std::vector<std::string>{"一丁在左边"});

    expect_out_of_range_refused(*model, p, &SamplingParams::colour_guidance, "colour_guidance");
}
