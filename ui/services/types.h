// Value types shared by the ui/ services and widgets. Qt types only: no
// LibTorch or OpenCV here, so every widget header stays cheap to moc.
#pragma once

#include <QDateTime>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QRect>
#include <QString>
#include <QStringList>
#include <limits>

namespace shenbi::ui {

// One knowledge-graph neighbour of a linked entity.
struct EntityNeighbour {
    QString relation;
    QString other;
    bool outgoing = true;  // (entity, relation, other) when true
};

// A dictionary span of the prompt, in UTF-16 offsets of the QString (the
// core speaks Unicode code points; knowledgeservice converts).
struct EntitySpan {
    QString name;
    qint64 id = -1;
    int begin = 0;  // UTF-16 offset, inclusive
    int end = 0;    // exclusive
    QList<EntityNeighbour> neighbours;

    int length() const { return end - begin; }
    bool contains(int pos) const { return pos >= begin && pos < end; }
    bool overlaps(const EntitySpan& o) const { return begin < o.end && o.begin < end; }
    bool sameSpan(const EntitySpan& o) const { return begin == o.begin && end == o.end && name == o.name; }
};

// A part of the picture drawn from its own prompt (a planned layout, or one
// placed by hand).
struct RegionRecord {
    QRect cells;  // on the model's code grid
    QString prompt;
    bool operator==(const RegionRecord&) const = default;
};

// Everything a request needs, as the user chose it.
struct GenerationRequest {
    QString prompt;
    int candidates = 4;  // 1..16 in the UI
    quint64 seed = 0;
    double temperature = 1.0;
    int topK = 100;         // 0 = off
    double topP = 1.0;      // 1.0 = off
    double guidance = 1.0;  // classifier-free guidance; 1.0 = off
    // What guidance steers away from instead of the empty prompt (needs
    // guidance > 1; empty: none).
    QString negativePrompt;
    int bestOf = 1;  // images sampled per candidate shown, the best matches kept; 1 = off
    // Plan the layout from the prompt (core/sampling/layout.h): each object it
    // names drawn in its own part of the picture from its own prompt.
    bool layout = false;
    // Guidance for a picture drawn in parts (planned or placed by hand) instead
    // of `guidance`; 0 = `guidance`. JSON sampling.layout_guidance.
    double layoutGuidance = 0;
    // Guidance for the colour words (SamplingParams::colour_guidance); 0 =
    // `guidance`. JSON sampling.colour_guidance.
    double colourGuidance = 0;
    // Parts placed by hand (Generate → Draw in parts…; GenerationParams::regions):
    // drawn instead of a planned layout. JSON "parts".
    QList<RegionRecord> regions;
    bool useKnowledge = true;
    QString fusion;        // the model's fusion mode (recorded; see report on overrides)
    QStringList unlinked;  // entity names the user switched off in the editor
    int previewEvery = 16;
    // Redraw a region of a picture instead of drawing a new one
    // (core/sampling/redraw.h): the picture at the model's resolution, its
    // codes when they are known (a candidate's; otherwise the worker encodes
    // the picture), and the cells drawn for the prompt (x, y, width, height
    // on the model's code grid). Every other cell keeps the picture's code.
    // Codes are used only with the model that wrote them (another model's
    // VQGAN reads them as something else): otherwise the picture is encoded,
    // and a decoded picture encodes to nearly, not exactly, the same codes.
    // Records keep the cells only, so a request read back draws a new image.
    QImage redrawPicture;
    QList<qint64> redrawCodes;
    QString redrawCodesModel;  // the checksum of the model whose VQGAN wrote redrawCodes
    QRect redrawCells;
    bool isRedraw() const { return !redrawPicture.isNull() && !redrawCells.isEmpty(); }

    QJsonObject toJson() const;
    static GenerationRequest fromJson(const QJsonObject& o);
};

// The model a result came from, for reproducibility records.
struct ModelInfo {
    QString id;         // display name / preset / directory name
    QString dir;        // empty for random models
    QString checksum;   // hex digest of the weights
    QString fusion;     // None / EasyNLP / Lattice
    QString device;     // cpu / cuda:0
    QString precision;  // the GPT's weights: fp32 / bf16 / int8 (records: empty before Shenbi recorded it)
    int textLen = 0;
    int imgLen = 0;
    int grid = 0;  // the code grid's side (VqganConfig::grid_size()); not in records
    int resolution = 0;
    bool hasEntities = false;
    int maxEntities = 0;              // entities the model takes per prompt (the lattice's first ones)
    bool singleCharEntities = false;  // links one-character names (猫) alone
    // The model card (model.json "card"): what the model draws.
    QString description;
    QStringList examples;
    // Sampling the model recommends (model.json "sampling"); applied to the
    // parameters panel when the model is loaded.
    bool hasRecommendedSampling = false;
    int recommendedTopK = 100;
    double recommendedTopP = 1.0;
    double recommendedTemperature = 1.0;
    double recommendedGuidance = 1.0;
    int recommendedBestOf = 1;
    bool recommendedLayout = false;
    double recommendedLayoutGuidance = 0;  // 0: the guidance
    double recommendedColourGuidance = 0;  // 0: the guidance
    bool isNull() const { return id.isEmpty(); }
};

// One generated image with its encodings (made on the worker thread so the
// GUI thread never encodes PNGs).
struct CandidateImage {
    int index = 0;
    quint64 seed = 0;  // derived per-candidate seed
    // Candidate::likelihood (nats per code); NaN where unknown (results from the history)
    double likelihood = std::numeric_limits<double>::quiet_NaN();
    QImage image;    // RGB888, model resolution
    QByteArray png;  // lossless, no metadata
    QImage thumb;    // for lists
    QByteArray thumbPng;
    QList<qint64> codes;  // the VQGAN codes drawn (raster order); empty for results from the history
    bool starred = false;
};

// The reproducibility record of a finished request: written into exported
// files (`shenbi` JSON) and into the history database.
struct GenerationRecord {
    qint64 historyId = -1;
    GenerationRequest request;
    ModelInfo model;
    QList<EntitySpan> entities;   // entities fed to the model
    QList<RegionRecord> regions;  // the layout drawn (empty: the prompt drew every cell)
    int tokenLen = 0;             // prompt tokens before truncation
    QDateTime created;
    QDateTime finished;
    double seconds = 0;
    QString appVersion;
    QString status;  // completed / cancelled / failed / interrupted

    QJsonObject toJson() const;
    static GenerationRecord fromJson(const QJsonObject& o);
    // The A1111 `parameters` text: prompt line, then "Steps: ..., Seed: ..." line.
    QString a1111Parameters(int candidateIndex = -1, quint64 candidateSeed = 0) const;
};

enum class JobStatus { Queued, Running, Completed, Failed, Cancelled };
QString toString(JobStatus status);

// What a finished (or failed, or cancelled) request hands back.
struct GenerationOutcome {
    int jobId = -1;
    JobStatus status = JobStatus::Failed;
    QString error;
    GenerationRecord record;
    QList<CandidateImage> candidates;
    double msPerStep = 0;
};

// A request's prompt for tooltips: its negative prompt on a second line when
// there is one, and the cells it redrew when it redrew a region.
QString promptSummary(const GenerationRequest& request);
// "Layout: 一座房子在左边 · 一只猴子在右边"; empty without regions.
QString layoutSummary(const QList<RegionRecord>& regions);

// Code point -> UTF-16 offset (the core counts code points).
int codePointToUtf16(const QString& text, int codePoint);

QString appVersion();

}  // namespace shenbi::ui

Q_DECLARE_METATYPE(shenbi::ui::GenerationRequest)
Q_DECLARE_METATYPE(shenbi::ui::GenerationOutcome)
