#include "ui/services/exporter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ui/services/metadata.h"

namespace shenbi::ui {

namespace {

QByteArray encodeWithOpenCv(const QImage& image, const QString& format, int quality, QString* error) {
    cv::Mat rgb = qImageToMat(image);
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<int> params;
    if (format == QStringLiteral("jpg")) params = {cv::IMWRITE_JPEG_QUALITY, quality};
    if (format == QStringLiteral("webp")) params = {cv::IMWRITE_WEBP_QUALITY, quality};
    if (format == QStringLiteral("png")) params = {cv::IMWRITE_PNG_COMPRESSION, 6};
    std::vector<uchar> buf;
    try {
        if (!cv::imencode("." + format.toStdString(), bgr, buf, params)) {
            if (error)
                *error = QCoreApplication::translate("shenbi::ui::Exporter", "OpenCV cannot encode %1").arg(format);
            return {};
        }
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return {};
    }
    return QByteArray(reinterpret_cast<const char*>(buf.data()), static_cast<qsizetype>(buf.size()));
}

QString sanitize(QString s, int maxLen) {
    static const QRegularExpression bad(QStringLiteral("[\\\\/:*?\"<>|\\s\\x00-\\x1f]+"));
    s.replace(bad, QStringLiteral("_"));
    s = s.left(maxLen);
    while (s.endsWith(QLatin1Char('_')) || s.endsWith(QLatin1Char('.'))) s.chop(1);
    return s;
}

}  // namespace

QString shenbiJson(const GenerationRecord& record, const CandidateImage& candidate) {
    QJsonObject o = record.toJson();
    if (o.value(QStringLiteral("app_version")).toString().isEmpty())
        o.insert(QStringLiteral("app_version"), appVersion());
    o.insert(QStringLiteral("candidate"), QJsonObject{{QStringLiteral("index"), candidate.index},
                                                      {QStringLiteral("seed"), QString::number(candidate.seed)}});
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QByteArray encodeForExport(const QImage& image,
                           const GenerationRecord& record,
                           const CandidateImage& candidate,
                           const QString& format,
                           int quality,
                           QString* error) {
    const QString fmt = format.toLower() == QStringLiteral("jpeg") ? QStringLiteral("jpg") : format.toLower();
    const QByteArray plain = encodeWithOpenCv(image, fmt, quality, error);
    if (plain.isEmpty()) return {};
    const QString params = record.a1111Parameters(candidate.index, candidate.seed);
    const QString json = shenbiJson(record, candidate);
    QByteArray out;
    if (fmt == QStringLiteral("png")) {
        out = metadata::pngWithText(plain, {{QStringLiteral("parameters"), params}, {QStringLiteral("shenbi"), json}});
    } else if (fmt == QStringLiteral("jpg")) {
        out = metadata::jpegWithMetadata(plain, params, metadata::xmpPacket(params, json));
    } else if (fmt == QStringLiteral("webp")) {
        out =
            metadata::webpWithMetadata(plain, image.width(), image.height(), params, metadata::xmpPacket(params, json));
    }
    if (out.isEmpty() && error)
        *error =
            QCoreApplication::translate("shenbi::ui::Exporter", "could not embed the record into the %1 file").arg(fmt);
    return out;
}

QString expandFilenameTemplate(const QString& tpl,
                               const GenerationRecord& record,
                               const CandidateImage& candidate,
                               const QString& extension) {
    const QDateTime when = record.created.isValid() ? record.created : QDateTime::currentDateTime();
    QString name = tpl.isEmpty() ? QStringLiteral("{date}_{time}_{seed}-{index}") : tpl;
    name.replace(QStringLiteral("{date}"), when.toString(QStringLiteral("yyyyMMdd")));
    name.replace(QStringLiteral("{time}"), when.toString(QStringLiteral("HHmmss")));
    name.replace(QStringLiteral("{seed}"), QString::number(record.request.seed));
    name.replace(QStringLiteral("{cseed}"), QString::number(candidate.seed));
    name.replace(QStringLiteral("{index}"), QString::number(candidate.index + 1));
    name.replace(QStringLiteral("{prompt}"), sanitize(record.request.prompt, 24));
    name.replace(QStringLiteral("{model}"), sanitize(record.model.id, 32));
    name.replace(QStringLiteral("{id}"), QString::number(record.historyId));
    name = sanitize(name, 120);
    if (name.isEmpty()) name = QStringLiteral("shenbi");
    return name + QLatin1Char('.') + extension;
}

QString exportCandidate(const GenerationRecord& record,
                        const CandidateImage& candidate,
                        const ExportOptions& options,
                        QString* error) {
    const QImage image = upscale(candidate.image, options.scale, options.filter);
    const QByteArray bytes = encodeForExport(image, record, candidate, options.format, options.quality, error);
    if (bytes.isEmpty()) return {};
    QDir dir(options.directory);
    if (!dir.exists() && !QDir().mkpath(options.directory)) {
        if (error)
            *error = QCoreApplication::translate("shenbi::ui::Exporter", "cannot create %1").arg(options.directory);
        return {};
    }
    const QString ext =
        options.format.toLower() == QStringLiteral("jpeg") ? QStringLiteral("jpg") : options.format.toLower();
    QString base = expandFilenameTemplate(options.filenameTemplate, record, candidate, ext);
    QString path = dir.filePath(base);
    // Never overwrite an earlier export: append -2, -3, ...
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(QFileInfo(base).completeBaseName() + QStringLiteral("-%1.").arg(n) + ext);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("shenbi::ui::Exporter", "cannot write %1: %2")
                         .arg(path, file.errorString());
        return {};
    }
    return path;
}

}  // namespace shenbi::ui
