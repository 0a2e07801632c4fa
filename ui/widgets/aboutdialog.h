// Help > About: the version, what Shenbi is, where its data was found, and the
// licences and attribution of everything it bundles or links.
#pragma once

#include <QDialog>
#include <QList>
#include <QString>

namespace shenbi::ui {

// One row of the credits: a bundled data source or a library.
struct Credit {
    QString name;     // e.g. "Noto Emoji (emoji-datasource-google 16.0.0)"
    QString usedFor;  // translated: what Shenbi takes from it
    QString licence;  // SPDX identifier(s)
    QString source;   // package or project address
};

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    // modelDir/graphDir: what the studio found (shown so a user can tell
    // which copy of the data is in use); empty when none.
    AboutDialog(const QString& modelDir, const QString& graphDir, QWidget* parent = nullptr);

    // The bundled data first (model training data, knowledge graph sources), then the libraries.
    static QList<Credit> credits();
};

}  // namespace shenbi::ui
