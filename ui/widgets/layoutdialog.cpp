#include "ui/widgets/layoutdialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/widgets/redrawdialog.h"

namespace shenbi::ui {
namespace {

constexpr int kCellPixels = 24;  // the grid picture's cell: CellPicker scales it to fit

// The parts drawn over an empty grid, each a tinted rectangle with its number.
QImage partsPicture(int grid, const QList<RegionRecord>& parts) {
    QImage image(grid * kCellPixels, grid * kCellPixels, QImage::Format_RGB888);
    image.fill(Qt::white);
    QPainter p(&image);
    QFont font = p.font();
    font.setPixelSize(kCellPixels * 2);
    font.setBold(true);
    p.setFont(font);
    for (int i = 0; i < parts.size(); ++i) {
        const QRect& c = parts[i].cells;
        const QRect r(c.x() * kCellPixels, c.y() * kCellPixels, c.width() * kCellPixels, c.height() * kCellPixels);
        const QColor tint = QColor::fromHsv((i * 97) % 360, 90, 250);
        p.fillRect(r, tint);
        p.setPen(QPen(tint.darker(160), 2));
        p.drawRect(r.adjusted(1, 1, -2, -2));
        p.drawText(r, Qt::AlignCenter, QString::number(i + 1));
    }
    return image;
}

QString partText(int index, const RegionRecord& part) {
    return QStringLiteral("%1. %2,%3 %4×%5: %6")
        .arg(index + 1)
        .arg(part.cells.x())
        .arg(part.cells.y())
        .arg(part.cells.width())
        .arg(part.cells.height())
        .arg(part.prompt);
}

}  // namespace

LayoutDialog::LayoutDialog(int grid, const QString& prompt, const QList<RegionRecord>& parts, QWidget* parent)
    : QDialog(parent), m_grid(grid), m_parts(parts) {
    setWindowTitle(tr("Draw in parts"));
    setObjectName(QStringLiteral("layoutDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* help = new QLabel(tr("Drag over the grid to place a part, give it a prompt (e.g. 一只猫在左边) and add it. "
                               "Each part is drawn from its own prompt; the cells outside every part from the "
                               "prompt for the rest. A later part wins where two overlap."),
                            this);
    help->setWordWrap(true);
    layout->addWidget(help);
    m_picker = new CellPicker(partsPicture(grid, m_parts), grid, this);
    m_picker->setDimOutside(false);  // the other parts stay readable
    layout->addWidget(m_picker, 1, Qt::AlignCenter);

    auto* addRow = new QHBoxLayout;
    m_partPrompt = new QLineEdit(this);
    m_partPrompt->setObjectName(QStringLiteral("partPrompt"));
    m_partPrompt->setPlaceholderText(tr("Prompt for the part, e.g. 一只猫在左边"));
    m_add = new QPushButton(tr("Add part"), this);
    m_add->setObjectName(QStringLiteral("addPart"));
    addRow->addWidget(m_partPrompt, 1);
    addRow->addWidget(m_add);
    layout->addLayout(addRow);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("parts"));
    m_list->setMaximumHeight(110);
    layout->addWidget(m_list);
    m_remove = new QPushButton(tr("Remove part"), this);
    m_remove->setObjectName(QStringLiteral("removePart"));
    layout->addWidget(m_remove, 0, Qt::AlignLeft);

    layout->addWidget(new QLabel(tr("Prompt for the rest of the picture:"), this));
    m_rest = new QLineEdit(prompt, this);
    m_rest->setObjectName(QStringLiteral("restPrompt"));
    layout->addWidget(m_rest);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Generate"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &LayoutDialog::addPart);
    connect(m_remove, &QPushButton::clicked, this, &LayoutDialog::removePart);
    connect(m_picker, &CellPicker::cellsChanged, this, &LayoutDialog::refresh);
    connect(m_partPrompt, &QLineEdit::textChanged, this, &LayoutDialog::refresh);
    connect(m_rest, &QLineEdit::textChanged, this, &LayoutDialog::refresh);
    connect(m_list, &QListWidget::currentRowChanged, this, &LayoutDialog::refresh);
    showParts();
}

QString LayoutDialog::prompt() const {
    return m_rest->text().trimmed();
}

void LayoutDialog::addPart() {
    if (m_picker->cells().isEmpty() || m_partPrompt->text().trimmed().isEmpty()) return;
    m_parts.append({m_picker->cells(), m_partPrompt->text().trimmed()});
    m_partPrompt->clear();
    m_picker->setCells({});
    showParts();
}

void LayoutDialog::removePart() {
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_parts.size()) return;
    m_parts.removeAt(row);
    showParts();
}

void LayoutDialog::showParts() {
    {
        const QSignalBlocker quiet(m_list);
        m_list->clear();
        for (int i = 0; i < m_parts.size(); ++i) m_list->addItem(partText(i, m_parts[i]));
    }
    m_picker->setPicture(partsPicture(m_grid, m_parts));
    refresh();
}

void LayoutDialog::refresh() {
    m_add->setEnabled(!m_picker->cells().isEmpty() && !m_partPrompt->text().trimmed().isEmpty());
    m_remove->setEnabled(m_list->currentRow() >= 0);
    m_ok->setEnabled(!m_parts.isEmpty() && !prompt().isEmpty());
}

}  // namespace shenbi::ui
