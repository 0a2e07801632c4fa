#include "ui/services/metadata.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <algorithm>
#include <cmath>

#include "core/model/config.h"
#include "core/util/hash.h"

namespace shenbi::ui::metadata {

namespace {

const QByteArray kPngSignature("\x89PNG\r\n\x1a\n", 8);
const QByteArray kXmpHeader("http://ns.adobe.com/xap/1.0/\0", 29);
const QByteArray kExifHeader("Exif\0\0", 6);
const QString kShenbiNs = QStringLiteral("http://ns.shenbi.dev/record/1.0/");

quint32 readBe32(const QByteArray& b, qsizetype at) {
    const auto* p = reinterpret_cast<const uchar*>(b.constData() + at);
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}
quint32 readLe32(const QByteArray& b, qsizetype at) {
    const auto* p = reinterpret_cast<const uchar*>(b.constData() + at);
    return quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16) | (quint32(p[3]) << 24);
}
void appendBe16(QByteArray& b, quint16 v) {
    b.append(char(v >> 8));
    b.append(char(v & 0xff));
}
void appendBe32(QByteArray& b, quint32 v) {
    appendBe16(b, quint16(v >> 16));
    appendBe16(b, quint16(v & 0xffff));
}
void appendLe32(QByteArray& b, quint32 v) {
    for (int i = 0; i < 4; ++i) b.append(char((v >> (8 * i)) & 0xff));
}
void appendLe24(QByteArray& b, quint32 v) {
    for (int i = 0; i < 3; ++i) b.append(char((v >> (8 * i)) & 0xff));
}

QByteArray pngChunk(const QByteArray& type, const QByteArray& data) {
    QByteArray chunk;
    appendBe32(chunk, quint32(data.size()));
    const QByteArray body = type + data;
    chunk += body;
    appendBe32(chunk, crc32(body));
    return chunk;
}

// Keywords are Latin-1, 1..79 bytes, no NUL.
QByteArray pngKeyword(const QString& key) {
    return key.toLatin1().left(79).replace('\0', ' ');
}

QString inflatePng(const QByteArray& zlib) {
    // qUncompress wants the expected size in front; it grows the buffer if the guess is short.
    QByteArray sized;
    appendBe32(sized, quint32(std::max<qsizetype>(zlib.size() * 8, 1024)));
    return QString::fromUtf8(qUncompress(sized + zlib));
}

// ---- EXIF (TIFF, big-endian "MM") ----

QString decodeUserComment(const QByteArray& raw, bool bigEndian) {
    const QByteArray prefix = raw.left(8);
    const QByteArray body = raw.mid(8);
    if (prefix.startsWith("UNICODE")) {
        QString s;
        for (qsizetype i = 0; i + 1 < body.size(); i += 2) {
            const auto hi = uchar(body[bigEndian ? i : i + 1]);
            const auto lo = uchar(body[bigEndian ? i + 1 : i]);
            s.append(QChar(char16_t((hi << 8) | lo)));
        }
        while (s.endsWith(QChar(u'\0'))) s.chop(1);
        return s;
    }
    QByteArray text = prefix.startsWith("ASCII") || prefix == QByteArray(8, '\0') ? body : raw;
    while (text.endsWith('\0')) text.chop(1);
    return QString::fromUtf8(text);
}

QString parseExifUserComment(QByteArray tiff) {
    if (tiff.startsWith(kExifHeader)) tiff = tiff.mid(kExifHeader.size());
    if (tiff.size() < 8) return {};
    const bool be = tiff.startsWith("MM");
    if (!be && !tiff.startsWith("II")) return {};
    const auto u16 = [&](qsizetype at) -> quint32 {
        if (at + 2 > tiff.size()) return 0;
        const auto a = uchar(tiff[at]), b = uchar(tiff[at + 1]);
        return be ? (a << 8) | b : (b << 8) | a;
    };
    const auto u32 = [&](qsizetype at) -> quint32 {
        if (at + 4 > tiff.size()) return 0;
        return be ? readBe32(tiff, at) : readLe32(tiff, at);
    };
    // Finds `tag` in the IFD at `ifd`; returns (count, value-or-offset position).
    const auto find = [&](quint32 ifd, quint32 tag, quint32* count) -> qsizetype {
        const quint32 n = u16(ifd);
        for (quint32 i = 0; i < n && i < 512; ++i) {
            const qsizetype e = qsizetype(ifd) + 2 + 12 * qsizetype(i);
            if (e + 12 > tiff.size()) return -1;
            if (u16(e) == tag) {
                *count = u32(e + 4);
                return e + 8;
            }
        }
        return -1;
    };
    quint32 count = 0;
    const qsizetype exifPtr = find(u32(4), 0x8769, &count);
    if (exifPtr < 0) return {};
    const qsizetype comment = find(u32(exifPtr), 0x9286, &count);
    if (comment < 0) return {};
    const qsizetype data = count <= 4 ? comment : qsizetype(u32(comment));
    if (data < 0 || data + qsizetype(count) > tiff.size()) return {};
    return decodeUserComment(tiff.mid(data, count), be);
}

// ---- XMP ----

QString xmlEscape(const QString& s) {
    return s.toHtmlEscaped();
}

void parseXmp(const QByteArray& packet, Embedded* out) {
    QXmlStreamReader xml(packet);
    bool inDescription = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.namespaceUri() == kShenbiNs && xml.name() == QStringLiteral("record")) {
                out->shenbiJson = xml.readElementText();
            } else if (xml.name() == QStringLiteral("description")) {
                inDescription = true;
            } else if (inDescription && xml.name() == QStringLiteral("li")) {
                if (out->parameters.isEmpty()) out->parameters = xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QStringLiteral("description")) {
            inDescription = false;
        }
    }
}

// ---- readers per format ----

void readPng(const QByteArray& png, Embedded* out) {
    const auto text = pngText(png);
    out->parameters = text.value(QStringLiteral("parameters"));
    out->shenbiJson = text.value(QStringLiteral("shenbi"));
    if (out->parameters.isEmpty()) out->parameters = text.value(QStringLiteral("Description"));
}

void readJpeg(const QByteArray& jpeg, Embedded* out) {
    qsizetype pos = 2;
    while (pos + 4 <= jpeg.size()) {
        if (uchar(jpeg[pos]) != 0xFF) break;
        const auto marker = uchar(jpeg[pos + 1]);
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            pos += 2;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9) break;  // start of scan: no more metadata
        const qsizetype len = (uchar(jpeg[pos + 2]) << 8) | uchar(jpeg[pos + 3]);
        const QByteArray payload = jpeg.mid(pos + 4, len - 2);
        if (marker == 0xE1 && payload.startsWith(kExifHeader)) {
            const QString c = parseExifUserComment(payload);
            if (!c.isEmpty()) out->parameters = c;
        } else if (marker == 0xE1 && payload.startsWith(kXmpHeader)) {
            Embedded x;
            parseXmp(payload.mid(kXmpHeader.size()), &x);
            if (!x.shenbiJson.isEmpty()) out->shenbiJson = x.shenbiJson;
            if (out->parameters.isEmpty()) out->parameters = x.parameters;
        }
        pos += 2 + len;
    }
}

void readWebp(const QByteArray& webp, Embedded* out) {
    qsizetype pos = 12;
    while (pos + 8 <= webp.size()) {
        const QByteArray type = webp.mid(pos, 4);
        const qsizetype size = readLe32(webp, pos + 4);
        const QByteArray payload = webp.mid(pos + 8, size);
        if (type == "EXIF") {
            const QString c = parseExifUserComment(payload);
            if (!c.isEmpty()) out->parameters = c;
        } else if (type == "XMP ") {
            Embedded x;
            parseXmp(payload, &x);
            if (!x.shenbiJson.isEmpty()) out->shenbiJson = x.shenbiJson;
            if (out->parameters.isEmpty()) out->parameters = x.parameters;
        }
        pos += 8 + size + (size & 1);
    }
}

}  // namespace

quint32 crc32(const QByteArray& bytes) {
    return shenbi::crc32(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

QByteArray pngWithText(const QByteArray& png, const QList<QPair<QString, QString>>& entries) {
    if (!png.startsWith(kPngSignature)) return {};
    QByteArray chunks;
    for (const auto& [key, value] : entries) {
        QByteArray data = pngKeyword(key);
        data.append('\0');
        data.append('\0');  // compression flag: uncompressed
        data.append('\0');  // compression method
        data.append('\0');  // language tag: none
        data.append('\0');  // translated keyword: none
        data.append(value.toUtf8());
        chunks += pngChunk("iTXt", data);
    }
    qsizetype pos = kPngSignature.size();
    while (pos + 12 <= png.size()) {
        const qsizetype len = readBe32(png, pos);
        const QByteArray type = png.mid(pos + 4, 4);
        if (type == "IDAT" || type == "IEND") {
            return png.left(pos) + chunks + png.mid(pos);
        }
        pos += 12 + len;
    }
    return {};
}

QMap<QString, QString> pngText(const QByteArray& png) {
    QMap<QString, QString> out;
    if (!png.startsWith(kPngSignature)) return out;
    qsizetype pos = kPngSignature.size();
    while (pos + 12 <= png.size()) {
        const qsizetype len = readBe32(png, pos);
        const QByteArray type = png.mid(pos + 4, 4);
        if (pos + 12 + len > png.size()) break;
        const QByteArray data = png.mid(pos + 8, len);
        const qsizetype nul = data.indexOf('\0');
        if (nul > 0) {
            const QString key = QString::fromLatin1(data.left(nul));
            if (type == "tEXt") {
                out.insert(key, QString::fromLatin1(data.mid(nul + 1)));
            } else if (type == "zTXt") {
                out.insert(key, inflatePng(data.mid(nul + 2)));
            } else if (type == "iTXt" && nul + 3 <= data.size()) {
                const bool compressed = data[nul + 1] != '\0';
                const qsizetype lang = data.indexOf('\0', nul + 3);
                const qsizetype translated = lang < 0 ? -1 : data.indexOf('\0', lang + 1);
                if (translated >= 0) {
                    const QByteArray text = data.mid(translated + 1);
                    out.insert(key, compressed ? inflatePng(text) : QString::fromUtf8(text));
                }
            }
        }
        if (type == "IEND") break;
        pos += 12 + len;
    }
    return out;
}

QString xmpPacket(const QString& description, const QString& shenbiJson) {
    return QStringLiteral(
               "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
               " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
               "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
               " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:shenbi=\"%1\">\n"
               "   <xmp:CreatorTool>Shenbi %2</xmp:CreatorTool>\n"
               "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%3</rdf:li></rdf:Alt>"
               "</dc:description>\n"
               "   <shenbi:record>%4</shenbi:record>\n"
               "  </rdf:Description>\n"
               " </rdf:RDF>\n"
               "</x:xmpmeta>\n"
               "<?xpacket end=\"w\"?>")
        .arg(kShenbiNs, appVersion(), xmlEscape(description), xmlEscape(shenbiJson));
}

QByteArray exifUserComment(const QString& comment) {
    // "MM" TIFF: IFD0 with one entry (ExifIFD pointer), the Exif IFD with one
    // entry (UserComment, UNDEFINED), then the comment bytes.
    QByteArray value("UNICODE\0", 8);
    for (const QChar c : comment) appendBe16(value, c.unicode());
    QByteArray t("MM\0\x2a", 4);
    appendBe32(t, 8);  // IFD0 offset
    appendBe16(t, 1);
    appendBe16(t, 0x8769);
    appendBe16(t, 4);  // LONG
    appendBe32(t, 1);
    appendBe32(t, 26);  // Exif IFD offset: 8 + 2 + 12 + 4
    appendBe32(t, 0);   // no IFD1
    appendBe16(t, 1);
    appendBe16(t, 0x9286);
    appendBe16(t, 7);  // UNDEFINED
    appendBe32(t, quint32(value.size()));
    appendBe32(t, 44);  // 26 + 2 + 12 + 4
    appendBe32(t, 0);
    return t + value;
}

QByteArray jpegWithMetadata(const QByteArray& jpeg, const QString& userComment, const QString& xmp) {
    if (jpeg.size() < 4 || uchar(jpeg[0]) != 0xFF || uchar(jpeg[1]) != 0xD8) return {};
    const auto segment = [](const QByteArray& payload) -> QByteArray {
        if (payload.size() + 2 > 0xFFFF) return {};  // one APP1 segment holds at most 64 KiB
        QByteArray s("\xFF\xE1", 2);
        appendBe16(s, quint16(payload.size() + 2));
        return s + payload;
    };
    QByteArray segments;
    if (!userComment.isEmpty()) segments += segment(kExifHeader + exifUserComment(userComment));
    if (!xmp.isEmpty()) segments += segment(kXmpHeader + xmp.toUtf8());
    // After SOI and a JFIF APP0, where readers look first.
    qsizetype insertAt = 2;
    if (jpeg.size() > 6 && uchar(jpeg[2]) == 0xFF && uchar(jpeg[3]) == 0xE0)
        insertAt = 4 + ((uchar(jpeg[4]) << 8) | uchar(jpeg[5]));
    return jpeg.left(insertAt) + segments + jpeg.mid(insertAt);
}

QByteArray webpWithMetadata(const QByteArray& webp,
                            int width,
                            int height,
                            const QString& userComment,
                            const QString& xmp) {
    if (webp.size() < 20 || !webp.startsWith("RIFF") || webp.mid(8, 4) != "WEBP") return {};
    const auto chunk = [](const QByteArray& type, const QByteArray& payload) {
        QByteArray c = type;
        appendLe32(c, quint32(payload.size()));
        c += payload;
        if (payload.size() & 1) c.append('\0');
        return c;
    };
    QByteArray body = webp.mid(12);
    quint8 flags = 0;
    if (body.startsWith("VP8X")) {
        flags = quint8(body[8]);
        body = body.mid(8 + 10);
    }
    if (!userComment.isEmpty()) flags |= 0x08;
    if (!xmp.isEmpty()) flags |= 0x04;
    QByteArray vp8x;
    vp8x.append(char(flags));
    vp8x.append(QByteArray(3, '\0'));
    appendLe24(vp8x, quint32(width - 1));
    appendLe24(vp8x, quint32(height - 1));
    QByteArray out = chunk("VP8X", vp8x) + body;
    if (!userComment.isEmpty()) out += chunk("EXIF", exifUserComment(userComment));
    if (!xmp.isEmpty()) out += chunk("XMP ", xmp.toUtf8());
    QByteArray riff("RIFF");
    appendLe32(riff, quint32(out.size() + 4));
    return riff + "WEBP" + out;
}

Embedded read(const QByteArray& bytes) {
    Embedded e;
    if (bytes.startsWith(kPngSignature)) {
        readPng(bytes, &e);
    } else if (bytes.size() > 4 && uchar(bytes[0]) == 0xFF && uchar(bytes[1]) == 0xD8) {
        readJpeg(bytes, &e);
    } else if (bytes.startsWith("RIFF") && bytes.mid(8, 4) == "WEBP") {
        readWebp(bytes, &e);
    }
    return e;
}

GenerationRecord recordFromA1111(const QString& parameters) {
    GenerationRecord r;
    QStringList lines = parameters.split(QLatin1Char('\n'));
    QString settings;
    if (!lines.isEmpty() && lines.last().contains(QStringLiteral("Steps: "))) settings = lines.takeLast();
    QStringList promptLines, negativeLines;
    for (const auto& l : lines) {
        if (!negativeLines.isEmpty() || l.startsWith(QStringLiteral("Negative prompt:")))
            negativeLines << l;
        else
            promptLines << l;
    }
    r.request.prompt = promptLines.join(QLatin1Char('\n')).trimmed();
    static const QRegularExpression kv(QStringLiteral("\\s*([\\w \\-/]+):\\s*([^,]*)"));
    // A diffusion tool's CFG scale means another thing (its usual 7 would wreck
    // this model's images); Shenbi's own text (a JPEG or WebP whose XMP was
    // stripped) carries this model's guidance (and the parts' and colours'
    // guidance) and best of, so those are read.
    const bool ours = settings.contains(QStringLiteral("Version: Shenbi"));
    // A diffusion tool's negative prompt ("lowres, bad anatomy") was written
    // for its own model and its own guidance; Shenbi's is kept with its guidance.
    if (ours && !negativeLines.isEmpty())
        r.request.negativePrompt =
            negativeLines.join(QLatin1Char('\n')).mid(int(qstrlen("Negative prompt:"))).simplified();
    auto it = kv.globalMatch(settings);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString key = m.captured(1).trimmed().toLower();
        const QString value = m.captured(2).trimmed();
        if (key == QStringLiteral("seed"))
            r.request.seed = value.toULongLong();
        else if (key == QStringLiteral("temperature"))
            r.request.temperature = value.toDouble();
        else if (key == QStringLiteral("top-k"))
            r.request.topK = value.toInt();
        else if (key == QStringLiteral("top-p"))
            r.request.topP = value.toDouble();
        else if (const double cfg = value.toDouble(); ours && key == QStringLiteral("cfg scale") && std::isfinite(cfg))
            r.request.guidance = std::clamp(cfg, kGuidanceMin, kGuidanceMax);
        else if (ours && (key == QStringLiteral("parts cfg scale") || key == QStringLiteral("colour cfg scale")) &&
                 std::isfinite(cfg) && cfg >= kGuidanceMin)  // below: as the guidance, which is not written
            (key.startsWith(QLatin1Char('p')) ? r.request.layoutGuidance : r.request.colourGuidance) =
                std::min(cfg, kGuidanceMax);
        else if (ours && key == QStringLiteral("best of"))
            r.request.bestOf = std::clamp(value.toInt(), 1, kBestOfMax);
        else if (key == QStringLiteral("batch size"))
            r.request.candidates = std::clamp(value.toInt(), 1, 16);
        else if (key == QStringLiteral("knowledge"))
            r.request.useKnowledge = value != QStringLiteral("off");
        else if (key == QStringLiteral("model"))
            r.model.id = value;
        else if (key == QStringLiteral("model hash"))
            r.model.checksum = value;
    }
    return r;
}

std::optional<GenerationRecord> recordFrom(const Embedded& e) {
    if (!e.shenbiJson.isEmpty()) {
        QJsonParseError err{};
        const auto doc = QJsonDocument::fromJson(e.shenbiJson.toUtf8(), &err);
        if (err.error == QJsonParseError::NoError && doc.isObject()) return GenerationRecord::fromJson(doc.object());
    }
    if (!e.parameters.isEmpty()) return recordFromA1111(e.parameters);
    return std::nullopt;
}

}  // namespace shenbi::ui::metadata
