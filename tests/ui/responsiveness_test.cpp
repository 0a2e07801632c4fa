// Responsiveness probe: while the window generates (small random model,
// 16 candidates, live previews), a 5 ms QTimer on the GUI thread measures
// the longest gap between its ticks. Reported, not asserted (no timing
// assertions in tests); docs/responsiveness.md keeps the measured numbers.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cstdio>

#include "testsupport.h"
#include "tinymodel.h"
#include "ui/mainwindow.h"
#include "ui/services/generationservice.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"
#include "ui/services/trainingservice.h"
#include "ui/widgets/gallery.h"
#include "ui/widgets/paramspanel.h"
#include "ui/widgets/prompteditor.h"
#include "ui/wizard/finetunewizard.h"
#include "ui/wizard/trainingpage.h"

namespace shenbi::ui {
namespace {

// A 5 ms precise timer on the GUI thread; the longest gap between its ticks,
// less the interval, is the longest event-loop stall.
class StallProbe {
public:
    explicit StallProbe(QObject* context) {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kIntervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, context, [this]() {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0) m_longest = std::max(m_longest, now - m_last);
            m_last = now;
            ++m_ticks;
        });
    }
    void start() {
        m_clock.start();
        m_timer.start();
    }
    void stop() {
        m_timer.stop();
        m_seconds = m_clock.elapsed() / 1000.0;
    }
    double seconds() const { return m_seconds; }
    // Prints the figures after `what`, records them, appends them to
    // $SHENBI_RESPONSIVENESS_REPORT when set.
    void report(const QString& what) const {
        const double longestMs = m_longest / 1e6;
        const double stallMs = std::max(0.0, longestMs - kIntervalMs);
        const QString line = QStringLiteral(
                                 "[responsiveness] %1; %2 timer ticks; longest gap between %3 ms ticks %4 ms = "
                                 "longest event-loop stall %5 ms (target < 50 ms)")
                                 .arg(what)
                                 .arg(m_ticks)
                                 .arg(kIntervalMs)
                                 .arg(longestMs, 0, 'f', 1)
                                 .arg(stallMs, 0, 'f', 1);
        std::printf("%s\n", qPrintable(line));
        std::fflush(stdout);
        ::testing::Test::RecordProperty("longest_stall_ms", QString::number(stallMs, 'f', 1).toStdString());
        const QString file = qEnvironmentVariable("SHENBI_RESPONSIVENESS_REPORT");
        if (file.isEmpty()) return;
        QFile f(file);
        if (f.open(QIODevice::WriteOnly | QIODevice::Append)) f.write(line.toUtf8() + '\n');
    }

private:
    static constexpr int kIntervalMs = 5;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1, m_longest = 0;
    int m_ticks = 0;
    double m_seconds = 0;
};

TEST(Responsiveness, EventLoopStaysResponsiveWhileGenerating) {
    QSettings().clear();
    QTemporaryDir dir;
    auto studio = test::makeStudio(dir.path(), QStringLiteral("small"));
    ASSERT_TRUE(studio->models()->isLoaded());
    MainWindow window(studio.get());
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.editor()->setPrompt(QStringLiteral("北京大学的未名湖，冬天，雪，水墨画"));
    GenerationRequest warm = window.params()->takeRequest(window.editor()->prompt());
    warm.candidates = 1;
    test::generateAndWait(*studio, warm);  // first-run allocations out of the measurement

    StallProbe probe(&window);
    int previews = 0;
    QObject::connect(studio->generation(), &GenerationService::preview, &window, [&]() { ++previews; });
    bool done = false;
    QObject::connect(studio->generation(), &GenerationService::jobFinished, &window,
                     [&](const GenerationOutcome&) { done = true; });

    // The window's own path: the panel's parameters, then the Generate button.
    window.params()->apply(
        [] {
            GenerationRequest r;
            r.candidates = 16;
            return r;
        }(),
        false);
    probe.start();
    window.generate();
    ASSERT_TRUE(test::waitUntil([&] { return done; }, 300000));
    probe.stop();
    ASSERT_TRUE(window.gallery()->hasResult());
    probe.report(
        QStringLiteral("generation %1 s, 16 candidates, %2 previews").arg(probe.seconds(), 0, 'f', 2).arg(previews));
    QSettings().clear();
}

// The same probe while the fine-tune wizard trains (its curves, samples and
// log update from the training thread's events) and the studio stays open.
// SHENBI_RESPONSIVENESS_FINETUNE_MODEL=DIR (e.g. the bundled model) and
// SHENBI_RESPONSIVENESS_FINETUNE_STEPS=N measure a real model; the default
// is the tiny test model, 60 steps.
TEST(Responsiveness, EventLoopStaysResponsiveWhileFineTuning) {
    QSettings().clear();
    QTemporaryDir dir;
    auto studio = test::makeStudio(dir.filePath(QStringLiteral("data")));
    MainWindow window(studio.get());
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QString base = qEnvironmentVariable("SHENBI_RESPONSIVENESS_FINETUNE_MODEL");
    if (base.isEmpty()) {
        base = dir.filePath(QStringLiteral("base"));
        ASSERT_EQ(test::writeTinyModel(base), QString());
    }
    shenbi::FinetunePlan plan;
    plan.base_model = base.toStdString();
    plan.folder = SHENBI_UI_TEST_DATA "/../../data/finetune-folder";
    plan.run_dir = dir.filePath(QStringLiteral("run")).toStdString();
    plan.lora_rank = 4;
    plan.learning_rate = 1e-3;
    plan.max_steps = qEnvironmentVariableIntValue("SHENBI_RESPONSIVENESS_FINETUNE_STEPS");
    if (plan.max_steps <= 0) plan.max_steps = 60;
    plan.micro_batch = 2;
    plan.eval_every = static_cast<int>(std::max<qint64>(1, plan.max_steps / 3));
    plan.prompts = {"一个红色的圆", "一棵绿色的树"};
    plan.threads = 1;
    FinetuneWizard* wizard = window.openFinetuneWizard();
    StallProbe probe(&window);
    probe.start();
    wizard->continueRun(plan);
    auto* training = qobject_cast<TrainingPage*>(wizard->currentPage());
    ASSERT_NE(training, nullptr);
    ASSERT_TRUE(test::waitUntil([&] { return training->hasResult(); }, 600000));
    probe.stop();
    ASSERT_EQ(training->result().status, TrainingResult::Status::Finished) << training->result().error.toStdString();
    probe.report(QStringLiteral("fine-tune %1 s, %2 steps (LoRA), %3 validations with samples")
                     .arg(probe.seconds(), 0, 'f', 2)
                     .arg(plan.max_steps)
                     .arg(training->validationPointCount()));
    wizard->close();
    QSettings().clear();
}

}  // namespace
}  // namespace shenbi::ui
