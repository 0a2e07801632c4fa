#include "core/io/model_dir.h"

#include <gtest/gtest.h>

#include <csignal>

#include <sys/resource.h>
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>

#include "core/format/state_dict.h"
#include "core/format/torch_file.h"
#include "core/io/easynlp_import.h"
#include "core/knowledge/entity_table.h"
#include "core/text/tokenizer.h"
#include "core/util/atomic_file.h"
#include "tests/io/io_test_util.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

using test::same_weights;
using test::tiny_io_bundle;

void expect_same_weights(ModelBundle& a, ModelBundle& b) {
    const auto sa = module_state_dict(*a.net), sb = module_state_dict(*b.net);
    ASSERT_EQ(sa.size(), sb.size());
    for (std::size_t k = 0; k < sa.size(); ++k) {
        EXPECT_EQ(sa[k].first, sb[k].first);
        EXPECT_TRUE(sa[k].second.equal(sb[k].second)) << sa[k].first;
    }
}

// Nothing but `keep` may remain in the parent: no temp or old directories.
void expect_only(const fs::path& parent, const std::string& keep) {
    for (const auto& e : fs::directory_iterator(parent)) EXPECT_EQ(e.path().filename().string(), keep);
}

// `parent` holds only model/, and it loads with the weights of `expected`.
void expect_sole_model(const fs::path& parent, ModelBundle& expected) {
    auto loaded = load_model_dir(parent / "model", c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    expect_same_weights(expected, **loaded);
    expect_only(parent, "model");
}

TEST(ModelDir, TinyRoundTripKeepsEverything) {
    TempDir tmp;
    auto saved = tiny_io_bundle(1);
    const auto dir = tmp / "model";
    ASSERT_TRUE(save_model_dir(*saved, dir, {{{"origin", "unit test"}}, {}}).ok());
    for (const char* f : {"model.json", "vocab.txt", "weights.bin", "entity2vec.bin", "entity2id.txt"})
        EXPECT_TRUE(fs::exists(dir / f)) << f;
    auto loaded = load_model_dir(dir, c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    auto& b = **loaded;
    expect_same_weights(*saved, b);
    EXPECT_EQ(to_json(b.config), to_json(saved->config));
    EXPECT_EQ(b.tokenizer->vocab(), saved->tokenizer->vocab());
    ASSERT_TRUE(b.entities);
    EXPECT_EQ(b.entities->names(), saved->entities->names());
    EXPECT_TRUE(b.entities->vectors().equal(saved->entities->vectors()));
    EXPECT_EQ(b.checksum, *file_checksum(dir / "weights.bin"));
    EXPECT_EQ(b.dir, dir);
    EXPECT_FALSE(b.net->is_training());
    auto json = read_file(dir / "model.json");
    ASSERT_TRUE(json.ok());
    EXPECT_NE(json->find("\"origin\": \"unit test\""), std::string::npos);
    expect_only(tmp.path(), "model");
}

TEST(ModelDir, WithoutEntityTable) {
    TempDir tmp;
    auto saved = tiny_io_bundle(3, false);
    ASSERT_TRUE(save_model_dir(*saved, tmp / "m").ok());
    EXPECT_FALSE(fs::exists(tmp / "m" / "entity2vec.bin"));
    auto loaded = load_model_dir(tmp / "m", c10::kCPU);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_FALSE((*loaded)->entities);
    expect_same_weights(*saved, **loaded);
}

TEST(ModelDir, OverwriteReplacesTheDirectory) {
    TempDir tmp;
    const auto dir = tmp / "model";
    auto first = tiny_io_bundle(1), second = tiny_io_bundle(2);
    ASSERT_TRUE(save_model_dir(*first, dir).ok());
    ASSERT_TRUE(save_model_dir(*second, dir).ok());
    expect_sole_model(tmp.path(), *second);
}

TEST(ModelDir, FailedSaveLeavesThePreviousDirectoryIntact) {
    TempDir tmp;
    const auto dir = tmp / "model";
    auto first = tiny_io_bundle(1), second = tiny_io_bundle(2);
    ASSERT_TRUE(save_model_dir(*first, dir).ok());
    ASSERT_FALSE(same_weights(*first, *second));
    SaveModelOptions failing;
    failing.on_file_written = [](std::string_view file) -> Status {
        if (file == "vocab.txt") return make_error(ErrorCode::Io, "disk full (injected)");
        return Status::success();
    };
    auto st = save_model_dir(*second, dir, failing);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("injected"), std::string::npos);
    expect_sole_model(tmp.path(), *first);
}

// A full disk, for real: a child process whose file-size limit (RLIMIT_FSIZE,
// the kernel's EFBIG, as ENOSPC would) stops every write after 4 KB. Saving
// must come back as an error naming the file, leave no temp file or folder,
// keep the previous model directory whole, and never abort the process (a
// LibTorch writer used to throw from its destructor: exit 134).
TEST(ModelDir, AFullDiskIsAnErrorAndLeavesNothingBehind) {
    TempDir tmp;
    const auto kept = tmp / "kept";
    ASSERT_TRUE(save_model_dir(*tiny_io_bundle(1), kept).ok());
    auto second = tiny_io_bundle(2);
    const auto big = torch::randn({100000});  // made before fork(): the child runs no thread pool
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::signal(SIGXFSZ, SIG_IGN);  // the write fails with EFBIG instead of killing the process
        rlimit limit{4096, 4096};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        int failures = 0;
        auto weights = write_state_dict(tmp / "w.bin", {{"x", big}});
        if (weights.ok() || weights.message().find("w.bin") == std::string::npos ||
            weights.message().find("File too large") == std::string::npos)
            failures |= 1;
        auto fresh = save_model_dir(*second, tmp / "fresh");
        if (fresh.ok() || fresh.message().find("weights.bin") == std::string::npos) failures |= 2;
        if (save_model_dir(*second, kept).ok()) failures |= 4;
        ::_exit(failures);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "the child died of signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 0) << "bit 1: write_state_dict, 2: a new model directory, 4: over an old one";
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(tmp.path())) left.push_back(e.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"kept"});  // no w.bin, no temp file, no fresh/, no .saving folder
    auto back = load_model_dir(kept, c10::kCPU);
    ASSERT_TRUE(back.ok()) << back.message();
    expect_same_weights(**back, *tiny_io_bundle(1));
}

// A model.json whose sizes disagree with its weights is refused before the
// model is built: n_layer 100000 used to allocate until memory ran out.
TEST(ModelDir, ConfigSizesAreCheckedAgainstTheWeightsBeforeBuilding) {
    TempDir tmp;
    const auto dir = tmp / "model";
    ASSERT_TRUE(save_model_dir(*tiny_io_bundle(1), dir).ok());
    const std::string json = read_file(dir / "model.json").value();
    for (const auto& [field, value] : {std::pair{"n_layer", "100000"}, {"n_embd", "64"}}) {
        std::string edited = json;
        const auto at = edited.find(std::string("\"") + field + "\": ");
        ASSERT_NE(at, std::string::npos) << field;
        const auto begin = edited.find(": ", at) + 2, end = edited.find(',', begin);
        edited.replace(begin, end - begin, value);
        ASSERT_TRUE(write_file_atomic(dir / "model.json", edited).ok());
        auto loaded = load_model_dir(dir, c10::kCPU);
        ASSERT_FALSE(loaded.ok()) << field;
        EXPECT_EQ(loaded.error().code, ErrorCode::ShapeMismatch) << loaded.message();
        EXPECT_NE(loaded.message().find(std::string("the config says ") + field + " " + value), std::string::npos)
            << loaded.message();
    }
}

// A model saved with an entity table records it in model.json: a missing
// entity2vec.bin is an error naming the file, not knowledge silently off.
TEST(ModelDir, AMissingEntityTableIsAnError) {
    TempDir tmp;
    const auto dir = tmp / "model";
    ASSERT_TRUE(save_model_dir(*tiny_io_bundle(1), dir).ok());
    fs::remove(dir / "entity2vec.bin");
    auto loaded = load_model_dir(dir, c10::kCPU);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::Corrupt);
    EXPECT_NE(loaded.message().find("entity2vec.bin is missing"), std::string::npos) << loaded.message();
    EXPECT_NE(loaded.message().find("3 entities"), std::string::npos) << loaded.message();
}

TEST(ModelDir, DamagedWeightsAreDetected) {
    TempDir tmp;
    const auto dir = tmp / "model";
    ASSERT_TRUE(save_model_dir(*tiny_io_bundle(1), dir).ok());
    auto bytes = read_file(dir / "weights.bin");
    ASSERT_TRUE(bytes.ok());
    std::string b = *bytes;
    b[b.size() / 2] = static_cast<char>(b[b.size() / 2] ^ 1);
    ASSERT_TRUE(write_file_atomic(dir / "weights.bin", b).ok());
    auto loaded = load_model_dir(dir, c10::kCPU);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::Corrupt);
    EXPECT_NE(loaded.message().find((dir / "weights.bin").string()), std::string::npos) << loaded.message();
}

TEST(ModelDir, WeightsOfAnotherConfigAreRefusedWithKeys) {
    TempDir tmp;
    const auto dir = tmp / "model";
    ASSERT_TRUE(save_model_dir(*tiny_io_bundle(1), dir).ok());
    // Claim one more text token than the weights have (the checksum covers
    // weights.bin only, and the layer count and width still agree, so the
    // key-by-key check is what fails, naming the key and both shapes).
    auto json = read_file(dir / "model.json");
    ASSERT_TRUE(json.ok());
    std::string j = *json;
    const auto at = j.find("\"text_vocab\": 64");
    ASSERT_NE(at, std::string::npos);
    j.replace(at, 16, "\"text_vocab\": 65");
    ASSERT_TRUE(write_file_atomic(dir / "model.json", j).ok());
    auto loaded = load_model_dir(dir, c10::kCPU);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::ShapeMismatch);
    EXPECT_NE(loaded.message().find("transformer.tok_emb.weight"), std::string::npos) << loaded.message();
}

TEST(ModelDir, NotAModelDirectory) {
    TempDir tmp;
    auto r = load_model_dir(tmp.path(), c10::kCPU);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
    r = load_model_dir(tmp / "absent", c10::kCPU);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("absent"), std::string::npos);
}

TEST(EasyNlpConfig, ReadsArtistConfig) {
    auto c = easynlp_model_config(R"({"model_type": "artist", "vocab_size": 37512, "img_vocab_size": 16384,
        "text_vocab_size": 21128, "block_size": 288, "n_layer": 12, "n_head": 12, "n_embd": 768,
        "embd_pdrop": 0.0, "resid_pdrop": 0.0, "attn_pdrop": 0.0, "n_unmasked": 0, "extra": "ignored"})",
                                  true, 100);
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->gpt.text_len, 32);
    EXPECT_EQ(c->gpt.img_len, 256);
    EXPECT_EQ(c->gpt.vocab_size(), 37512);
    EXPECT_EQ(c->gpt.fusion, FusionMode::EasyNLP);
    EXPECT_EQ(c->gpt.ent_dim, 100);
    EXPECT_EQ(c->vqgan.n_embed, 16384);
    auto plain = easynlp_model_config(R"({"n_layer": 24, "n_head": 16, "n_embd": 1024})", false, 0);
    ASSERT_TRUE(plain.ok()) << plain.message();
    EXPECT_EQ(plain->gpt.fusion, FusionMode::None);
    EXPECT_EQ(plain->gpt.n_layer, 24);
}

TEST(EasyNlpConfig, RefusesWhatItCannotLoad) {
    EXPECT_FALSE(easynlp_model_config(R"({"img_vocab_size": 8192, "vocab_size": 29320})", false, 0).ok());
    EXPECT_FALSE(easynlp_model_config(R"({"vocab_size": 100})", false, 0).ok());
    EXPECT_FALSE(easynlp_model_config(R"({"n_embd": 100, "n_head": 12})", false, 0).ok());
    EXPECT_FALSE(easynlp_model_config("not json", false, 0).ok());
}

}  // namespace
}  // namespace shenbi
