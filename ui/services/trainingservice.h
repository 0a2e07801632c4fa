// Runs one fine-tune (core/train) on its own thread, beside the studio's
// generation executor, so the artist can keep generating while it trains.
//
// The run loads its own copy of the base model; events from the core's hooks
// are converted to Qt types on the training thread and posted to this
// object's thread. pause / stop / cancel / save now / sample now set atomics
// the trainer reads between steps. Nothing here throws: failures come back
// in TrainingResult and as finished().
#pragma once

#include <QImage>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

#include <qcoro/qcorotask.h>

#include "core/train/finetune_plan.h"

namespace shenbi::ui {

struct TrainingStep {
    qint64 step = 0, totalSteps = 0, epoch = 0;
    double loss = 0, lr = 0, tokensPerS = 0, elapsedS = 0, etaS = 0;
};

struct TrainingResult {
    enum class Status { Finished, Stopped, Cancelled, Failed };
    Status status = Status::Failed;
    QString error;     // Failed: what went wrong, naming the file or setting
    qint64 steps = 0;  // optimizer steps done in total
    qint64 resumedFrom = -1;
    double firstValLoss = -1, bestValLoss = -1, lastValLoss = -1;
    QString modelDir;         // run_dir/model (the last weights), empty when not written
    QString bestModelDir;     // run_dir/best (lowest validation loss), empty without validation
    QStringList newEntities;  // names the user's triples added to the entity table
};

// Seconds per optimizer step for a plan's model, batch and method, measured
// from a few real steps on this machine.
struct StepTiming {
    bool ok = false;
    QString error;
    double secondsPerStep = 0;
};

class TrainingService : public QObject {
    Q_OBJECT
public:
    explicit TrainingService(QObject* parent = nullptr);
    ~TrainingService() override;  // cancels a running run (it checkpoints) and waits for it

    // Starts the plan on the training thread, resuming from run_dir's newest
    // checkpoint when there is one. Writes run_dir/finetune.json first.
    // False (and failed() is emitted) if a run is going or the plan is invalid.
    bool start(const shenbi::FinetunePlan& plan);
    bool isRunning() const { return m_running; }
    bool isPaused() const;
    const shenbi::FinetunePlan& plan() const { return m_plan; }

    void setPaused(bool paused);
    void stop();       // finish now: the model directories are written (Stopped)
    void cancel();     // checkpoint and end without a model; resumable (Cancelled)
    void saveNow();    // a checkpoint after the current step
    void sampleNow();  // validation loss + samples after the current step

    // Blocks until the run has ended (tests, shutdown).
    void wait();

    QCoro::Task<StepTiming> measureStepTime(shenbi::FinetunePlan plan, int steps = 2);

    // Runs whose run_dir/finetune.json exists but that never finished (the
    // studio offers to continue them at start-up). Registered by start(),
    // cleared when a run finishes or is discarded.
    static QStringList unfinishedRuns();
    static void forgetRun(const QString& runDir);

Q_SIGNALS:
    void message(const QString& text);
    void stepped(const shenbi::ui::TrainingStep& step);
    void validated(qint64 step, double loss, double best, bool improved);
    void sampled(qint64 step, const QStringList& prompts, const QList<QImage>& images);
    void pausedChanged(bool paused);
    void finished(const shenbi::ui::TrainingResult& result);

private:
    struct Run;
    QCoro::Task<StepTiming> measureImpl(shenbi::FinetunePlan plan, int steps);
    std::shared_ptr<Run> m_run;
    shenbi::FinetunePlan m_plan;
    bool m_running = false;
};

}  // namespace shenbi::ui
