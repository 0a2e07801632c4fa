// Persistent history of every request in SQLite (Qt SQL, WAL journal):
// the record (prompt, parameters, seed, model id and checksum, entities),
// timestamps, status, and each candidate as PNG plus a thumbnail.
// A request row is written when it starts and completed when it ends, so a
// crash leaves an "interrupted" row rather than nothing. GUI thread only.
#pragma once

#include <QObject>
#include <QStringList>
#include <optional>

#include "ui/services/types.h"

namespace shenbi::ui {

struct HistoryEntry {
    qint64 id = -1;
    QDateTime created;
    QString prompt;
    QString status;
    quint64 seed = 0;
    QString modelId;
    int candidateCount = 0;
    int starredCount = 0;
    QImage thumb;  // first candidate
    GenerationRecord record;
};

class HistoryStore : public QObject {
    Q_OBJECT
public:
    explicit HistoryStore(QString dbPath, QObject* parent = nullptr);
    ~HistoryStore() override;

    // The history format this build writes (PRAGMA user_version); older files
    // are migrated step by step, a newer one is refused and left untouched.
    static constexpr int kSchemaVersion = 1;

    // Creates or migrates the schema; marks rows left "running" as
    // "interrupted". False with lastError() naming the file and why.
    bool open();
    bool isOpen() const { return m_open; }
    QString lastError() const { return m_lastError; }
    QString path() const { return m_path; }

    qint64 beginRequest(const GenerationRecord& record);
    bool finishRequest(qint64 id, const GenerationRecord& record, const QList<CandidateImage>& candidates);

    // Newest first; `text` matches the prompt (substring, case-insensitive for
    // Latin); `starredOnly` keeps requests with at least one starred candidate.
    QList<HistoryEntry> search(const QString& text = {}, int limit = 200, bool starredOnly = false) const;
    std::optional<HistoryEntry> entry(qint64 id) const;
    QList<CandidateImage> candidates(qint64 id) const;
    bool setStarred(qint64 id, int index, bool starred);
    bool remove(qint64 id);
    int count() const;

    // Prompt texts, kept apart from images (most recent first, unique).
    void addPrompt(const QString& prompt);
    QStringList recentPrompts(int limit = 100) const;

Q_SIGNALS:
    void changed();

private:
    bool exec(const QString& sql);
    int schemaVersion();     // -1 on error
    bool migrate(int from);  // to kSchemaVersion
    QString m_path;
    QString m_connection;
    QString m_lastError;
    bool m_open = false;
};

}  // namespace shenbi::ui
