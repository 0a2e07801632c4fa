// Helpers shared by the UI tests.
#pragma once

#include <QString>
#include <QTemporaryDir>
#include <functional>
#include <memory>
#include <ostream>

#include "ui/services/types.h"

class QWidget;

// Readable QString values in GoogleTest failure messages.
inline void PrintTo(const QString& s, std::ostream* os) {
    *os << '"' << s.toStdString() << '"';
}

namespace shenbi::ui {
class Studio;
}

namespace shenbi::ui::test {

QString graphDir();  // tests/ui/data/kg

// A studio over a temp data dir with the test graph and a random model of
// `preset` ("tiny" unless told) already loaded.
std::unique_ptr<Studio> makeStudio(const QString& dataDir, const QString& preset = QStringLiteral("tiny"));

// Runs the event loop until `done` or `timeoutMs` passes; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 60000);

// Types `text` the way an input method does: for each character a preedit
// (composition) event, then a commit. QTest::keyClicks only knows Latin-1.
void imeType(QWidget* target, const QString& text);

// Generates through the service's queue and waits for the outcome.
GenerationOutcome generateAndWait(Studio& studio, const GenerationRequest& request, int timeoutMs = 120000);

}  // namespace shenbi::ui::test
