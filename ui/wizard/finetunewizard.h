// The fine-tune wizard: an artist adapts a model to their own images
// without a terminal. Five pages over one FinetunePlan (core/train/
// finetune_plan.h), which is also what "Export as command" prints:
//
//   DataPage       folder or TSV, the check report, thumbnails with editable
//                  captions, the validation split
//   KnowledgePage  entity coverage of the captions, the artist's own triples
//   MethodPage     full or LoRA, presets timed on this machine, advanced settings
//   TrainingPage   loss curves, samples beside the base model's, pause / resume /
//                  stop / save now / sample now
//   FinishPage     best or last weights, a name, registered in the model manager
//
// A non-modal window: the studio stays usable while it trains (the run is on
// TrainingService's own thread).
#pragma once

#include <QWizard>

#include "core/train/finetune_plan.h"
#include "ui/services/types.h"

namespace shenbi::ui {

class TrainingService;
class DataPage;
class KnowledgePage;
class MethodPage;

class FinetuneWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { DataPageId, KnowledgePageId, MethodPageId, TrainingPageId, FinishPageId };

    // `base` is the model the studio has open (its dir is the base model).
    FinetuneWizard(TrainingService* training, const ModelInfo& base, QWidget* parent = nullptr);

    // Continues an unfinished run (crash or close): the plan's settings are
    // restored into the pages and the wizard opens on the training page,
    // resuming from the run's newest checkpoint.
    void continueRun(const shenbi::FinetunePlan& plan);

    // The plan every page reads and fills.
    shenbi::FinetunePlan& plan() { return m_plan; }
    TrainingService* training() const { return m_training; }
    const ModelInfo& baseModel() const { return m_base; }
    // Where runs go by default: <app data>/finetune/<timestamp>.
    static QString defaultRunDir();
    DataPage* dataPage() const { return m_data; }
    KnowledgePage* knowledgePage() const { return m_knowledge; }
    MethodPage* methodPage() const { return m_method; }

Q_SIGNALS:
    // A finished model was added to the model manager ("dir:<path>").
    void modelRegistered(const QString& entry);
    // "Open in studio" on the finish page.
    void openRequested(const QString& entry);

protected:
    void closeEvent(QCloseEvent* event) override;  // asks before cancelling a run (it is resumable)
    void reject() override;

private:
    TrainingService* m_training;
    ModelInfo m_base;
    shenbi::FinetunePlan m_plan;
    DataPage* m_data = nullptr;
    KnowledgePage* m_knowledge = nullptr;
    MethodPage* m_method = nullptr;
    bool m_closing = false;
};

}  // namespace shenbi::ui
