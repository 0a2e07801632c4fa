#include "ui/wizard/finetunewizard.h"

#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>

#include "ui/services/trainingservice.h"
#include "ui/wizard/datapage.h"
#include "ui/wizard/finishpage.h"
#include "ui/wizard/knowledgepage.h"
#include "ui/wizard/methodpage.h"
#include "ui/wizard/trainingpage.h"

namespace shenbi::ui {

FinetuneWizard::FinetuneWizard(TrainingService* training, const ModelInfo& base, QWidget* parent)
    : QWizard(parent), m_training(training), m_base(base) {
    setObjectName(QStringLiteral("finetuneWizard"));
    setWindowTitle(tr("Fine-tune on your images — %1").arg(base.id));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setAttribute(Qt::WA_DeleteOnClose);
    m_plan.base_model = base.dir.toStdString();
    m_plan.run_dir = defaultRunDir().toStdString();
    auto* data = new DataPage(this);
    auto* training_page = new TrainingPage(this);
    m_method = new MethodPage(this, data);
    m_knowledge = new KnowledgePage(this, data);
    m_data = data;
    setPage(DataPageId, data);
    setPage(KnowledgePageId, m_knowledge);
    setPage(MethodPageId, m_method);
    setPage(TrainingPageId, training_page);
    setPage(FinishPageId, new FinishPage(this, training_page));
    resize(960, 760);
}

QString FinetuneWizard::defaultRunDir() {
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(base).filePath(QStringLiteral("finetune/") +
                               QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
}

void FinetuneWizard::continueRun(const shenbi::FinetunePlan& plan) {
    m_plan = plan;
    m_base.dir = QString::fromStdString(plan.base_model.string());  // the run's base, not the studio's open model
    // The pages show what the run uses, so Back (after a failure) edits the same settings.
    if (!plan.folder.empty()) m_data->setFolder(QString::fromStdString(plan.folder.string()));
    if (!plan.triples.empty()) m_knowledge->loadTriplesFile(QString::fromStdString(plan.triples.string()));
    m_method->showPlan();
    setStartId(TrainingPageId);
    restart();
}

void FinetuneWizard::closeEvent(QCloseEvent* event) {
    if (!m_training->isRunning()) {
        QWizard::closeEvent(event);
        return;
    }
    const auto answer = QMessageBox::question(
        this, tr("Training is running"),
        tr("Stop training for now? It is kept at its last checkpoint, and Shenbi offers to continue it the next "
           "time it starts."),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    m_closing = true;  // the run ends later: reject() must not ask again
    if (m_training->isRunning()) m_training->cancel();
    QWizard::closeEvent(event);
}

void FinetuneWizard::reject() {
    // Escape and Cancel go through close(), which asks while training runs.
    if (m_training->isRunning() && !m_closing) {
        close();
        return;
    }
    QWizard::reject();
}

}  // namespace shenbi::ui
