// The bundled data is found at run time, never through a compiled-in path.
#include "core/util/resources.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

namespace fs = std::filesystem;

struct EnvGuard {
    explicit EnvGuard(const char* name) : name_(name) {
        if (const char* v = std::getenv(name)) old_ = v, had_ = true;
    }
    ~EnvGuard() { had_ ? setenv(name_, old_.c_str(), 1) : unsetenv(name_); }
    const char* name_;
    std::string old_;
    bool had_ = false;
};

TEST(Resources, ExecutableDirIsThisTestsFolder) {
    const fs::path dir = executable_dir();
    ASSERT_FALSE(dir.empty());
    EXPECT_TRUE(fs::exists(dir / "test_util"));
}

TEST(Resources, EnvironmentVariableWinsWhenItHoldsAModel) {
    EnvGuard guard("SHENBI_MODEL_DIR");
    const test::TempDir tmp("resources-model");
    const fs::path& d = tmp.path();
    std::ofstream(d / "model.json") << "{}";
    setenv("SHENBI_MODEL_DIR", d.c_str(), 1);
    const auto found = default_model_dir();
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, fs::canonical(d));
}

TEST(Resources, EnvironmentVariableThatHoldsNoModelFallsThrough) {
    EnvGuard guard("SHENBI_MODEL_DIR");
    const test::TempDir tmp("resources-empty");
    const fs::path& d = tmp.path();
    setenv("SHENBI_MODEL_DIR", d.c_str(), 1);
    const auto found = default_model_dir();
    EXPECT_TRUE(!found || *found != fs::canonical(d));
    // The error names every place it looked, the variable first.
    const std::string where = describe_candidates("models/default", "SHENBI_MODEL_DIR");
    EXPECT_NE(where.find(d.string()), std::string::npos) << where;
    EXPECT_NE(where.find("share/shenbi/models/default"), std::string::npos) << where;
}

// Run from a build folder inside the source tree (as CI does), the source
// tree's resources/ are found by walking up from the executable.
TEST(Resources, SourceTreeIsFoundFromABuildFolderInsideIt) {
    EnvGuard g1("SHENBI_MODEL_DIR"), g2("SHENBI_KNOWLEDGE_DIR");
    unsetenv("SHENBI_MODEL_DIR");
    unsetenv("SHENBI_KNOWLEDGE_DIR");
    const fs::path source = fs::canonical(SHENBI_SOURCE_DIR);
    const fs::path exe = fs::canonical(executable_dir());
    if (std::mismatch(source.begin(), source.end(), exe.begin(), exe.end()).first != source.end())
        GTEST_SKIP() << "the build folder is outside the source tree";
    const auto graph = default_knowledge_dir();
    ASSERT_TRUE(graph);
    EXPECT_EQ(*graph, source / "resources" / "knowledge");
    if (fs::exists(source / "resources/models/default/model.json")) {
        const auto model = default_model_dir();
        ASSERT_TRUE(model);
        EXPECT_EQ(*model, source / "resources" / "models" / "default");
    }
}

}  // namespace
}  // namespace shenbi
