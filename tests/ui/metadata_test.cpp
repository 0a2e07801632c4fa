// Records embedded in PNG (iTXt), JPEG and WebP (EXIF UserComment + XMP):
// written by us, decodable by Qt/OpenCV, read back intact.
#include "ui/services/metadata.h"

#include <gtest/gtest.h>

#include <QBuffer>
#include <QImage>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

#include "core/model/config.h"
#include "ui/services/exporter.h"

namespace shenbi::ui {
namespace {

GenerationRecord sampleRecord() {
    GenerationRecord r;
    r.request.prompt = QStringLiteral("北京大学的未名湖，冬天，雪");
    r.request.seed = 1234567890123ULL;
    r.request.candidates = 4;
    r.request.temperature = 0.9;
    r.request.topK = 64;
    r.request.topP = 0.95;
    r.request.guidance = 2.5;
    r.request.bestOf = 4;
    r.request.unlinked = {QStringLiteral("北京")};
    r.model.id = QStringLiteral("artist-test");
    r.model.checksum = QStringLiteral("0123456789abcdef");
    r.model.resolution = 16;
    r.model.imgLen = 16;
    r.entities = {EntitySpan{QStringLiteral("北京大学"), 3, 0, 4, {}}};
    r.created = QDateTime::currentDateTime();
    return r;
}

QImage sampleImage() {
    QImage img(16, 16, QImage::Format_RGB888);
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x) img.setPixelColor(x, y, QColor(x * 16, y * 16, 128));
    return img;
}

bool decodes(const QByteArray& bytes) {
    std::vector<uchar> buf(bytes.begin(), bytes.end());
    return !cv::imdecode(buf, cv::IMREAD_COLOR).empty();
}

TEST(Metadata, Crc32MatchesKnownValue) {
    EXPECT_EQ(metadata::crc32(QByteArray("123456789")), 0xCBF43926u);
    EXPECT_EQ(metadata::crc32(QByteArray("IEND")), 0xAE426082u);
}

TEST(Metadata, PngItxtRoundTripsUtf8AndStaysValid) {
    const GenerationRecord r = sampleRecord();
    CandidateImage c;
    c.index = 2;
    c.seed = 42;
    c.image = sampleImage();
    QString error;
    const QByteArray png = encodeForExport(c.image, r, c, QStringLiteral("png"), 95, &error);
    ASSERT_FALSE(png.isEmpty()) << error.toStdString();
    // libpng (through Qt) checks every chunk CRC.
    const QImage back = QImage::fromData(png, "PNG");
    ASSERT_FALSE(back.isNull());
    EXPECT_EQ(back.size(), QSize(16, 16));
    EXPECT_EQ(back.text(QStringLiteral("parameters")), r.a1111Parameters(2, 42));
    EXPECT_TRUE(decodes(png));

    const auto text = metadata::pngText(png);
    EXPECT_TRUE(text.value(QStringLiteral("parameters")).startsWith(r.request.prompt));
    const auto rec = metadata::recordFrom(metadata::read(png));
    ASSERT_TRUE(rec.has_value());
    EXPECT_EQ(rec->request.prompt, r.request.prompt);
    EXPECT_EQ(rec->request.seed, r.request.seed);
    EXPECT_EQ(rec->request.topK, 64);
    EXPECT_DOUBLE_EQ(rec->request.topP, 0.95);
    EXPECT_DOUBLE_EQ(rec->request.guidance, 2.5);
    EXPECT_EQ(rec->request.bestOf, 4);
    EXPECT_EQ(rec->request.unlinked, r.request.unlinked);
    EXPECT_EQ(rec->model.checksum, r.model.checksum);
    ASSERT_EQ(rec->entities.size(), 1);
    EXPECT_EQ(rec->entities.front().name, QStringLiteral("北京大学"));
    const auto json = QJsonDocument::fromJson(text.value(QStringLiteral("shenbi")).toUtf8()).object();
    EXPECT_EQ(json.value(QStringLiteral("app_version")).toString(), appVersion());
    EXPECT_EQ(json.value(QStringLiteral("candidate")).toObject().value(QStringLiteral("seed")).toString(),
              QStringLiteral("42"));
}

TEST(Metadata, JpegAndWebpCarryExifAndXmp) {
    const GenerationRecord r = sampleRecord();
    CandidateImage c;
    c.image = sampleImage();
    c.seed = 7;
    for (const QString fmt : {QStringLiteral("jpg"), QStringLiteral("webp")}) {
        QString error;
        const QByteArray bytes = encodeForExport(c.image, r, c, fmt, 90, &error);
        ASSERT_FALSE(bytes.isEmpty()) << fmt.toStdString() << ": " << error.toStdString();
        EXPECT_TRUE(decodes(bytes)) << fmt.toStdString();
        const auto embedded = metadata::read(bytes);
        EXPECT_EQ(embedded.parameters, r.a1111Parameters(0, 7)) << fmt.toStdString() << " EXIF UserComment";
        ASSERT_FALSE(embedded.shenbiJson.isEmpty()) << fmt.toStdString() << " XMP";
        const auto rec = metadata::recordFrom(embedded);
        ASSERT_TRUE(rec.has_value());
        EXPECT_EQ(rec->request.prompt, r.request.prompt);
        EXPECT_EQ(rec->request.seed, r.request.seed);
    }
}

TEST(Metadata, A1111TextAloneRestoresPromptAndSeed) {
    const auto r = metadata::recordFromA1111(QStringLiteral(
        "a red bridge, 石桥\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 987654, "
        "Size: 512x512"));
    EXPECT_EQ(r.request.prompt, QStringLiteral("a red bridge, 石桥"));
    EXPECT_EQ(r.request.seed, 987654u);
    // A diffusion model's CFG scale means another thing (7 would wreck this
    // model's images): guidance comes only from Shenbi's own record, and so
    // does a negative prompt, written for that other model and guidance.
    EXPECT_DOUBLE_EQ(r.request.guidance, 1.0);
    EXPECT_TRUE(r.request.negativePrompt.isEmpty());
}

TEST(Metadata, ShenbisOwnA1111TextRestoresGuidanceAndBestOf) {
    // A JPEG whose XMP was stripped keeps only this text: it is Shenbi's own,
    // so its CFG scale is this model's guidance and is read back with best of.
    GenerationRecord original = sampleRecord();
    original.request.guidance = 2.0;
    original.request.bestOf = 4;
    const auto r = metadata::recordFromA1111(original.a1111Parameters(1, 42));
    EXPECT_EQ(r.request.prompt, original.request.prompt);
    EXPECT_EQ(r.request.seed, original.request.seed);
    EXPECT_DOUBLE_EQ(r.request.guidance, 2.0);
    EXPECT_EQ(r.request.bestOf, 4);
    EXPECT_TRUE(r.request.negativePrompt.isEmpty());
    original.request.negativePrompt = QStringLiteral("白色背景");  // its own negative prompt comes back too
    const auto negative = metadata::recordFromA1111(original.a1111Parameters(1, 42));
    EXPECT_EQ(negative.request.prompt, original.request.prompt);
    EXPECT_EQ(negative.request.negativePrompt, QStringLiteral("白色背景"));
    EXPECT_EQ(GenerationRequest::fromJson(original.request.toJson()).negativePrompt, QStringLiteral("白色背景"));
    // Out-of-range values in an edited text are brought into the studio's range.
    const auto wild = metadata::recordFromA1111(
        QStringLiteral("猫\nSteps: 256, CFG scale: 99, Seed: 5, Best of: 1000, Version: Shenbi 0.1"));
    EXPECT_DOUBLE_EQ(wild.request.guidance, kGuidanceMax);
    EXPECT_EQ(wild.request.bestOf, kBestOfMax);
    const auto junk =
        metadata::recordFromA1111(QStringLiteral("猫\nSteps: 256, CFG scale: nan, Best of: x, Version: Shenbi 0.1"));
    EXPECT_DOUBLE_EQ(junk.request.guidance, 1.0);
    EXPECT_EQ(junk.request.bestOf, 1);
}

TEST(Metadata, FilenameTemplateIsSafe) {
    GenerationRecord r = sampleRecord();
    r.request.prompt = QStringLiteral("a/b:c*? 江南 水乡");
    CandidateImage c;
    c.index = 0;
    const QString name = expandFilenameTemplate(QStringLiteral("{prompt}_{seed}-{index}"), r, c, QStringLiteral("png"));
    EXPECT_FALSE(name.contains(QLatin1Char('/')));
    EXPECT_FALSE(name.contains(QLatin1Char(':')));
    EXPECT_TRUE(name.endsWith(QStringLiteral("_1234567890123-1.png"))) << name.toStdString();
    EXPECT_TRUE(name.contains(QStringLiteral("江南"))) << name.toStdString();
}

TEST(Metadata, UpscaleNearestAndLanczos) {
    const QImage img = sampleImage();
    const QImage n = upscale(img, 4, UpscaleFilter::Nearest);
    const QImage l = upscale(img, 2, UpscaleFilter::Lanczos);
    EXPECT_EQ(n.size(), QSize(64, 64));
    EXPECT_EQ(l.size(), QSize(32, 32));
    EXPECT_EQ(n.pixelColor(5, 5), img.pixelColor(1, 1));  // nearest keeps pixels
}

}  // namespace
}  // namespace shenbi::ui
