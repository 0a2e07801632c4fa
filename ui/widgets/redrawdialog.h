// Redraw a region: the picture enlarged over its code grid, where the artist
// drags a rectangle of cells, and the prompt those cells are drawn for. Every
// other cell keeps its code (GenerationRequest::redrawCells).
#pragma once

#include <QDialog>
#include <QImage>
#include <QRect>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace shenbi::ui {

// The picture on its grid; a drag selects the cells it touches. (Also the
// grid of LayoutDialog, whose picture shows the parts placed so far.)
class CellPicker : public QWidget {
    Q_OBJECT
public:
    CellPicker(const QImage& picture, int grid, QWidget* parent = nullptr);
    QRect cells() const { return m_cells; }  // x, y, width, height in cells; empty: none
    void setCells(const QRect& cells);       // clipped to the grid
    void setPicture(const QImage& picture);
    // Dim the cells outside the selection (on: what a redraw keeps).
    void setDimOutside(bool dim) { m_dimOutside = dim; }
    int grid() const { return m_grid; }
    QSize sizeHint() const override;

Q_SIGNALS:
    void cellsChanged(const QRect& cells);

protected:
    void paintEvent(QPaintEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    QRect pictureRect() const;  // where the picture is painted: a centred square
    QPoint cellAt(const QPoint& pos) const;

    QImage m_picture;
    int m_grid;
    QRect m_cells;
    QPoint m_anchor;  // the cell a drag started on
    bool m_dimOutside = true;
};

class RedrawDialog : public QDialog {
    Q_OBJECT
public:
    RedrawDialog(const QImage& picture, int grid, const QString& prompt, QWidget* parent = nullptr);
    QRect cells() const;
    QString prompt() const;
    CellPicker* picker() const { return m_picker; }
    QLineEdit* promptEdit() const { return m_prompt; }

private:
    void refresh();  // the summary and whether Redraw is possible

    CellPicker* m_picker;
    QLineEdit* m_prompt;
    QLabel* m_summary;
    QPushButton* m_ok;
};

}  // namespace shenbi::ui
