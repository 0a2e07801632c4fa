// Owns the loaded model and loads new ones on the serial executor.
// The bundle is shared read-only: a running generation keeps its own
// shared_ptr, so switching models never pulls weights from under it.
#pragma once

#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

#include <qcoro/qcorotask.h>

#include "ui/services/types.h"

namespace shenbi {
struct ModelBundle;
class BertTokenizer;
}  // namespace shenbi

namespace shenbi::ui {

class SerialExecutor;

struct LoadOutcome {
    bool ok = false;
    QString error;
    ModelInfo info;
};

class ModelService : public QObject {
    Q_OBJECT
public:
    explicit ModelService(SerialExecutor* executor, QObject* parent = nullptr);
    ~ModelService() override;

    // A Shenbi or EasyNLP model directory, on `device` ("cpu", "cuda", "cuda:1"),
    // its GPT's weights in `precision` ("auto", "fp32", "bf16", "int8";
    // core/model/precision.h). Random models stay fp32.
    QCoro::Task<LoadOutcome> loadDirectory(QString dir, QString device, QString precision = QStringLiteral("auto"));
    // Randomly initialised weights of a preset ("tiny", "small"): tests, demos,
    // and the fallback until a trained model is installed.
    QCoro::Task<LoadOutcome> loadRandom(QString preset, quint64 seed);
    // Converts an EasyNLP directory into a Shenbi model directory under `outDir`.
    QCoro::Task<LoadOutcome> importEasyNlp(QString easyNlpDir, QString outDir);

    bool isLoaded() const { return static_cast<bool>(m_bundle); }
    bool isLoading() const { return m_loading > 0; }
    const ModelInfo& info() const { return m_info; }
    std::shared_ptr<const ModelBundle> bundle() const { return m_bundle; }

    // UTF-16 end offset of every prompt token, in order (empty without a model):
    // the editor greys out what lies past token info().textLen.
    QList<int> tokenEnds(const QString& prompt) const;

    // "cpu" plus "cuda:N" for each visible CUDA device.
    static QStringList availableDevices();
    // Intra-op threads for generation on the CPU (applied on the worker thread).
    void setCpuThreads(int threads) { m_cpuThreads = threads; }
    int cpuThreads() const { return m_cpuThreads; }
    static int defaultCpuThreads();

Q_SIGNALS:
    void modelChanged(const shenbi::ui::ModelInfo& info);
    void loadingChanged(bool loading);
    void loadFailed(const QString& error);

private:
    void adopt(std::shared_ptr<const ModelBundle> bundle, const ModelInfo& info);
    using LoadJob = std::function<LoadOutcome(std::shared_ptr<const ModelBundle>*)>;
    // Coroutine. GCC 12 destroys prvalue arguments of a coroutine twice
    // (PR 99576), so coroutines here only ever receive lvalues: the public
    // entry points are plain functions that forward named copies.
    QCoro::Task<LoadOutcome> runLoad(LoadJob job);

    SerialExecutor* m_executor;
    std::shared_ptr<const ModelBundle> m_bundle;
    std::shared_ptr<const BertTokenizer> m_tokenizer;
    ModelInfo m_info;
    int m_loading = 0;
    int m_cpuThreads;
};

}  // namespace shenbi::ui
