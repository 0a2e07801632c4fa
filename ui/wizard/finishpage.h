// The fine-tune wizard's last page: the best or the last weights, a name,
// and "Add to my models" (the wizard's Finish), which copies the chosen
// model directory under <app data>/models and registers it in the model
// manager. Also shows the run as one `shenbi-cli` command to copy.
#pragma once

#include <QString>
#include <QWizardPage>
#include <optional>

#include "ui/services/modelcatalogue.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
QT_END_NAMESPACE

namespace shenbi::ui {

class FinetuneWizard;
class TrainingPage;

class FinishPage : public QWizardPage {
    Q_OBJECT
public:
    FinishPage(FinetuneWizard* wizard, TrainingPage* training);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;  // publishes and registers the model

    // The registered model's ModelEntry key (a Directory entry); empty before registration.
    QString registeredEntry() const { return m_registered ? m_registered->key() : QString(); }
    // The `shenbi-cli finetune ...` line of the plan.
    QString command() const;

    // <app data>/models/<folder> for `name`: characters other than
    // [A-Za-z0-9_-] and CJK become '-'; -2, -3 ... when the folder exists.
    static QString targetDir(const QString& modelsRoot, const QString& name);

private:
    QWidget* buildChoice();
    QWidget* buildCommand();
    QString defaultName() const;
    QString nameProblem() const;
    QString chosenDir() const;
    bool publish(const QString& from);
    void showError(const QString& text);

    FinetuneWizard* m_wizard;
    TrainingPage* m_training;
    QRadioButton* m_best = nullptr;
    QRadioButton* m_last = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_error = nullptr;
    QCheckBox* m_openNow = nullptr;
    QPushButton* m_open = nullptr;
    QPlainTextEdit* m_command = nullptr;
    std::optional<ModelEntry> m_registered;
};

}  // namespace shenbi::ui
