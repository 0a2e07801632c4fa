// GenerationService over a tiny random model: results, previews, progress,
// the queue, cancelling queued and running jobs, history rows.
#include <gtest/gtest.h>

#include <QRect>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <qcoro/qcorotask.h>

#include "testsupport.h"
#include "ui/services/generationservice.h"
#include "ui/services/historystore.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"

namespace shenbi::ui {
namespace {

GenerationRequest request(const QString& prompt, int candidates, quint64 seed) {
    GenerationRequest r;
    r.prompt = prompt;
    r.candidates = candidates;
    r.seed = seed;
    r.previewEvery = 4;
    return r;
}

TEST(Generation, TinyModelProducesCandidatesProgressAndHistory) {
    QTemporaryDir dir;
    auto studio = test::makeStudio(dir.path());
    ASSERT_TRUE(studio->models()->isLoaded());
    const ModelInfo info = studio->models()->info();
    EXPECT_EQ(info.textLen, 8);
    EXPECT_FALSE(studio->models()->tokenEnds(QStringLiteral("故宫")).isEmpty());

    QSignalSpy progress(studio->generation(), &GenerationService::progress);
    QSignalSpy previews(studio->generation(), &GenerationService::preview);
    const auto o = test::generateAndWait(*studio, request(QStringLiteral("故宫的雪"), 3, 11));
    ASSERT_EQ(o.status, JobStatus::Completed) << o.error.toStdString();
    ASSERT_EQ(o.candidates.size(), 3);
    for (const auto& c : o.candidates) {
        EXPECT_EQ(c.image.width(), info.resolution);
        EXPECT_FALSE(c.png.isEmpty());
        EXPECT_FALSE(c.thumb.isNull());
    }
    EXPECT_NE(o.candidates[0].seed, o.candidates[1].seed);
    EXPECT_GT(progress.count(), 0);
    EXPECT_EQ(progress.last().at(1).toInt(), progress.last().at(2).toInt());  // last step reported
    EXPECT_GT(previews.count(), 0);
    EXPECT_EQ(o.record.model.checksum, info.checksum);
    EXPECT_GE(o.record.historyId, 0);

    const auto entry = studio->history()->entry(o.record.historyId);
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->status, QStringLiteral("completed"));
    EXPECT_EQ(entry->candidateCount, 3);
    EXPECT_EQ(entry->seed, 11u);

    // Same seed, same images: reproducible.
    const auto again = test::generateAndWait(*studio, request(QStringLiteral("故宫的雪"), 3, 11));
    ASSERT_EQ(again.status, JobStatus::Completed);
    EXPECT_EQ(again.candidates[2].image, o.candidates[2].image);
}

// A redraw feeds the codes it carries only to the model that wrote them:
// with the open model's checksum, every kept cell is the carried code; with
// another checksum (a model switched while the job waited) the picture is
// encoded instead, exactly as when no codes are carried.
TEST(Generation, RedrawUsesCodesOnlyFromTheModelThatWroteThem) {
    QTemporaryDir dir;
    auto studio = test::makeStudio(dir.path());
    const ModelInfo info = studio->models()->info();
    const auto picture = test::generateAndWait(*studio, request(QStringLiteral("故宫的雪"), 1, 3));
    ASSERT_EQ(picture.status, JobStatus::Completed) << picture.error.toStdString();
    const QList<qint64> zeros(picture.candidates[0].codes.size(), 0);
    ASSERT_EQ(zeros.size(), info.imgLen);

    const auto keptCells = [&](const QList<qint64>& codes, const QString& codesModel) {
        GenerationRequest r = request(QStringLiteral("雪"), 1, 4);
        r.redrawPicture = picture.candidates[0].image;
        r.redrawCodes = codes;
        r.redrawCodesModel = codesModel;
        r.redrawCells = QRect(0, 0, 1, 1);  // only the first cell is drawn
        const auto o = test::generateAndWait(*studio, r);
        EXPECT_EQ(o.status, JobStatus::Completed) << o.error.toStdString();
        return o.candidates.value(0).codes.mid(1);
    };
    EXPECT_EQ(keptCells(zeros, info.checksum), zeros.mid(1));
    const QList<qint64> encoded = keptCells({}, {});
    ASSERT_EQ(encoded.size(), info.imgLen - 1);
    EXPECT_NE(encoded, zeros.mid(1));
    EXPECT_EQ(keptCells(zeros, QStringLiteral("another model")), encoded);
}

TEST(Generation, QueueAndCancel) {
    QTemporaryDir dir;
    auto studio = test::makeStudio(dir.path(), QStringLiteral("small"));
    ASSERT_TRUE(studio->models()->isLoaded());
    auto* gen = studio->generation();
    QList<GenerationOutcome> finished;
    QObject::connect(gen, &GenerationService::jobFinished, gen, [&](const GenerationOutcome& o) { finished << o; });
    bool sawProgress = false;
    QObject::connect(gen, &GenerationService::progress, gen,
                     [&](int, int step, int, double, double) { sawProgress |= step > 0; });

    const int a = gen->enqueue(request(QStringLiteral("长城"), 8, 1));
    const int b = gen->enqueue(request(QStringLiteral("江南"), 2, 2));
    const int c = gen->enqueue(request(QStringLiteral("水乡"), 1, 3));
    EXPECT_EQ(gen->runningJob(), a);
    EXPECT_EQ(gen->queuedCount(), 2);
    EXPECT_TRUE(gen->cancel(b));  // queued: removed, never runs
    EXPECT_EQ(gen->queuedCount(), 1);

    ASSERT_TRUE(test::waitUntil([&] { return sawProgress; }, 60000));
    EXPECT_TRUE(gen->cancel(a));  // running: returns within a token step
    ASSERT_TRUE(test::waitUntil([&] { return finished.size() == 2; }, 120000));
    EXPECT_EQ(finished[0].jobId, a);
    EXPECT_EQ(finished[0].status, JobStatus::Cancelled) << finished[0].error.toStdString();
    EXPECT_EQ(finished[1].jobId, c);
    EXPECT_EQ(finished[1].status, JobStatus::Completed) << finished[1].error.toStdString();
    EXPECT_FALSE(gen->isBusy());
    const auto cancelled = studio->history()->entry(finished[0].record.historyId);
    ASSERT_TRUE(cancelled.has_value());
    EXPECT_EQ(cancelled->status, QStringLiteral("cancelled"));
}

TEST(Generation, RunWithoutModelFailsAsValue) {
    QTemporaryDir dir;
    Studio studio(dir.path());
    const auto o = QCoro::waitFor(studio.generation()->run(request(QStringLiteral("故宫"), 1, 1), nullptr));
    EXPECT_EQ(o.status, JobStatus::Failed);
    EXPECT_FALSE(o.error.isEmpty());
    EXPECT_EQ(studio.generation()->enqueue(request(QStringLiteral("故宫"), 1, 1)), -1);
}

}  // namespace
}  // namespace shenbi::ui
