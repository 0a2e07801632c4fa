// The wizard's method page: full fine-tune or LoRA, a preset (quick /
// balanced / thorough) whose time is estimated from steps measured on this
// machine, and the advanced settings. Every value is checked by
// validate_plan before training starts, all problems shown at once.
#pragma once

#include <QWizardPage>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;
class QSpinBox;
class QTimer;

namespace shenbi {
struct FinetunePlan;
}

namespace shenbi::ui {

class DataPage;
class FinetuneWizard;

class MethodPage : public QWizardPage {
    Q_OBJECT
public:
    enum class Preset { Quick, Balanced, Thorough };

    MethodPage(FinetuneWizard* wizard, DataPage* data);

    void initializePage() override;
    bool validatePage() override;

    // Fills the widgets from a plan (continuing a run) or reads them into one.
    void showPlan();
    void applyPreset(Preset preset);
    void setLora(bool lora);
    // The problems validatePage found, as shown (tests).
    QStringList errors() const { return m_errors; }
    // Seconds per step measured for the current method and batch; 0 until measured.
    double secondsPerStep() const { return m_secondsPerStep; }
    // Asks for a measurement (a few real steps of the base model), debounced,
    // one at a time, never while a run trains.
    void measure();

private:
    QWidget* buildMethod();
    QWidget* buildPresets();
    QWidget* buildAdvanced();
    void readInto(shenbi::FinetunePlan& plan) const;
    qint64 trainRows() const;
    qint64 stepsFor(Preset preset) const;
    void updateEstimates();
    void startMeasurement();

    FinetuneWizard* m_wizard;
    DataPage* m_data;
    QRadioButton* m_full;
    QRadioButton* m_lora;
    QSpinBox* m_rank;
    QLineEdit* m_alpha;
    QButtonGroup* m_presets;
    QLabel* m_presetLabels[3];
    QLabel* m_timing;
    QGroupBox* m_advanced;
    QLineEdit* m_learningRate;
    QSpinBox* m_steps;
    QSpinBox* m_batch;
    QSpinBox* m_evalEvery;
    QSpinBox* m_saveEvery;
    QSpinBox* m_patience;
    QPlainTextEdit* m_prompts;
    QLineEdit* m_seed;
    QComboBox* m_device;
    QSpinBox* m_threads;
    QCheckBox* m_bf16;  // bf16 mixed precision; only where the CPU has native bf16
    QLineEdit* m_runDir;
    QLabel* m_errorLabel;
    QStringList m_errors;
    double m_secondsPerStep = 0;
    int m_measuring = 0;
    bool m_measureAgain = false;
    bool m_settingsShown = false;  // a preset or a restored plan filled the settings
    QTimer* m_measureTimer = nullptr;
};

}  // namespace shenbi::ui
