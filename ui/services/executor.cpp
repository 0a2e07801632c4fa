#include "ui/services/executor.h"

namespace shenbi::ui {

SerialExecutor::SerialExecutor(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(1);
    // Keep the thread (and LibTorch's thread-local state) alive between jobs.
    m_pool.setExpiryTimeout(-1);
    m_pool.setObjectName(QStringLiteral("shenbi-model"));
}

SerialExecutor::~SerialExecutor() {
    m_pool.waitForDone();
}

}  // namespace shenbi::ui
