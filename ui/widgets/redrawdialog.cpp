#include "ui/widgets/redrawdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QPen>
#include <QPushButton>
#include <QRegion>
#include <QVBoxLayout>
#include <algorithm>

namespace shenbi::ui {

namespace {
constexpr int kPictureSide = 384;  // the picture is shown at about this many pixels
}

CellPicker::CellPicker(const QImage& picture, int grid, QWidget* parent)
    : QWidget(parent), m_picture(picture), m_grid(std::max(1, grid)) {
    setObjectName(QStringLiteral("cellPicker"));
    setMinimumSize(m_grid * 8, m_grid * 8);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Drag over the cells to redraw"));
}

QSize CellPicker::sizeHint() const {
    const int cell = std::max(8, kPictureSide / m_grid);
    return {cell * m_grid, cell * m_grid};
}

void CellPicker::setPicture(const QImage& picture) {
    m_picture = picture;
    update();
}

void CellPicker::setCells(const QRect& cells) {
    const QRect clipped = cells.intersected(QRect(0, 0, m_grid, m_grid));
    if (clipped == m_cells) return;
    m_cells = clipped;
    QWidget::update();
    Q_EMIT cellsChanged(m_cells);
}

QRect CellPicker::pictureRect() const {
    const int cell = std::max(1, std::min(width(), height()) / m_grid);
    const int side = cell * m_grid;
    return {(width() - side) / 2, (height() - side) / 2, side, side};
}

QPoint CellPicker::cellAt(const QPoint& pos) const {
    const QRect r = pictureRect();
    const int cell = r.width() / m_grid;
    return {std::clamp((pos.x() - r.x()) / cell, 0, m_grid - 1), std::clamp((pos.y() - r.y()) / cell, 0, m_grid - 1)};
}

void CellPicker::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
    m_anchor = cellAt(e->position().toPoint());
    setCells(QRect(m_anchor, QSize(1, 1)));
}

void CellPicker::mouseMoveEvent(QMouseEvent* e) {
    if (!(e->buttons() & Qt::LeftButton)) return QWidget::mouseMoveEvent(e);
    const QPoint at = cellAt(e->position().toPoint());
    setCells(QRect(QPoint(std::min(at.x(), m_anchor.x()), std::min(at.y(), m_anchor.y())),
                   QPoint(std::max(at.x(), m_anchor.x()), std::max(at.y(), m_anchor.y()))));
}

void CellPicker::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QRect r = pictureRect();
    const int cell = r.width() / m_grid;
    // Model pictures are small: enlarge without smoothing, as the gallery does.
    p.drawImage(r, m_picture);
    p.setPen(QColor(128, 128, 128, 70));
    for (int i = 1; i < m_grid; ++i) {
        p.drawLine(r.x() + i * cell, r.y(), r.x() + i * cell, r.bottom());
        p.drawLine(r.x(), r.y() + i * cell, r.right(), r.y() + i * cell);
    }
    if (m_cells.isEmpty()) return;
    const QRect sel(r.x() + m_cells.x() * cell, r.y() + m_cells.y() * cell, m_cells.width() * cell,
                    m_cells.height() * cell);
    // What is kept is dimmed; what will be redrawn stays as it is, framed.
    if (m_dimOutside) {
        QRegion kept(r);
        kept -= QRegion(sel);
        p.setClipRegion(kept);
        p.fillRect(r, QColor(0, 0, 0, 110));
        p.setClipping(false);
    }
    p.setPen(QPen(palette().highlight().color(), 2));
    p.drawRect(sel.adjusted(1, 1, -1, -1));
}

RedrawDialog::RedrawDialog(const QImage& picture, int grid, const QString& prompt, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Redraw a region"));
    setObjectName(QStringLiteral("redrawDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* help = new QLabel(tr("Drag over the picture to choose the cells to redraw. The model draws them for the "
                               "prompt below and keeps every other cell. It sees the kept cells above and to the "
                               "left of the region; with Best of above 1, it keeps the candidates that also fit "
                               "those below."),
                            this);
    help->setWordWrap(true);
    layout->addWidget(help);
    m_picker = new CellPicker(picture, grid, this);
    layout->addWidget(m_picker, 1, Qt::AlignCenter);
    m_summary = new QLabel(this);
    layout->addWidget(m_summary);
    layout->addWidget(new QLabel(tr("Prompt for the region:"), this));
    m_prompt = new QLineEdit(prompt, this);
    m_prompt->setObjectName(QStringLiteral("redrawPrompt"));
    m_prompt->setClearButtonEnabled(true);
    layout->addWidget(m_prompt);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Redraw"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_picker, &CellPicker::cellsChanged, this, &RedrawDialog::refresh);
    connect(m_prompt, &QLineEdit::textChanged, this, &RedrawDialog::refresh);
    refresh();
}

QRect RedrawDialog::cells() const {
    return m_picker->cells();
}

QString RedrawDialog::prompt() const {
    return m_prompt->text().trimmed();
}

void RedrawDialog::refresh() {
    const QRect c = m_picker->cells();
    const int grid = m_picker->grid();
    m_summary->setText(c.isEmpty() ? tr("No cells chosen yet.")
                                   : tr("%1 × %2 cells of %3 × %3 to redraw (%4 of %5 codes).")
                                         .arg(c.width())
                                         .arg(c.height())
                                         .arg(grid)
                                         .arg(c.width() * c.height())
                                         .arg(grid * grid));
    m_ok->setEnabled(!c.isEmpty() && !prompt().isEmpty());
}

}  // namespace shenbi::ui
