// The one serial executor for model work (loading, generation): a
// QThreadPool with a single thread, as qBittorrent does for libtorrent.
// Everything that touches a ModelBundle's network runs here, one job at a
// time, so two requests never fight over the same cores and KV memory.
#pragma once

#include <QObject>
#include <QThreadPool>

namespace shenbi::ui {

class SerialExecutor : public QObject {
    Q_OBJECT
public:
    explicit SerialExecutor(QObject* parent = nullptr);
    ~SerialExecutor() override;  // waits for the running job

    QThreadPool* pool() { return &m_pool; }
    void waitForDone() { m_pool.waitForDone(); }

private:
    QThreadPool m_pool;
};

}  // namespace shenbi::ui
