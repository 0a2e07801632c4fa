#include "ui/services/types.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace shenbi::ui {

namespace {

// Seeds are 64-bit: JSON numbers (doubles) would round them, so they travel as strings.
QString seedToString(quint64 seed) {
    return QString::number(seed);
}
quint64 seedFromJson(const QJsonValue& v) {
    if (v.isString()) return v.toString().toULongLong();
    return static_cast<quint64>(v.toDouble());
}

QJsonArray entitiesToJson(const QList<EntitySpan>& entities) {
    QJsonArray arr;
    for (const auto& e : entities) {
        QJsonObject o{{QStringLiteral("name"), e.name},
                      {QStringLiteral("id"), static_cast<double>(e.id)},
                      {QStringLiteral("begin"), e.begin},
                      {QStringLiteral("end"), e.end}};
        arr.append(o);
    }
    return arr;
}

QJsonArray regionsToJson(const QList<RegionRecord>& regions) {
    QJsonArray out;
    for (const auto& g : regions)
        out.append(QJsonObject{
            {QStringLiteral("cells"), QJsonArray{g.cells.x(), g.cells.y(), g.cells.width(), g.cells.height()}},
            {QStringLiteral("prompt"), g.prompt}});
    return out;
}

QList<RegionRecord> regionsFromJson(const QJsonArray& arr) {
    QList<RegionRecord> out;
    for (const auto& v : arr) {
        const auto g = v.toObject();
        const auto cells = g.value(QStringLiteral("cells")).toArray();
        if (cells.size() != 4) continue;  // not a region this version wrote
        out.append({QRect(cells[0].toInt(), cells[1].toInt(), cells[2].toInt(), cells[3].toInt()),
                    g.value(QStringLiteral("prompt")).toString()});
    }
    return out;
}

QList<EntitySpan> entitiesFromJson(const QJsonArray& arr) {
    QList<EntitySpan> out;
    for (const auto& v : arr) {
        const auto o = v.toObject();
        EntitySpan e;
        e.name = o.value(QStringLiteral("name")).toString();
        e.id = static_cast<qint64>(o.value(QStringLiteral("id")).toDouble(-1));
        e.begin = o.value(QStringLiteral("begin")).toInt();
        e.end = o.value(QStringLiteral("end")).toInt();
        out.append(e);
    }
    return out;
}

}  // namespace

QJsonObject GenerationRequest::toJson() const {
    QJsonObject o{
        {QStringLiteral("prompt"), prompt},
        {QStringLiteral("candidates"), candidates},
        {QStringLiteral("seed"), seedToString(seed)},
        {QStringLiteral("sampling"), QJsonObject{{QStringLiteral("temperature"), temperature},
                                                 {QStringLiteral("top_k"), topK},
                                                 {QStringLiteral("top_p"), topP},
                                                 {QStringLiteral("guidance"), guidance},
                                                 {QStringLiteral("best_of"), bestOf},
                                                 {QStringLiteral("layout"), layout},
                                                 {QStringLiteral("layout_guidance"), layoutGuidance},
                                                 {QStringLiteral("colour_guidance"), colourGuidance}}},
        {QStringLiteral("knowledge"), useKnowledge},
        {QStringLiteral("fusion"), fusion},
        {QStringLiteral("unlinked"), QJsonArray::fromStringList(unlinked)},
    };
    if (!negativePrompt.isEmpty()) o.insert(QStringLiteral("negative_prompt"), negativePrompt);
    if (!regions.isEmpty()) o.insert(QStringLiteral("parts"), regionsToJson(regions));
    if (!redrawCells.isEmpty())  // also for a redraw read back from the history, which has no picture
        o.insert(QStringLiteral("redraw"),
                 QJsonObject{{QStringLiteral("cells"), QJsonArray{redrawCells.x(), redrawCells.y(), redrawCells.width(),
                                                                  redrawCells.height()}}});
    return o;
}

GenerationRequest GenerationRequest::fromJson(const QJsonObject& o) {
    GenerationRequest r;
    r.prompt = o.value(QStringLiteral("prompt")).toString();
    r.candidates = o.value(QStringLiteral("candidates")).toInt(4);
    r.seed = seedFromJson(o.value(QStringLiteral("seed")));
    const auto s = o.value(QStringLiteral("sampling")).toObject();
    r.temperature = s.value(QStringLiteral("temperature")).toDouble(1.0);
    r.topK = s.value(QStringLiteral("top_k")).toInt(100);
    r.topP = s.value(QStringLiteral("top_p")).toDouble(1.0);
    r.guidance = s.value(QStringLiteral("guidance")).toDouble(1.0);             // records from before guidance: off
    r.bestOf = s.value(QStringLiteral("best_of")).toInt(1);                     // records from before best-of: off
    r.layout = s.value(QStringLiteral("layout")).toBool(false);                 // records from before layouts: off
    r.layoutGuidance = s.value(QStringLiteral("layout_guidance")).toDouble(0);  // before it: the guidance
    r.colourGuidance = s.value(QStringLiteral("colour_guidance")).toDouble(0);  // before it: the guidance
    r.negativePrompt = o.value(QStringLiteral("negative_prompt")).toString();
    r.regions = regionsFromJson(o.value(QStringLiteral("parts")).toArray());
    r.useKnowledge = o.value(QStringLiteral("knowledge")).toBool(true);
    r.fusion = o.value(QStringLiteral("fusion")).toString();
    for (const auto& v : o.value(QStringLiteral("unlinked")).toArray()) r.unlinked.append(v.toString());
    const auto cells = o.value(QStringLiteral("redraw")).toObject().value(QStringLiteral("cells")).toArray();
    if (cells.size() == 4)
        r.redrawCells = QRect(cells[0].toInt(), cells[1].toInt(), cells[2].toInt(), cells[3].toInt());
    return r;
}

QJsonObject GenerationRecord::toJson() const {
    QJsonObject o = request.toJson();
    o.insert(QStringLiteral("format"), QStringLiteral("shenbi-record/1"));
    o.insert(QStringLiteral("entities"), entitiesToJson(entities));
    o.insert(QStringLiteral("token_len"), tokenLen);
    if (!regions.isEmpty()) o.insert(QStringLiteral("layout"), regionsToJson(regions));
    o.insert(QStringLiteral("model"), QJsonObject{{QStringLiteral("id"), model.id},
                                                  {QStringLiteral("checksum"), model.checksum},
                                                  {QStringLiteral("fusion"), model.fusion},
                                                  {QStringLiteral("device"), model.device},
                                                  {QStringLiteral("precision"), model.precision},
                                                  {QStringLiteral("resolution"), model.resolution},
                                                  {QStringLiteral("text_len"), model.textLen},
                                                  {QStringLiteral("img_len"), model.imgLen}});
    o.insert(QStringLiteral("created"), created.toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("finished"), finished.toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("seconds"), seconds);
    o.insert(QStringLiteral("app_version"), appVersion);
    if (!status.isEmpty()) o.insert(QStringLiteral("status"), status);
    return o;
}

GenerationRecord GenerationRecord::fromJson(const QJsonObject& o) {
    GenerationRecord r;
    r.request = GenerationRequest::fromJson(o);
    r.entities = entitiesFromJson(o.value(QStringLiteral("entities")).toArray());
    r.tokenLen = o.value(QStringLiteral("token_len")).toInt();
    r.regions = regionsFromJson(o.value(QStringLiteral("layout")).toArray());
    const auto m = o.value(QStringLiteral("model")).toObject();
    r.model.id = m.value(QStringLiteral("id")).toString();
    r.model.checksum = m.value(QStringLiteral("checksum")).toString();
    r.model.fusion = m.value(QStringLiteral("fusion")).toString();
    r.model.device = m.value(QStringLiteral("device")).toString();
    r.model.precision = m.value(QStringLiteral("precision")).toString();
    r.model.resolution = m.value(QStringLiteral("resolution")).toInt();
    r.model.textLen = m.value(QStringLiteral("text_len")).toInt();
    r.model.imgLen = m.value(QStringLiteral("img_len")).toInt();
    r.created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    r.finished = QDateTime::fromString(o.value(QStringLiteral("finished")).toString(), Qt::ISODateWithMs);
    r.seconds = o.value(QStringLiteral("seconds")).toDouble();
    r.appVersion = o.value(QStringLiteral("app_version")).toString();
    r.status = o.value(QStringLiteral("status")).toString();
    return r;
}

QString GenerationRecord::a1111Parameters(int candidateIndex, quint64 candidateSeed) const {
    const auto& q = request;
    QStringList fields;
    fields << QStringLiteral("Steps: %1").arg(model.imgLen) << QStringLiteral("Sampler: Top-k/top-p autoregressive")
           << QStringLiteral("Temperature: %1").arg(q.temperature) << QStringLiteral("Top-k: %1").arg(q.topK)
           << QStringLiteral("Top-p: %1").arg(q.topP) << QStringLiteral("CFG scale: %1").arg(q.guidance)
           << QStringLiteral("Seed: %1").arg(q.seed);
    if (q.bestOf > 1) fields << QStringLiteral("Best of: %1").arg(q.bestOf);
    if (q.layoutGuidance > 0 && (q.layout || !q.regions.isEmpty()))
        fields << QStringLiteral("Parts CFG scale: %1").arg(q.layoutGuidance);
    if (q.colourGuidance > 0 && q.colourGuidance != q.guidance)
        fields << QStringLiteral("Colour CFG scale: %1").arg(q.colourGuidance);
    if (candidateIndex >= 0)
        fields << QStringLiteral("Batch pos: %1").arg(candidateIndex)
               << QStringLiteral("Candidate seed: %1").arg(candidateSeed);
    fields << QStringLiteral("Batch size: %1").arg(q.candidates);
    if (model.resolution > 0) fields << QStringLiteral("Size: %1x%1").arg(model.resolution);
    if (!model.checksum.isEmpty()) fields << QStringLiteral("Model hash: %1").arg(model.checksum.left(10));
    if (!model.id.isEmpty()) fields << QStringLiteral("Model: %1").arg(model.id);
    fields << QStringLiteral("Knowledge: %1").arg(q.useKnowledge ? QStringLiteral("on") : QStringLiteral("off"));
    fields << QStringLiteral("Version: Shenbi %1").arg(appVersion.isEmpty() ? ui::appVersion() : appVersion);
    // A1111 puts the prompt on its own line(s), then "Negative prompt: ..."
    // when there is one; commas separate key: value pairs.
    QString text = q.prompt + QStringLiteral("\n");
    if (!q.negativePrompt.isEmpty())
        text += QStringLiteral("Negative prompt: ") + q.negativePrompt + QStringLiteral("\n");
    return text + fields.join(QStringLiteral(", "));
}

QString promptSummary(const GenerationRequest& request) {
    QString text = request.prompt;
    if (!request.negativePrompt.isEmpty())
        text = QCoreApplication::translate("shenbi::ui::GenerationRequest", "%1\nNegative prompt: %2")
                   .arg(text, request.negativePrompt);
    if (!request.regions.isEmpty()) text += QStringLiteral("\n") + layoutSummary(request.regions);
    const QRect& c = request.redrawCells;
    if (!c.isEmpty())
        text += QStringLiteral("\n") +
                QCoreApplication::translate("shenbi::ui::GenerationRequest", "Redraw of cells %1,%2 to %3,%4")
                    .arg(c.left())
                    .arg(c.top())
                    .arg(c.right())
                    .arg(c.bottom());
    return text;
}

QString layoutSummary(const QList<RegionRecord>& regions) {
    QStringList parts;
    for (const auto& g : regions) parts << g.prompt;
    if (parts.isEmpty()) return {};
    return QCoreApplication::translate("shenbi::ui::GenerationRequest", "Layout: %1")
        .arg(parts.join(QStringLiteral(" · ")));
}

QString toString(JobStatus status) {
    switch (status) {
        case JobStatus::Queued:
            return QStringLiteral("queued");
        case JobStatus::Running:
            return QStringLiteral("running");
        case JobStatus::Completed:
            return QStringLiteral("completed");
        case JobStatus::Failed:
            return QStringLiteral("failed");
        case JobStatus::Cancelled:
            return QStringLiteral("cancelled");
    }
    return {};
}

int codePointToUtf16(const QString& text, int codePoint) {
    int cp = 0;
    int i = 0;
    while (i < text.size() && cp < codePoint) {
        i += (text.at(i).isHighSurrogate() && i + 1 < text.size()) ? 2 : 1;
        ++cp;
    }
    return i;
}

QString appVersion() {
    return QStringLiteral(SHENBI_VERSION);
}

}  // namespace shenbi::ui
