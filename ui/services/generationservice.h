// Generation requests over the core, on the serial executor.
//
// A queue of jobs: enqueue() while one runs, move() a queued one, cancel() a
// queued one (removed) or the running one (its atomic flag is set; the core returns Cancelled
// within one token step). Progress and partial previews are converted to Qt
// types on the worker and posted back to this object's thread. Each job's
// record goes into the history store when it starts and when it ends.
// Nothing here throws: failures come back in GenerationOutcome.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <atomic>
#include <memory>

#include <qcoro/qcorotask.h>

#include "ui/services/types.h"

namespace shenbi::ui {

class SerialExecutor;
class ModelService;
class HistoryStore;

class GenerationService : public QObject {
    Q_OBJECT
public:
    struct JobInfo {
        int id = -1;
        JobStatus status = JobStatus::Queued;
        GenerationRequest request;
    };

    GenerationService(SerialExecutor* executor,
                      ModelService* models,
                      HistoryStore* history = nullptr,
                      QObject* parent = nullptr);
    ~GenerationService() override;  // cancels everything and waits for the worker

    // Queues a request; returns its job id (> 0), or -1 without a model.
    int enqueue(const GenerationRequest& request);
    // Removes a queued job or cancels the running one. False if unknown.
    bool cancel(int jobId);
    void cancelAll();
    // Moves a queued job `places` towards the back (negative: the front),
    // stopping at either end; the running job stays. False if jobId is not
    // queued or it did not move.
    bool move(int jobId, int places);
    bool runNext(int jobId) { return move(jobId, -queuedCount()); }
    QList<JobInfo> jobs() const;  // the running job first, then the queue
    int runningJob() const { return m_running.id; }
    int queuedCount() const { return static_cast<int>(m_queue.size()); }
    bool isBusy() const { return m_running.id > 0 || !m_queue.isEmpty(); }

    // The parts a planned layout draws `prompt` in on a grid x grid code grid
    // (core/sampling/layout.h, no model needed); empty when it is drawn whole.
    static QList<RegionRecord> plannedLayout(const QString& prompt, int grid);

    // One request, start to end, without the queue or the history (tests,
    // scripting). Never throws; a cancelled run comes back as Cancelled.
    QCoro::Task<GenerationOutcome> run(GenerationRequest request,
                                       std::shared_ptr<std::atomic<bool>> cancel,
                                       int jobId = 0);

Q_SIGNALS:
    void queueChanged();
    void jobStarted(int jobId, const shenbi::ui::GenerationRequest& request);
    void progress(int jobId, int step, int total, double elapsedS, double etaS);
    void preview(int jobId, int step, const QList<QImage>& images);
    void jobFinished(const shenbi::ui::GenerationOutcome& outcome);

private:
    struct Job : JobInfo {
        std::shared_ptr<std::atomic<bool>> cancel;
        qint64 historyId = -1;
        QDateTime created;
    };
    // The coroutine behind run(); lvalue arguments only (GCC 12 PR 99576).
    QCoro::Task<GenerationOutcome> runImpl(GenerationRequest request,
                                           std::shared_ptr<std::atomic<bool>> cancel,
                                           int jobId);
    void startNext();
    void finish(GenerationOutcome outcome);

    SerialExecutor* m_executor;
    ModelService* m_models;
    HistoryStore* m_history;
    QList<Job> m_queue;
    Job m_running;
    int m_nextId = 1;
};

}  // namespace shenbi::ui
