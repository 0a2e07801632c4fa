#include "core/format/state_dict.h"

#include <gtest/gtest.h>

#include <limits>

#include <torch/torch.h>

#include "core/model/artist_model.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

struct Leaf : torch::nn::Module {
    Leaf() {
        w = register_parameter("w", torch::ones({2, 3}));
        buf = register_buffer("buf", torch::zeros({4}));
    }
    torch::Tensor w, buf;
};

struct Root : torch::nn::Module {
    Root() {
        a = register_module("a", std::make_shared<Leaf>());
        p = register_parameter("p", torch::zeros({5}));
        b = register_module("b", std::make_shared<Leaf>());
    }
    std::shared_ptr<Leaf> a, b;
    torch::Tensor p;
};

std::vector<std::string> keys_of(const StateDict& sd) {
    std::vector<std::string> k;
    for (const auto& e : sd) k.push_back(e.first);
    return k;
}

TEST(StateDict, ModuleKeysFollowPyTorchOrder) {
    Root root;
    // PyTorch's state_dict(): a module's own tensors first, then its children.
    EXPECT_EQ(keys_of(module_state_dict(root)), (std::vector<std::string>{"p", "a.w", "a.buf", "b.w", "b.buf"}));
}

TEST(StateDict, StrictLoadCopiesAndConvertsDtype) {
    Root root;
    StateDict sd{{"p", torch::arange(5, torch::kFloat64)},
                 {"a.w", torch::full({2, 3}, 2.0)},
                 {"a.buf", torch::full({4}, 3.0f)},
                 {"b.w", torch::full({1}, 4.0f).expand({2, 3})},
                 {"b.buf", torch::full({4}, 5.0f)}};
    ASSERT_TRUE(load_state_dict_strict(root, sd).ok());
    EXPECT_EQ(root.p.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(root.p.equal(torch::arange(5, torch::kFloat32)));
    EXPECT_TRUE(root.b->w.equal(torch::full({2, 3}, 4.0f)));
    EXPECT_TRUE(root.b->buf.equal(torch::full({4}, 5.0f)));
}

TEST(StateDict, StrictLoadReportsEveryProblemAndCopiesNothing) {
    Root root;
    StateDict sd{{"p", torch::full({5}, 9.0f)},  // fits, must not be copied
                 {"a.w", torch::zeros({3, 2})},  // mis-shaped
                 {"b.w", torch::zeros({2, 3})},
                 {"b.buf", torch::zeros({4})},
                 {"extra.weight", torch::zeros({7})}};  // unexpected; a.buf missing
    auto st = load_state_dict_strict(root, sd);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::ShapeMismatch);
    const auto& m = st.message();
    EXPECT_NE(m.find("missing keys (1):\n  a.buf [4]"), std::string::npos) << m;
    EXPECT_NE(m.find("unexpected keys (1):\n  extra.weight [7]"), std::string::npos) << m;
    EXPECT_NE(m.find("a.w: checkpoint [3, 2], model [2, 3]"), std::string::npos) << m;
    EXPECT_TRUE(root.p.equal(torch::zeros({5})));
}

// Integers where the model has float weights, and NaN or infinite values, are
// refused by key (copy_ took both without a word), and nothing is copied.
TEST(StateDict, WrongDtypesAndNonFiniteValuesAreRefusedByKey) {
    Root root;
    auto fitting = [] {
        return StateDict{{"p", torch::full({5}, 9.0f)},
                         {"a.w", torch::zeros({2, 3})},
                         {"a.buf", torch::zeros({4})},
                         {"b.w", torch::zeros({2, 3})},
                         {"b.buf", torch::zeros({4})}};
    };
    auto ints = fitting();
    ints[1].second = torch::zeros({2, 3}, torch::kLong);
    auto st = load_state_dict_strict(root, ints);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::ShapeMismatch);
    EXPECT_NE(st.message().find("a.w: checkpoint dtype Long, the model's weights are Float"), std::string::npos)
        << st.message();
    auto nan = fitting();
    nan[3].second[1][2] = std::numeric_limits<float>::quiet_NaN();
    nan[4].second[0] = std::numeric_limits<float>::infinity();
    st = load_state_dict_strict(root, nan);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::Corrupt);
    EXPECT_NE(st.message().find("NaN or infinite values"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("b.w"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("b.buf"), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find("a.w"), std::string::npos) << st.message();
    EXPECT_TRUE(root.p.equal(torch::zeros({5})));  // nothing copied
    EXPECT_TRUE(load_state_dict_strict(root, fitting()).ok());
}

TEST(StateDict, LongListsAreCapped) {
    Root root;
    StateDict sd;
    for (int k = 0; k < 30; ++k) sd.emplace_back("x" + std::to_string(k), torch::zeros({1}));
    auto st = load_state_dict_strict(root, sd, 20);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("unexpected keys (30):"), std::string::npos);
    EXPECT_NE(st.message().find("x19"), std::string::npos);
    EXPECT_EQ(st.message().find("x20 "), std::string::npos);
    EXPECT_NE(st.message().find("... and 10 more"), std::string::npos);
}

TEST(StateDict, TinyModelRoundTripsThroughAFile) {
    auto config = ModelConfig::preset("tiny");
    ASSERT_TRUE(config.ok());
    torch::manual_seed(1);
    ArtistModel a(*config);
    torch::manual_seed(2);
    ArtistModel b(*config);
    test::TempDir dir;
    ASSERT_TRUE(write_state_dict(dir / "w.bin", module_state_dict(*a)).ok());
    auto sd = read_state_dict(dir / "w.bin");
    ASSERT_TRUE(sd.ok()) << sd.message();
    ASSERT_TRUE(load_state_dict_strict(*b, *sd).ok());
    const auto sa = module_state_dict(*a), sb = module_state_dict(*b);
    ASSERT_EQ(keys_of(sa), keys_of(sb));
    for (std::size_t k = 0; k < sa.size(); ++k) EXPECT_TRUE(sa[k].second.equal(sb[k].second)) << sa[k].first;
}

}  // namespace
}  // namespace shenbi
