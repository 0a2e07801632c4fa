// Generation records inside image files, readable by other tools:
//  * PNG: UTF-8 iTXt chunks `parameters` (A1111's text, which AUTOMATIC1111,
//    InvokeAI and CivitAI parse) and `shenbi` (our JSON record), written
//    chunk by chunk with their CRC32 over the encoder's PNG bytes.
//  * JPEG: an EXIF UserComment ("UNICODE" + UTF-16BE, as A1111 writes it)
//    and an XMP packet (dc:description + shenbi:record).
//  * WebP: the same EXIF and XMP as RIFF chunks under a VP8X header.
// Readers accept any of these, and fall back to A1111 `parameters` text.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <optional>

#include "ui/services/types.h"

namespace shenbi::ui::metadata {

quint32 crc32(const QByteArray& bytes);

// Inserts uncompressed iTXt chunks before the first IDAT. Empty on malformed input.
QByteArray pngWithText(const QByteArray& png, const QList<QPair<QString, QString>>& entries);
// tEXt, iTXt and zTXt entries of a PNG.
QMap<QString, QString> pngText(const QByteArray& png);

QString xmpPacket(const QString& description, const QString& shenbiJson);
QByteArray exifUserComment(const QString& comment);  // TIFF (big-endian) bytes, no "Exif\0\0" header
QByteArray jpegWithMetadata(const QByteArray& jpeg, const QString& userComment, const QString& xmp);
QByteArray webpWithMetadata(const QByteArray& webp,
                            int width,
                            int height,
                            const QString& userComment,
                            const QString& xmp);

struct Embedded {
    QString parameters;  // A1111 text (PNG `parameters`, EXIF UserComment, XMP dc:description)
    QString shenbiJson;  // our record
    bool isEmpty() const { return parameters.isEmpty() && shenbiJson.isEmpty(); }
};
// Sniffs PNG / JPEG / WebP.
Embedded read(const QByteArray& fileBytes);

// The shenbi record when present, else what A1111 `parameters` text tells.
std::optional<GenerationRecord> recordFrom(const Embedded& embedded);
GenerationRecord recordFromA1111(const QString& parameters);

}  // namespace shenbi::ui::metadata
