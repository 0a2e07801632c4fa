#include "testsupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QInputMethodEvent>
#include <QThread>
#include <QWidget>

#include <qcoro/qcorotask.h>

#include "ui/services/generationservice.h"
#include "ui/services/knowledgeservice.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"

namespace shenbi::ui::test {

QString graphDir() {
    return QStringLiteral(SHENBI_UI_TEST_DATA "/kg");
}

std::unique_ptr<Studio> makeStudio(const QString& dataDir, const QString& preset) {
    auto studio = std::make_unique<Studio>(dataDir);
    studio->knowledge()->loadNow(graphDir());
    studio->models()->setCpuThreads(1);
    const LoadOutcome o = QCoro::waitFor(studio->models()->loadRandom(preset, 7));
    if (!o.ok) qWarning("model: %s", qPrintable(o.error));
    return studio;
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(1);
    }
    return done();
}

void imeType(QWidget* target, const QString& text) {
    for (const QChar ch : text) {
        QInputMethodEvent preedit(QStringLiteral("pinyin"), {});
        QCoreApplication::sendEvent(target, &preedit);
        QInputMethodEvent commit;
        commit.setCommitString(QString(ch));
        QCoreApplication::sendEvent(target, &commit);
    }
}

GenerationOutcome generateAndWait(Studio& studio, const GenerationRequest& request, int timeoutMs) {
    GenerationOutcome result;
    bool finished = false;
    const int id = studio.generation()->enqueue(request);
    auto c = QObject::connect(studio.generation(), &GenerationService::jobFinished, studio.generation(),
                              [&](const GenerationOutcome& o) {
                                  if (o.jobId == id) {
                                      result = o;
                                      finished = true;
                                  }
                              });
    waitUntil([&] { return finished; }, timeoutMs);
    QObject::disconnect(c);
    return result;
}

}  // namespace shenbi::ui::test
