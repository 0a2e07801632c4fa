// save_model_dir with `verify`, which `import-easynlp` sets: the model
// directory is written beside --out, loaded back through load_model_dir (the
// loader `generate` uses) and compared with what was imported, and only then
// swapped in. Weights damaged after they were written used to be stored
// under a checksum computed from the damaged file, and the import reported
// success. Damaged *source* files are refused on reading (zip CRCs,
// TorchFile.AFlippedByteInTensorDataIsCaughtByTheZipCrc); these tests damage
// the output side, from save_model_dir's on_file_written hook, which runs
// after weights.bin is written and before its checksum is taken.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <torch/torch.h>

#include "core/format/state_dict.h"
#include "core/format/torch_file.h"
#include "core/io/model_dir.h"
#include "core/util/atomic_file.h"
#include "tests/io/io_test_util.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;
using test::same_weights;
using test::TempDir;
using test::tiny_io_bundle;

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// The weights.bin that save_model_dir is writing: the one in its temp folder
// (.NAME.saving-N), not the one of a finished directory.
fs::path weights_being_saved(const fs::path& root) {
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.path().filename() == "weights.bin" &&
            e.path().parent_path().filename().string().find(".saving-") != std::string::npos)
            return e.path();
    return {};
}

// The model's largest tensor: where a flipped bit lands in weight data.
torch::Tensor largest_weight(const ModelBundle& bundle) {
    torch::Tensor best;
    for (const auto& [key, t] : module_state_dict(*bundle.net))
        if (!best.defined() || t.numel() > best.numel()) best = t;
    return best.detach().cpu().contiguous();
}

// One bit of one weight flipped in the file being saved: its zip record no
// longer matches its CRC-32, but the checksum in model.json is taken after.
std::function<Status(std::string_view)> flip_a_weight(const fs::path& root, const ModelBundle& bundle) {
    const torch::Tensor weight = largest_weight(bundle);
    return [root, weight](std::string_view file) -> Status {
        if (file != "weights.bin") return Status::success();
        const fs::path path = weights_being_saved(root);
        if (path.empty()) return make_error(ErrorCode::NotFound, "no weights.bin being saved under " + root.string());
        auto bytes = read_file(path);
        if (!bytes) return bytes.error();
        const std::string pattern(static_cast<const char*>(weight.data_ptr()),
                                  std::min<std::size_t>(64, weight.nbytes()));
        const auto at = bytes->find(pattern);
        if (at == std::string::npos) return make_error(ErrorCode::NotFound, "weight data not found in weights.bin");
        std::string damaged = *bytes;
        damaged[at + pattern.size() / 2] = static_cast<char>(damaged[at + pattern.size() / 2] ^ 0x01);
        return write_file_atomic(path, damaged);
    };
}

// save_model_dir with SaveModelOptions::verify, which import-easynlp sets.
Status save_verified(const ModelBundle& bundle, const fs::path& dir, SaveModelOptions options = {}) {
    options.verify = true;
    return save_model_dir(bundle, dir, options);
}

TEST(SaveVerified, AStoredModelReadsBackAndReplacesTheOldOne) {
    TempDir tmp;
    const auto dir = tmp / "model";
    auto first = tiny_io_bundle(1), second = tiny_io_bundle(2);
    ASSERT_TRUE(save_model_dir(*first, dir).ok());
    ASSERT_FALSE(same_weights(*first, *second));
    const Status st = save_verified(*second, dir, {{{"imported_from", "unit test"}}, {}, {}});
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(entries(tmp.path()), std::vector<std::string>{"model"});  // no staged, temp or old folder
    auto loaded = load_model_dir(dir, c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_TRUE(same_weights(*second, **loaded));
    ASSERT_TRUE((*loaded)->entities);
    EXPECT_EQ((*loaded)->entities->names(), second->entities->names());
}

// Stored in half precision: compared as stored, so the rounding is no error.
TEST(SaveVerified, AStoredDtypeIsComparedAsStored) {
    TempDir tmp;
    SaveModelOptions half;
    half.weights_dtype = torch::kHalf;
    const Status st = save_verified(*tiny_io_bundle(1), tmp / "model", half);
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(entries(tmp.path()), std::vector<std::string>{"model"});
}

TEST(SaveVerified, WeightsDamagedAfterWritingAreCaughtAndNothingIsStored) {
    TempDir tmp;
    const auto dir = tmp / "model";
    auto first = tiny_io_bundle(1), second = tiny_io_bundle(2);
    ASSERT_TRUE(save_model_dir(*first, dir).ok());

    // What import-easynlp did before: save_model_dir alone reports success
    // with the damaged weights under a checksum taken from the damaged file.
    {
        TempDir plain;
        SaveModelOptions damaging;
        damaging.on_file_written = flip_a_weight(plain.path(), *second);
        ASSERT_TRUE(save_model_dir(*second, plain / "model", damaging).ok());
        auto reload = load_model_dir(plain / "model", c10::kCPU);
        ASSERT_FALSE(reload.ok());  // only a later load finds it (the zip CRC)
        EXPECT_NE(reload.message().find("is damaged"), std::string::npos) << reload.message();
    }

    SaveModelOptions damaging;
    damaging.on_file_written = flip_a_weight(tmp.path(), *second);
    const Status st = save_verified(*second, dir, damaging);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::Corrupt);
    EXPECT_EQ(st.message().rfind(dir.string() + ": not saved: what was written does not read back: ", 0), 0u)
        << st.message();
    EXPECT_NE(st.message().find("weights.bin: record data/"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("is damaged"), std::string::npos) << st.message();
    // The previous model is whole and alone.
    EXPECT_EQ(entries(tmp.path()), std::vector<std::string>{"model"});
    auto kept = load_model_dir(dir, c10::kCPU);
    ASSERT_TRUE(kept.ok()) << kept.message();
    EXPECT_TRUE(same_weights(*first, **kept));
}

// Other weights that are themselves valid (right CRCs, right keys and
// shapes, finite): only the comparison with what was imported sees them.
TEST(SaveVerified, OtherValidWeightsAreCaughtByTheComparison) {
    TempDir tmp;
    const auto dir = tmp / "model";
    auto second = tiny_io_bundle(2), other = tiny_io_bundle(3);
    SaveModelOptions replacing;
    replacing.on_file_written = [root = tmp.path(), other](std::string_view file) -> Status {
        if (file != "weights.bin") return Status::success();
        const fs::path path = weights_being_saved(root);
        if (path.empty()) return make_error(ErrorCode::NotFound, "no weights.bin being saved");
        return write_state_dict(path, module_state_dict(*other->net));
    };
    const Status st = save_verified(*second, dir, replacing);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::Corrupt);
    EXPECT_NE(st.message().find("read back differs from what was written"), std::string::npos) << st.message();
    EXPECT_TRUE(entries(tmp.path()).empty());  // no model/, no staged or temp folder
}

TEST(SaveVerified, AFailedSaveLeavesNothing) {
    TempDir tmp;
    SaveModelOptions failing;
    failing.on_file_written = [](std::string_view file) -> Status {
        if (file == "vocab.txt") return make_error(ErrorCode::Io, "disk full (injected)");
        return Status::success();
    };
    const Status st = save_verified(*tiny_io_bundle(1), tmp / "model", failing);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("injected"), std::string::npos) << st.message();
    EXPECT_TRUE(entries(tmp.path()).empty());
}

}  // namespace
}  // namespace shenbi
