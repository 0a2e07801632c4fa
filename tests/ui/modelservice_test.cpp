// ModelService over real model directories: what the model manager and the
// bundled default model go through (load a saved Shenbi directory, generate
// with it, refuse a broken one with a message naming the directory).
#include "ui/services/modelservice.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>

#include <qcoro/qcorotask.h>

#include "core/io/model_dir.h"
#include "core/model/model_bundle.h"
#include "core/model/precision.h"
#include "testsupport.h"
#include "ui/services/executor.h"
#include "ui/services/studio.h"
#include "ui/widgets/dialogs.h"
#include "ui/widgets/paramspanel.h"

namespace shenbi::ui {
namespace {

// Saves a tiny random model as a Shenbi model directory under `root`.
QString saveTinyModel(const QString& root) {
    auto config = ModelConfig::preset("tiny").value();
    auto bundle = make_random_bundle(config, 5);
    const QString dir = root + QStringLiteral("/tiny-model");
    const Status st = save_model_dir(*bundle, std::filesystem::path(dir.toStdString()));
    EXPECT_TRUE(st.ok()) << st.message();
    return dir;
}

TEST(ModelService, LoadsASavedModelDirectoryAndGeneratesWithIt) {
    QTemporaryDir tmp;
    const QString modelDir = saveTinyModel(tmp.path());
    auto studio = test::makeStudio(tmp.path());
    const LoadOutcome outcome = QCoro::waitFor(studio->models()->loadDirectory(modelDir, QStringLiteral("cpu")));
    ASSERT_TRUE(outcome.ok) << outcome.error.toStdString();
    EXPECT_EQ(studio->models()->info().textLen, 8);
    EXPECT_FALSE(studio->models()->info().checksum.isEmpty());

    GenerationRequest r;
    r.prompt = QStringLiteral("一丁");
    r.candidates = 2;
    r.seed = 3;
    const auto o = test::generateAndWait(*studio, r);
    ASSERT_EQ(o.status, JobStatus::Completed) << o.error.toStdString();
    EXPECT_EQ(o.candidates.size(), 2);
    EXPECT_EQ(o.record.model.checksum, studio->models()->info().checksum);
}

// A model that recommends its sampling (model.json "sampling") gets it in
// the parameters panel when it is loaded.
TEST(ModelService, RecommendedSamplingReachesTheParametersPanel) {
    QTemporaryDir tmp;
    auto config = ModelConfig::preset("tiny").value();
    config.sampling = RecommendedSampling{7, 0.8, 0.5, 3.5, 3};
    const QString modelDir = tmp.path() + QStringLiteral("/sampling-model");
    ASSERT_TRUE(save_model_dir(*make_random_bundle(config, 5), std::filesystem::path(modelDir.toStdString())).ok());
    auto studio = test::makeStudio(tmp.path());
    const LoadOutcome outcome = QCoro::waitFor(studio->models()->loadDirectory(modelDir, QStringLiteral("cpu")));
    ASSERT_TRUE(outcome.ok) << outcome.error.toStdString();
    ASSERT_TRUE(studio->models()->info().hasRecommendedSampling);
    ParamsPanel panel;
    panel.setModelInfo(studio->models()->info());
    const GenerationRequest r = panel.takeRequest(QStringLiteral("一丁"));
    EXPECT_EQ(r.topK, 7);
    EXPECT_DOUBLE_EQ(r.topP, 0.8);
    EXPECT_DOUBLE_EQ(r.temperature, 0.5);
    EXPECT_DOUBLE_EQ(r.guidance, 3.5);
    EXPECT_EQ(r.bestOf, 3);
    // and the guided best-of request generates (a second, unconditional pass per token; 6 sampled, 2 kept)
    GenerationRequest guided = r;
    guided.candidates = 2;
    const auto o = test::generateAndWait(*studio, guided);
    ASSERT_EQ(o.status, JobStatus::Completed) << o.error.toStdString();
    EXPECT_DOUBLE_EQ(o.record.request.guidance, 3.5);
    EXPECT_EQ(o.record.request.bestOf, 3);
    ASSERT_EQ(o.candidates.size(), 2);
    EXPECT_GE(o.candidates[0].likelihood, o.candidates[1].likelihood);  // the surest first
}

TEST(ModelService, BrokenDirectoryFailsAsValueAndKeepsTheCurrentModel) {
    QTemporaryDir tmp;
    const QString modelDir = saveTinyModel(tmp.path());
    QFile::remove(modelDir + QStringLiteral("/weights.bin"));
    auto studio = test::makeStudio(tmp.path());
    const QString before = studio->models()->info().checksum;
    const LoadOutcome outcome = QCoro::waitFor(studio->models()->loadDirectory(modelDir, QStringLiteral("cpu")));
    EXPECT_FALSE(outcome.ok);
    EXPECT_TRUE(outcome.error.contains(QStringLiteral("tiny-model"))) << outcome.error.toStdString();
    EXPECT_TRUE(studio->models()->isLoaded());
    EXPECT_EQ(studio->models()->info().checksum, before);
}

TEST(ModelService, BundledModelDirectoryIsFoundThroughTheEnvironment) {
    QTemporaryDir tmp;
    const QString modelDir = saveTinyModel(tmp.path());
    qputenv("SHENBI_MODEL_DIR", modelDir.toUtf8());
    EXPECT_EQ(ModelManagerDialog::bundledModelDir(), QDir::cleanPath(modelDir));
    qunsetenv("SHENBI_MODEL_DIR");
}

// The GPT's weights follow Preferences → Weights: the studio shows and
// records the precision a model runs in, and an unknown one is an error
// naming the choices, the open model kept.
TEST(ModelService, WeightsPrecisionIsAppliedShownAndRecorded) {
    QTemporaryDir tmp;
    const QString modelDir = saveTinyModel(tmp.path());
    auto studio = test::makeStudio(tmp.path());
    LoadOutcome outcome =
        QCoro::waitFor(studio->models()->loadDirectory(modelDir, QStringLiteral("cpu"), QStringLiteral("fp32")));
    ASSERT_TRUE(outcome.ok) << outcome.error.toStdString();
    EXPECT_EQ(studio->models()->info().precision, QStringLiteral("fp32"));

    outcome = QCoro::waitFor(studio->models()->loadDirectory(modelDir, QStringLiteral("cpu"), QStringLiteral("int8")));
    ASSERT_TRUE(outcome.ok) << outcome.error.toStdString();
    EXPECT_EQ(studio->models()->info().precision, QStringLiteral("int8"));
    GenerationRequest r;
    r.prompt = QStringLiteral("一丁");
    r.candidates = 1;
    const auto o = test::generateAndWait(*studio, r);
    ASSERT_EQ(o.status, JobStatus::Completed) << o.error.toStdString();
    EXPECT_EQ(o.record.toJson().value(QStringLiteral("model")).toObject().value(QStringLiteral("precision")).toString(),
              QStringLiteral("int8"));
    EXPECT_EQ(GenerationRecord::fromJson(o.record.toJson()).model.precision, QStringLiteral("int8"));

    outcome = QCoro::waitFor(studio->models()->loadDirectory(modelDir, QStringLiteral("cpu"), QStringLiteral("int3")));
    EXPECT_FALSE(outcome.ok);
    EXPECT_TRUE(outcome.error.contains(QStringLiteral("auto, fp32, bf16, int8 or w8a8")))
        << outcome.error.toStdString();
    EXPECT_EQ(studio->models()->info().precision, QStringLiteral("int8"));  // the open model is kept

    QSettings().setValue(QStringLiteral("model/precision"), QStringLiteral("fp32"));
    SettingsDialog dialog;
    EXPECT_EQ(dialog.precision(), QStringLiteral("fp32"));
    // w8a8 and bf16 are offered only where this CPU runs them at full speed;
    // a stored choice the dialog does not offer shows as Automatic.
    for (const auto& [name, wanted] : {std::pair{"w8a8", WeightPrecision::W8A8}, {"bf16", WeightPrecision::BFloat16}}) {
        QSettings().setValue(QStringLiteral("model/precision"), QString::fromLatin1(name));
        SettingsDialog offered;
        EXPECT_EQ(offered.precision(), cpu_runs_precision(wanted) ? QString::fromLatin1(name) : QStringLiteral("auto"))
            << name;
    }
    QSettings().remove(QStringLiteral("model/precision"));
    SettingsDialog fresh;
    EXPECT_EQ(fresh.precision(), QStringLiteral("auto"));  // the default
}

}  // namespace
}  // namespace shenbi::ui
