#include "ui/services/historystore.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include "ui/services/imageconvert.h"

namespace shenbi::ui {

namespace {

QString escapeLike(QString s) {
    s.replace(QStringLiteral("\\"), QStringLiteral("\\\\"));
    s.replace(QStringLiteral("%"), QStringLiteral("\\%"));
    s.replace(QStringLiteral("_"), QStringLiteral("\\_"));
    return s;
}

}  // namespace

HistoryStore::HistoryStore(QString dbPath, QObject* parent)
    : QObject(parent),
      m_path(std::move(dbPath)),
      m_connection(QStringLiteral("shenbi-history-") + QUuid::createUuid().toString(QUuid::WithoutBraces)) {}

HistoryStore::~HistoryStore() {
    {
        auto db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen()) db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool HistoryStore::exec(const QString& sql) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(sql)) {
        m_lastError = q.lastError().text() + QStringLiteral(" (") + sql + QStringLiteral(")");
        return false;
    }
    return true;
}

bool HistoryStore::open() {
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    if (!db.open()) {
        m_lastError = db.lastError().text() + QStringLiteral(": ") + m_path;
        return false;
    }
    // The schema's version (PRAGMA user_version; 0: a file from before versions,
    // whose tables are version 1's). A newer file is left untouched: this
    // build would not know what its columns mean.
    const int version = schemaVersion();
    if (version < 0) return false;
    if (version > kSchemaVersion) {
        m_lastError = tr("%1 was written by a newer Shenbi (history format %2; this one reads up to %3), so it "
                         "is left untouched")
                          .arg(m_path)
                          .arg(version)
                          .arg(kSchemaVersion);
        return false;
    }
    // WAL: a crash mid-write loses at most the last transaction, readers never block.
    m_open = exec(QStringLiteral("PRAGMA journal_mode=WAL")) && exec(QStringLiteral("PRAGMA synchronous=NORMAL")) &&
             exec(QStringLiteral("PRAGMA foreign_keys=ON")) && migrate(version) &&
             exec(QStringLiteral("UPDATE requests SET status='interrupted' WHERE status='running'"));
    return m_open;
}

int HistoryStore::schemaVersion() {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        m_lastError = q.lastError().text() + QStringLiteral(": ") + m_path;
        return -1;
    }
    return q.value(0).toInt();
}

// One step per version, each in a transaction with its new version number, so
// that a crash leaves the file at the version before or after a step.
bool HistoryStore::migrate(int from) {
    if (from < 1) {
        const bool ok =
            exec(QStringLiteral("BEGIN")) &&
            exec(QStringLiteral("CREATE TABLE IF NOT EXISTS requests("
                                "id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, finished_at TEXT,"
                                "status TEXT NOT NULL, prompt TEXT NOT NULL, seed TEXT NOT NULL, model_id TEXT,"
                                "model_checksum TEXT, seconds REAL, record TEXT NOT NULL)")) &&
            exec(QStringLiteral("CREATE TABLE IF NOT EXISTS candidates("
                                "request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,"
                                "idx INTEGER NOT NULL, seed TEXT NOT NULL, starred INTEGER NOT NULL DEFAULT 0,"
                                "image BLOB NOT NULL, thumb BLOB, PRIMARY KEY(request_id, idx))")) &&
            exec(QStringLiteral("CREATE TABLE IF NOT EXISTS prompts("
                                "prompt TEXT PRIMARY KEY, used_at TEXT NOT NULL, uses INTEGER NOT NULL DEFAULT 1)")) &&
            exec(QStringLiteral("CREATE INDEX IF NOT EXISTS requests_created ON requests(created_at)")) &&
            exec(QStringLiteral("PRAGMA user_version = 1")) && exec(QStringLiteral("COMMIT"));
        if (!ok) {
            exec(QStringLiteral("ROLLBACK"));
            return false;
        }
    }
    return true;
}

qint64 HistoryStore::beginRequest(const GenerationRecord& record) {
    if (!m_open) return -1;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("INSERT INTO requests(created_at, status, prompt, seed, model_id, model_checksum, record)"
                       " VALUES(?, 'running', ?, ?, ?, ?, ?)"));
    q.addBindValue(record.created.toString(Qt::ISODateWithMs));
    q.addBindValue(record.request.prompt);
    q.addBindValue(QString::number(record.request.seed));
    q.addBindValue(record.model.id);
    q.addBindValue(record.model.checksum);
    q.addBindValue(QString::fromUtf8(QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact)));
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return -1;
    }
    Q_EMIT changed();
    return q.lastInsertId().toLongLong();
}

bool HistoryStore::finishRequest(qint64 id, const GenerationRecord& record, const QList<CandidateImage>& candidates) {
    if (!m_open || id < 0) return false;
    auto db = QSqlDatabase::database(m_connection);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE requests SET finished_at=?, status=?, seconds=?, record=? WHERE id=?"));
    q.addBindValue(record.finished.toString(Qt::ISODateWithMs));
    q.addBindValue(record.status.isEmpty() ? QStringLiteral("completed") : record.status);
    q.addBindValue(record.seconds);
    q.addBindValue(QString::fromUtf8(QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact)));
    q.addBindValue(id);
    bool ok = q.exec();
    for (const auto& c : candidates) {
        if (!ok) break;
        QSqlQuery ins(db);
        ins.prepare(
            QStringLiteral("INSERT OR REPLACE INTO candidates(request_id, idx, seed, starred, image, thumb)"
                           " VALUES(?, ?, ?, ?, ?, ?)"));
        ins.addBindValue(id);
        ins.addBindValue(c.index);
        ins.addBindValue(QString::number(c.seed));
        ins.addBindValue(c.starred ? 1 : 0);
        ins.addBindValue(c.png.isEmpty() ? encodePng(c.image) : c.png);
        ins.addBindValue(!c.thumbPng.isEmpty() ? c.thumbPng : (c.thumb.isNull() ? QByteArray() : encodePng(c.thumb)));
        ok = ins.exec();
        if (!ok) m_lastError = ins.lastError().text();
    }
    if (!ok) {
        if (m_lastError.isEmpty()) m_lastError = q.lastError().text();
        db.rollback();
        return false;
    }
    db.commit();
    Q_EMIT changed();
    return true;
}

namespace {

const char* const kEntrySelect =
    "SELECT r.id, r.created_at, r.prompt, r.status, r.seed, r.model_id, r.record,"
    " (SELECT COUNT(*) FROM candidates c WHERE c.request_id=r.id),"
    " (SELECT COUNT(*) FROM candidates c WHERE c.request_id=r.id AND c.starred=1),"
    " (SELECT thumb FROM candidates c WHERE c.request_id=r.id ORDER BY idx LIMIT 1)"
    " FROM requests r";

QList<HistoryEntry> readEntries(QSqlQuery& q) {
    QList<HistoryEntry> out;
    while (q.next()) {
        HistoryEntry e;
        e.id = q.value(0).toLongLong();
        e.created = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
        e.prompt = q.value(2).toString();
        e.status = q.value(3).toString();
        e.seed = q.value(4).toString().toULongLong();
        e.modelId = q.value(5).toString();
        e.record = GenerationRecord::fromJson(QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object());
        e.record.historyId = e.id;
        e.record.status = e.status;
        e.candidateCount = q.value(7).toInt();
        e.starredCount = q.value(8).toInt();
        e.thumb = QImage::fromData(q.value(9).toByteArray(), "PNG");
        out.append(std::move(e));
    }
    return out;
}

}  // namespace

QList<HistoryEntry> HistoryStore::search(const QString& text, int limit, bool starredOnly) const {
    if (!m_open) return {};
    QSqlQuery q(QSqlDatabase::database(m_connection));
    const QString needle = text.trimmed();
    QStringList where;
    if (!needle.isEmpty()) where << QStringLiteral("r.prompt LIKE ? ESCAPE '\\'");
    if (starredOnly)
        where << QStringLiteral("EXISTS (SELECT 1 FROM candidates c WHERE c.request_id=r.id AND c.starred=1)");
    q.prepare(QString::fromUtf8(kEntrySelect) +
              (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "))) +
              QStringLiteral(" ORDER BY r.id DESC LIMIT ?"));
    if (!needle.isEmpty()) q.addBindValue(QStringLiteral("%") + escapeLike(needle) + QStringLiteral("%"));
    q.addBindValue(limit);
    if (!q.exec()) return {};
    return readEntries(q);
}

std::optional<HistoryEntry> HistoryStore::entry(qint64 id) const {
    if (!m_open) return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QString::fromUtf8(kEntrySelect) + QStringLiteral(" WHERE r.id=?"));
    q.addBindValue(id);
    if (!q.exec()) return std::nullopt;
    auto rows = readEntries(q);
    if (rows.isEmpty()) return std::nullopt;
    return rows.front();
}

QList<CandidateImage> HistoryStore::candidates(qint64 id) const {
    QList<CandidateImage> out;
    if (!m_open) return out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("SELECT idx, seed, starred, image, thumb FROM candidates WHERE request_id=? ORDER BY idx"));
    q.addBindValue(id);
    if (!q.exec()) return out;
    while (q.next()) {
        CandidateImage c;
        c.index = q.value(0).toInt();
        c.seed = q.value(1).toString().toULongLong();
        c.starred = q.value(2).toInt() != 0;
        c.png = q.value(3).toByteArray();
        c.image = QImage::fromData(c.png, "PNG").convertToFormat(QImage::Format_RGB888);
        c.thumb = QImage::fromData(q.value(4).toByteArray(), "PNG");
        out.append(std::move(c));
    }
    return out;
}

bool HistoryStore::setStarred(qint64 id, int index, bool starred) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("UPDATE candidates SET starred=? WHERE request_id=? AND idx=?"));
    q.addBindValue(starred ? 1 : 0);
    q.addBindValue(id);
    q.addBindValue(index);
    const bool ok = q.exec();
    if (ok) Q_EMIT changed();
    return ok;
}

bool HistoryStore::remove(qint64 id) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("DELETE FROM requests WHERE id=?"));
    q.addBindValue(id);
    const bool ok = q.exec();
    if (ok) Q_EMIT changed();
    return ok;
}

int HistoryStore::count() const {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM requests")) || !q.next()) return 0;
    return q.value(0).toInt();
}

void HistoryStore::addPrompt(const QString& prompt) {
    const QString p = prompt.trimmed();
    if (!m_open || p.isEmpty()) return;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("INSERT INTO prompts(prompt, used_at) VALUES(?, ?)"
                       " ON CONFLICT(prompt) DO UPDATE SET used_at=excluded.used_at, uses=uses+1"));
    q.addBindValue(p);
    q.addBindValue(QDateTime::currentDateTime().toString(Qt::ISODateWithMs));
    q.exec();
}

QStringList HistoryStore::recentPrompts(int limit) const {
    QStringList out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT prompt FROM prompts ORDER BY used_at DESC, rowid DESC LIMIT ?"));
    q.addBindValue(limit);
    if (q.exec()) {
        while (q.next()) out << q.value(0).toString();
    }
    return out;
}

}  // namespace shenbi::ui
