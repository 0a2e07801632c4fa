#include "ui/wizard/trainingpage.h"

#include <QAbstractButton>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPainter>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTextStream>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/wizard/finetunewizard.h"

namespace shenbi::ui {

namespace {

// A QLineSeries redraws its whole path on every change: beyond this many
// points every other one is dropped (and the spacing doubles) so a long run
// keeps the page responsive.
constexpr qsizetype kMaxCurvePoints = 2000;
constexpr int kSampleSize = 128;
constexpr int kMaxSampleFiles = 100;

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
    const qint64 s = qRound64(seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString formatLoss(double loss) {
    return QString::number(loss, 'f', 4);
}

QString runDirOf(FinetuneWizard* wizard) {
    return QString::fromStdString(wizard->plan().run_dir.string());
}

QString sampleDirName(qint64 step) {
    return QStringLiteral("step-%1").arg(step, 8, 10, QLatin1Char('0'));
}

// run_dir/samples/step-XXXXXXXX/NN.png, NN = 00, 01, ... until one is missing.
QList<QImage> loadSampleDir(const QString& dir) {
    QList<QImage> images;
    for (int i = 0; i < kMaxSampleFiles; ++i) {
        const QString file = QDir(dir).filePath(QStringLiteral("%1.png").arg(i, 2, 10, QLatin1Char('0')));
        if (!QFileInfo::exists(file)) break;
        images << QImage(file);
    }
    return images;
}

// Model outputs are a few dozen pixels: enlarge them as blocks, not blur.
void showImage(QLabel* label, const QImage& image) {
    if (image.isNull()) {
        label->clear();
        return;
    }
    label->setPixmap(
        QPixmap::fromImage(image.scaled(kSampleSize, kSampleSize, Qt::KeepAspectRatio, Qt::FastTransformation)));
}

QLabel* headerLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setStyleSheet(QStringLiteral("font-weight:bold"));
    return label;
}

QStringList toQStringList(const std::vector<std::string>& strings) {
    QStringList out;
    for (const auto& s : strings) out << QString::fromStdString(s);
    return out;
}

}  // namespace

TrainingPage::TrainingPage(FinetuneWizard* wizard)
    : QWizardPage(wizard), m_wizard(wizard), m_service(wizard->training()) {
    setObjectName(QStringLiteral("trainingPage"));
    setTitle(tr("Training"));
    setSubTitle(tr("The model learns from your images. You can keep using the studio meanwhile."));

    auto* layout = new QVBoxLayout(this);
    buildChart();
    layout->addWidget(m_chartView, 3);
    layout->addWidget(buildStats());
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("trainProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    layout->addWidget(buildButtons());
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("trainStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto* lower = new QHBoxLayout;
    lower->addWidget(buildSamples(), 3);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("trainLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(500);
    lower->addWidget(m_log, 2);
    layout->addLayout(lower, 2);

    connectService();
    setRunning(m_service->isRunning());
}

void TrainingPage::buildChart() {
    auto* chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_train.series = new QLineSeries;
    m_train.series->setName(tr("Training loss"));
    m_val.series = new QLineSeries;
    m_val.series->setName(tr("Validation loss"));
    // Validation points are few and far apart: show where they were taken.
    m_val.series->setPointsVisible(true);
    chart->addSeries(m_train.series);
    chart->addSeries(m_val.series);

    m_axisX = new QValueAxis;
    m_axisX->setTitleText(tr("Step"));
    m_axisX->setLabelFormat(QStringLiteral("%.0f"));
    m_axisY = new QValueAxis;
    m_axisY->setTitleText(tr("Loss"));
    m_axisY->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisY, Qt::AlignLeft);
    for (QLineSeries* series : {m_train.series, m_val.series}) {
        series->attachAxis(m_axisX);
        series->attachAxis(m_axisY);
    }

    m_chartView = new QChartView(chart, this);  // owns the chart
    m_chartView->setObjectName(QStringLiteral("lossChart"));
    m_chartView->setMinimumHeight(220);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    updateAxes();
}

QWidget* TrainingPage::buildStats() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_stepLabel = new QLabel(box);
    m_epochLabel = new QLabel(box);
    m_speedLabel = new QLabel(box);
    m_elapsedLabel = new QLabel(box);
    m_etaLabel = new QLabel(box);
    m_lossLabel = new QLabel(box);
    m_bestLabel = new QLabel(box);
    for (QLabel* label :
         {m_stepLabel, m_epochLabel, m_speedLabel, m_elapsedLabel, m_etaLabel, m_lossLabel, m_bestLabel})
        row->addWidget(label);
    row->addStretch(1);
    return box;
}

QWidget* TrainingPage::buildButtons() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    auto makeButton = [box, row](const QString& name, const QString& text, const QString& tip) {
        auto* button = new QPushButton(text, box);
        button->setObjectName(name);
        button->setToolTip(tip);
        row->addWidget(button);
        return button;
    };
    m_pause = makeButton(QStringLiteral("pauseButton"), tr("Pause"), tr("Hold the run between two steps"));
    m_stop = makeButton(QStringLiteral("stopButton"), tr("Stop"),
                        tr("End the run now and keep the model as it is at this step"));
    m_saveNow = makeButton(QStringLiteral("saveNowButton"), tr("Save now"), tr("Write a checkpoint after this step"));
    m_sampleNow = makeButton(QStringLiteral("sampleNowButton"), tr("Sample now"),
                             tr("Measure the validation loss and draw the prompts after this step"));
    row->addStretch(1);
    m_retry = makeButton(QStringLiteral("retryButton"), tr("Try again"), tr("Start the run again"));
    m_retry->hide();

    connect(m_pause, &QPushButton::clicked, this, [this]() { m_service->setPaused(!m_service->isPaused()); });
    connect(m_stop, &QPushButton::clicked, this, [this]() { m_service->stop(); });
    connect(m_saveNow, &QPushButton::clicked, this, [this]() { m_service->saveNow(); });
    connect(m_sampleNow, &QPushButton::clicked, this, [this]() { m_service->sampleNow(); });
    connect(m_retry, &QPushButton::clicked, this, [this]() { startRun(); });
    return box;
}

QWidget* TrainingPage::buildSamples() {
    m_samplesArea = new QScrollArea(this);
    m_samplesArea->setObjectName(QStringLiteral("samplesArea"));
    m_samplesArea->setWidgetResizable(true);
    m_samplesArea->setMinimumHeight(kSampleSize + 40);
    setPrompts({});
    return m_samplesArea;
}

void TrainingPage::connectService() {
    // Only this wizard's run: the service outlives wizards (a window rebuilt by
    // a language switch, a wizard closed while its run was still ending).
    connect(m_service, &TrainingService::message, this, [this](const QString& text) {
        if (follows()) m_log->appendPlainText(text);
    });
    connect(m_service, &TrainingService::stepped, this, [this](const TrainingStep& step) {
        if (follows()) onStepped(step);
    });
    connect(m_service, &TrainingService::validated, this, [this](qint64 step, double loss, double best, bool) {
        if (follows()) onValidated(step, loss, best);
    });
    connect(m_service, &TrainingService::sampled, this,
            [this](qint64 step, const QStringList& prompts, const QList<QImage>& images) {
                if (follows()) onSampled(step, prompts, images);
            });
    connect(m_service, &TrainingService::pausedChanged, this, [this](bool paused) {
        if (follows()) m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    });
    connect(m_service, &TrainingService::finished, this, [this](const TrainingResult& result) {
        if (follows()) onFinished(result);
    });
}

bool TrainingPage::follows() const {
    return m_starting || m_service->plan().run_dir == m_wizard->plan().run_dir;
}

void TrainingPage::cleanupPage() {
    // Back after a run: coming forward again runs the plan as it is then
    // (resuming from the run's last checkpoint), not the old result.
    if (m_service->isRunning()) return;
    m_complete = false;
    m_hasResult = false;
}

void TrainingPage::initializePage() {
    if (m_service->isRunning() && !follows()) {
        setRunning(false);
        setStatus(tr("Another fine-tune is still running (%1). Wait for it to end, then try again.")
                      .arg(QString::fromStdString(m_service->plan().run_dir.string())),
                  true);
        m_retry->show();
        return;
    }
    if (!m_service->isRunning() && !m_complete) {
        startRun();
    } else {
        if (m_service->isRunning() && !m_attached) {  // a new window on a run already going
            showRunSoFar();
            setStatus(tr("Training…"), false);
        }
        setRunning(m_service->isRunning());
    }
    m_attached = true;
    // QWizard refreshes its buttons after initializePage() returns.
    QTimer::singleShot(0, this, &TrainingPage::holdBackButton);
}

bool TrainingPage::isComplete() const {
    return m_complete;
}

int TrainingPage::trainingPointCount() const {
    return int(m_train.series->count());
}

int TrainingPage::validationPointCount() const {
    return int(m_val.series->count());
}

QString TrainingPage::statusText() const {
    return m_status->text();
}

void TrainingPage::startRun() {
    m_hasResult = false;
    m_complete = false;
    m_retry->hide();
    showRunSoFar();
    setStatus(tr("Training…"), false);
    // Running first: a start that fails may report finished() before it returns.
    setRunning(true);
    m_starting = true;  // a refusal reports finished() from inside start()
    const bool started = m_service->start(m_wizard->plan());
    m_starting = false;
    if (!started && !m_hasResult) {
        setRunning(false);
        setStatus(tr("The run could not start; the log below says why."), true);
        m_retry->show();
        Q_EMIT completeChanged();
    }
}

// A resumed run, or one this page attaches to while it trains: the curves
// and samples so far from the run folder, not only this session's.
void TrainingPage::showRunSoFar() {
    resetCurves();
    const QString metrics = QDir(runDirOf(m_wizard)).filePath(QStringLiteral("metrics.csv"));
    if (QFileInfo::exists(metrics)) loadMetrics(metrics);
    m_baseImages.clear();
    m_latestImages.clear();
    m_latestStep = -1;
    setPrompts(toQStringList(m_wizard->plan().prompts));
    loadSamplesFromDisk();
    showSamples();
}

void TrainingPage::resetCurves() {
    for (Curve* curve : {&m_train, &m_val}) {
        curve->points.clear();
        curve->stride = 1;
        curve->series->clear();
    }
    m_hasBounds = false;
    m_boundsChanged = true;
    m_maxStep = m_totalSteps = 0;
    updateAxes();
    for (QLabel* label :
         {m_stepLabel, m_epochLabel, m_speedLabel, m_elapsedLabel, m_etaLabel, m_lossLabel, m_bestLabel})
        label->clear();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
}

void TrainingPage::loadMetrics(const QString& file) {
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly | QIODevice::Text)) return;
    QTextStream text(&in);
    double best = -1;
    while (!text.atEnd()) {
        // step,epoch,split,loss,lr,tokens_per_s,elapsed_s
        const QStringList fields = text.readLine().split(QLatin1Char(','));
        if (fields.size() < 7) continue;
        bool stepOk = false, lossOk = false;
        const qint64 step = fields[0].toLongLong(&stepOk);
        const double loss = fields[3].toDouble(&lossOk);
        if (!stepOk || !lossOk) continue;  // the header, or a line cut short by a crash
        if (fields[2] == QLatin1String("train")) {
            addPoint(m_train, step, loss, false);
        } else if (fields[2] == QLatin1String("val")) {
            addPoint(m_val, step, loss, false);
            if (std::isfinite(loss) && (best < 0 || loss < best)) best = loss;
        }
    }
    // One replace per curve: appending point by point would lay out the chart each time.
    m_train.series->replace(m_train.points);
    m_val.series->replace(m_val.points);
    updateAxes();
    if (best >= 0) m_bestLabel->setText(tr("Best validation loss %1").arg(formatLoss(best)));
}

void TrainingPage::loadSamplesFromDisk() {
    const QDir samples(QDir(runDirOf(m_wizard)).filePath(QStringLiteral("samples")));
    if (!samples.exists()) return;
    // A resumed run does not draw step 0 again: its base images are on disk.
    m_baseImages = loadSampleDir(samples.filePath(sampleDirName(0)));
    const QStringList steps =
        samples.entryList({QStringLiteral("step-*")}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    if (steps.isEmpty()) return;
    bool ok = false;
    const qint64 newest = steps.last().mid(5).toLongLong(&ok);
    if (!ok || newest <= 0) return;
    m_latestImages = loadSampleDir(samples.filePath(steps.last()));
    m_latestStep = newest;
}

void TrainingPage::addPoint(Curve& curve, qint64 step, double loss, bool live) {
    if (!std::isfinite(loss)) return;
    // Also drops steps logged twice (a resumed run repeats those after its checkpoint).
    if (!curve.points.isEmpty() && step - qint64(curve.points.last().x()) < curve.stride) return;
    curve.points.append(QPointF(double(step), loss));
    if (!m_hasBounds || loss < m_minLoss || loss > m_maxLoss || step > m_maxStep) {
        m_minLoss = m_hasBounds ? std::min(m_minLoss, loss) : loss;
        m_maxLoss = m_hasBounds ? std::max(m_maxLoss, loss) : loss;
        m_maxStep = std::max(m_maxStep, step);
        m_hasBounds = true;
        m_boundsChanged = true;
    }
    if (curve.points.size() > kMaxCurvePoints) {
        QList<QPointF> kept;
        kept.reserve(curve.points.size() / 2 + 1);
        for (qsizetype i = 0; i < curve.points.size(); i += 2) kept.append(curve.points[i]);
        curve.points = std::move(kept);
        curve.stride *= 2;
        if (live) curve.series->replace(curve.points);
    } else if (live) {
        curve.series->append(curve.points.last());
    }
}

void TrainingPage::updateAxes() {
    if (!m_boundsChanged) return;
    m_boundsChanged = false;
    m_axisX->setRange(0, double(std::max({m_maxStep, m_totalSteps, qint64(1)})));
    if (!m_hasBounds) {
        m_axisY->setRange(0, 1);
        return;
    }
    double pad = (m_maxLoss - m_minLoss) * 0.05;
    if (pad <= 0) pad = std::max(0.05, std::abs(m_maxLoss) * 0.05);
    m_axisY->setRange(m_minLoss - pad, m_maxLoss + pad);
}

void TrainingPage::onStepped(const TrainingStep& step) {
    addPoint(m_train, step.step, step.loss, true);
    if (step.totalSteps != m_totalSteps) {
        m_totalSteps = step.totalSteps;
        m_boundsChanged = true;
    }
    updateAxes();

    m_stepLabel->setText(tr("Step %1 / %2").arg(step.step).arg(step.totalSteps));
    m_epochLabel->setText(tr("Epoch %1").arg(step.epoch + 1));  // the core counts epochs from 0
    m_speedLabel->setText(tr("%1 tokens/s").arg(step.tokensPerS, 0, 'f', 0));
    m_elapsedLabel->setText(tr("Elapsed %1").arg(formatDuration(step.elapsedS)));
    m_etaLabel->setText(tr("ETA %1").arg(formatDuration(step.etaS)));
    m_lossLabel->setText(tr("Loss %1").arg(formatLoss(step.loss)));
    m_progress->setRange(0, int(std::max<qint64>(step.totalSteps, 1)));
    m_progress->setValue(int(std::min(step.step, std::max<qint64>(step.totalSteps, 1))));
    holdBackButton();
}

void TrainingPage::onValidated(qint64 step, double loss, double best) {
    addPoint(m_val, step, loss, true);
    updateAxes();
    m_bestLabel->setText(tr("Best validation loss %1").arg(formatLoss(best)));
}

void TrainingPage::onSampled(qint64 step, const QStringList& prompts, const QList<QImage>& images) {
    if (!prompts.isEmpty()) setPrompts(prompts);
    if (step == 0) {
        m_baseImages = images;
    } else {
        m_latestImages = images;
        m_latestStep = step;
    }
    showSamples();
}

void TrainingPage::onFinished(const TrainingResult& result) {
    m_result = result;
    m_hasResult = true;
    setRunning(false);
    m_complete = result.status == TrainingResult::Status::Finished || result.status == TrainingResult::Status::Stopped;
    setStatus(describe(result), result.status == TrainingResult::Status::Failed);
    m_retry->setVisible(result.status == TrainingResult::Status::Failed);
    // Also makes QWizard recompute its buttons, which gives Back back.
    Q_EMIT completeChanged();
}

void TrainingPage::setPrompts(const QStringList& prompts) {
    if (m_samplesGrid && prompts == m_prompts) return;
    m_prompts = prompts;
    m_rows.clear();
    auto* grid = new QWidget;
    m_samplesGrid = new QGridLayout(grid);
    m_samplesGrid->addWidget(headerLabel(tr("Prompt"), grid), 0, 0);
    m_samplesGrid->addWidget(headerLabel(tr("Base model"), grid), 0, 1);
    m_latestHeader = headerLabel(QString(), grid);
    m_samplesGrid->addWidget(m_latestHeader, 0, 2);
    for (int i = 0; i < m_prompts.size(); ++i) {
        SampleRow row;
        row.prompt = new QLabel(m_prompts[i], grid);
        row.prompt->setWordWrap(true);
        row.prompt->setMaximumWidth(240);
        row.base = new QLabel(grid);
        row.latest = new QLabel(grid);
        for (QLabel* image : {row.base, row.latest}) {
            image->setFixedSize(kSampleSize, kSampleSize);
            image->setAlignment(Qt::AlignCenter);
        }
        m_samplesGrid->addWidget(row.prompt, i + 1, 0);
        m_samplesGrid->addWidget(row.base, i + 1, 1);
        m_samplesGrid->addWidget(row.latest, i + 1, 2);
        m_rows << row;
    }
    m_samplesGrid->setRowStretch(int(m_prompts.size()) + 1, 1);
    m_samplesGrid->setColumnStretch(3, 1);
    m_samplesArea->setWidget(grid);  // deletes the previous grid
    showSamples();
}

void TrainingPage::showSamples() {
    m_latestHeader->setText(m_latestStep > 0 ? tr("Step %1").arg(m_latestStep) : QString());
    for (int i = 0; i < m_rows.size(); ++i) {
        showImage(m_rows[i].base, m_baseImages.value(i));
        showImage(m_rows[i].latest, m_latestImages.value(i));
    }
}

void TrainingPage::setRunning(bool running) {
    for (QPushButton* button : {m_pause, m_stop, m_saveNow, m_sampleNow}) button->setEnabled(running);
    m_pause->setText(running && m_service->isPaused() ? tr("Resume") : tr("Pause"));
    holdBackButton();
}

// Not a commit page: after a failure the user may go back and change the
// settings. While the run goes, the earlier pages would edit its plan.
void TrainingPage::holdBackButton() {
    QWizard* w = wizard();
    if (!w || w->currentPage() != this || !m_service->isRunning()) return;
    if (QAbstractButton* back = w->button(QWizard::BackButton)) back->setEnabled(false);
}

void TrainingPage::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color:#c0392b") : QString());
}

QString TrainingPage::describe(const TrainingResult& r) const {
    using S = TrainingResult::Status;
    switch (r.status) {
        case S::Finished:
        case S::Stopped: {
            const bool finished = r.status == S::Finished;
            if (r.firstValLoss < 0) return (finished ? tr("Finished: %1 steps") : tr("Stopped: %1 steps")).arg(r.steps);
            const double best = r.bestValLoss >= 0 ? r.bestValLoss : r.lastValLoss;
            return (finished ? tr("Finished: %1 steps, validation loss %2 -> %3")
                             : tr("Stopped: %1 steps, validation loss %2 -> %3"))
                .arg(r.steps)
                .arg(formatLoss(r.firstValLoss), formatLoss(best));
        }
        case S::Cancelled:
            return tr("Paused for later: the run continues from its last checkpoint when you start it again");
        case S::Failed:
            return tr("Failed: %1").arg(r.error);
    }
    return {};
}

}  // namespace shenbi::ui
