// The SQLite history: WAL journal, search by Chinese substring, candidates
// and stars survive reopening, rows left "running" by a crash are marked.
#include <gtest/gtest.h>

#include <QLabel>
#include <QPushButton>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "ui/services/historystore.h"
#include "ui/widgets/historypanel.h"

namespace shenbi::ui {
namespace {

GenerationRecord record(const QString& prompt, quint64 seed) {
    GenerationRecord r;
    r.request.prompt = prompt;
    r.request.seed = seed;
    r.model.id = QStringLiteral("random-tiny");
    r.model.checksum = QStringLiteral("abc");
    r.created = QDateTime::currentDateTime();
    r.finished = r.created.addSecs(2);
    r.status = QStringLiteral("completed");
    return r;
}

CandidateImage candidate(int index) {
    CandidateImage c;
    c.index = index;
    c.seed = 100 + index;
    c.image = QImage(8, 8, QImage::Format_RGB888);
    c.image.fill(QColor(index * 40, 10, 10));
    c.thumb = c.image;
    return c;
}

TEST(History, WritesSearchesAndSurvivesReopen) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("h.sqlite"));
    qint64 first = -1;
    {
        HistoryStore store(path);
        ASSERT_TRUE(store.open()) << store.lastError().toStdString();
        first = store.beginRequest(record(QStringLiteral("江南水乡的石桥"), 18446744073709551615ULL));
        ASSERT_GT(first, 0);
        ASSERT_TRUE(store.finishRequest(first, record(QStringLiteral("江南水乡的石桥"), 18446744073709551615ULL),
                                        {candidate(0), candidate(1)}));
        const qint64 second = store.beginRequest(record(QStringLiteral("故宫的雪"), 5));
        ASSERT_TRUE(store.finishRequest(second, record(QStringLiteral("故宫的雪"), 5), {candidate(0)}));
        EXPECT_TRUE(store.setStarred(first, 1, true));
        // A third one "crashes" while running.
        store.beginRequest(record(QStringLiteral("长城 日出"), 9));
        store.addPrompt(QStringLiteral("江南水乡的石桥"));
        store.addPrompt(QStringLiteral("故宫的雪"));
    }
    HistoryStore store(path);
    ASSERT_TRUE(store.open());
    {
        QSqlQuery q(QStringLiteral("PRAGMA journal_mode"),
                    QSqlDatabase::database(QSqlDatabase::connectionNames().last()));
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toString(), QStringLiteral("wal"));
    }
    EXPECT_EQ(store.count(), 3);
    const auto hits = store.search(QStringLiteral("水乡"));
    ASSERT_EQ(hits.size(), 1);
    EXPECT_EQ(hits.front().id, first);
    EXPECT_EQ(hits.front().seed, 18446744073709551615ULL);
    EXPECT_EQ(hits.front().candidateCount, 2);
    EXPECT_EQ(hits.front().starredCount, 1);
    EXPECT_FALSE(hits.front().thumb.isNull());
    const auto candidates = store.candidates(first);
    ASSERT_EQ(candidates.size(), 2);
    EXPECT_TRUE(candidates[1].starred);
    EXPECT_EQ(candidates[1].image.pixelColor(0, 0), QColor(40, 10, 10));
    const auto crashed = store.search(QStringLiteral("长城"));
    ASSERT_EQ(crashed.size(), 1);
    EXPECT_EQ(crashed.front().status, QStringLiteral("interrupted"));
    EXPECT_EQ(store.search(QStringLiteral("%")).size(), 0);  // LIKE wildcards are literal
    const auto starred = store.search({}, 200, true);
    ASSERT_EQ(starred.size(), 1);
    EXPECT_EQ(starred.front().id, first);
    EXPECT_EQ(store.search(QStringLiteral("水乡"), 200, true).size(), 1);
    EXPECT_EQ(store.search(QStringLiteral("故宫"), 200, true).size(), 0);
    EXPECT_EQ(store.search({}, 2).size(), 2);
    EXPECT_EQ(store.recentPrompts().value(0), QStringLiteral("故宫的雪"));
    EXPECT_TRUE(store.remove(first));
    EXPECT_EQ(store.candidates(first).size(), 0);
}

// The panel lists a page of requests and "Show more" lists older ones; the
// ★ button keeps the starred ones; a new filter starts at the first page.
TEST(History, PanelPagesAndFiltersStarred) {
    QTemporaryDir dir;
    HistoryStore store(dir.filePath(QStringLiteral("h.sqlite")));
    ASSERT_TRUE(store.open());
    const int total = HistoryPanel::kPage + 5;
    qint64 oldest = -1;
    for (int i = 0; i < total; ++i) {
        const auto r = record(QStringLiteral("第%1张").arg(i), static_cast<quint64>(i));
        const qint64 id = store.beginRequest(r);
        ASSERT_TRUE(store.finishRequest(id, r, {candidate(0)}));
        if (i == 0) oldest = id;
    }
    ASSERT_TRUE(store.setStarred(oldest, 0, true));
    HistoryPanel panel(&store);
    auto* more = panel.findChild<QPushButton*>(QStringLiteral("historyMore"));
    ASSERT_NE(more, nullptr);
    EXPECT_EQ(panel.visibleCount(), HistoryPanel::kPage);
    EXPECT_FALSE(more->isHidden());
    EXPECT_FALSE(panel.visibleIds().contains(oldest));
    panel.showMore();
    EXPECT_EQ(panel.visibleCount(), total);
    EXPECT_TRUE(more->isHidden());
    EXPECT_EQ(panel.visibleIds().back(), oldest);
    panel.setStarredOnly(true);
    EXPECT_EQ(panel.visibleIds(), QList<qint64>{oldest});  // found without paging
    panel.setStarredOnly(false);
    EXPECT_EQ(panel.visibleCount(), HistoryPanel::kPage);  // back to the first page
}

}  // namespace
}  // namespace shenbi::ui

namespace shenbi::ui {
namespace {

// Runs `sql` statements on the SQLite file at `path` through its own connection.
int rawSqlite(const QString& path, const QStringList& sql) {
    int version = -1;
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        if (!db.open()) return -1;
        for (const auto& s : sql) QSqlQuery(s, db);
        QSqlQuery q(QStringLiteral("PRAGMA user_version"), db);
        if (q.next()) version = q.value(0).toInt();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return version;
}

// The history's format has a version: a file from before versions (0) is
// migrated in place and keeps its rows; a file from a newer Shenbi is refused
// with a message naming it and left exactly as it was.
TEST(History, SchemaVersionMigratesOldFilesAndRefusesNewerOnes) {
    QTemporaryDir dir;
    const QString old = dir.filePath(QStringLiteral("old.sqlite"));
    ASSERT_EQ(rawSqlite(old, {QStringLiteral("CREATE TABLE requests(id INTEGER PRIMARY KEY AUTOINCREMENT, "
                                             "created_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, "
                                             "prompt TEXT NOT NULL, seed TEXT NOT NULL, model_id TEXT, "
                                             "model_checksum TEXT, seconds REAL, record TEXT NOT NULL)"),
                              QStringLiteral("INSERT INTO requests(created_at, status, prompt, seed, record) "
                                             "VALUES('2026-11-01T10:00:00', 'completed', '旧的提示词', '7', '{}')")}),
              0);
    {
        HistoryStore store(old);
        ASSERT_TRUE(store.open()) << store.lastError().toStdString();
        EXPECT_EQ(store.count(), 1);
        EXPECT_EQ(store.search(QStringLiteral("旧的")).size(), 1);
    }
    EXPECT_EQ(rawSqlite(old, {}), HistoryStore::kSchemaVersion);

    const QString newer = dir.filePath(QStringLiteral("newer.sqlite"));
    ASSERT_EQ(rawSqlite(newer, {QStringLiteral("CREATE TABLE future(x)"), QStringLiteral("PRAGMA user_version = 99")}),
              99);
    HistoryStore store(newer);
    EXPECT_FALSE(store.open());
    EXPECT_FALSE(store.isOpen());
    EXPECT_TRUE(store.lastError().contains(QStringLiteral("newer Shenbi"))) << store.lastError().toStdString();
    EXPECT_TRUE(store.lastError().contains(newer)) << store.lastError().toStdString();
    EXPECT_LT(store.beginRequest(record(QStringLiteral("猫"), 1)), 0);  // nothing is written
    EXPECT_EQ(rawSqlite(newer, {}), 99);
    // The history panel says why it is empty, where the history would be.
    HistoryPanel panel(&store);
    auto* off = panel.findChild<QLabel*>(QStringLiteral("historyOff"));
    ASSERT_NE(off, nullptr);
    EXPECT_TRUE(off->text().contains(QStringLiteral("newer Shenbi"))) << off->text().toStdString();
}

}  // namespace
}  // namespace shenbi::ui
