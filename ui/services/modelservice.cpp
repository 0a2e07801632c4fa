#include "ui/services/modelservice.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>
#include <torch/cuda.h>

#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/model/model_bundle.h"
#include "core/model/precision.h"
#include "core/text/tokenizer.h"
#include "core/util/guard.h"
#include "core/util/runtime.h"
#include "ui/services/executor.h"

namespace shenbi::ui {

namespace {

ModelInfo describe(const ModelBundle& b, const QString& id) {
    ModelInfo info;
    info.id = id;
    info.dir = QString::fromStdString(b.dir.string());
    info.checksum = QString::fromStdString(b.checksum);
    info.fusion = QString::fromStdString(to_string(b.config.gpt.fusion));
    info.device = QString::fromStdString(b.device.str());
    info.precision = QString::fromStdString(to_string(gpt_precision(b)));
    info.textLen = b.config.gpt.text_len;
    info.imgLen = b.config.gpt.img_len;
    info.grid = b.config.vqgan.grid_size();
    info.resolution = b.config.vqgan.resolution;
    info.hasEntities = static_cast<bool>(b.entities);
    info.maxEntities = b.config.gpt.max_entities;
    info.singleCharEntities = b.config.gpt.single_char_entities;
    info.description = QString::fromStdString(b.config.card.description);
    for (const auto& e : b.config.card.examples) info.examples << QString::fromStdString(e);
    if (b.config.sampling) {
        info.hasRecommendedSampling = true;
        info.recommendedTopK = b.config.sampling->top_k;
        info.recommendedTopP = b.config.sampling->top_p;
        info.recommendedTemperature = b.config.sampling->temperature;
        info.recommendedGuidance = b.config.sampling->guidance;
        info.recommendedBestOf = b.config.sampling->best_of;
        info.recommendedLayout = b.config.sampling->layout;
        info.recommendedLayoutGuidance = b.config.sampling->layout_guidance;
        info.recommendedColourGuidance = b.config.sampling->colour_guidance;
    }
    return info;
}

// What the studio calls a model from a folder: its own name (model.json),
// else the folder's (EasyNLP folders and unnamed models).
QString displayName(const ModelBundle& b, const QString& dir) {
    const QString name = QString::fromStdString(b.config.name);
    const QString base = name.isEmpty() || name == QStringLiteral("unnamed") ? QFileInfo(dir).fileName() : name;
    const std::filesystem::path path(dir.toStdString());
    if (!is_lora_dir(path)) return base;
    // An adapter opens as its base model: name it as the model manager does.
    auto info = read_lora_dir_info(path);
    const QString adapter =
        info && !info->name.empty() ? QString::fromStdString(info->name) : QFileInfo(dir).fileName();
    return ModelService::tr("%1 (LoRA on %2)").arg(adapter, base);
}

// Loads a Shenbi or EasyNLP directory with the GPT's weights in `precision`
// ("auto", "fp32", "bf16", "int8"); errors come back in the outcome.
std::shared_ptr<ModelBundle> load_into(const QString& dir,
                                       const QString& device,
                                       const QString& precision,
                                       LoadOutcome& o) {
    auto dev = parse_device(device.isEmpty() ? std::string("cpu") : device.toStdString());
    if (!dev) {
        o.error = QString::fromStdString(dev.message());
        return nullptr;
    }
    auto weights = weight_precision_from_string(precision.isEmpty() ? std::string("auto") : precision.toStdString());
    if (!weights) {
        o.error = QString::fromStdString(weights.message());
        return nullptr;
    }
    auto loaded = load_model_dir(std::filesystem::path(dir.toStdString()), *dev);
    if (!loaded) {
        o.error = QString::fromStdString(loaded.message());
        return nullptr;
    }
    if (auto converted = set_gpt_precision(**loaded, *weights); !converted) {
        o.error = QString::fromStdString(converted.message());
        return nullptr;
    }
    return std::move(loaded).value();
}

}  // namespace

ModelService::ModelService(SerialExecutor* executor, QObject* parent)
    : QObject(parent), m_executor(executor), m_cpuThreads(defaultCpuThreads()) {}

ModelService::~ModelService() = default;

int ModelService::defaultCpuThreads() {
    // Leave one core to the GUI thread so the event loop stays responsive.
    return std::max(1, QThread::idealThreadCount() - 1);
}

QStringList ModelService::availableDevices() {
    QStringList devices{QStringLiteral("cpu")};
    try {
        if (torch::cuda::is_available()) {
            const auto n = torch::cuda::device_count();
            for (std::size_t i = 0; i < n; ++i) devices << QStringLiteral("cuda:%1").arg(i);
        }
    } catch (...) {
        // A broken driver must not take the settings dialog down; the CPU stays offered.
        qWarning("CUDA devices not listed: %s", current_exception_message().c_str());
    }
    return devices;
}

QList<int> ModelService::tokenEnds(const QString& prompt) const {
    QList<int> ends;
    if (!m_tokenizer) return ends;
    try {
        for (const auto& t : m_tokenizer->tokenize(prompt.toStdString()))
            ends.append(codePointToUtf16(prompt, t.char_end));
    } catch (...) {
        qWarning("token ends unknown: %s", current_exception_message().c_str());
        ends.clear();
    }
    return ends;
}

void ModelService::adopt(std::shared_ptr<const ModelBundle> bundle, const ModelInfo& info) {
    m_bundle = std::move(bundle);
    m_tokenizer = m_bundle ? m_bundle->tokenizer : nullptr;
    m_info = info;
    Q_EMIT modelChanged(m_info);
}

QCoro::Task<LoadOutcome> ModelService::runLoad(LoadJob job) {
    QPointer<ModelService> self(this);
    if (++m_loading == 1) Q_EMIT loadingChanged(true);
    struct Loaded {
        LoadOutcome outcome;
        std::shared_ptr<const ModelBundle> bundle;
    };
    // The future is a named local: GCC 12 mishandles temporaries inside a
    // co_await full-expression (destroys them twice).
    QFuture<Loaded> future = QtConcurrent::run(m_executor->pool(), [job]() {
        Loaded l;
        try {
            l.outcome = job(&l.bundle);
        } catch (...) {
            l.outcome.ok = false;
            l.outcome.error = QString::fromStdString(current_exception_message());
            l.bundle.reset();
        }
        return l;
    });
    Loaded loaded = co_await future;
    if (!self) co_return loaded.outcome;  // the service died while loading
    if (loaded.outcome.ok && loaded.bundle) {
        adopt(loaded.bundle, loaded.outcome.info);
    } else if (!loaded.outcome.ok) {
        Q_EMIT loadFailed(loaded.outcome.error);
    }
    if (--m_loading == 0) Q_EMIT loadingChanged(false);
    co_return loaded.outcome;
}

QCoro::Task<LoadOutcome> ModelService::loadRandom(QString preset, quint64 seed) {
    LoadJob job = [preset, seed](std::shared_ptr<const ModelBundle>* out) {
        LoadOutcome o;
        auto config = ModelConfig::preset(preset.toStdString());
        if (!config) {
            o.error = QString::fromStdString(config.message());
            return o;
        }
        auto bundle = make_random_bundle(*config, seed);
        if (!bundle) {
            o.error = QCoreApplication::translate("shenbi::ui::ModelService", "could not build a random '%1' model")
                          .arg(preset);
            return o;
        }
        if (bundle->checksum.empty()) bundle->checksum = "random-" + preset.toStdString() + "-" + std::to_string(seed);
        o.ok = true;
        o.info = describe(*bundle, QStringLiteral("random-%1").arg(preset));
        *out = std::move(bundle);
        return o;
    };
    return runLoad(job);
}

QCoro::Task<LoadOutcome> ModelService::loadDirectory(QString dir, QString device, QString precision) {
    LoadJob job = [dir, device, precision](std::shared_ptr<const ModelBundle>* out) {
        LoadOutcome o;
        std::shared_ptr<const ModelBundle> bundle = load_into(dir, device, precision, o);
        if (!bundle) return o;
        o.ok = true;
        o.info = describe(*bundle, displayName(*bundle, dir));
        *out = std::move(bundle);
        return o;
    };
    return runLoad(job);
}

QCoro::Task<LoadOutcome> ModelService::importEasyNlp(QString easyNlpDir, QString outDir) {
    LoadJob job = [easyNlpDir, outDir](std::shared_ptr<const ModelBundle>* out) {
        LoadOutcome o;
        // fp32: the copy keeps every weight as imported.
        std::shared_ptr<const ModelBundle> bundle =
            load_into(easyNlpDir, QStringLiteral("cpu"), QStringLiteral("fp32"), o);
        if (!bundle) return o;
        QDir().mkpath(outDir);
        auto saved = save_model_dir(*bundle, std::filesystem::path(outDir.toStdString()));
        if (!saved.ok()) {
            o.error = QString::fromStdString(saved.message());
            return o;
        }
        o.ok = true;
        o.info = describe(*bundle, displayName(*bundle, outDir));
        o.info.dir = outDir;
        *out = std::move(bundle);
        return o;
    };
    return runLoad(job);
}

}  // namespace shenbi::ui
