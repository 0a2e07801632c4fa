// The fine-tune wizard, driven as an artist would: a folder with two broken
// images and an empty caption, LoRA on a tiny model, pause / resume / stop,
// finish, the new model in the model manager, generation with it; and a run
// killed mid-way, continued from its checkpoint as the studio offers at start.
#include <gtest/gtest.h>

#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include "core/model/precision.h"
#include "testsupport.h"
#include "tinymodel.h"
#include "ui/mainwindow.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"
#include "ui/services/trainingservice.h"
#include "ui/widgets/dialogs.h"
#include "ui/wizard/datapage.h"
#include "ui/wizard/finetunewizard.h"
#include "ui/wizard/finishpage.h"
#include "ui/wizard/knowledgepage.h"
#include "ui/wizard/methodpage.h"
#include "ui/wizard/trainingpage.h"

namespace shenbi::ui {
namespace {

// A copy of tests/data/finetune-folder: the wizard writes edited captions back.
QString copyFixtureFolder(const QString& to) {
    const QDir from(QStringLiteral(SHENBI_UI_TEST_DATA "/../../data/finetune-folder"));
    QDir().mkpath(to);
    for (const QString& name : from.entryList(QDir::Files)) QFile::copy(from.filePath(name), QDir(to).filePath(name));
    return to;
}

// The studio with the tiny model directory open (the wizard's base).
std::unique_ptr<Studio> studioOnTinyModel(const QTemporaryDir& tmp, QString* modelDir) {
    *modelDir = tmp.filePath(QStringLiteral("base"));
    EXPECT_EQ(test::writeTinyModel(*modelDir), QString());
    auto studio = test::makeStudio(tmp.filePath(QStringLiteral("data")));
    const LoadOutcome o = QCoro::waitFor(studio->models()->loadDirectory(*modelDir, QStringLiteral("cpu")));
    EXPECT_TRUE(o.ok) << o.error.toStdString();
    return studio;
}

template <class T>
T* child(QWidget* parent, const char* name) {
    T* w = parent->findChild<T*>(QString::fromLatin1(name));
    EXPECT_NE(w, nullptr) << name;
    return w;
}

void setAdvanced(MethodPage* method, int steps, int every, const QString& runDir) {
    child<QSpinBox>(method, "steps")->setValue(steps);
    child<QSpinBox>(method, "batch")->setValue(2);
    child<QSpinBox>(method, "evalEvery")->setValue(every);
    child<QSpinBox>(method, "saveEvery")->setValue(every);
    child<QSpinBox>(method, "threads")->setValue(1);
    child<QLineEdit>(method, "runDir")->setText(runDir);
    child<QPlainTextEdit>(method, "prompts")->setPlainText(QStringLiteral("一个红色的圆\n") + test::tinyEntityName());
}

TEST(FinetuneWizard, EndToEndWithLoraOnAFolderWithProblems) {
    QSettings().clear();
    QTemporaryDir tmp;
    QString base;
    auto studio = studioOnTinyModel(tmp, &base);
    MainWindow window(studio.get());
    FinetuneWizard* wizard = window.openFinetuneWizard();
    ASSERT_TRUE(wizard->isVisible());

    // Data: the report names the three problem files before anything trains.
    DataPage* data = wizard->dataPage();
    data->setFolder(copyFixtureFolder(tmp.filePath(QStringLiteral("images"))));
    ASSERT_TRUE(test::waitUntil([&] { return !data->isChecking(); }));
    const QString report = data->reportLines().join(QLatin1Char('\n'));
    for (const char* file : {"truncated.png", "not-an-image.jpg", "yellow-star"})
        EXPECT_TRUE(report.contains(QLatin1String(file))) << file << " not in:\n" << report.toStdString();
    EXPECT_EQ(data->usableCount(), 3);
    // A caption corrected under its thumbnail is saved to its .txt.
    auto* thumbnails = child<QListWidget>(data, "thumbnailList");
    const auto found = thumbnails->findItems(QStringLiteral("一个红色的圆"), Qt::MatchExactly);
    ASSERT_EQ(found.size(), 1);
    found.first()->setText(QStringLiteral("一个红色的圆，细线条"));
    QFile caption(tmp.filePath(QStringLiteral("images/red-circle.txt")));
    ASSERT_TRUE(caption.open(QIODevice::ReadOnly));
    EXPECT_EQ(QString::fromUtf8(caption.readAll()).trimmed(), QStringLiteral("一个红色的圆，细线条"));
    ASSERT_TRUE(wizard->button(QWizard::NextButton)->isEnabled());
    wizard->next();

    // Knowledge: a name of the artist's own, tied to one the model knows.
    ASSERT_EQ(wizard->currentId(), FinetuneWizard::KnowledgePageId);
    wizard->knowledgePage()->setTriples({{QStringLiteral("阿花"), QStringLiteral("是一种"), test::tinyEntityName()}});
    wizard->next();

    // Method: LoRA, a run long enough to pause in, every value validated.
    ASSERT_EQ(wizard->currentId(), FinetuneWizard::MethodPageId);
    MethodPage* method = wizard->methodPage();
    method->setLora(true);
    const QString runDir = tmp.filePath(QStringLiteral("run"));
    setAdvanced(method, 400, 0, runDir);
    child<QSpinBox>(method, "batch")->setValue(0);  // below the spin box's range: clamped to 1
    child<QLineEdit>(method, "learningRate")->setText(QStringLiteral("fast"));
    wizard->next();
    ASSERT_EQ(wizard->currentId(), FinetuneWizard::MethodPageId) << "a bad learning rate must stop the wizard";
    EXPECT_TRUE(method->errors().join(QLatin1Char('\n')).contains(QStringLiteral("--learning_rate")));
    child<QLineEdit>(method, "learningRate")->setText(QStringLiteral("0.001"));
    setAdvanced(method, 400, 100, runDir);
    wizard->next();

    // Training: steps arrive, pause holds them, resume continues, stop finishes.
    ASSERT_EQ(wizard->currentId(), FinetuneWizard::TrainingPageId);
    auto* training = qobject_cast<TrainingPage*>(wizard->currentPage());
    TrainingService* service = studio->training();
    ASSERT_TRUE(test::waitUntil([&] { return training->trainingPointCount() >= 3; }, 120000))
        << training->statusText().toStdString();
    child<QPushButton>(training, "pauseButton")->click();
    ASSERT_TRUE(service->isPaused());
    QTest::qWait(300);  // the step under way ends, then nothing moves
    const int held = training->trainingPointCount();
    QTest::qWait(500);
    EXPECT_EQ(training->trainingPointCount(), held);
    child<QPushButton>(training, "pauseButton")->click();
    EXPECT_FALSE(service->isPaused());
    ASSERT_TRUE(test::waitUntil([&] { return training->trainingPointCount() > held; }));
    child<QPushButton>(training, "stopButton")->click();
    ASSERT_TRUE(test::waitUntil([&] { return training->hasResult(); }, 120000));
    EXPECT_EQ(training->result().status, TrainingResult::Status::Stopped) << training->result().error.toStdString();
    EXPECT_EQ(training->result().newEntities, QStringList{QStringLiteral("阿花")});
    EXPECT_GE(training->validationPointCount(), 1);
    EXPECT_EQ(training->sampleRowCount(), 2);
    ASSERT_TRUE(wizard->button(QWizard::NextButton)->isEnabled());
    wizard->next();

    // Finish: the exported command is the CLI's, then the model is registered and opened.
    ASSERT_EQ(wizard->currentId(), FinetuneWizard::FinishPageId);
    auto* finish = qobject_cast<FinishPage*>(wizard->currentPage());
    EXPECT_TRUE(finish->command().startsWith(QStringLiteral("shenbi-cli finetune --model ")));
    EXPECT_TRUE(finish->command().contains(QStringLiteral("--lora_rank 8")));
    // bf16 mixed precision is on by default where the CPU has native bf16, and absent elsewhere.
    EXPECT_EQ(finish->command().contains(QStringLiteral("--mixed_precision bf16")),
              cpu_runs_precision(shenbi::WeightPrecision::BFloat16))
        << finish->command().toStdString();
    EXPECT_TRUE(finish->command().contains(QStringLiteral("--triples ") + runDir + QStringLiteral("/triples.tsv")))
        << "the triples move with the run folder chosen on the method page";
    child<QLineEdit>(finish, "nameEdit")->setText(QStringLiteral("我的圆形"));
    wizard->button(QWizard::FinishButton)->click();
    ASSERT_FALSE(finish->registeredEntry().isEmpty());
    EXPECT_TRUE(ModelManagerDialog::knownModels().contains(finish->registeredEntry()));
    const QString published = finish->registeredEntry().mid(4);  // "dir:"
    EXPECT_TRUE(QFile::exists(published + QStringLiteral("/adapter.json")));
    EXPECT_TRUE(QFile::exists(published + QStringLiteral("/entity2vec.bin"))) << "the new name's vector travels";
    EXPECT_TRUE(ModelManagerDialog::entryLabel(finish->registeredEntry()).contains(QStringLiteral("LoRA")));

    // "Open it in the studio now" loaded it; it generates.
    ASSERT_TRUE(test::waitUntil([&] { return studio->models()->info().dir == published; }));
    GenerationRequest request;
    request.prompt = QStringLiteral("阿花");
    request.candidates = 1;
    const GenerationOutcome out = test::generateAndWait(*studio, request);
    EXPECT_EQ(out.status, JobStatus::Completed) << out.error.toStdString();
    EXPECT_EQ(out.candidates.size(), 1);
    EXPECT_TRUE(TrainingService::unfinishedRuns().isEmpty());
}

TEST(FinetuneWizard, AKilledRunIsOfferedAndContinuesFromItsCheckpoint) {
    QSettings().clear();
    QTemporaryDir tmp;
    QString base;
    auto studio = studioOnTinyModel(tmp, &base);
    TrainingService* service = studio->training();
    shenbi::FinetunePlan plan;
    plan.base_model = base.toStdString();
    plan.folder = copyFixtureFolder(tmp.filePath(QStringLiteral("images"))).toStdString();
    plan.run_dir = tmp.filePath(QStringLiteral("run")).toStdString();
    plan.lora_rank = 2;
    plan.learning_rate = 1e-3;
    plan.max_steps = 30;
    plan.micro_batch = 2;
    plan.save_every = 4;
    plan.threads = 1;
    qint64 lastStep = 0;
    QObject::connect(service, &TrainingService::stepped, service, [&](const TrainingStep& s) {
        lastStep = s.step;
        if (s.step == 6) service->cancel();  // the app goes away mid-run
    });
    ASSERT_TRUE(service->start(plan));
    ASSERT_TRUE(test::waitUntil([&] { return !service->isRunning(); }, 120000));
    EXPECT_LT(lastStep, 30);
    const QString runDir = QString::fromStdString(plan.run_dir.string());
    ASSERT_EQ(TrainingService::unfinishedRuns(), QStringList{runDir});

    // The next start: the window continues it with the same settings.
    MainWindow window(studio.get());
    QString error;
    FinetuneWizard* wizard = window.continueFinetune(runDir, &error);
    ASSERT_NE(wizard, nullptr) << error.toStdString();
    EXPECT_EQ(wizard->currentId(), FinetuneWizard::TrainingPageId);
    EXPECT_EQ(wizard->plan().max_steps, 30);
    EXPECT_EQ(wizard->plan().lora_rank, 2);
    auto* training = qobject_cast<TrainingPage*>(wizard->currentPage());
    ASSERT_TRUE(test::waitUntil([&] { return training->hasResult(); }, 120000));
    EXPECT_EQ(training->result().status, TrainingResult::Status::Finished) << training->result().error.toStdString();
    EXPECT_GE(training->result().resumedFrom, 4);
    EXPECT_EQ(training->result().steps, 30);
    EXPECT_TRUE(TrainingService::unfinishedRuns().isEmpty());
    wizard->close();
}

}  // namespace
}  // namespace shenbi::ui
