// The services one studio window works with, owned together so that their
// destruction order is fixed: generation is cancelled and the serial
// executor drained before the model and the history go away.
#pragma once

#include <QObject>
#include <QString>
#include <memory>

namespace shenbi::ui {

class SerialExecutor;
class ModelService;
class KnowledgeService;
class HistoryStore;
class GenerationService;
class TrainingService;

class Studio : public QObject {
    Q_OBJECT
public:
    // `dataDir` holds history.sqlite; empty = QStandardPaths::AppDataLocation.
    explicit Studio(const QString& dataDir = {}, QObject* parent = nullptr);
    ~Studio() override;

    ModelService* models() const { return m_models.get(); }
    KnowledgeService* knowledge() const { return m_knowledge.get(); }
    HistoryStore* history() const { return m_history.get(); }
    GenerationService* generation() const { return m_generation.get(); }
    // Fine-tunes run on their own thread, beside generation.
    TrainingService* training() const { return m_training.get(); }
    QString dataDir() const { return m_dataDir; }

private:
    QString m_dataDir;
    // Declaration order = reverse destruction order: the executor goes last.
    std::unique_ptr<SerialExecutor> m_executor;
    std::unique_ptr<ModelService> m_models;
    std::unique_ptr<KnowledgeService> m_knowledge;
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<GenerationService> m_generation;
    std::unique_ptr<TrainingService> m_training;  // first to go: a running fine-tune checkpoints
};

}  // namespace shenbi::ui
