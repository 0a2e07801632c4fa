// The model catalogue: what the studio can open (the bundled default model,
// model folders the artist added, random weights) and the one spelling of
// such an entry, the key that QSettings keeps ("model/current",
// "models/known") and that the model manager and the wizard's signals carry:
//   "random:<preset>"   randomly initialised weights of a ModelConfig preset
//   "bundled:<folder>"  the default model shipped with the studio
//   "dir:<folder>"      a Shenbi, LoRA or EasyNLP model folder
// The format is what every earlier version stored, so their settings load.
// Plain Qt (no LibTorch): the window, the dialogs and the wizard include it.
#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>
#include <optional>

namespace shenbi::ui {

struct ModelInfo;

// Seed of the weights behind every "random:<preset>" entry. It is fixed so
// that a preset is the same model on every launch: ModelService records the
// checksum "random-<preset>-<seed>" with each picture, and a prompt and seed
// recalled from the history then redraw the same noise. The value itself is
// arbitrary; changing it orphans the records made with random weights.
inline constexpr quint64 kRandomWeightsSeed = 20240531;

struct ModelEntry {
    enum class Kind { Random, Bundled, Directory };

    Kind kind = Kind::Random;
    QString preset;  // Random: a ModelConfig preset ("small", "tiny"); empty otherwise
    QString path;    // Bundled, Directory: the model folder; empty for random weights

    static ModelEntry random(const QString& preset);
    static ModelEntry bundled(const QString& path);
    static ModelEntry directory(const QString& path);

    // The entry a key names; nullopt for an unknown prefix or an empty preset
    // or path ("", "foo", "dir:").
    static std::optional<ModelEntry> parse(const QString& key);
    // The persisted key; parse(key()) gives the entry back.
    QString key() const;

    bool isRandom() const { return kind == Kind::Random; }
    bool isBundled() const { return kind == Kind::Bundled; }
    bool isDirectory() const { return kind == Kind::Directory; }

    // Whether `info` (ModelService's loaded model) was loaded from this entry:
    // random weights of the same preset, or the same folder (symlinks resolved).
    bool describes(const ModelInfo& info) const;

    bool operator==(const ModelEntry& other) const = default;
};

namespace modelcatalogue {

// Presets offered as random weights, in the order the model manager lists them.
inline constexpr const char* kSmallPreset = "small";
inline constexpr const char* kTinyPreset = "tiny";
// How many added folders "models/known" keeps (newest first).
inline constexpr int kMaxRemembered = 20;

// The bundled default model's folder (core/util/resources.h), empty if none is installed.
QString bundledModelDir();
// What the studio opens when nothing was opened before: the bundled model,
// else small random weights.
ModelEntry defaultEntry();

// What the model manager offers, without duplicates: the bundled model (if
// installed), the remembered folders (newest first), small and tiny random weights.
QList<ModelEntry> entries();

// The folders the artist added ("models/known"), newest first; keys that do
// not parse are skipped.
QList<ModelEntry> remembered();
// Puts a Directory entry first in "models/known" (at most kMaxRemembered);
// other kinds are not remembered, they are always offered.
void remember(const ModelEntry& entry);
// Removes an entry from "models/known".
void forget(const ModelEntry& entry);

// The model opened last ("model/current"); nullopt if none, or not understood.
std::optional<ModelEntry> current();
void setCurrent(const ModelEntry& entry);

// How the model manager names an entry: random weights by their preset;
// a folder by `modelName` (what its model.json calls the model, else the
// folder's name), marked when it is the bundled one. Translated in the
// "shenbi::ui::ModelManagerDialog" context, where the strings always were.
QString label(const ModelEntry& entry, const QString& modelName = QString());

// Whether a loaded model is random weights (ModelService::loadRandom's id
// "random-<preset>", and no folder).
bool isRandomWeights(const ModelInfo& info);

}  // namespace modelcatalogue

}  // namespace shenbi::ui
