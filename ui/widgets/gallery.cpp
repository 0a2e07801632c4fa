#include "ui/widgets/gallery.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDir>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>
#include <cmath>

#include "ui/services/exporter.h"

namespace shenbi::ui {

namespace {

QPixmap tile(const QImage& image, int size, bool starred, bool preview) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    if (!image.isNull()) {
        // Model outputs are small: keep their pixels crisp when enlarging.
        const auto mode = image.width() < size ? Qt::FastTransformation : Qt::SmoothTransformation;
        const QImage scaled = image.scaled(size, size, Qt::KeepAspectRatio, mode);
        p.drawImage((size - scaled.width()) / 2, (size - scaled.height()) / 2, scaled);
    } else {
        p.fillRect(pm.rect(), QColor(0xee, 0xee, 0xee));
    }
    if (preview) p.fillRect(pm.rect(), QColor(255, 255, 255, 60));
    if (starred) {
        QFont f = p.font();
        f.setPixelSize(size / 6);
        p.setFont(f);
        p.setPen(QColor(0xf5, 0xb3, 0x01));
        p.drawText(pm.rect().adjusted(4, 2, -4, -2), Qt::AlignTop | Qt::AlignRight, QStringLiteral("★"));
    }
    return pm;
}

}  // namespace

CandidateGallery::CandidateGallery(QWidget* parent) : QListWidget(parent) {
    setObjectName(QStringLiteral("gallery"));
    setViewMode(QListView::IconMode);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setUniformItemSizes(true);
    setSpacing(6);
    setThumbSize(m_thumb);
    connect(this, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem* item) { Q_EMIT enlargeRequested(item->data(Qt::UserRole).toInt()); });
}

void CandidateGallery::setThumbSize(int px) {
    m_thumb = px;
    setIconSize(QSize(px, px));
    setGridSize(QSize(px + 16, px + 36));
}

void CandidateGallery::showPreview(const QList<QImage>& partial, int step, int total) {
    if (!m_candidates.isEmpty() || count() != partial.size()) {
        m_candidates.clear();
        m_record = {};
        clear();
        for (int i = 0; i < partial.size(); ++i) {
            auto* item = new QListWidgetItem(this);
            item->setData(Qt::UserRole, i);
            item->setFlags(Qt::ItemIsEnabled);  // not selectable or draggable while sampling
        }
    }
    for (int i = 0; i < partial.size(); ++i) {
        QListWidgetItem* it = item(i);
        it->setIcon(tile(partial[i], m_thumb, false, true));
        it->setText(tr("#%1 · %2/%3").arg(i + 1).arg(step).arg(total));
    }
}

void CandidateGallery::setResult(const GenerationRecord& record, const QList<CandidateImage>& candidates) {
    clear();
    m_record = record;
    m_candidates = candidates;
    for (int i = 0; i < m_candidates.size(); ++i) {
        auto* it = new QListWidgetItem(this);
        it->setData(Qt::UserRole, i);
        it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        refreshItem(i);
    }
}

void CandidateGallery::clearResult() {
    clear();
    m_candidates.clear();
    m_record = {};
}

void CandidateGallery::refreshItem(int i) {
    QListWidgetItem* it = item(i);
    if (!it || i >= m_candidates.size()) return;
    const auto& c = m_candidates[i];
    it->setIcon(tile(c.image, m_thumb, c.starred, false));
    // Derived seeds are 64-bit: show the tail, the tooltip has all of it.
    const QString seed = c.seed < 1000000 ? QString::number(c.seed)
                                          : QStringLiteral("…%1").arg(c.seed % 100000, 5, 10, QLatin1Char('0'));
    it->setText(tr("#%1 · seed %2").arg(c.index + 1).arg(seed));
    // Known for fresh results, not for those reopened from the history.
    const QString certainty =
        std::isnan(c.likelihood)
            ? QString()
            : tr("Model's certainty %1 nats per code (higher: surer)\n").arg(QString::number(c.likelihood, 'f', 2));
    it->setToolTip(tr("Candidate %1\nSeed %2 (its own; the request's seed %3 draws it again as #%1)\n"
                      "%4Double-click to enlarge, S to star, drag to export")
                       .arg(c.index + 1)
                       .arg(c.seed)
                       .arg(m_record.request.seed)
                       .arg(certainty));
}

void CandidateGallery::setStarred(int index, bool starred) {
    if (index < 0 || index >= m_candidates.size()) return;
    m_candidates[index].starred = starred;
    refreshItem(index);
    Q_EMIT starToggled(m_record.historyId, index, starred);
}

QList<int> CandidateGallery::selectedCandidates() const {
    QList<int> out;
    for (auto* it : selectedItems()) out << it->data(Qt::UserRole).toInt();
    std::sort(out.begin(), out.end());
    if (out.isEmpty())
        for (int i = 0; i < m_candidates.size(); ++i) out << i;
    return out;
}

QStringList CandidateGallery::mimeTypes() const {
    return {QStringLiteral("text/uri-list"), QStringLiteral("image/png"), QStringLiteral("application/x-qt-image")};
}

QMimeData* CandidateGallery::mimeData(const QList<QListWidgetItem*>& items) const {
    auto* mime = new QMimeData;
    QList<QUrl> urls;
    // Drop targets (file managers, Krita, browsers) want files: write PNGs
    // with the record into a per-process temp folder.
    const QString dir = QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
                            .filePath(QStringLiteral("shenbi-drag-%1").arg(QCoreApplication::applicationPid()));
    QDir().mkpath(dir);
    for (auto* it : items) {
        const int i = it->data(Qt::UserRole).toInt();
        if (i < 0 || i >= m_candidates.size()) continue;
        QString error;
        const QByteArray png =
            encodeForExport(m_candidates[i].image, m_record, m_candidates[i], QStringLiteral("png"), 95, &error);
        if (png.isEmpty()) continue;
        const QString path = QDir(dir).filePath(expandFilenameTemplate(
            QStringLiteral("{prompt}_{seed}-{index}"), m_record, m_candidates[i], QStringLiteral("png")));
        QSaveFile f(path);
        if (f.open(QIODevice::WriteOnly) && f.write(png) == png.size() && f.commit()) urls << QUrl::fromLocalFile(path);
        if (urls.size() == 1) {
            mime->setImageData(m_candidates[i].image);
            mime->setData(QStringLiteral("image/png"), png);
        }
    }
    mime->setUrls(urls);
    return mime;
}

void CandidateGallery::contextMenuEvent(QContextMenuEvent* e) {
    if (m_candidates.isEmpty()) return;
    QListWidgetItem* under = itemAt(e->pos());
    if (under && !under->isSelected()) {
        clearSelection();
        under->setSelected(true);
    }
    const QList<int> sel = selectedCandidates();
    const int first = sel.value(0, -1);
    QMenu menu(this);
    QAction* enlarge = menu.addAction(tr("Enlarge"));
    QAction* compare = menu.addAction(tr("Compare selected (%1)").arg(sel.size()));
    compare->setEnabled(sel.size() > 1);
    menu.addSeparator();
    const bool starred = first >= 0 && m_candidates[first].starred;
    QAction* star = menu.addAction(starred ? tr("Remove star") : tr("Star"));
    QAction* copy = menu.addAction(tr("Copy image"));
    QAction* exportAct = menu.addAction(tr("Export…"));
    QAction* seed = menu.addAction(tr("Reuse this request's seed"));
    seed->setEnabled(hasResult());
    QAction* redraw = menu.addAction(tr("Redraw a region…"));
    redraw->setEnabled(hasResult() && first >= 0 && !m_candidates[first].image.isNull());
    QAction* chosen = menu.exec(e->globalPos());
    if (!chosen || first < 0) return;
    if (chosen == enlarge) Q_EMIT enlargeRequested(first);
    if (chosen == compare) Q_EMIT compareRequested(sel);
    if (chosen == star)
        for (int i : sel) setStarred(i, !starred);
    if (chosen == copy) Q_EMIT copyRequested(first);
    if (chosen == exportAct) Q_EMIT exportRequested(sel);
    if (chosen == seed) reuseRequestSeed();
    if (chosen == redraw) Q_EMIT redrawRequested(first);
}

void CandidateGallery::reuseRequestSeed() {
    if (hasResult()) Q_EMIT useSeedRequested(m_record.request.seed);
}

void CandidateGallery::keyPressEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_S && e->modifiers() == Qt::NoModifier && !m_candidates.isEmpty()) {
        const auto sel = selectedCandidates();
        const bool starred = !sel.isEmpty() && m_candidates[sel.first()].starred;
        for (int i : sel) setStarred(i, !starred);
        return;
    }
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter || e->key() == Qt::Key_Space) && currentItem() &&
        !m_candidates.isEmpty()) {
        Q_EMIT enlargeRequested(currentItem()->data(Qt::UserRole).toInt());
        return;
    }
    QListWidget::keyPressEvent(e);
}

// ---------------------------------------------------------------- compare dialog

ImageCompareDialog::ImageCompareDialog(const QList<QImage>& images, const QStringList& captions, QWidget* parent)
    : QDialog(parent), m_images(images) {
    setObjectName(QStringLiteral("compareDialog"));
    setWindowTitle(images.size() > 1 ? tr("Compare candidates") : tr("Candidate"));
    auto* grid = new QGridLayout(this);
    const int cols = images.size() <= 4 ? static_cast<int>(images.size()) : 4;
    for (int i = 0; i < images.size(); ++i) {
        auto* label = new QLabel(this);
        label->setAlignment(Qt::AlignCenter);
        label->setMinimumSize(64, 64);
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
        auto* caption = new QLabel(captions.value(i), this);
        caption->setAlignment(Qt::AlignCenter);
        grid->addWidget(label, (i / cols) * 2, i % cols);
        grid->addWidget(caption, (i / cols) * 2 + 1, i % cols);
        grid->setRowStretch((i / cols) * 2, 1);
        m_labels << label;
    }
    resize(images.size() > 1 ? 1000 : 640, images.size() > 4 ? 760 : 600);
}

void ImageCompareDialog::resizeEvent(QResizeEvent* e) {
    QDialog::resizeEvent(e);
    rescale();
}

void ImageCompareDialog::rescale() {
    for (int i = 0; i < m_labels.size(); ++i) {
        const QSize box = m_labels[i]->size();
        const QImage& img = m_images[i];
        const auto mode = img.width() < box.width() ? Qt::FastTransformation : Qt::SmoothTransformation;
        m_labels[i]->setPixmap(QPixmap::fromImage(img.scaled(box, Qt::KeepAspectRatio, mode)));
    }
}

}  // namespace shenbi::ui
