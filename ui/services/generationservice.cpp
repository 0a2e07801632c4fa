#include "ui/services/generationservice.h"

#include <QBuffer>
#include <QPointer>
#include <algorithm>

#include <ATen/Parallel.h>
#include <QtConcurrent/QtConcurrentRun>
#include <c10/core/InferenceMode.h>
#include <qcoro/qcorofuture.h>

#include "core/knowledge/entity_table.h"
#include "core/model/model_bundle.h"
#include "core/sampling/generate.h"
#include "core/sampling/layout.h"
#include "core/sampling/redraw.h"
#include "core/text/tokenizer.h"
#include "core/util/guard.h"
#include "ui/services/executor.h"
#include "ui/services/historystore.h"
#include "ui/services/imageconvert.h"
#include "ui/services/modelservice.h"

namespace shenbi::ui {

namespace {

constexpr int kThumbSize = 160;

QImage thumbnail(const QImage& image) {
    if (image.isNull()) return {};
    // Small model outputs are pixel art: enlarge them without blurring.
    const auto mode = image.width() < kThumbSize ? Qt::FastTransformation : Qt::SmoothTransformation;
    return image.scaled(kThumbSize, kThumbSize, Qt::KeepAspectRatio, mode);
}

// Regions between the core (cells as col/row/cols/rows, UTF-8) and records (QRect, QString).
RegionPrompt toCore(const RegionRecord& g) {
    return {CellRect{g.cells.x(), g.cells.y(), g.cells.width(), g.cells.height()}, g.prompt.toStdString()};
}

QList<RegionRecord> toRecords(const std::vector<RegionPrompt>& regions) {
    QList<RegionRecord> out;
    for (const auto& g : regions)
        out.append({QRect(g.cells.col, g.cells.row, g.cells.cols, g.cells.rows), QString::fromStdString(g.prompt)});
    return out;
}

GenerationParams toParams(const GenerationRequest& r) {
    GenerationParams p;
    p.prompt = r.prompt.toStdString();
    p.negative_prompt = r.negativePrompt.toStdString();
    p.candidates = r.candidates;
    p.seed = r.seed;
    p.sampling.temperature = r.temperature;
    p.sampling.top_k = r.topK;
    p.sampling.guidance = r.guidance;
    p.sampling.best_of = r.bestOf;
    p.sampling.top_p = r.topP;
    p.sampling.layout = r.layout;
    p.sampling.layout_guidance = r.layoutGuidance;
    p.sampling.colour_guidance = r.colourGuidance;
    for (const auto& g : r.regions) p.regions.push_back(toCore(g));
    p.use_knowledge = r.useKnowledge;
    p.preview_every = r.previewEvery;
    return p;
}

// The model's own entity lattice over the prompt, minus the entities the
// user unlinked in the editor. Only used when something was unlinked, so
// that an untouched prompt takes exactly the core's default path.
std::optional<std::vector<LinkedSpan>> entityOverride(const ModelBundle& bundle, const GenerationRequest& r) {
    if (r.unlinked.isEmpty() || !bundle.entities || !bundle.tokenizer) return std::nullopt;
    const auto tokens = bundle.tokenizer->tokenize(r.prompt.toStdString());
    std::vector<std::string> texts;
    texts.reserve(tokens.size());
    for (const auto& t : tokens) texts.push_back(t.text);
    std::vector<LinkedSpan> spans;
    for (const auto& e : bundle.entities->lattice(texts, bundle.config.gpt.single_char_entities)) {
        const std::string& name = bundle.entities->name(e.id);
        if (r.unlinked.contains(QString::fromStdString(name))) continue;
        spans.push_back(LinkedSpan{name, e.id, e.token_begin, e.token_end});
    }
    return spans;
}

// A redraw's GenerationParams::kept_codes: the request's codes when the
// model running it wrote them (the open model may have changed since the job
// was queued, and another VQGAN reads codes as something else), otherwise
// the picture encoded here; the region's cells set to draw.
Result<std::vector<std::int64_t>> keptCodes(const ModelBundle& bundle, const GenerationRequest& r) {
    std::vector<std::int64_t> codes;
    if (!r.redrawCodes.isEmpty() && r.redrawCodesModel == QString::fromStdString(bundle.checksum)) {
        codes.assign(r.redrawCodes.begin(), r.redrawCodes.end());
    } else {
        auto encoded = encode_image_codes(bundle, qImageToMat(r.redrawPicture));
        if (!encoded) return encoded.error();
        codes = std::move(*encoded);
    }
    const QRect& c = r.redrawCells;
    auto kept = redraw_region(codes, bundle.config.vqgan.grid_size(), CellRect{c.x(), c.y(), c.width(), c.height()});
    if (!kept) return make_error(kept.error().code, "redraw: " + kept.message() + " of the open model");
    return kept;
}

// Token spans of the entities fed to the model -> UTF-16 spans of the prompt.
QList<EntitySpan> entitySpans(const ModelBundle& bundle, const QString& prompt, const std::vector<LinkedSpan>& linked) {
    QList<EntitySpan> out;
    if (linked.empty() || !bundle.tokenizer) return out;
    const auto tokens = bundle.tokenizer->tokenize(prompt.toStdString());
    for (const auto& e : linked) {
        EntitySpan s;
        s.name = QString::fromStdString(e.name);
        s.id = e.id;
        if (e.token_begin >= 0 && e.token_end < static_cast<int>(tokens.size()) && e.token_begin <= e.token_end) {
            s.begin = codePointToUtf16(prompt, tokens[static_cast<std::size_t>(e.token_begin)].char_begin);
            s.end = codePointToUtf16(prompt, tokens[static_cast<std::size_t>(e.token_end)].char_end);
        }
        out.append(s);
    }
    return out;
}

// Runs on the serial executor. Posts progress and previews to `target`,
// which outlives the job (its destructor waits for the executor).
GenerationOutcome generateOnWorker(std::shared_ptr<const ModelBundle> bundle,
                                   GenerationOutcome out,
                                   int cpuThreads,
                                   std::shared_ptr<std::atomic<bool>> cancel,
                                   GenerationService* target) {
    const int jobId = out.jobId;
    try {
        if (bundle->device.is_cpu() && cpuThreads > 0) at::set_num_threads(cpuThreads);
        c10::InferenceMode inference;
        QElapsedTimer sincePost;
        sincePost.start();
        GenerationHooks hooks;
        hooks.cancel = cancel.get();
        hooks.on_progress = [&](const GenerationProgress& p) {
            // At most ~60 updates a second: a fast GPU must not flood the GUI thread.
            // The first step always goes through (the window shows "estimating" on it).
            if (p.step != 1 && p.step != p.total_steps && sincePost.elapsed() < 16) return;
            sincePost.restart();
            QMetaObject::invokeMethod(
                target,
                [target, jobId, p]() { Q_EMIT target->progress(jobId, p.step, p.total_steps, p.elapsed_s, p.eta_s); },
                Qt::QueuedConnection);
        };
        hooks.on_preview = [&](int step, const std::vector<cv::Mat>& mats) {
            QList<QImage> images;
            for (const auto& m : mats) images.append(thumbnail(matToQImage(m)));
            QMetaObject::invokeMethod(
                target, [target, jobId, step, images]() { Q_EMIT target->preview(jobId, step, images); },
                Qt::QueuedConnection);
        };
        GenerationParams params = toParams(out.record.request);
        params.entities = entityOverride(*bundle, out.record.request);
        auto result = [&]() -> Result<GenerationResult> {
            if (!out.record.request.isRedraw()) return generate(*bundle, params, hooks);
            auto kept = keptCodes(*bundle, out.record.request);
            if (!kept) return kept.error();
            params.kept_codes = std::move(*kept);
            return generate(*bundle, params, hooks);
        }();
        out.record.finished = QDateTime::currentDateTime();
        if (!result) {
            out.status = result.error().code == ErrorCode::Cancelled ? JobStatus::Cancelled : JobStatus::Failed;
            out.error = QString::fromStdString(result.message());
            out.record.status = toString(out.status);
            return out;
        }
        auto& r = result.value();
        out.record.tokenLen = r.token_len;
        out.record.seconds = r.seconds;
        out.record.entities = entitySpans(*bundle, out.record.request.prompt, r.entities);
        out.record.regions = toRecords(r.regions);
        out.msPerStep = r.ms_per_step;
        for (std::size_t i = 0; i < r.candidates.size(); ++i) {
            CandidateImage c;
            c.index = static_cast<int>(i);
            c.seed = r.candidates[i].seed;
            c.likelihood = r.candidates[i].likelihood;
            c.image = matToQImage(r.candidates[i].image);
            c.png = encodePng(c.image);
            c.thumb = thumbnail(c.image);
            c.thumbPng = encodePng(c.thumb);
            c.codes = QList<qint64>(r.candidates[i].codes.begin(), r.candidates[i].codes.end());
            out.candidates.append(std::move(c));
        }
        out.status = JobStatus::Completed;
        out.record.status = toString(out.status);
    } catch (...) {
        out.status = JobStatus::Failed;
        out.error = QString::fromStdString(current_exception_message());
        out.record.status = toString(out.status);
    }
    return out;
}

}  // namespace

QList<RegionRecord> GenerationService::plannedLayout(const QString& prompt, int grid) {
    return toRecords(plan_layout(prompt.toStdString(), grid));
}

GenerationService::GenerationService(SerialExecutor* executor,
                                     ModelService* models,
                                     HistoryStore* history,
                                     QObject* parent)
    : QObject(parent), m_executor(executor), m_models(models), m_history(history) {
    qRegisterMetaType<GenerationRequest>();
    qRegisterMetaType<GenerationOutcome>();
}

GenerationService::~GenerationService() {
    cancelAll();
    // The worker posts to this object: it must be gone before we are.
    m_executor->waitForDone();
}

int GenerationService::enqueue(const GenerationRequest& request) {
    if (!m_models->isLoaded()) return -1;
    Job job;
    job.id = m_nextId++;
    job.status = JobStatus::Queued;
    job.request = request;
    job.cancel = std::make_shared<std::atomic<bool>>(false);
    m_queue.append(job);
    Q_EMIT queueChanged();
    startNext();
    return job.id;
}

bool GenerationService::cancel(int jobId) {
    if (m_running.id == jobId && jobId > 0) {
        m_running.cancel->store(true);
        return true;
    }
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        if (m_queue[i].id == jobId) {
            m_queue.removeAt(i);
            Q_EMIT queueChanged();
            return true;
        }
    }
    return false;
}

bool GenerationService::move(int jobId, int places) {
    const auto from = std::find_if(m_queue.begin(), m_queue.end(), [&](const Job& j) { return j.id == jobId; });
    if (from == m_queue.end()) return false;
    const qsizetype i = from - m_queue.begin();
    const qsizetype to = std::clamp<qsizetype>(i + places, 0, m_queue.size() - 1);
    if (to == i) return false;
    m_queue.move(i, to);
    Q_EMIT queueChanged();
    return true;
}

void GenerationService::cancelAll() {
    const bool hadQueue = !m_queue.isEmpty();
    m_queue.clear();
    if (m_running.id > 0) m_running.cancel->store(true);
    if (hadQueue) Q_EMIT queueChanged();
}

QList<GenerationService::JobInfo> GenerationService::jobs() const {
    QList<JobInfo> out;
    if (m_running.id > 0) out.append(m_running);
    for (const auto& j : m_queue) out.append(j);
    return out;
}

void GenerationService::startNext() {
    if (m_running.id > 0 || m_queue.isEmpty()) return;
    m_running = m_queue.takeFirst();
    m_running.status = JobStatus::Running;
    m_running.created = QDateTime::currentDateTime();
    if (m_history) {
        GenerationRecord rec;
        rec.request = m_running.request;
        rec.model = m_models->info();
        rec.created = m_running.created;
        rec.appVersion = appVersion();
        rec.status = QStringLiteral("running");
        m_running.historyId = m_history->beginRequest(rec);
        m_history->addPrompt(rec.request.prompt);
    }
    Q_EMIT jobStarted(m_running.id, m_running.request);
    Q_EMIT queueChanged();
    QCoro::connect(run(m_running.request, m_running.cancel, m_running.id), this,
                   [this](GenerationOutcome outcome) { finish(std::move(outcome)); });
}

void GenerationService::finish(GenerationOutcome outcome) {
    const Job job = m_running;
    m_running = Job{};
    outcome.record.historyId = job.historyId;
    if (m_history && job.historyId >= 0) m_history->finishRequest(job.historyId, outcome.record, outcome.candidates);
    Q_EMIT jobFinished(outcome);
    Q_EMIT queueChanged();
    startNext();
}

QCoro::Task<GenerationOutcome> GenerationService::run(GenerationRequest request,
                                                      std::shared_ptr<std::atomic<bool>> cancel,
                                                      int jobId) {
    return runImpl(request, cancel, jobId);
}

QCoro::Task<GenerationOutcome> GenerationService::runImpl(GenerationRequest request,
                                                          std::shared_ptr<std::atomic<bool>> cancel,
                                                          int jobId) {
    GenerationOutcome out;
    out.jobId = jobId;
    out.record.request = request;
    out.record.model = m_models->info();
    out.record.created = QDateTime::currentDateTime();
    out.record.appVersion = appVersion();
    auto bundle = m_models->bundle();
    if (!bundle) {
        out.status = JobStatus::Failed;
        out.error = tr("No model is loaded.");
        out.record.status = toString(out.status);
        co_return out;
    }
    if (!cancel) cancel = std::make_shared<std::atomic<bool>>(false);
    const int threads = m_models->cpuThreads();
    GenerationService* target = this;
    // Nothing after this co_await touches `this`: the service may be gone by then.
    // A named future: GCC 12 destroys temporaries of a co_await full-expression twice.
    QFuture<GenerationOutcome> future = QtConcurrent::run(m_executor->pool(), [bundle, out, threads, cancel, target]() {
        return generateOnWorker(bundle, out, threads, cancel, target);
    });
    GenerationOutcome result = co_await future;
    co_return result;
}

}  // namespace shenbi::ui
