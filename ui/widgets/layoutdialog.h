// Draw in parts: the artist places the parts of a picture by hand, each a
// rectangle of code cells with its own prompt (GenerationRequest::regions);
// the cells outside every part are drawn from the prompt for the rest. It
// opens on the layout Plan the layout would draw, when there is one.
#pragma once

#include <QDialog>
#include <QList>

#include "ui/services/types.h"

class QLineEdit;
class QListWidget;
class QPushButton;

namespace shenbi::ui {

class CellPicker;

class LayoutDialog : public QDialog {
    Q_OBJECT
public:
    LayoutDialog(int grid, const QString& prompt, const QList<RegionRecord>& parts, QWidget* parent = nullptr);
    QList<RegionRecord> parts() const { return m_parts; }
    QString prompt() const;  // for the cells outside every part
    CellPicker* picker() const { return m_picker; }
    QLineEdit* partPrompt() const { return m_partPrompt; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }
    QListWidget* partList() const { return m_list; }

private:
    void addPart();
    void removePart();
    void showParts();  // the list and the parts drawn on the grid
    void refresh();    // which buttons work

    int m_grid;
    QList<RegionRecord> m_parts;
    CellPicker* m_picker;
    QLineEdit* m_rest;
    QLineEdit* m_partPrompt;
    QListWidget* m_list;
    QPushButton* m_add;
    QPushButton* m_remove;
    QPushButton* m_ok;
};

}  // namespace shenbi::ui
