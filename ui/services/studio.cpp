#include "ui/services/studio.h"

#include <QDir>
#include <QStandardPaths>

#include "ui/services/executor.h"
#include "ui/services/generationservice.h"
#include "ui/services/historystore.h"
#include "ui/services/knowledgeservice.h"
#include "ui/services/modelservice.h"
#include "ui/services/trainingservice.h"

namespace shenbi::ui {

Studio::Studio(const QString& dataDir, QObject* parent)
    : QObject(parent),
      m_dataDir(dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : dataDir) {
    QDir().mkpath(m_dataDir);
    m_executor = std::make_unique<SerialExecutor>();
    m_models = std::make_unique<ModelService>(m_executor.get());
    m_knowledge = std::make_unique<KnowledgeService>();
    m_history = std::make_unique<HistoryStore>(QDir(m_dataDir).filePath(QStringLiteral("history.sqlite")));
    // Generation works without history; the history panel says why it is empty.
    if (!m_history->open()) qWarning("history off: %s", qUtf8Printable(m_history->lastError()));
    m_generation = std::make_unique<GenerationService>(m_executor.get(), m_models.get(), m_history.get());
    m_training = std::make_unique<TrainingService>();
}

Studio::~Studio() {
    m_training.reset();    // a running fine-tune writes a checkpoint and is offered again at the next start
    m_generation.reset();  // cancels and drains the executor
    m_executor->waitForDone();
}

}  // namespace shenbi::ui
