// The candidates of the current request: a grid that shows live previews
// while sampling, then the results. Double-click enlarges, select several
// and compare, star, copy, export, drag out (PNG with the record embedded).
#pragma once

#include <QDialog>
#include <QListWidget>

#include "ui/services/types.h"

class QLabel;

namespace shenbi::ui {

class CandidateGallery : public QListWidget {
    Q_OBJECT
public:
    explicit CandidateGallery(QWidget* parent = nullptr);

    void showPreview(const QList<QImage>& partial, int step, int total);
    void setResult(const GenerationRecord& record, const QList<CandidateImage>& candidates);
    void clearResult();

    const GenerationRecord& record() const { return m_record; }
    const QList<CandidateImage>& candidates() const { return m_candidates; }
    bool hasResult() const { return !m_candidates.isEmpty(); }
    QList<int> selectedCandidates() const;  // indexes into candidates(); all when none selected
    void setStarred(int index, bool starred);
    void setThumbSize(int px);
    // Asks for the request's seed (useSeedRequested). A candidate's own seed
    // (Candidate::seed) is derived from it and its place, so only the request's
    // seed draws the candidate again, in the same place.
    void reuseRequestSeed();

Q_SIGNALS:
    void starToggled(qint64 historyId, int index, bool starred);
    void enlargeRequested(int index);
    void compareRequested(const QList<int>& indexes);
    void exportRequested(const QList<int>& indexes);
    void copyRequested(int index);
    void useSeedRequested(quint64 seed);
    // Redraw a region of candidate `index` (its picture and codes).
    void redrawRequested(int index);

protected:
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
    QStringList mimeTypes() const override;
    void contextMenuEvent(QContextMenuEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;

private:
    void refreshItem(int index);

    GenerationRecord m_record;
    QList<CandidateImage> m_candidates;
    int m_thumb = 192;
};

// One image enlarged, or several side by side, with their seeds.
class ImageCompareDialog : public QDialog {
    Q_OBJECT
public:
    ImageCompareDialog(const QList<QImage>& images, const QStringList& captions, QWidget* parent = nullptr);

protected:
    void resizeEvent(QResizeEvent* e) override;

private:
    void rescale();
    QList<QImage> m_images;
    QList<QLabel*> m_labels;
};

}  // namespace shenbi::ui
