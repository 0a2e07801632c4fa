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
#include "ui/mainwindow.h"
#include "ui/services/generationservice.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"
#include "ui/widgets/gallery.h"
#include "ui/widgets/paramspanel.h"
#include "ui/widgets/prompteditor.h"

namespace shenbi::ui {
namespace {

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

    constexpr int kIntervalMs = 5;
    QElapsedTimer clock;
    qint64 last = -1;
    qint64 longest = 0;
    int ticks = 0;
    bool measuring = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kIntervalMs);
    QObject::connect(&probe, &QTimer::timeout, &window, [&]() {
        const qint64 now = clock.nsecsElapsed();
        if (measuring && last >= 0) longest = std::max(longest, now - last);
        last = now;
        ++ticks;
    });

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
    clock.start();
    probe.start();
    measuring = true;
    const qint64 start = clock.elapsed();
    window.generate();
    ASSERT_TRUE(test::waitUntil([&] { return done; }, 300000));
    measuring = false;
    probe.stop();
    const double seconds = (clock.elapsed() - start) / 1000.0;
    const double longestMs = longest / 1e6;
    const double stallMs = std::max(0.0, longestMs - kIntervalMs);
    ASSERT_TRUE(window.gallery()->hasResult());

    const QString line = QStringLiteral(
                             "[responsiveness] generation %1 s, 16 candidates, %2 previews; %3 timer ticks; "
                             "longest gap between %4 ms ticks %5 ms = longest event-loop stall %6 ms (target < 50 ms)")
                             .arg(seconds, 0, 'f', 2)
                             .arg(previews)
                             .arg(ticks)
                             .arg(kIntervalMs)
                             .arg(longestMs, 0, 'f', 1)
                             .arg(stallMs, 0, 'f', 1);
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
    ::testing::Test::RecordProperty("longest_stall_ms", QString::number(stallMs, 'f', 1).toStdString());
    const QString report = qEnvironmentVariable("SHENBI_RESPONSIVENESS_REPORT");
    if (!report.isEmpty()) {
        QFile f(report);
        if (f.open(QIODevice::WriteOnly | QIODevice::Append)) f.write(line.toUtf8() + '\n');
    }
    QSettings().clear();
}

}  // namespace
}  // namespace shenbi::ui
