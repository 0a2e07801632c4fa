// Sampling parameters: candidates, seed (dice, lock, reuse last), temperature,
// top-k, top-p, guidance with its negative prompt, best of, plan the layout
// with its parts guidance, knowledge on/off, fusion mode (shown; the model
// decides).
#pragma once

#include <QWidget>

#include "ui/services/types.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace shenbi::ui {

class ParamsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParamsPanel(QWidget* parent = nullptr);

    // The request for `prompt`. Rolls a new seed first unless the seed is locked.
    GenerationRequest takeRequest(const QString& prompt);
    // Restores values; the seed too when `withSeed` (and then locks it).
    void apply(const GenerationRequest& request, bool withSeed);
    void setSeed(quint64 seed, bool lock);
    quint64 seed() const;
    bool seedLocked() const;
    void setModelInfo(const ModelInfo& info);
    int candidates() const;
    // The negative prompt as typed (sent only while guidance is on).
    QString negativePrompt() const;
    bool planLayout() const;        // Plan the layout is checked
    double layoutGuidance() const;  // Parts guidance; 0 = as Guidance
    double colourGuidance() const;  // Colours, on the Guidance row; 0 = as Guidance

    void saveSettings() const;
    void restoreSettings();

Q_SIGNALS:
    void changed();

private:
    void rollSeed();
    void boundBestOf();
    void enableNegative();

    QSpinBox* m_candidates;
    QLineEdit* m_seed;
    QToolButton* m_dice;
    QToolButton* m_lock;
    QToolButton* m_reuse;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_topK;
    QDoubleSpinBox* m_guidance;
    QDoubleSpinBox* m_colourGuidance;
    QLineEdit* m_negative;
    QSpinBox* m_bestOf;
    QDoubleSpinBox* m_topP;
    QCheckBox* m_layout;
    QDoubleSpinBox* m_layoutGuidance;
    QCheckBox* m_knowledge;
    QComboBox* m_fusion;
    quint64 m_lastSeed = 0;
};

}  // namespace shenbi::ui
