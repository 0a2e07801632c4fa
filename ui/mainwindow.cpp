#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

#include "ui/i18n.h"
#include "ui/services/generationservice.h"
#include "ui/services/historystore.h"
#include "ui/services/imageconvert.h"
#include "ui/services/knowledgeservice.h"
#include "ui/services/metadata.h"
#include "ui/services/modelcatalogue.h"
#include "ui/services/modelservice.h"
#include "ui/services/studio.h"
#include "ui/services/trainingservice.h"
#include "ui/widgets/aboutdialog.h"
#include "ui/widgets/dialogs.h"
#include "ui/widgets/gallery.h"
#include "ui/widgets/historypanel.h"
#include "ui/widgets/layoutdialog.h"
#include "ui/widgets/paramspanel.h"
#include "ui/widgets/prompteditor.h"
#include "ui/widgets/queuepanel.h"
#include "ui/widgets/redrawdialog.h"
#include "ui/wizard/finetunewizard.h"

namespace shenbi::ui {

namespace {

QString formatSeconds(double s) {
    if (s < 0) return QStringLiteral("–");
    if (s < 60) return MainWindow::tr("%1 s").arg(s, 0, 'f', s < 10 ? 1 : 0);
    return MainWindow::tr("%1 min %2 s").arg(int(s) / 60).arg(int(s) % 60);
}

bool isImageFile(const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    return ext == QStringLiteral("png") || ext == QStringLiteral("jpg") || ext == QStringLiteral("jpeg") ||
           ext == QStringLiteral("webp");
}

}  // namespace

MainWindow::MainWindow(Studio* studio, QWidget* parent) : QMainWindow(parent), m_studio(studio) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Shenbi 神笔 — knowledge-enhanced Chinese text-to-image"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/shenbi.svg")));
    setAcceptDrops(true);
    buildUi();
    buildMenus();
    connectServices();
    restoreState();

    auto* models = m_studio->models();
    if (models->isLoaded()) {
        onModelChanged(models->info());
    } else if (!models->isLoading()) {
        loadStartupModel();
    }
    auto* knowledge = m_studio->knowledge();
    if (!knowledge->isLoaded()) {
        const QString dir = KnowledgeService::defaultGraphDir();
        if (!dir.isEmpty()) {
            QCoro::connect(knowledge->load(dir), this, [this](const QString& error) {
                if (error.isEmpty())
                    m_editor->relinkNow();
                else
                    statusBar()->showMessage(tr("Knowledge graph not loaded: %1").arg(error), 8000);
            });
        }
    }
}

MainWindow::~MainWindow() = default;

// ---------------------------------------------------------------- layout

void MainWindow::buildUi() {
    auto* central = new QWidget(this);
    auto* outer = new QVBoxLayout(central);
    outer->setContentsMargins(8, 8, 8, 4);

    m_editor = new PromptEditor(m_studio->knowledge(), central);
    m_editor->setMinimumHeight(72);
    m_editor->setMaximumHeight(140);
    m_editor->setPromptHistory(m_studio->history()->recentPrompts());

    auto* row = new QHBoxLayout;
    m_tokenLabel = new QLabel(central);
    m_tokenLabel->setObjectName(QStringLiteral("tokenLabel"));
    m_tokenLabel->setMinimumWidth(90);
    m_entityLabel = new QLabel(central);
    m_entityLabel->setObjectName(QStringLiteral("entityLabel"));
    m_entityLabel->setStyleSheet(QStringLiteral("color:#1f6fd1"));
    m_entityLabel->setTextFormat(Qt::PlainText);
    // A long prompt links many names: the label is elided, never wider than
    // the window gives it (it once widened the window to 32,767 px).
    m_entityLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_layoutLabel = new QLabel(central);
    m_layoutLabel->setObjectName(QStringLiteral("layoutLabel"));
    m_layoutLabel->setStyleSheet(QStringLiteral("color:#7a4fb5"));
    m_layoutLabel->setTextFormat(Qt::PlainText);
    m_layoutLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_generateButton = new QPushButton(tr("Generate"), central);
    m_generateButton->setObjectName(QStringLiteral("generateButton"));
    m_generateButton->setDefault(true);
    m_generateButton->setToolTip(tr("Generate (Ctrl+Enter). While a request runs, this adds to the queue."));
    m_generateButton->setMinimumWidth(140);
    m_cancelButton = new QPushButton(tr("Cancel"), central);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    // Not Esc: Esc closes the completion popup and other transient things, and
    // one Esc too many must not throw a running request away.
    m_cancelButton->setToolTip(tr("Stop the running request (Ctrl+.); queued ones stay."));
    row->addWidget(m_tokenLabel);
    row->addWidget(m_entityLabel, 1);
    row->addWidget(m_layoutLabel, 1);
    row->addWidget(m_cancelButton);
    row->addWidget(m_generateButton);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(central);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("%v / %m tokens"));
    m_progress->setMaximumHeight(16);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_etaLabel = new QLabel(central);
    m_etaLabel->setObjectName(QStringLiteral("etaLabel"));
    m_etaLabel->setMinimumWidth(220);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_etaLabel);

    m_gallery = new CandidateGallery(central);

    outer->addWidget(m_editor);
    outer->addLayout(row);
    outer->addLayout(progressRow);
    outer->addWidget(m_gallery, 1);
    setCentralWidget(central);

    m_params = new ParamsPanel(this);
    m_paramsDock = new QDockWidget(tr("Parameters"), this);
    m_paramsDock->setObjectName(QStringLiteral("paramsDock"));
    m_paramsDock->setWidget(m_params);
    addDockWidget(Qt::LeftDockWidgetArea, m_paramsDock);

    m_historyPanel = new HistoryPanel(m_studio->history(), this);
    m_historyDock = new QDockWidget(tr("History"), this);
    m_historyDock->setObjectName(QStringLiteral("historyDock"));
    m_historyDock->setWidget(m_historyPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_historyDock);

    m_queuePanel = new QueuePanel(m_studio->generation(), this);
    m_queueDock = new QDockWidget(tr("Queue"), this);
    m_queueDock->setObjectName(QStringLiteral("queueDock"));
    m_queueDock->setWidget(m_queuePanel);
    addDockWidget(Qt::LeftDockWidgetArea, m_queueDock);

    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    statusBar()->addPermanentWidget(m_modelLabel);
    resize(1280, 820);
    onTokens(0, 0);
    updateButtons();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* import = file->addAction(tr("&Import parameters from image…"), this, &MainWindow::importWithDialog);
    import->setShortcut(QKeySequence::Open);
    QAction* exportSel =
        file->addAction(tr("&Export selected…"), this, [this]() { exportWithDialog(m_gallery->selectedCandidates()); });
    exportSel->setShortcut(QKeySequence::Save);
    file->addAction(tr("Copy image"), this,
                    [this]() {
                        const auto sel = m_gallery->selectedCandidates();
                        if (!sel.isEmpty()) copyCandidate(sel.first());
                    })
        ->setShortcut(QKeySequence::Copy);
    file->addAction(tr("&Redraw a region of an image…"), this, [this]() {
        const QString path = QFileDialog::getOpenFileName(this, tr("Picture to redraw a region of"), QString(),
                                                          tr("Images (*.png *.jpg *.jpeg *.webp *.bmp)"));
        QString error;
        if (!path.isEmpty() && !redrawImageFile(path, &error) && !error.isEmpty())
            QMessageBox::information(this, tr("Redraw a region"), error);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu* gen = menuBar()->addMenu(tr("&Generate"));
    gen->addAction(tr("Generate"), this, [this]() { generate(); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    gen->addAction(tr("Generate next (front of the queue)"), this, [this]() { generate(true); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    gen->addAction(tr("Draw in &parts…"), this, [this]() { openLayoutDialog(); });
    gen->addAction(tr("Cancel running"), this, &MainWindow::cancelCurrent)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    gen->addAction(tr("Cancel all"), m_studio->generation(), &GenerationService::cancelAll);

    QMenu* models = menuBar()->addMenu(tr("&Models"));
    QAction* manager = models->addAction(tr("Model manager…"), this, &MainWindow::openModelManager);
    QAction* finetune = models->addAction(tr("Fine-tune on my images…"), this, &MainWindow::openFinetuneWizard);
    manager->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    finetune->setIcon(style()->standardIcon(QStyle::SP_FileDialogDetailedView));
    QToolBar* bar = addToolBar(tr("Models"));
    bar->setObjectName(QStringLiteral("modelsToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(manager);
    bar->addAction(finetune);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_paramsDock->toggleViewAction());
    view->addAction(m_historyDock->toggleViewAction());
    view->addAction(m_queueDock->toggleViewAction());

    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    settings->addAction(tr("Preferences…"), this, &MainWindow::openSettings)->setShortcut(QKeySequence::Preferences);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Keyboard shortcuts"), this,
                    [this]() {
                        QMessageBox box(QMessageBox::NoIcon, tr("Keyboard shortcuts"), shortcutsHtml(),
                                        QMessageBox::Close, this);
                        box.setTextFormat(Qt::RichText);
                        box.exec();
                    })
        ->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("About Shenbi"), this, [this]() {
        AboutDialog dialog(modelcatalogue::bundledModelDir(), KnowledgeService::defaultGraphDir(), this);
        dialog.exec();
    });
}

void MainWindow::connectServices() {
    auto* gen = m_studio->generation();
    auto* models = m_studio->models();
    connect(m_editor, &PromptEditor::generateRequested, this, [this](bool front) { generate(front); });
    connect(m_editor, &PromptEditor::tokenCountChanged, this, &MainWindow::onTokens);
    connect(m_editor, &PromptEditor::pasteCleaned, this, [this](int removed) {
        statusBar()->showMessage(
            tr("Removed %n invisible or control character(s) from the pasted text.", nullptr, removed), 8000);
    });
    connect(m_editor, &PromptEditor::entitiesChanged, this, [this]() {
        QStringList names;
        for (const auto& s : m_editor->sentSpans()) names << s.name;
        const QString full = names.isEmpty() ? QString() : tr("Knowledge: %1").arg(names.join(QStringLiteral(" · ")));
        m_entityLabel->setToolTip(full);
        m_entityLabel->setText(
            m_entityLabel->fontMetrics().elidedText(full, Qt::ElideRight, std::max(m_entityLabel->width(), 120)));
        updateLayoutLabel();  // unlinking a name turns planning off
    });
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this]() {
        m_draftTimer.start();
        updateLayoutLabel();
    });
    connect(m_params, &ParamsPanel::changed, this, &MainWindow::updateLayoutLabel);
    m_draftTimer.setSingleShot(true);
    m_draftTimer.setInterval(1000);
    connect(&m_draftTimer, &QTimer::timeout, this, [this]() {
        // The unfinished prompt survives a crash, not just a clean exit.
        QSettings().setValue(QStringLiteral("ui/draftPrompt"), m_editor->prompt());
    });
    connect(m_generateButton, &QPushButton::clicked, this, [this]() { generate(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelCurrent);

    connect(models, &ModelService::modelChanged, this, &MainWindow::onModelChanged);
    connect(models, &ModelService::loadingChanged, this, [this](bool loading) {
        if (loading) m_modelLabel->setText(tr("Loading model…"));
        updateButtons();
    });
    connect(models, &ModelService::loadFailed, this, [this](const QString& error) {
        statusBar()->showMessage(tr("Model not loaded: %1").arg(error), 15000);
        if (!m_studio->models()->isLoaded()) m_modelLabel->setText(tr("No model"));
    });

    connect(gen, &GenerationService::jobStarted, this, &MainWindow::onJobStarted);
    connect(gen, &GenerationService::progress, this, &MainWindow::onProgress);
    connect(gen, &GenerationService::preview, this, &MainWindow::onPreview);
    connect(gen, &GenerationService::jobFinished, this, &MainWindow::onJobFinished);
    connect(gen, &GenerationService::queueChanged, this, &MainWindow::updateButtons);

    connect(m_gallery, &CandidateGallery::starToggled, this, [this](qint64 id, int index, bool starred) {
        if (id >= 0) m_studio->history()->setStarred(id, index, starred);
    });
    connect(m_gallery, &CandidateGallery::enlargeRequested, this, [this](int i) { showCandidates({i}); });
    connect(m_gallery, &CandidateGallery::compareRequested, this, &MainWindow::showCandidates);
    connect(m_gallery, &CandidateGallery::exportRequested, this, &MainWindow::exportWithDialog);
    connect(m_gallery, &CandidateGallery::copyRequested, this, &MainWindow::copyCandidate);
    connect(m_gallery, &CandidateGallery::redrawRequested, this, &MainWindow::redrawCandidate);
    connect(m_gallery, &CandidateGallery::useSeedRequested, this, [this](quint64 seed) {
        m_params->setSeed(seed, true);
        statusBar()->showMessage(
            tr("Seed %1 fixed: the same prompt and settings draw these candidates again").arg(seed), 10000);
    });

    connect(m_historyPanel, &HistoryPanel::openRequested, this, &MainWindow::openHistoryEntry);
    connect(m_historyPanel, &HistoryPanel::usePrompt, this,
            [this](const GenerationRecord& r) { recall(r, Recall::Prompt); });
    connect(m_historyPanel, &HistoryPanel::useSeed, this,
            [this](const GenerationRecord& r) { recall(r, Recall::Seed); });
    connect(m_historyPanel, &HistoryPanel::useAll, this, [this](const GenerationRecord& r) { recall(r, Recall::All); });
}

// ---------------------------------------------------------------- models

void MainWindow::loadStartupModel() {
    // Nothing opened before (or a setting this version does not understand):
    // the bundled model, else random weights.
    const std::optional<ModelEntry> last = modelcatalogue::current();
    loadModel(last ? *last : modelcatalogue::defaultEntry());
}

void MainWindow::loadModelEntry(const QString& key) {
    if (const std::optional<ModelEntry> entry = ModelEntry::parse(key))
        loadModel(*entry);
    else
        statusBar()->showMessage(tr("Model not loaded: %1").arg(key), 15000);
}

void MainWindow::loadModel(const ModelEntry& entry) {
    auto* models = m_studio->models();
    QSettings s;
    models->setCpuThreads(s.value(QStringLiteral("model/cpuThreads"), ModelService::defaultCpuThreads()).toInt());
    const QString device = s.value(QStringLiteral("model/device"), QStringLiteral("cpu")).toString();
    const QString precision = s.value(QStringLiteral("model/precision"), QStringLiteral("auto")).toString();
    const auto done = [this, entry](const LoadOutcome& o) {
        if (o.ok) {
            modelcatalogue::setCurrent(entry);
            modelcatalogue::remember(entry);
        }
    };
    if (entry.isRandom()) {
        QCoro::connect(models->loadRandom(entry.preset, kRandomWeightsSeed), this, done);
    } else {
        QCoro::connect(models->loadDirectory(entry.path, device, precision), this, done);
    }
}

void MainWindow::onModelChanged(const ModelInfo& info) {
    auto* models = m_studio->models();
    // The editor links what this model gets: its rule for one-character
    // names, its token limit and its entity cap.
    m_studio->knowledge()->setSingleCharEntities(info.singleCharEntities);
    m_editor->setTokenizer([models](const QString& p) { return models->tokenEnds(p); }, info.textLen, info.maxEntities);
    m_editor->setExamplePrompts(info.examples);
    m_params->setModelInfo(info);
    updateLayoutLabel();
    QString text = tr("Model: %1 · %2 px · %3").arg(info.id).arg(info.resolution).arg(info.device);
    if (!info.precision.isEmpty()) text += QStringLiteral(" · ") + info.precision;
    if (modelcatalogue::isRandomWeights(info)) {
        text += tr(" · random weights");
        statusBar()->showMessage(
            tr("Random weights: the pictures are noise. Open a trained model in Models → Model manager."), 10000);
    } else if (!info.description.isEmpty()) {
        statusBar()->showMessage(info.description, 10000);
    }
    m_modelLabel->setText(text);
    QString tip = tr("Checksum %1\nFusion %2").arg(info.checksum, info.fusion);
    if (!info.description.isEmpty()) tip = info.description + QStringLiteral("\n\n") + tip;
    if (!info.examples.isEmpty())
        tip += QStringLiteral("\n\n") + tr("Draws well: %1").arg(info.examples.mid(0, 5).join(QStringLiteral(" · ")));
    m_modelLabel->setToolTip(tip);
    updateButtons();
}

// ---------------------------------------------------------------- generation

int MainWindow::generate(bool front) {
    const QString prompt = m_editor->prompt().trimmed();
    if (prompt.isEmpty()) {
        statusBar()->showMessage(tr("Type a prompt first."), 4000);
        m_editor->setFocus();
        return -1;
    }
    if (!m_studio->models()->isLoaded()) {
        statusBar()->showMessage(tr("No model is loaded yet."), 4000);
        return -1;
    }
    GenerationRequest request = m_params->takeRequest(prompt);
    request.unlinked = m_editor->unlinkedNames();
    const int id = enqueue(request, front);
    m_editor->pushHistory(prompt);
    return id;
}

int MainWindow::enqueue(const GenerationRequest& request, bool front) {
    auto* generation = m_studio->generation();
    const int id = generation->enqueue(request);
    if (id > 0 && generation->runningJob() != id) {
        if (front && generation->runNext(id))
            statusBar()->showMessage(tr("Queued next (%n waiting).", nullptr, generation->queuedCount()), 4000);
        else
            statusBar()->showMessage(tr("Queued (%n waiting).", nullptr, generation->queuedCount()), 4000);
    }
    return id;
}

RedrawDialog* MainWindow::redrawCandidate(int index) {
    const auto& candidates = m_gallery->candidates();
    if (index < 0 || index >= candidates.size()) return nullptr;
    return openRedraw(candidates[index].image, candidates[index].codes, m_gallery->record().model.checksum);
}

RedrawDialog* MainWindow::redrawImageFile(const QString& path, QString* error) {
    const int side = m_studio->models()->info().resolution;
    if (side <= 0) {
        if (error) *error = tr("No model is loaded yet.");
        return nullptr;
    }
    QString why;
    const QImage picture = readModelPicture(path, side, &why);  // as the model reads pictures
    if (picture.isNull()) {
        if (error) *error = why;
        return nullptr;
    }
    return openRedraw(picture, {}, {});
}

RedrawDialog* MainWindow::openRedraw(const QImage& picture, const QList<qint64>& codes, const QString& codesModel) {
    const ModelInfo info = m_studio->models()->info();
    if (!m_studio->models()->isLoaded() || info.grid <= 0) {
        statusBar()->showMessage(tr("No model is loaded yet."), 4000);
        return nullptr;
    }
    auto* dialog = new RedrawDialog(picture, info.grid, m_editor->prompt().trimmed(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, picture, codes, codesModel]() {
        GenerationRequest request = m_params->takeRequest(dialog->prompt());
        request.redrawPicture = picture;
        request.redrawCodes = codes;
        request.redrawCodesModel = codesModel;
        request.redrawCells = dialog->cells();
        enqueue(request, false);
    });
    dialog->open();
    return dialog;
}

LayoutDialog* MainWindow::openLayoutDialog(const QList<RegionRecord>& parts) {
    const ModelInfo info = m_studio->models()->info();
    if (!m_studio->models()->isLoaded() || info.grid <= 0) {
        statusBar()->showMessage(tr("No model is loaded yet."), 4000);
        return nullptr;
    }
    const QString prompt = m_editor->prompt().trimmed();
    const QRect grid(0, 0, info.grid, info.grid);
    const bool onGrid =
        std::all_of(parts.begin(), parts.end(), [&](const RegionRecord& p) { return grid.contains(p.cells); });
    auto* dialog = new LayoutDialog(
        info.grid, prompt, !parts.isEmpty() && onGrid ? parts : GenerationService::plannedLayout(prompt, info.grid),
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() {
        GenerationRequest request = m_params->takeRequest(dialog->prompt());
        request.regions = dialog->parts();
        enqueue(request, false);
    });
    dialog->open();
    return dialog;
}

void MainWindow::cancelCurrent() {
    const int running = m_studio->generation()->runningJob();
    if (running > 0) {
        m_studio->generation()->cancel(running);
        m_etaLabel->setText(tr("Cancelling…"));
    }
}

void MainWindow::onJobStarted(int jobId, const GenerationRequest& request) {
    m_previewJob = jobId;
    const int total = m_studio->models()->info().imgLen;
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(0);
    m_etaLabel->setText(tr("Starting…"));
    QList<QImage> blank;
    for (int i = 0; i < request.candidates; ++i) blank << QImage();
    m_gallery->showPreview(blank, 0, total);
    updateButtons();
}

void MainWindow::onProgress(int jobId, int step, int total, double elapsedS, double etaS) {
    if (jobId != m_previewJob) return;
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(step);
    m_etaLabel->setText(etaS < 0 ? tr("%1 elapsed · estimating…").arg(formatSeconds(elapsedS))
                                 : tr("%1 elapsed · %2 left").arg(formatSeconds(elapsedS), formatSeconds(etaS)));
}

void MainWindow::onPreview(int jobId, int step, const QList<QImage>& images) {
    if (jobId != m_previewJob) return;
    m_gallery->showPreview(images, step, m_progress->maximum());
}

void MainWindow::onJobFinished(const GenerationOutcome& o) {
    if (o.jobId == m_previewJob) m_previewJob = -1;
    switch (o.status) {
        case JobStatus::Completed:
            m_gallery->setResult(o.record, o.candidates);
            m_progress->setValue(m_progress->maximum());
            m_etaLabel->setText(
                tr("Done in %1 · %2 ms/token").arg(formatSeconds(o.record.seconds)).arg(o.msPerStep, 0, 'f', 1));
            break;
        case JobStatus::Cancelled:
            m_gallery->clearResult();
            m_progress->setValue(0);
            m_etaLabel->setText(tr("Cancelled"));
            break;
        default:
            m_gallery->clearResult();
            m_progress->setValue(0);
            m_etaLabel->setText(tr("Failed"));
            statusBar()->showMessage(tr("Generation failed: %1").arg(o.error), 15000);
            break;
    }
    updateButtons();
}

void MainWindow::updateButtons() {
    auto* gen = m_studio->generation();
    const bool running = gen->runningJob() > 0;
    const int queued = gen->queuedCount();
    m_cancelButton->setEnabled(running);
    m_generateButton->setEnabled(m_studio->models()->isLoaded());
    if (!running)
        m_generateButton->setText(tr("Generate"));
    else if (queued == 0)
        m_generateButton->setText(tr("Add to queue"));
    else
        m_generateButton->setText(tr("Add to queue (%1)").arg(queued));
}

// What Plan the layout will draw the prompt as, before it is generated.
void MainWindow::updateLayoutLabel() {
    const ModelInfo info = m_studio->models()->info();
    QList<RegionRecord> parts;
    // Names unlinked in the editor are sent as given entities, and generate()
    // does not plan over those (each part's prompt would link them again).
    if (m_params->planLayout() && info.grid > 0 && m_editor->unlinkedNames().isEmpty())
        parts = GenerationService::plannedLayout(m_editor->prompt(), info.grid);
    const QString full = layoutSummary(parts);
    m_layoutLabel->setToolTip(full.isEmpty() ? QString()
                                             : full + QStringLiteral("\n") +
                                                   tr("Plan the layout: each part is drawn from its own prompt."));
    m_layoutLabel->setText(
        m_layoutLabel->fontMetrics().elidedText(full, Qt::ElideRight, std::max(m_layoutLabel->width(), 120)));
}

void MainWindow::onTokens(int count, int limit) {
    if (limit <= 0) {
        m_tokenLabel->setText(QString());
        return;
    }
    m_tokenLabel->setText(QStringLiteral("%1/%2").arg(count).arg(limit));
    QString color = QStringLiteral("#555");
    QString tip = tr("Prompt tokens / the model's text length.");
    if (count > limit) {
        color = QStringLiteral("#c0392b");
        tip = tr("Too long: %n token(s) past the limit will be dropped (shown struck out).", nullptr, count - limit);
    } else if (count >= limit * 9 / 10) {
        color = QStringLiteral("#d68910");
        tip = tr("Close to the limit: text after %1 tokens is dropped.").arg(limit);
    }
    m_tokenLabel->setStyleSheet(QStringLiteral("color:%1;font-weight:bold").arg(color));
    m_tokenLabel->setToolTip(tip);
}

// ---------------------------------------------------------------- help

QString MainWindow::shortcutsHtml() const {
    QString rows;
    const auto row = [&rows](const QString& keys, const QString& what) {
        rows += QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;&nbsp;%2</td></tr>")
                    .arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
    };
    for (QAction* menu : menuBar()->actions()) {
        if (!menu->menu()) continue;
        for (QAction* a : menu->menu()->actions()) {
            if (a->shortcut().isEmpty()) continue;
            QString what = menu->text() + QStringLiteral(" → ") + a->text();
            what.remove(QLatin1Char('&'));
            row(a->shortcut().toString(QKeySequence::NativeText), what);
        }
    }
    row(tr("Ctrl+click"), tr("Prompt: cycle through overlapping entities"));
    row(tr("Up / Down"), tr("Prompt: earlier prompts"));
    row(QStringLiteral("S"), tr("Gallery: star or unstar the selected candidates"));
    row(tr("Enter / Space / double-click"), tr("Gallery: enlarge"));
    row(QStringLiteral("Esc"), tr("Close a popup (never cancels a generation)"));
    return QStringLiteral("<table>%1</table>").arg(rows);
}

// ---------------------------------------------------------------- recall, history

void MainWindow::recall(const GenerationRecord& record, Recall what) {
    if (what == Recall::Prompt || what == Recall::All) {
        m_editor->setPrompt(record.request.prompt);
        m_editor->setUnlinkedNames(record.request.unlinked);
    }
    if (what == Recall::Seed) m_params->setSeed(record.request.seed, true);
    if (what == Recall::All) m_params->apply(record.request, true);
    // Parts placed by hand have no place in the panel: they come back in the
    // dialog they were placed in, ready to generate again or change.
    if (what == Recall::All && !record.request.regions.isEmpty() && openLayoutDialog(record.request.regions))
        statusBar()->showMessage(tr("The parts placed by hand are back in Draw in parts…"), 6000);
}

void MainWindow::openHistoryEntry(qint64 id) {
    const auto entry = m_studio->history()->entry(id);
    if (!entry) return;
    m_gallery->setResult(entry->record, m_studio->history()->candidates(id));
}

bool MainWindow::importParameters(const QString& path, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = tr("Cannot read %1").arg(path);
        return false;
    }
    const auto record = metadata::recordFrom(metadata::read(f.readAll()));
    if (!record) {
        if (error) *error = tr("%1 has no generation parameters.").arg(QFileInfo(path).fileName());
        statusBar()->showMessage(tr("%1 has no generation parameters.").arg(QFileInfo(path).fileName()), 6000);
        return false;
    }
    recall(*record, Recall::All);
    QString message = tr("Parameters restored from %1 (Ctrl+Z in the prompt brings the previous text back)")
                          .arg(QFileInfo(path).fileName());
    // A1111 text keeps the first 10 hex digits of the checksum, Shenbi's own record all of them.
    const QString made = record->model.checksum, open = m_studio->models()->info().checksum;
    if (!made.isEmpty() && !open.isEmpty() && !open.startsWith(made))
        message += QStringLiteral(" · ") + tr("made with model %1, not the open one: the same seed draws other images")
                                               .arg(record->model.id.isEmpty() ? made : record->model.id);
    statusBar()->showMessage(message, 10000);
    return true;
}

void MainWindow::importWithDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Image with generation parameters"), QString(),
                                                      tr("Images (*.png *.jpg *.jpeg *.webp)"));
    if (path.isEmpty()) return;
    QString error;
    if (!importParameters(path, &error)) QMessageBox::information(this, tr("Import parameters"), error);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->source()) return;  // our own gallery drags
    for (const QUrl& u : e->mimeData()->urls()) {
        if (u.isLocalFile() && isImageFile(u.toLocalFile())) {
            e->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* e) {
    for (const QUrl& u : e->mimeData()->urls()) {
        if (u.isLocalFile() && isImageFile(u.toLocalFile()) && importParameters(u.toLocalFile())) {
            e->acceptProposedAction();
            return;
        }
    }
}

// ---------------------------------------------------------------- export, view

QStringList MainWindow::exportCandidates(const QList<int>& indexes, const ExportOptions& options, QString* error) {
    QStringList written;
    const auto& candidates = m_gallery->candidates();
    for (int i : indexes) {
        if (i < 0 || i >= candidates.size()) continue;
        QString err;
        const QString path = exportCandidate(m_gallery->record(), candidates[i], options, &err);
        if (path.isEmpty()) {
            if (error) *error = err;
            continue;
        }
        written << path;
    }
    return written;
}

void MainWindow::exportWithDialog(const QList<int>& indexes) {
    if (!m_gallery->hasResult() || indexes.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to export yet."), 4000);
        return;
    }
    ExportDialog dialog(static_cast<int>(indexes.size()), this);
    if (dialog.exec() != QDialog::Accepted) return;
    QString error;
    const QStringList written = exportCandidates(indexes, dialog.options(), &error);
    if (!error.isEmpty()) QMessageBox::warning(this, tr("Export"), error);
    if (!written.isEmpty())
        statusBar()->showMessage(tr("Exported %n image(s) to %1", nullptr, static_cast<int>(written.size()))
                                     .arg(QFileInfo(written.first()).absolutePath()),
                                 8000);
}

void MainWindow::copyCandidate(int index) {
    const auto& c = m_gallery->candidates();
    if (index < 0 || index >= c.size()) return;
    auto* mime = new QMimeData;
    mime->setImageData(c[index].image);
    QString error;
    const QByteArray png =
        encodeForExport(c[index].image, m_gallery->record(), c[index], QStringLiteral("png"), 95, &error);
    if (!png.isEmpty()) mime->setData(QStringLiteral("image/png"), png);
    mime->setText(m_gallery->record().a1111Parameters(c[index].index, c[index].seed));
    QGuiApplication::clipboard()->setMimeData(mime);
    statusBar()->showMessage(tr("Image copied"), 3000);
}

void MainWindow::showCandidates(const QList<int>& indexes) {
    const auto& c = m_gallery->candidates();
    QList<QImage> images;
    QStringList captions;
    for (int i : indexes) {
        if (i < 0 || i >= c.size()) continue;
        images << c[i].image;
        captions << tr("#%1 · seed %2").arg(c[i].index + 1).arg(c[i].seed);
    }
    if (images.isEmpty()) return;
    auto* dialog = new ImageCompareDialog(images, captions, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

// ---------------------------------------------------------------- settings

void MainWindow::openSettings() {
    SettingsDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) return;
    QSettings s;
    const QString oldLanguage = s.value(QStringLiteral("ui/language")).toString();
    const QString oldDevice = s.value(QStringLiteral("model/device"), QStringLiteral("cpu")).toString();
    const QString oldPrecision = s.value(QStringLiteral("model/precision"), QStringLiteral("auto")).toString();
    dialog.save();
    m_studio->models()->setCpuThreads(dialog.cpuThreads());
    const std::optional<ModelEntry> current = modelcatalogue::current();
    const bool reload = dialog.device() != oldDevice || dialog.precision() != oldPrecision;
    if (current && reload && !m_studio->models()->info().dir.isEmpty()) loadModel(*current);
    if (dialog.language() != oldLanguage) {
        applyLanguage(dialog.language());
        saveState();
        Q_EMIT restartRequested();
    }
}

ModelManagerDialog* MainWindow::openModelManager() {
    auto* dialog = new ModelManagerDialog(m_studio->models(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_manager = dialog;
    connect(dialog, &ModelManagerDialog::loadRequested, this, &MainWindow::loadModelEntry);
    const QPointer<ModelManagerDialog> manager(dialog);
    connect(dialog, &ModelManagerDialog::importRequested, this, [this, manager](const QString& dir) {
        const QString out = QDir(m_studio->dataDir()).filePath(QStringLiteral("models/") + QFileInfo(dir).fileName());
        switch (ModelManagerDialog::askImport(manager, dir, out)) {
            case ModelManagerDialog::ImportChoice::Cancel:
                return;
            case ModelManagerDialog::ImportChoice::InPlace: {
                const ModelEntry entry = ModelEntry::directory(dir);
                modelcatalogue::remember(entry);
                if (manager) manager->refresh();
                loadModel(entry);
                return;
            }
            case ModelManagerDialog::ImportChoice::Copy:
                break;
        }
        QCoro::connect(m_studio->models()->importEasyNlp(dir, out), this, [this, out, manager](const LoadOutcome& o) {
            if (!o.ok) return;  // ModelService reports the error
            const ModelEntry entry = ModelEntry::directory(out);
            modelcatalogue::remember(entry);
            modelcatalogue::setCurrent(entry);
            if (manager) manager->refresh();  // listed now, not on the next opening
            statusBar()->showMessage(tr("Imported into %1").arg(out), 8000);
        });
    });
    dialog->show();
    return dialog;
}

void MainWindow::saveState() {
    QSettings s;
    s.setValue(QStringLiteral("ui/geometry"), saveGeometry());
    s.setValue(QStringLiteral("ui/windowState"), QMainWindow::saveState());
    s.setValue(QStringLiteral("ui/draftPrompt"), m_editor->prompt());
    s.setValue(QStringLiteral("ui/unlinked"), m_editor->unlinkedNames());
    m_params->saveSettings();
}

void MainWindow::restoreState() {
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("ui/geometry")).toByteArray());
    // A geometry saved on a larger screen (or a runaway one) is clamped to this screen.
    if (const QScreen* screen = this->screen()) {
        const QRect avail = screen->availableGeometry();
        if (width() > avail.width() || height() > avail.height()) {
            resize(size().boundedTo(avail.size()));
            move(avail.topLeft());
        }
    }
    QMainWindow::restoreState(s.value(QStringLiteral("ui/windowState")).toByteArray());
    m_params->restoreSettings();
    const QString draft = s.value(QStringLiteral("ui/draftPrompt")).toString();
    if (!draft.isEmpty()) {
        m_editor->setPrompt(draft);
        m_editor->document()->clearUndoRedoStacks();  // Ctrl+Z must not empty the restored draft
        m_editor->setUnlinkedNames(s.value(QStringLiteral("ui/unlinked")).toStringList());
    }
}

FinetuneWizard* MainWindow::openFinetuneWizard() {
    if (m_wizard) {
        m_wizard->raise();
        m_wizard->activateWindow();
        return m_wizard;
    }
    TrainingService* training = m_studio->training();
    auto* wizard = new FinetuneWizard(training, m_studio->models()->info(), this);
    wizard->setWindowFlag(Qt::Window);
    // A run still going (its window was closed, or rebuilt by a language
    // switch): the new window shows that run instead of starting another.
    if (training->isRunning()) wizard->continueRun(training->plan());
    connect(wizard, &FinetuneWizard::modelRegistered, this, [this](const QString&) {
        if (m_manager) m_manager->refresh();
    });
    connect(wizard, &FinetuneWizard::openRequested, this, &MainWindow::loadModelEntry);
    m_wizard = wizard;
    wizard->show();
    return wizard;
}

FinetuneWizard* MainWindow::continueFinetune(const QString& runDir, QString* error) {
    auto plan = load_plan(plan_path(runDir.toStdString()));
    if (!plan) {
        if (error) *error = QString::fromStdString(plan.message());
        return nullptr;
    }
    if (m_studio->training()->isRunning()) {
        if (error) *error = tr("A fine-tune is already running.");
        return nullptr;
    }
    if (m_wizard) {
        m_wizard->close();  // deleted later (WA_DeleteOnClose): forget it now, so a new one opens
        m_wizard = nullptr;
    }
    FinetuneWizard* wizard = openFinetuneWizard();
    wizard->continueRun(*plan);
    return wizard;
}

void MainWindow::offerUnfinishedRuns() {
    for (const QString& dir : TrainingService::unfinishedRuns()) {
        QMessageBox box(QMessageBox::Question, tr("Unfinished fine-tune"),
                        tr("A fine-tune did not finish:\n%1\n\nContinue it from its last checkpoint, with the "
                           "same settings?")
                            .arg(QDir::toNativeSeparators(dir)),
                        QMessageBox::NoButton, this);
        QPushButton* resume = box.addButton(tr("Continue"), QMessageBox::AcceptRole);
        box.addButton(tr("Later"), QMessageBox::RejectRole);
        QPushButton* forget = box.addButton(tr("Forget it"), QMessageBox::DestructiveRole);
        box.exec();
        if (box.clickedButton() == forget) TrainingService::forgetRun(dir);
        if (box.clickedButton() != resume) continue;
        QString error;
        if (!continueFinetune(dir, &error)) QMessageBox::warning(this, tr("Cannot continue the fine-tune"), error);
        return;  // one run at a time
    }
}

void MainWindow::closeEvent(QCloseEvent* e) {
    // Both questions before anything is cancelled: a No to the second keeps the fine-tune running.
    const bool fineTuning = m_studio->training()->isRunning();
    if (fineTuning &&
        QMessageBox::question(this, tr("Quit while fine-tuning?"),
                              tr("A fine-tune is running. Quit? It is kept at its last checkpoint, and Shenbi "
                                 "offers to continue it the next time it starts."),
                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes) {
        e->ignore();
        return;
    }
    // Closing throws away the running request and the queue: ask first.
    if (auto* gen = m_studio->generation(); gen->isBusy()) {
        const int queued = gen->queuedCount();
        const QString text =
            queued > 0 ? tr("A request is running, with %n more in the queue. Quit and cancel them?", nullptr, queued)
                       : tr("A request is running. Quit and cancel it?");
        if (QMessageBox::question(this, tr("Quit while generating?"), text, QMessageBox::Yes | QMessageBox::No,
                                  QMessageBox::No) != QMessageBox::Yes) {
            e->ignore();
            return;
        }
        gen->cancelAll();
    }
    if (fineTuning) m_studio->training()->cancel();
    saveState();
    QMainWindow::closeEvent(e);
}

}  // namespace shenbi::ui
