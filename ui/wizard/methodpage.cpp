#include "ui/wizard/methodpage.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <utility>

#include "core/data/train_data.h"
#include "core/model/precision.h"
#include "core/train/finetune_plan.h"
#include "ui/services/modelservice.h"
#include "ui/services/trainingservice.h"
#include "ui/wizard/datapage.h"
#include "ui/wizard/finetunewizard.h"

namespace shenbi::ui {
namespace {

struct PresetSpec {
    int epochs;
    int patience;
};
// Epochs over the artist's images; thorough stops early when validation stalls.
constexpr PresetSpec kPresets[3] = {{3, 0}, {8, 0}, {20, 3}};
constexpr int kBatch = 8;
// LoRA trains a few small matrices from zero and takes a larger step than
// full fine-tuning (docs/finetune.md: 1e-3 and 1e-4 on the same data).
constexpr double kLoraRate = 1e-3, kFullRate = 1e-4;

QString duration(double seconds) {
    const qint64 s = std::llround(seconds);
    if (s >= 3600) return MethodPage::tr("%1 h %2 min").arg(s / 3600).arg((s / 60) % 60);
    if (s >= 60) return MethodPage::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return MethodPage::tr("%1 s").arg(s);
}

QSpinBox* spin(int lo, int hi, int value, const QString& special = {}) {
    auto* box = new QSpinBox;
    box->setRange(lo, hi);
    box->setValue(value);
    if (!special.isEmpty()) box->setSpecialValueText(special);
    return box;
}

}  // namespace

MethodPage::MethodPage(FinetuneWizard* wizard, DataPage* data) : m_wizard(wizard), m_data(data) {
    setTitle(tr("Method and settings"));
    setSubTitle(
        tr("How the model learns your images, and for how long. The time estimates come from training steps "
           "measured on this computer."));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildMethod());
    layout->addWidget(buildPresets());
    layout->addWidget(buildAdvanced());
    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName(QStringLiteral("methodErrors"));
    m_errorLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_errorLabel->setWordWrap(true);
    layout->addWidget(m_errorLabel);
    layout->addStretch();
    m_measureTimer = new QTimer(this);
    m_measureTimer->setSingleShot(true);
    m_measureTimer->setInterval(400);
    connect(m_measureTimer, &QTimer::timeout, this, &MethodPage::startMeasurement);
}

QWidget* MethodPage::buildMethod() {
    auto* box = new QGroupBox(tr("Method"));
    auto* layout = new QGridLayout(box);
    m_full = new QRadioButton(tr("Full fine-tune: every weight of the GPT learns (saves a whole model)"));
    m_lora =
        new QRadioButton(tr("LoRA adapters: small matrices beside the GPT's attention and MLP layers learn "
                            "(saves a few MB, opened on top of the base model)"));
    m_full->setObjectName(QStringLiteral("fullRadio"));
    m_lora->setObjectName(QStringLiteral("loraRadio"));
    m_lora->setChecked(true);
    m_rank = spin(1, 256, 8);
    m_rank->setObjectName(QStringLiteral("loraRank"));
    m_alpha = new QLineEdit(QStringLiteral("16"));
    m_alpha->setObjectName(QStringLiteral("loraAlpha"));
    m_alpha->setMaximumWidth(80);
    layout->addWidget(m_full, 0, 0, 1, 4);
    layout->addWidget(m_lora, 1, 0, 1, 4);
    layout->addWidget(new QLabel(tr("Rank")), 2, 0);
    layout->addWidget(m_rank, 2, 1);
    layout->addWidget(new QLabel(tr("Alpha")), 2, 2);
    layout->addWidget(m_alpha, 2, 3);
    layout->setColumnStretch(4, 1);
    auto methodChanged = [this]() {
        m_rank->setEnabled(m_lora->isChecked());
        m_alpha->setEnabled(m_lora->isChecked());
        m_learningRate->setText(QString::number(m_lora->isChecked() ? kLoraRate : kFullRate));
        measure();
    };
    connect(m_lora, &QRadioButton::toggled, this, methodChanged);
    connect(m_rank, &QSpinBox::valueChanged, this, [this](int r) { m_alpha->setText(QString::number(2 * r)); });
    return box;
}

QWidget* MethodPage::buildPresets() {
    auto* box = new QGroupBox(tr("How long"));
    auto* layout = new QGridLayout(box);
    m_presets = new QButtonGroup(this);
    const QString names[3] = {tr("Quick"), tr("Balanced"), tr("Thorough")};
    for (int i = 0; i < 3; ++i) {
        auto* radio = new QRadioButton(names[i]);
        radio->setObjectName(QStringLiteral("preset%1").arg(i));
        m_presets->addButton(radio, i);
        m_presetLabels[i] = new QLabel;
        layout->addWidget(radio, i, 0);
        layout->addWidget(m_presetLabels[i], i, 1);
    }
    m_presets->button(1)->setChecked(true);
    m_timing = new QLabel;
    m_timing->setObjectName(QStringLiteral("timingLabel"));
    m_timing->setWordWrap(true);
    layout->addWidget(m_timing, 3, 0, 1, 2);
    connect(m_presets, &QButtonGroup::idClicked, this, [this](int id) { applyPreset(static_cast<Preset>(id)); });
    return box;
}

QWidget* MethodPage::buildAdvanced() {
    m_advanced = new QGroupBox(tr("Advanced settings"));
    m_advanced->setCheckable(true);
    m_advanced->setChecked(false);
    auto* inner = new QWidget;
    auto* form = new QHBoxLayout(inner);
    m_learningRate = new QLineEdit(QString::number(kLoraRate));
    m_steps = spin(1, 10'000'000, 100);
    m_batch = spin(1, 1024, kBatch);
    m_evalEvery = spin(0, 1'000'000, 25, tr("at the end only"));
    m_saveEvery = spin(0, 1'000'000, 25, tr("at the end only"));
    m_patience = spin(0, 1000, 0, tr("off"));
    m_prompts = new QPlainTextEdit;
    m_prompts->setPlaceholderText(tr("One prompt per line; sampled at every validation"));
    m_prompts->setMaximumHeight(64);
    m_seed = new QLineEdit(QStringLiteral("42"));
    m_device = new QComboBox;
    m_device->addItems(ModelService::availableDevices());
    m_threads = spin(0, 256, 0, tr("automatic"));
    // On by default where it can run: 3.5-5.6x faster steps on a CPU with
    // native bf16 (bench/train.md), weights and optimizer still fp32.
    m_bf16 = new QCheckBox(tr("bf16 mixed precision (faster on this CPU)"));
    m_bf16->setToolTip(
        tr("The forward pass computes in bf16 where this CPU does it natively (AMX or "
           "AVX512_BF16); the weights and the optimizer stay fp32. Training on a GPU ignores it."));
    const bool bf16Here = cpu_runs_precision(shenbi::WeightPrecision::BFloat16);
    m_bf16->setChecked(bf16Here);  // never checked where it is hidden, so readInto needs no second test
    m_bf16->setHidden(!bf16Here);
    m_runDir = new QLineEdit;
    const std::pair<const char*, QWidget*> named[] = {
        {"learningRate", m_learningRate}, {"steps", m_steps},         {"batch", m_batch},
        {"evalEvery", m_evalEvery},       {"saveEvery", m_saveEvery}, {"patience", m_patience},
        {"prompts", m_prompts},           {"seed", m_seed},           {"device", m_device},
        {"threads", m_threads},           {"runDir", m_runDir},       {"bf16", m_bf16}};
    for (const auto& [name, widget] : named) widget->setObjectName(QString::fromLatin1(name));
    // Two columns, so the page fits a laptop screen without scrolling.
    auto* left = new QFormLayout;
    auto* right = new QFormLayout;
    left->addRow(tr("Learning rate"), m_learningRate);
    left->addRow(tr("Steps"), m_steps);
    left->addRow(tr("Batch size"), m_batch);
    left->addRow(tr("Validate and sample every"), m_evalEvery);
    left->addRow(tr("Checkpoint every"), m_saveEvery);
    left->addRow(tr("Early stop after (validations without improvement)"), m_patience);
    right->addRow(tr("Sample prompts"), m_prompts);
    right->addRow(tr("Seed"), m_seed);
    right->addRow(tr("Device"), m_device);
    right->addRow(tr("CPU threads"), m_threads);
    right->addRow(QString(), m_bf16);  // hidden where the CPU lacks native bf16
    right->addRow(tr("Run folder"), m_runDir);
    form->addLayout(left, 1);
    form->addLayout(right, 1);
    auto* layout = new QVBoxLayout(m_advanced);
    layout->addWidget(inner);
    inner->setVisible(false);
    connect(m_advanced, &QGroupBox::toggled, inner, &QWidget::setVisible);
    connect(m_batch, &QSpinBox::valueChanged, this, &MethodPage::measure);  // another batch, another step time
    connect(m_bf16, &QCheckBox::toggled, this, &MethodPage::measure);
    connect(m_steps, &QSpinBox::valueChanged, this, &MethodPage::updateEstimates);
    return m_advanced;
}

void MethodPage::initializePage() {
    const auto& plan = m_wizard->plan();
    if (m_runDir->text().isEmpty()) m_runDir->setText(QString::fromStdString(plan.run_dir.string()));
    if (m_prompts->toPlainText().isEmpty()) {  // the artist's own captions show the change best
        const QStringList captions = m_data->captions();
        m_prompts->setPlainText(captions.mid(0, 4).join(QLatin1Char('\n')));
    }
    // The preset fills the settings once; coming back keeps what the artist set.
    if (!m_settingsShown) applyPreset(static_cast<Preset>(std::max(0, m_presets->checkedId())));
    m_settingsShown = true;
    if (m_secondsPerStep <= 0) measure();
}

qint64 MethodPage::trainRows() const {
    const qint64 usable = m_data->usableCount();
    const auto& plan = m_wizard->plan();
    if (plan.folder.empty()) return std::max<qint64>(usable, 1);  // TSV: rows counted when training starts
    return std::max<qint64>(1, usable - validation_count(usable, plan.val_fraction));
}

qint64 MethodPage::stepsFor(Preset preset) const {
    const qint64 perEpoch = (trainRows() + m_batch->value() - 1) / m_batch->value();
    return std::max<qint64>(10, perEpoch * kPresets[static_cast<int>(preset)].epochs);
}

void MethodPage::applyPreset(Preset preset) {
    const auto& spec = kPresets[static_cast<int>(preset)];
    const qint64 steps = stepsFor(preset);
    m_steps->setValue(static_cast<int>(steps));
    const int every = static_cast<int>(std::max<qint64>(1, steps / 4));
    m_evalEvery->setValue(every);
    m_saveEvery->setValue(every);
    m_patience->setValue(spec.patience);
    m_learningRate->setText(QString::number(m_lora->isChecked() ? kLoraRate : kFullRate));
    updateEstimates();
}

void MethodPage::updateEstimates() {
    const QString epochs[3] = {tr("%n epochs", nullptr, kPresets[0].epochs),
                               tr("%n epochs", nullptr, kPresets[1].epochs),
                               tr("%n epochs", nullptr, kPresets[2].epochs)};
    for (int i = 0; i < 3; ++i) {
        const qint64 steps = stepsFor(static_cast<Preset>(i));
        QString text = tr("%1, %2 steps").arg(epochs[i]).arg(steps);
        if (m_secondsPerStep > 0) text += tr(", about %1").arg(duration(steps * m_secondsPerStep));
        if (i == 2) text += tr(" (stops early when validation stops improving)");
        m_presetLabels[i]->setText(text);
    }
    if (m_measuring > 0)
        m_timing->setText(tr("Measuring a few training steps on this computer…"));
    else if (m_secondsPerStep > 0)
        m_timing->setText(tr("%1 s per step of %2 images, measured here. The estimates cover the training steps; "
                             "validation and samples add to them.")
                              .arg(m_secondsPerStep, 0, 'f', 2)
                              .arg(m_batch->value()));
}

void MethodPage::measure() {
    // The old figure is for other settings (method, batch). Debounced: scrolling the batch box asks many times; one
    // measurement (a copy of the model and three training steps) runs for the last ask.
    m_secondsPerStep = 0;
    m_measureTimer->start();
    updateEstimates();
}

void MethodPage::startMeasurement() {
    if (m_wizard->training()->isRunning()) return;  // never beside a run: it would slow it and share its memory
    if (m_measuring > 0) {
        m_measureAgain = true;  // the settings changed while one ran
        return;
    }
    shenbi::FinetunePlan plan = m_wizard->plan();
    readInto(plan);
    ++m_measuring;
    updateEstimates();
    QPointer<MethodPage> self(this);
    auto task = m_wizard->training()->measureStepTime(plan, 2);
    task.then([self](const StepTiming& t) {
        if (!self) return;
        --self->m_measuring;
        if (std::exchange(self->m_measureAgain, false)) {
            self->startMeasurement();  // this result is for settings that changed since
            return;
        }
        if (t.ok)
            self->m_secondsPerStep = t.secondsPerStep;
        else
            self->m_timing->setText(tr("Could not measure a training step: %1").arg(t.error));
        if (t.ok) self->updateEstimates();
    });
}

void MethodPage::readInto(shenbi::FinetunePlan& plan) const {
    plan.lora_rank = m_lora->isChecked() ? m_rank->value() : 0;
    bool ok = false;
    const double alpha = m_alpha->text().toDouble(&ok);
    plan.lora_alpha = m_lora->isChecked() ? (ok ? alpha : -1) : 0;  // -1: refused by validate_plan, named
    const double rate = m_learningRate->text().toDouble(&ok);
    plan.learning_rate = ok ? rate : -1;
    plan.max_steps = m_steps->value();
    plan.micro_batch = m_batch->value();
    plan.eval_every = m_evalEvery->value();
    plan.save_every = m_saveEvery->value();
    plan.early_stop_patience = m_patience->value();
    plan.prompts.clear();
    for (const QString& line : m_prompts->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty()) plan.prompts.push_back(line.trimmed().toStdString());
    const qulonglong seed = m_seed->text().toULongLong(&ok);
    plan.seed = ok ? seed : 42;
    plan.device = m_device->currentText().toStdString();
    plan.threads = m_threads->value();
    plan.mixed_precision =
        m_bf16->isChecked() && plan.device == "cpu" ? "bf16" : "off";          // the GPU keeps fp32 (not tried there)
    plan.run_dir = QDir::cleanPath(m_runDir->text().trimmed()).toStdString();  // "run/" and "run" are one folder
}

bool MethodPage::validatePage() {
    shenbi::FinetunePlan plan = m_wizard->plan();
    readInto(plan);
    m_errors.clear();
    bool seedOk = false;
    m_seed->text().toULongLong(&seedOk);
    if (!seedOk) m_errors << tr("Seed %1: must be a whole number of 0 or more").arg(m_seed->text());
    for (const auto& e : validate_plan(plan)) m_errors << QString::fromStdString(e);
    m_errorLabel->setText(m_errors.join(QLatin1Char('\n')));
    if (!m_errors.isEmpty()) {
        m_advanced->setChecked(true);  // most problems are set there
        return false;
    }
    // The knowledge page wrote the triples into the run folder it knew; keep
    // them with the run if the folder changed here.
    const QString from = QString::fromStdString(plan.triples.string());
    const QString to = QDir(QString::fromStdString(plan.run_dir.string())).filePath(QStringLiteral("triples.tsv"));
    if (!plan.triples.empty() && QFileInfo(from) != QFileInfo(to)) {
        QDir().mkpath(QFileInfo(to).path());
        const QString partial = to + QStringLiteral(".copying");
        QFile::remove(partial);
        // Copied beside and renamed over: the run folder never holds half a file.
        if (!QFile::copy(from, partial) || (QFile::exists(to) && !QFile::remove(to)) || !QFile::rename(partial, to)) {
            m_errors << tr("Cannot copy your triples to %1").arg(to);
            m_errorLabel->setText(m_errors.join(QLatin1Char('\n')));
            return false;
        }
        plan.triples = to.toStdString();
    }
    m_wizard->plan() = plan;
    return true;
}

void MethodPage::showPlan() {
    const auto& plan = m_wizard->plan();
    // The plan's own values: no preset over them, no measurement beside the run.
    const QSignalBlocker blockLora(m_lora), blockBatch(m_batch), blockRank(m_rank);
    m_settingsShown = true;
    m_lora->setChecked(plan.lora());
    m_full->setChecked(!plan.lora());
    if (plan.lora()) m_rank->setValue(plan.lora_rank);
    m_alpha->setText(QString::number(plan.lora_alpha > 0 ? plan.lora_alpha : 2.0 * m_rank->value()));
    m_learningRate->setText(QString::number(plan.learning_rate));
    if (plan.max_steps > 0) m_steps->setValue(static_cast<int>(plan.max_steps));
    m_batch->setValue(plan.micro_batch);
    m_evalEvery->setValue(plan.eval_every);
    m_saveEvery->setValue(plan.save_every);
    m_patience->setValue(plan.early_stop_patience);
    QStringList prompts;
    for (const auto& p : plan.prompts) prompts << QString::fromStdString(p);
    m_prompts->setPlainText(prompts.join(QLatin1Char('\n')));
    m_seed->setText(QString::number(plan.seed));
    m_device->setCurrentText(QString::fromStdString(plan.device));
    m_threads->setValue(plan.threads);
    m_bf16->setChecked(plan.mixed_precision == "bf16" && !m_bf16->isHidden());  // a plan from a bf16 CPU: off here
    m_runDir->setText(QString::fromStdString(plan.run_dir.string()));
    m_rank->setEnabled(plan.lora());
    m_alpha->setEnabled(plan.lora());
}

void MethodPage::setLora(bool lora) {
    (lora ? m_lora : m_full)->setChecked(true);
}

}  // namespace shenbi::ui
