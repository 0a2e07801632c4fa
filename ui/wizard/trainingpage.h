// The fine-tune wizard's training page: starts (or resumes) the plan on
// TrainingService and shows it as it goes: loss curves, step / speed / ETA,
// the fixed prompts' samples beside the base model's, the service's log, and
// pause / stop / save now / sample now.
//
// The page is complete once the run has written its model (Finished or
// Stopped); Back is held off while the run is going, since the earlier pages
// edit the plan the run is using, but stays possible after a failure so the
// settings can be changed.
#pragma once

#include <QList>
#include <QPointF>
#include <QWizardPage>

#include "ui/services/trainingservice.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QGridLayout;
class QLabel;
class QLineSeries;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QValueAxis;
QT_END_NAMESPACE

namespace shenbi::ui {

class FinetuneWizard;

class TrainingPage : public QWizardPage {
    Q_OBJECT
public:
    explicit TrainingPage(FinetuneWizard* wizard);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    // The last run's outcome (valid when hasResult()).
    const TrainingResult& result() const { return m_result; }
    bool hasResult() const { return m_hasResult; }

    // For tests.
    int trainingPointCount() const;
    int validationPointCount() const;
    int sampleRowCount() const { return int(m_rows.size()); }
    QString statusText() const;

private:
    bool follows() const;  // the service's run is this wizard's
    void showRunSoFar();
    bool m_starting = false;
    bool m_attached = false;  // this page has shown its run once
    // One loss curve: the points shown (decimated to keep the chart cheap)
    // and the step spacing between them.
    struct Curve {
        QLineSeries* series = nullptr;
        QList<QPointF> points;
        qint64 stride = 1;
    };
    struct SampleRow {
        QLabel* prompt = nullptr;
        QLabel* base = nullptr;
        QLabel* latest = nullptr;
    };

    void buildChart();
    QWidget* buildStats();
    QWidget* buildButtons();
    QWidget* buildSamples();
    void connectService();

    void startRun();
    void resetCurves();
    void loadMetrics(const QString& file);
    void loadSamplesFromDisk();
    void addPoint(Curve& curve, qint64 step, double loss, bool live);
    void updateAxes();

    void onStepped(const TrainingStep& step);
    void onValidated(qint64 step, double loss, double best);
    void onSampled(qint64 step, const QStringList& prompts, const QList<QImage>& images);
    void onFinished(const TrainingResult& result);

    void setPrompts(const QStringList& prompts);
    void showSamples();
    void setRunning(bool running);
    void holdBackButton();
    void setStatus(const QString& text, bool error);
    QString describe(const TrainingResult& result) const;

    FinetuneWizard* m_wizard;
    TrainingService* m_service;

    QChartView* m_chartView = nullptr;
    QValueAxis* m_axisX = nullptr;
    QValueAxis* m_axisY = nullptr;
    Curve m_train, m_val;
    double m_minLoss = 0, m_maxLoss = 0;
    qint64 m_maxStep = 0, m_totalSteps = 0;
    bool m_hasBounds = false;
    bool m_boundsChanged = true;

    QLabel* m_stepLabel = nullptr;
    QLabel* m_epochLabel = nullptr;
    QLabel* m_speedLabel = nullptr;
    QLabel* m_elapsedLabel = nullptr;
    QLabel* m_etaLabel = nullptr;
    QLabel* m_lossLabel = nullptr;
    QLabel* m_bestLabel = nullptr;
    QProgressBar* m_progress = nullptr;

    QPushButton* m_pause = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_saveNow = nullptr;
    QPushButton* m_sampleNow = nullptr;
    QPushButton* m_retry = nullptr;
    QLabel* m_status = nullptr;

    QScrollArea* m_samplesArea = nullptr;
    QGridLayout* m_samplesGrid = nullptr;
    QLabel* m_latestHeader = nullptr;
    QList<SampleRow> m_rows;
    QStringList m_prompts;
    QList<QImage> m_baseImages, m_latestImages;
    qint64 m_latestStep = -1;

    QPlainTextEdit* m_log = nullptr;

    TrainingResult m_result;
    bool m_hasResult = false;
    bool m_complete = false;  // the run wrote its model on this page
};

}  // namespace shenbi::ui
