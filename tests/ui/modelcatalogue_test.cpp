// The model catalogue: the keys QSettings keeps ("random:<preset>",
// "bundled:<folder>", "dir:<folder>") read back as the same entries, the keys
// older versions stored still load, and the remembered folders survive a
// round trip through QSettings.
#include "ui/services/modelcatalogue.h"

#include <gtest/gtest.h>

#include <QSettings>
#include <QStringList>
#include <optional>
#include <ostream>

#include "testsupport.h"
#include "ui/i18n.h"
#include "ui/services/types.h"

namespace shenbi::ui {

// Readable entries in GoogleTest failure messages.
inline void PrintTo(const ModelEntry& e, std::ostream* os) {
    *os << e.key().toStdString();
}

namespace {

// main.cpp points QSettings at a throw-away directory; each test starts and
// ends with it empty.
class ModelCatalogueTest : public ::testing::Test {
protected:
    void SetUp() override { QSettings().clear(); }
    void TearDown() override { QSettings().clear(); }
};

TEST(ModelEntryKeys, KeyParsesBackForEveryKind) {
    const ModelEntry entries[] = {
        ModelEntry::random(QStringLiteral("small")),
        ModelEntry::random(QStringLiteral("tiny")),
        ModelEntry::bundled(QStringLiteral("/usr/share/shenbi/models/default")),
        ModelEntry::directory(QStringLiteral("/home/artist/.local/share/Shenbi/models/猫与龙")),
        ModelEntry::directory(QStringLiteral("C:/Users/artist/models/a:b")),  // a ':' inside the path
    };
    for (const ModelEntry& e : entries) {
        const std::optional<ModelEntry> back = ModelEntry::parse(e.key());
        ASSERT_TRUE(back.has_value()) << e.key().toStdString();
        EXPECT_EQ(*back, e);
        EXPECT_EQ(back->key(), e.key());
    }
}

TEST(ModelEntryKeys, KeysAreTheStoredFormat) {
    EXPECT_EQ(ModelEntry::random(QStringLiteral("small")).key(), QStringLiteral("random:small"));
    EXPECT_EQ(ModelEntry::bundled(QStringLiteral("/opt/m")).key(), QStringLiteral("bundled:/opt/m"));
    EXPECT_EQ(ModelEntry::directory(QStringLiteral("/data/m")).key(), QStringLiteral("dir:/data/m"));
}

// Strings as earlier versions wrote them into "model/current" and "models/known".
TEST(ModelEntryKeys, ParsesKeysStoredByEarlierVersions) {
    const auto tiny = ModelEntry::parse(QStringLiteral("random:tiny"));
    ASSERT_TRUE(tiny);
    EXPECT_TRUE(tiny->isRandom());
    EXPECT_EQ(tiny->preset, QStringLiteral("tiny"));
    EXPECT_TRUE(tiny->path.isEmpty());

    const auto small = ModelEntry::parse(QStringLiteral("random:small"));
    ASSERT_TRUE(small);
    EXPECT_EQ(*small, ModelEntry::random(QStringLiteral("small")));

    const auto bundled = ModelEntry::parse(QStringLiteral("bundled:/usr/share/shenbi/models/default"));
    ASSERT_TRUE(bundled);
    EXPECT_TRUE(bundled->isBundled());
    EXPECT_EQ(bundled->path, QStringLiteral("/usr/share/shenbi/models/default"));

    const auto dir = ModelEntry::parse(QStringLiteral("dir:/home/artist/models/cats"));
    ASSERT_TRUE(dir);
    EXPECT_TRUE(dir->isDirectory());
    EXPECT_EQ(dir->path, QStringLiteral("/home/artist/models/cats"));
    EXPECT_TRUE(dir->preset.isEmpty());
}

TEST(ModelEntryKeys, RefusesWhatIsNoEntry) {
    for (const QString& key : {QString(), QStringLiteral(""), QStringLiteral("foo"), QStringLiteral("dir:"),
                               QStringLiteral("bundled:"), QStringLiteral("random:"), QStringLiteral("/a/model"),
                               QStringLiteral("Dir:/a/model"), QStringLiteral("easynlp:/a/model")})
        EXPECT_FALSE(ModelEntry::parse(key).has_value()) << key.toStdString();
}

TEST(ModelEntryKeys, DescribesTheLoadedModel) {
    ModelInfo random;
    random.id = QStringLiteral("random-tiny");
    EXPECT_TRUE(ModelEntry::random(QStringLiteral("tiny")).describes(random));
    EXPECT_FALSE(ModelEntry::random(QStringLiteral("small")).describes(random));
    EXPECT_FALSE(ModelEntry::directory(QStringLiteral("/nowhere")).describes(random));
    EXPECT_FALSE(ModelEntry::random(QStringLiteral("tiny")).describes(ModelInfo{}));
    EXPECT_TRUE(modelcatalogue::isRandomWeights(random));
    ModelInfo folder;
    folder.id = QStringLiteral("random-looking name");
    folder.dir = QStringLiteral(SHENBI_UI_TEST_DATA);
    EXPECT_FALSE(modelcatalogue::isRandomWeights(folder));
    EXPECT_TRUE(ModelEntry::directory(QStringLiteral(SHENBI_UI_TEST_DATA)).describes(folder));
    EXPECT_TRUE(ModelEntry::directory(QStringLiteral(SHENBI_UI_TEST_DATA "/kg/..")).describes(folder));
    EXPECT_FALSE(ModelEntry::random(QStringLiteral("tiny")).describes(folder));
}

TEST_F(ModelCatalogueTest, RememberedFoldersRoundTripThroughQSettings) {
    EXPECT_TRUE(modelcatalogue::remembered().isEmpty());
    const ModelEntry a = ModelEntry::directory(QStringLiteral("/models/a"));
    const ModelEntry b = ModelEntry::directory(QStringLiteral("/models/b"));
    modelcatalogue::remember(a);
    modelcatalogue::remember(b);
    EXPECT_EQ(modelcatalogue::remembered(), (QList<ModelEntry>{b, a}));  // newest first
    // Stored in the format earlier versions read.
    EXPECT_EQ(QSettings().value(QStringLiteral("models/known")).toStringList(),
              (QStringList{QStringLiteral("dir:/models/b"), QStringLiteral("dir:/models/a")}));

    modelcatalogue::remember(a);  // again: moves to the front, no duplicate
    EXPECT_EQ(modelcatalogue::remembered(), (QList<ModelEntry>{a, b}));

    // Random weights and the bundled model are always offered, never stored.
    modelcatalogue::remember(ModelEntry::random(QStringLiteral("tiny")));
    modelcatalogue::remember(ModelEntry::bundled(QStringLiteral("/opt/default")));
    EXPECT_EQ(modelcatalogue::remembered(), (QList<ModelEntry>{a, b}));

    modelcatalogue::forget(a);
    EXPECT_EQ(modelcatalogue::remembered(), (QList<ModelEntry>{b}));

    for (int i = 0; i < modelcatalogue::kMaxRemembered + 5; ++i)
        modelcatalogue::remember(ModelEntry::directory(QStringLiteral("/models/%1").arg(i)));
    const QList<ModelEntry> kept = modelcatalogue::remembered();
    ASSERT_EQ(kept.size(), modelcatalogue::kMaxRemembered);
    EXPECT_EQ(kept.first(),
              ModelEntry::directory(QStringLiteral("/models/%1").arg(modelcatalogue::kMaxRemembered + 4)));
}

TEST_F(ModelCatalogueTest, ReadsTheListEarlierVersionsStored) {
    QSettings().setValue(QStringLiteral("models/known"),
                         QStringList{QStringLiteral("dir:/old/one"), QStringLiteral("garbage"), QStringLiteral("dir:"),
                                     QStringLiteral("dir:/old/two")});
    EXPECT_EQ(modelcatalogue::remembered(), (QList<ModelEntry>{ModelEntry::directory(QStringLiteral("/old/one")),
                                                               ModelEntry::directory(QStringLiteral("/old/two"))}));
}

TEST_F(ModelCatalogueTest, OffersBundledRememberedAndRandomWithoutDuplicates) {
    const ModelEntry folder = ModelEntry::directory(QStringLiteral("/models/mine"));
    modelcatalogue::remember(folder);
    const QList<ModelEntry> offered = modelcatalogue::entries();
    const ModelEntry small = ModelEntry::random(QStringLiteral("small"));
    const ModelEntry tiny = ModelEntry::random(QStringLiteral("tiny"));
    ASSERT_GE(offered.size(), 3);
    EXPECT_EQ(offered.at(offered.size() - 2), small);
    EXPECT_EQ(offered.last(), tiny);
    EXPECT_EQ(offered.count(folder), 1);
    const QString bundled = modelcatalogue::bundledModelDir();
    if (bundled.isEmpty()) {
        EXPECT_EQ(offered.first(), folder);
        EXPECT_EQ(modelcatalogue::defaultEntry(), small);
    } else {
        EXPECT_EQ(offered.first(), ModelEntry::bundled(bundled));
        EXPECT_EQ(modelcatalogue::defaultEntry(), ModelEntry::bundled(bundled));
    }
    for (const ModelEntry& e : offered) EXPECT_EQ(offered.count(e), 1) << e.key().toStdString();
}

TEST_F(ModelCatalogueTest, CurrentModelRoundTripsAndIgnoresWhatItCannotRead) {
    EXPECT_FALSE(modelcatalogue::current().has_value());
    const ModelEntry folder = ModelEntry::directory(QStringLiteral("/models/mine"));
    modelcatalogue::setCurrent(folder);
    EXPECT_EQ(QSettings().value(QStringLiteral("model/current")).toString(), QStringLiteral("dir:/models/mine"));
    ASSERT_TRUE(modelcatalogue::current().has_value());
    EXPECT_EQ(*modelcatalogue::current(), folder);

    QSettings().setValue(QStringLiteral("model/current"), QStringLiteral("random:tiny"));
    ASSERT_TRUE(modelcatalogue::current().has_value());
    EXPECT_EQ(*modelcatalogue::current(), ModelEntry::random(QStringLiteral("tiny")));

    QSettings().setValue(QStringLiteral("model/current"), QStringLiteral("foo"));
    EXPECT_FALSE(modelcatalogue::current().has_value());
}

// The labels kept the model manager's translation context: the Chinese
// translation still finds them.
TEST(ModelCatalogueLabels, KeepTheirTexts) {
    const ModelEntry small = ModelEntry::random(QStringLiteral("small"));
    const ModelEntry bundled = ModelEntry::bundled(QStringLiteral("/opt/default"));
    EXPECT_EQ(modelcatalogue::label(small), QStringLiteral("Random weights, small (64 px demo, no training)"));
    EXPECT_EQ(modelcatalogue::label(ModelEntry::random(QStringLiteral("tiny"))),
              QStringLiteral("Random weights, tiny (16 px, for testing)"));
    EXPECT_EQ(modelcatalogue::label(bundled, QStringLiteral("artist")),
              QStringLiteral("artist — bundled default model"));
    EXPECT_EQ(modelcatalogue::label(ModelEntry::directory(QStringLiteral("/m/x")), QStringLiteral("cats")),
              QStringLiteral("cats"));

    applyLanguage(QStringLiteral("zh_CN"));
    const QString zhSmall = modelcatalogue::label(small);
    const QString zhBundled = modelcatalogue::label(bundled, QStringLiteral("artist"));
    applyLanguage(QStringLiteral("en"));
    EXPECT_EQ(zhSmall, QStringLiteral("随机权重，small（64 像素演示，未训练）"));
    EXPECT_EQ(zhBundled, QStringLiteral("artist — 内置默认模型"));
}

}  // namespace
}  // namespace shenbi::ui
