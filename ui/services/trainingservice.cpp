#include "ui/services/trainingservice.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSettings>
#include <atomic>
#include <thread>

#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include "core/io/model_dir.h"
#include "core/model/model_bundle.h"
#include "core/train/finetune_prepare.h"
#include "core/train/run_lock.h"
#include "core/train/step_timing.h"
#include "core/train/trainer.h"
#include "core/util/guard.h"
#include "core/util/runtime.h"

namespace shenbi::ui {
namespace {

const QString kUnfinishedKey = QStringLiteral("finetune/unfinishedRuns");

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QImage toQImage(const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3) return {};
    return QImage(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step), QImage::Format_RGB888).copy();
}

void rememberRun(const QString& runDir) {
    QSettings settings;
    QStringList runs = settings.value(kUnfinishedKey).toStringList();
    const QString clean = QDir::cleanPath(QFileInfo(runDir).absoluteFilePath());
    if (!runs.contains(clean)) runs.append(clean);
    settings.setValue(kUnfinishedKey, runs);
}

Result<std::shared_ptr<ModelBundle>> loadBase(const FinetunePlan& plan) {
    auto device = parse_device(plan.device);
    if (!device) return device.error();
    return load_model_dir(plan.base_model, *device);
}

// The run itself, on the training thread. `post` hands a functor to the
// service's thread.
template <class Post>
TrainingResult runPlan(const FinetunePlan& plan, TrainHooks hooks, const Post& post) {
    TrainingResult r;
    auto say = [&](const std::string& m) { post([text = qs(m)](TrainingService* s) { Q_EMIT s->message(text); }); };
    if (plan.threads > 0) set_compute_threads(plan.threads);
    // The run directory is this run's before anything is written into it
    // (plan, tables, knowledge): a second studio or a CLI run on it is refused.
    auto lock = lock_run_dir(plan.run_dir, say);
    if (!lock) {
        r.error = qs(lock.message());
        return r;
    }
    lock->cover_training_on_this_thread();
    if (auto saved = save_plan(plan, plan_path(plan.run_dir)); !saved) {
        r.error = qs(saved.message());
        return r;
    }
    auto model = loadBase(plan);
    if (!model) {
        r.error = qs("--model " + plan.base_model.string() + ": " + model.message());
        return r;
    }
    auto prepared = prepare_finetune(plan, **model, say);
    if (!prepared) {
        r.error = qs(prepared.message());
        return r;
    }
    for (const auto& n : prepared->new_entities) r.newEntities.append(qs(n));
    hooks.on_message = say;
    auto summary = train(**model, prepared->options, hooks);
    if (!summary) {
        r.status = summary.error().code == ErrorCode::Cancelled ? TrainingResult::Status::Cancelled
                                                                : TrainingResult::Status::Failed;
        r.error = qs(summary.message());
        return r;
    }
    r.status = summary->finished_early ? TrainingResult::Status::Stopped : TrainingResult::Status::Finished;
    r.steps = summary->steps;
    r.resumedFrom = summary->resumed_from;
    r.firstValLoss = summary->first_val_loss;
    r.bestValLoss = summary->best_val_loss;
    r.lastValLoss = summary->last_val_loss;
    r.modelDir = qs(summary->model_dir.string());
    r.bestModelDir = qs(summary->best_model_dir.string());
    return r;
}

}  // namespace

struct TrainingService::Run {
    std::atomic<bool> cancel{false}, pause{false}, stop{false}, saveNow{false}, sampleNow{false};
    std::thread thread;
};

TrainingService::TrainingService(QObject* parent) : QObject(parent) {}

TrainingService::~TrainingService() {
    if (m_run) m_run->cancel = true;  // the trainer writes a checkpoint: the run can be continued
    wait();
}

bool TrainingService::isPaused() const {
    return m_run && m_run->pause.load();
}

void TrainingService::setPaused(bool paused) {
    if (!m_running || m_run->pause.exchange(paused) == paused) return;
    Q_EMIT message(paused ? tr("Paused after the current step.") : tr("Resumed."));
    Q_EMIT pausedChanged(paused);
}

void TrainingService::stop() {
    if (m_running) m_run->stop = true;
}
void TrainingService::cancel() {
    if (m_running) m_run->cancel = true;
}
void TrainingService::saveNow() {
    if (m_running) m_run->saveNow = true;
}
void TrainingService::sampleNow() {
    if (m_running) m_run->sampleNow = true;
}

void TrainingService::wait() {
    if (m_run && m_run->thread.joinable()) m_run->thread.join();
}

bool TrainingService::start(const FinetunePlan& plan) {
    TrainingResult refused;
    if (m_running) {
        refused.error = tr("A fine-tune is already running.");
        Q_EMIT finished(refused);
        return false;
    }
    std::string problems;
    for (const auto& e : validate_plan(plan)) problems += (problems.empty() ? "" : "\n") + e;
    if (!problems.empty()) {
        refused.error = qs(problems);
        Q_EMIT finished(refused);
        return false;
    }
    wait();  // an earlier run's thread has ended; join it before replacing it
    rememberRun(qs(plan.run_dir.string()));
    m_plan = plan;
    m_run = std::make_shared<Run>();
    m_running = true;
    auto run = m_run;
    QPointer<TrainingService> self(this);
    // Queued onto this object's thread; dropped if the service is gone.
    auto post = [self](auto fn) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, fn]() {
                if (self) fn(self.data());
            },
            Qt::QueuedConnection);
    };
    TrainHooks hooks;
    hooks.cancel = &run->cancel;
    hooks.pause = &run->pause;
    hooks.stop = &run->stop;
    hooks.save_now = &run->saveNow;
    hooks.sample_now = &run->sampleNow;
    hooks.on_step = [post](const StepEvent& e) {
        TrainingStep s{e.step, e.total_steps, e.epoch, e.loss, e.lr, e.tokens_per_s, e.elapsed_s, e.eta_s};
        post([s](TrainingService* svc) { Q_EMIT svc->stepped(s); });
    };
    hooks.on_validation = [post](const ValidationEvent& e) {
        post([e](TrainingService* svc) { Q_EMIT svc->validated(e.step, e.loss, e.best, e.improved); });
    };
    hooks.on_samples = [post](const SampleEvent& e) {
        QStringList prompts;
        QList<QImage> images;
        for (const auto& c : e.captions) prompts.append(qs(c));
        for (const auto& m : e.images) images.append(toQImage(m));
        const qint64 step = e.step;
        post([step, prompts, images](TrainingService* svc) { Q_EMIT svc->sampled(step, prompts, images); });
    };
    run->thread = std::thread([plan, hooks, post, self]() {
        TrainingResult result;
        try {
            result = runPlan(plan, hooks, post);
        } catch (...) {  // the core returns errors as values; this is a last guard for the thread
            result.status = TrainingResult::Status::Failed;
            result.error = qs(current_exception_message());
        }
        post([result](TrainingService* svc) {
            svc->m_running = false;
            const QString dir = qs(svc->m_plan.run_dir.string());
            if (result.status == TrainingResult::Status::Finished || result.status == TrainingResult::Status::Stopped)
                forgetRun(dir);
            Q_EMIT svc->finished(result);
        });
    });
    return true;
}

QCoro::Task<StepTiming> TrainingService::measureStepTime(FinetunePlan plan, int steps) {
    return measureImpl(plan, steps);
}

QCoro::Task<StepTiming> TrainingService::measureImpl(FinetunePlan plan, int steps) {
    QFuture<StepTiming> future = QtConcurrent::run([plan, steps]() {
        StepTiming t;
        auto measured = guarded("timing", [&]() -> Result<StepTimingResult> {
            auto model = loadBase(plan);
            if (!model) return model.error();
            // An adapter as base: its merged GPT costs the same per step.
            SHENBI_TRY_STATUS(prepare_base(**model, false));
            StepTimingOptions o;
            o.micro_batch = plan.micro_batch;
            o.steps = steps;
            if (plan.lora()) o.lora = finetune_train_options(plan).lora;
            o.mixed = finetune_train_options(plan).mixed;
            return time_train_steps(**model, o);
        });
        if (!measured) {
            t.error = qs(measured.message());
            return t;
        }
        t.ok = true;
        t.secondsPerStep = measured->seconds_per_step;
        return t;
    });
    StepTiming timing = co_await future;
    co_return timing;
}

QStringList TrainingService::unfinishedRuns() {
    QStringList out;
    for (const QString& dir : QSettings().value(kUnfinishedKey).toStringList()) {
        const std::filesystem::path run(dir.toStdString());
        if (QFileInfo::exists(qs(plan_path(run).string())) && !list_checkpoints(run).empty()) out.append(dir);
    }
    return out;
}

void TrainingService::forgetRun(const QString& runDir) {
    QSettings settings;
    QStringList runs = settings.value(kUnfinishedKey).toStringList();
    runs.removeAll(QDir::cleanPath(QFileInfo(runDir).absoluteFilePath()));
    settings.setValue(kUnfinishedKey, runs);
}

}  // namespace shenbi::ui
