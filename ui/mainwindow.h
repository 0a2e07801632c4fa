// Main window of the Shenbi studio: prompt editor on top, candidates below,
// parameters on the left, history and queue on the right.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include "ui/services/exporter.h"
#include "ui/services/types.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QDockWidget;

namespace shenbi::ui {

class Studio;
class PromptEditor;
class ParamsPanel;
class CandidateGallery;
class HistoryPanel;
class RedrawDialog;
class LayoutDialog;
class QueuePanel;
class ModelManagerDialog;
class FinetuneWizard;
struct ModelEntry;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `studio` must outlive the window. Loads the last model and the bundled
    // knowledge graph unless the studio already has them.
    explicit MainWindow(Studio* studio, QWidget* parent = nullptr);
    ~MainWindow() override;

    enum class Recall { Prompt, Seed, All };
    void recall(const GenerationRecord& record, Recall what);

    // Queues the editor's prompt with the panel's parameters (at the front of
    // the queue with `front`); the job id or -1.
    int generate(bool front = false);
    // Redraw a region of gallery candidate `index`, or of an image file (its
    // square centre at the model's resolution): opens the dialog (window-modal,
    // deleted on close) that queues the request when accepted; null without a
    // model, or with `error` set when the file is no image.
    RedrawDialog* redrawCandidate(int index);
    RedrawDialog* redrawImageFile(const QString& path, QString* error = nullptr);
    // Generate → Draw in parts…: opens the dialog (deleted on close) on the
    // editor's prompt and `parts` (a recalled record's), else the layout Plan
    // the layout would draw; accepted, it queues the request with the parts
    // placed. Null without a model.
    LayoutDialog* openLayoutDialog(const QList<RegionRecord>& parts = {});
    void cancelCurrent();
    // Restores the parameters recorded in an image file (PNG/JPEG/WebP).
    bool importParameters(const QString& path, QString* error = nullptr);
    // Exports candidates of the gallery without asking; returns the paths written.
    QStringList exportCandidates(const QList<int>& indexes, const ExportOptions& options, QString* error = nullptr);
    void openHistoryEntry(qint64 id);
    void copyCandidate(int index);
    // Help → Keyboard shortcuts: every menu action's shortcut, read from the
    // menus (so the sheet cannot go stale), and the keys widgets handle.
    QString shortcutsHtml() const;

    Studio* studio() const { return m_studio; }
    PromptEditor* editor() const { return m_editor; }
    ParamsPanel* params() const { return m_params; }
    CandidateGallery* gallery() const { return m_gallery; }
    HistoryPanel* historyPanel() const { return m_historyPanel; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* tokenLabel() const { return m_tokenLabel; }
    QLabel* layoutLabel() const { return m_layoutLabel; }
    QPushButton* generateButton() const { return m_generateButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }

    void saveState();
    // Opens the model manager (non-modal, deleted on close).
    ModelManagerDialog* openModelManager();
    // Opens the fine-tune wizard on the open model (non-modal; one at a time).
    FinetuneWizard* openFinetuneWizard();
    // Opens the wizard on an unfinished run (run_dir/finetune.json) and
    // continues it from its newest checkpoint; null with `error` set if the
    // plan cannot be read.
    FinetuneWizard* continueFinetune(const QString& runDir, QString* error = nullptr);
    // At start-up: asks about each fine-tune that did not finish (a crash, a
    // power cut, or quitting while it trained): continue, later, or forget.
    void offerUnfinishedRuns();

Q_SIGNALS:
    // Language or device changed: the app rebuilds the window (state is saved).
    void restartRequested();

protected:
    void closeEvent(QCloseEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void buildUi();
    void buildMenus();
    void connectServices();
    void restoreState();
    // A ModelEntry key, as the model manager and the wizard send them.
    void loadModelEntry(const QString& key);
    void loadModel(const ModelEntry& entry);
    void loadStartupModel();
    void onModelChanged(const ModelInfo& info);
    void onTokens(int count, int limit);
    void updateLayoutLabel();
    void onJobStarted(int jobId, const GenerationRequest& request);
    void onProgress(int jobId, int step, int total, double elapsedS, double etaS);
    void onPreview(int jobId, int step, const QList<QImage>& images);
    void onJobFinished(const GenerationOutcome& outcome);
    void updateButtons();
    void showCandidates(const QList<int>& indexes);
    void exportWithDialog(const QList<int>& indexes);
    void openSettings();
    void importWithDialog();
    // `codes`: the picture's codes, written by the model with checksum `codesModel` (empty: encode the picture).
    RedrawDialog* openRedraw(const QImage& picture, const QList<qint64>& codes, const QString& codesModel);
    // Queues `request` (at the front with `front`) and says so in the status bar.
    int enqueue(const GenerationRequest& request, bool front);

    Studio* m_studio;
    PromptEditor* m_editor = nullptr;
    ParamsPanel* m_params = nullptr;
    CandidateGallery* m_gallery = nullptr;
    HistoryPanel* m_historyPanel = nullptr;
    QueuePanel* m_queuePanel = nullptr;
    QLabel* m_tokenLabel = nullptr;
    QLabel* m_entityLabel = nullptr;
    QLabel* m_layoutLabel = nullptr;  // the parts a planned layout will draw the prompt in
    QLabel* m_etaLabel = nullptr;
    QLabel* m_modelLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_generateButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QDockWidget* m_paramsDock = nullptr;
    QDockWidget* m_historyDock = nullptr;
    QDockWidget* m_queueDock = nullptr;
    QTimer m_draftTimer;
    int m_previewJob = -1;
    QPointer<ModelManagerDialog> m_manager;
    QPointer<FinetuneWizard> m_wizard;
};

}  // namespace shenbi::ui
