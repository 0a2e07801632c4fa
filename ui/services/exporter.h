// Export of candidates: PNG / JPEG / WebP with the generation record
// embedded (see metadata.h), optional nearest/Lanczos upscale, file names
// from a template. Files are written atomically (QSaveFile).
#pragma once

#include <QString>

#include "ui/services/imageconvert.h"
#include "ui/services/types.h"

namespace shenbi::ui {

struct ExportOptions {
    QString format = QStringLiteral("png");  // png | jpg | webp
    int scale = 1;                           // 1, 2 or 4
    UpscaleFilter filter = UpscaleFilter::Lanczos;
    int quality = 95;  // JPEG / WebP
    QString directory;
    // {date} {time} {seed} {cseed} {index} {prompt} {model} {id}
    QString filenameTemplate = QStringLiteral("{date}_{time}_{prompt}_{seed}-{index}");
};

// The `shenbi` JSON record of one candidate (the request's record plus the
// candidate's index and seed).
QString shenbiJson(const GenerationRecord& record, const CandidateImage& candidate);

// Encoded file bytes with the record embedded; empty + *error on failure.
QByteArray encodeForExport(const QImage& image,
                           const GenerationRecord& record,
                           const CandidateImage& candidate,
                           const QString& format,
                           int quality,
                           QString* error);

// File name (without directory) from the template; unsafe characters removed.
QString expandFilenameTemplate(const QString& tpl,
                               const GenerationRecord& record,
                               const CandidateImage& candidate,
                               const QString& extension);

// Writes one candidate; returns the path written, or empty + *error.
QString exportCandidate(const GenerationRecord& record,
                        const CandidateImage& candidate,
                        const ExportOptions& options,
                        QString* error);

}  // namespace shenbi::ui
