#include "ui/wizard/datapage.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPalette>
#include <QPixmap>
#include <QPushButton>
#include <QRadioButton>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>
#include <algorithm>
#include <filesystem>
#include <optional>
#include <utility>

#include <QtConcurrent/QtConcurrentRun>

#include "core/data/train_data.h"
#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/text/tokenizer.h"
#include "core/util/guard.h"
#include "ui/wizard/finetunewizard.h"

namespace shenbi::ui {

namespace {

constexpr int kThumbnailSize = 72;

std::filesystem::path toPath(const QString& path) {
    return std::filesystem::path(path.toStdString());
}
QString fromPath(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

QStringList toQt(const std::vector<std::string>& lines) {
    QStringList out;
    for (const std::string& line : lines) out << QString::fromStdString(line);
    return out;
}

int percentOf(double fraction) {
    return qBound(0, qRound(fraction * 100), 50);
}

// What the base model tells the check: its vocabulary (to count caption
// tokens), text length and resolution. Any of it may be missing (a random
// model, an EasyNLP folder without model.json); the check runs without it.
struct BaseModelHints {
    std::optional<shenbi::BertTokenizer> tokenizer;
    int textLen = 0;
    int resolution = 0;
};

BaseModelHints readBaseModel(const QString& baseDir) {
    BaseModelHints hints;
    if (baseDir.isEmpty()) return hints;
    const std::filesystem::path dir = toPath(wizardModelFilesDir(baseDir));
    if (auto tokenizer = shenbi::BertTokenizer::from_file(dir / "vocab.txt"))
        hints.tokenizer = std::move(tokenizer).value();
    if (auto config = shenbi::read_model_config(dir)) {
        hints.textLen = config->gpt.text_len;
        hints.resolution = config->vqgan.resolution;
    }
    return hints;
}

// Read and scaled on the worker: a folder of large photos would stall the
// window otherwise. Small images stay as they are (views do not upscale icons).
QImage loadThumbnail(const QString& path) {
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kThumbnailSize || size.height() > kThumbnailSize))
        reader.setScaledSize(size.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    return reader.read();
}

CheckedImage toChecked(const shenbi::FolderItem& item, const QDir& folder) {
    CheckedImage c;
    c.image = fromPath(item.image);
    c.captionFile = fromPath(item.caption_file);
    c.name = folder.relativeFilePath(c.image);
    c.caption = QString::fromStdString(item.caption);
    c.problems = toQt(item.problems);
    c.warnings = toQt(item.warnings);
    c.width = item.width;
    c.height = item.height;
    c.usable = item.usable();
    if (item.width > 0) c.thumbnail = loadThumbnail(c.image);
    return c;
}

// The worker's whole job, in Qt types. Never throws: nothing may cross the QFuture.
FolderCheck checkFolder(const QString& folder, const QString& baseDir) {
    FolderCheck out;
    out.folder = folder;
    try {
        const BaseModelHints hints = readBaseModel(baseDir);
        shenbi::FolderCheckOptions options;
        options.tokenizer = hints.tokenizer ? &*hints.tokenizer : nullptr;
        options.text_len = hints.textLen;
        options.resolution = hints.resolution;
        const auto report = shenbi::check_image_folder(toPath(folder), options);
        if (!report) {
            out.error = QString::fromStdString(report.message());
            return out;
        }
        out.sizes = QString::fromStdString(report->sizes);
        const QDir dir(folder);
        for (const shenbi::FolderItem& item : report->items) out.images.append(toChecked(item, dir));
    } catch (...) {
        out.error = QString::fromStdString(shenbi::current_exception_message());
        out.images.clear();
    }
    return out;
}

// Why an image is left out; an emptied caption (an edit) counts as the check would count it.
QStringList leftOutReasons(const CheckedImage& image) {
    if (image.usable || !image.problems.isEmpty()) return image.problems;
    return {DataPage::tr("the caption is empty")};
}

QString countsLine(const FolderCheck& check) {
    const auto total = static_cast<int>(check.images.size());
    const int usable = check.usableCount();
    QString text = DataPage::tr("%n image(s), %1 usable, %2 left out", nullptr, total).arg(usable).arg(total - usable);
    if (!check.sizes.isEmpty()) {
        text += QLatin1Char('\n');
        text += DataPage::tr("Sizes: %1").arg(check.sizes);
    }
    return text;
}

void pickTsv(QWidget* parent, QLineEdit* edit, const QString& title) {
    const QString file =
        QFileDialog::getOpenFileName(parent, title, edit->text(), DataPage::tr("TSV files (*.tsv);;All files (*)"));
    if (!file.isEmpty()) edit->setText(file);
}

QListWidget* makeThumbnailList(QWidget* parent) {
    auto* list = new QListWidget(parent);
    list->setObjectName(QStringLiteral("thumbnailList"));
    list->setViewMode(QListView::IconMode);
    list->setIconSize(QSize(kThumbnailSize, kThumbnailSize));
    list->setGridSize(QSize(kThumbnailSize + 56, kThumbnailSize + 40));
    list->setResizeMode(QListView::Adjust);
    list->setMovement(QListView::Static);  // the order is the folder's; dragging would suggest otherwise
    list->setWordWrap(true);
    return list;
}

}  // namespace

int FolderCheck::usableCount() const {
    return static_cast<int>(
        std::count_if(images.begin(), images.end(), [](const CheckedImage& image) { return image.usable; }));
}

// ---------------------------------------------------------------- layout

DataPage::DataPage(FinetuneWizard* wizard) : QWizardPage(wizard), m_wizard(wizard) {
    setTitle(tr("Your images"));
    setSubTitle(tr("The pictures to train on, each with a caption: what you would type to get it."));
    m_error = wizardErrorLabel(this);
    m_error->setObjectName(QStringLiteral("dataError"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildSourceBox());
    layout->addWidget(m_error);
    layout->addWidget(buildFolderPanel(), 1);
    layout->addWidget(buildTsvPanel());
    showSource();
    refreshReport();
}

QWidget* DataPage::buildSourceBox() {
    auto* box = new QGroupBox(tr("Source"), this);
    m_folderRadio = new QRadioButton(tr("A folder of images with same-named .txt captions"), box);
    m_tsvRadio = new QRadioButton(tr("EasyNLP TSV files"), box);
    m_folderRadio->setObjectName(QStringLiteral("folderRadio"));
    m_tsvRadio->setObjectName(QStringLiteral("tsvRadio"));
    m_folderRadio->setChecked(true);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(m_folderRadio);
    layout->addWidget(m_tsvRadio);
    connect(m_folderRadio, &QRadioButton::toggled, this, &DataPage::showSource);
    return box;
}

QWidget* DataPage::buildFolderPanel() {
    m_folderPanel = new QWidget(this);
    m_folderEdit = new QLineEdit(m_folderPanel);
    m_folderEdit->setObjectName(QStringLiteral("folderEdit"));
    m_summary = new QLabel(m_folderPanel);
    m_summary->setObjectName(QStringLiteral("dataSummary"));
    m_summary->setWordWrap(true);
    m_thumbnailList = makeThumbnailList(m_folderPanel);
    m_reportList = new QListWidget(m_folderPanel);
    m_reportList->setObjectName(QStringLiteral("reportList"));
    auto* form = new QFormLayout;
    form->addRow(tr("Folder"), withBrowse(m_folderEdit, &DataPage::browseFolder));
    auto* layout = new QVBoxLayout(m_folderPanel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(
        new QLabel(tr("Double-click a caption to correct it: it is saved to its .txt file."), m_folderPanel));
    layout->addWidget(m_thumbnailList, 3);
    layout->addWidget(m_reportList, 1);
    layout->addLayout(buildSplitRow());
    connect(m_folderEdit, &QLineEdit::editingFinished, this, [this]() {
        if (m_folderEdit->text().trimmed() != m_requestedFolder) startCheck();
    });
    connect(m_folderEdit, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    connect(m_thumbnailList, &QListWidget::itemChanged, this, &DataPage::onCaptionEdited);
    return m_folderPanel;
}

QWidget* DataPage::buildTsvPanel() {
    m_tsvPanel = new QWidget(this);
    m_trainTsvEdit = new QLineEdit(m_tsvPanel);
    m_trainTsvEdit->setObjectName(QStringLiteral("trainTsvEdit"));
    m_valTsvEdit = new QLineEdit(m_tsvPanel);
    m_valTsvEdit->setObjectName(QStringLiteral("valTsvEdit"));
    m_valTsvEdit->setPlaceholderText(tr("Optional"));
    auto* form = new QFormLayout(m_tsvPanel);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Training"), withBrowse(m_trainTsvEdit, &DataPage::browseTrainTsv));
    form->addRow(tr("Validation"), withBrowse(m_valTsvEdit, &DataPage::browseValTsv));
    connect(m_trainTsvEdit, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    return m_tsvPanel;
}

QLayout* DataPage::buildSplitRow() {
    m_valPercent = new QSpinBox(m_folderPanel);
    m_valPercent->setObjectName(QStringLiteral("valPercent"));
    m_valPercent->setRange(0, 50);
    m_valPercent->setSuffix(QStringLiteral(" %"));
    m_valPercent->setValue(percentOf(m_wizard->plan().val_fraction));
    m_valPercent->setToolTip(tr("Images held out to measure how well training generalises; they are not trained on."));
    m_splitLabel = new QLabel(m_folderPanel);
    m_splitLabel->setObjectName(QStringLiteral("splitLabel"));
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Hold out for validation"), m_folderPanel));
    row->addWidget(m_valPercent);
    row->addWidget(m_splitLabel, 1);
    connect(m_valPercent, &QSpinBox::valueChanged, this, &DataPage::refreshSplit);
    return row;
}

QLayout* DataPage::withBrowse(QLineEdit* edit, void (DataPage::*browse)()) {
    auto* row = new QHBoxLayout;
    auto* button = new QPushButton(tr("Browse…"), edit->parentWidget());
    row->addWidget(edit, 1);
    row->addWidget(button);
    connect(button, &QPushButton::clicked, this, browse);
    return row;
}

void DataPage::browseFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Folder of images and captions"), m_folderEdit->text());
    if (!dir.isEmpty()) setFolder(dir);
}

void DataPage::browseTrainTsv() {
    pickTsv(this, m_trainTsvEdit, tr("Training TSV"));
}

void DataPage::browseValTsv() {
    pickTsv(this, m_valTsvEdit, tr("Validation TSV"));
}

// ---------------------------------------------------------------- plan

void DataPage::initializePage() {
    loadPlan();
}

// What the plan already holds (a restored run, Back and Next again).
void DataPage::loadPlan() {
    const shenbi::FinetunePlan& plan = m_wizard->plan();
    m_valPercent->setValue(percentOf(plan.val_fraction));
    if (plan.folder.empty() && !plan.train_tsv.empty()) {
        m_tsvRadio->setChecked(true);
        m_trainTsvEdit->setText(fromPath(plan.train_tsv));
        m_valTsvEdit->setText(fromPath(plan.val_tsv));
    } else if (!plan.folder.empty() && fromPath(plan.folder) != m_requestedFolder) {
        setFolder(fromPath(plan.folder));
    }
}

bool DataPage::folderMode() const {
    return m_folderRadio->isChecked();
}

void DataPage::showSource() {
    m_folderPanel->setVisible(folderMode());
    m_tsvPanel->setVisible(!folderMode());
    Q_EMIT completeChanged();
}

bool DataPage::isComplete() const {
    if (!folderMode()) return QFileInfo(m_trainTsvEdit->text().trimmed()).isFile();
    // The folder shown must be the one checked: a path typed since has not been.
    return !m_checking && m_check.error.isEmpty() && !m_check.folder.isEmpty() &&
           m_check.folder == m_folderEdit->text().trimmed() && m_check.usableCount() >= 1;
}

bool DataPage::validatePage() {
    shenbi::FinetunePlan& plan = m_wizard->plan();
    plan.val_fraction = m_valPercent->value() / 100.0;
    if (folderMode()) {
        plan.folder = toPath(m_check.folder);
        plan.train_tsv.clear();
        plan.val_tsv.clear();
    } else {
        plan.folder.clear();
        plan.train_tsv = toPath(m_trainTsvEdit->text().trimmed());
        plan.val_tsv = toPath(m_valTsvEdit->text().trimmed());
    }
    return true;
}

// ---------------------------------------------------------------- check

void DataPage::setFolder(const QString& dir) {
    m_folderRadio->setChecked(true);
    m_folderEdit->setText(dir);
    startCheck();
}

void DataPage::startCheck() {
    const QString folder = m_folderEdit->text().trimmed();
    m_requestedFolder = folder;
    m_check = FolderCheck{};
    m_checking = !folder.isEmpty();
    setError({});
    showThumbnails();
    refreshReport();
    Q_EMIT completeChanged();
    if (m_checking) runCheck(++m_checkId, folder);
}

void DataPage::runCheck(int id, const QString& folder) {
    const QString baseDir = m_wizard->baseModel().dir;
    auto* watcher = new QFutureWatcher<FolderCheck>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id]() {
        watcher->deleteLater();
        if (id == m_checkId) showCheck(watcher->result());  // a newer check replaced this one otherwise
    });
    watcher->setFuture(QtConcurrent::run([folder, baseDir]() { return checkFolder(folder, baseDir); }));
}

void DataPage::showCheck(const FolderCheck& check) {
    m_check = check;
    m_checking = false;
    if (!check.error.isEmpty())
        setError(tr("Cannot check the folder %1: %2").arg(QDir::toNativeSeparators(check.folder), check.error));
    showThumbnails();
    refreshReport();
    Q_EMIT completeChanged();
}

void DataPage::setError(const QString& text) {
    wizardShowError(m_error, text);
}

// ---------------------------------------------------------------- thumbnails

void DataPage::showThumbnails() {
    const QSignalBlocker blocker(m_thumbnailList);  // filling the list is no caption edit
    m_thumbnailList->clear();
    const QIcon placeholder = style()->standardIcon(QStyle::SP_FileIcon);
    for (qsizetype i = 0; i < m_check.images.size(); ++i) {
        const CheckedImage& image = m_check.images.at(i);
        auto* item = new QListWidgetItem(image.caption, m_thumbnailList);
        item->setIcon(image.thumbnail.isNull() ? placeholder : QIcon(QPixmap::fromImage(image.thumbnail)));
        item->setData(Qt::UserRole, static_cast<int>(i));
        // Only what trains can be corrected here; a missing caption file is made outside.
        if (image.usable) item->setFlags(item->flags() | Qt::ItemIsEditable);
        styleThumbnail(item, image);
    }
}

void DataPage::styleThumbnail(QListWidgetItem* item, const CheckedImage& image) {
    item->setToolTip(QStringLiteral("%1\n%2").arg(QDir::toNativeSeparators(image.image), image.caption));
    item->setForeground(palette().brush(image.usable ? QPalette::Active : QPalette::Disabled, QPalette::Text));
}

void DataPage::setThumbnailText(QListWidgetItem* item, const QString& text) {
    const QSignalBlocker blocker(m_thumbnailList);
    item->setText(text);
}

void DataPage::onCaptionEdited(QListWidgetItem* item) {
    const int index = item->data(Qt::UserRole).toInt();
    if (index < 0 || index >= m_check.images.size()) return;
    CheckedImage& image = m_check.images[index];
    const QString caption = wizardOneLine(item->text());
    if (caption != item->text()) setThumbnailText(item, caption);
    if (caption == image.caption) return;
    if (!saveCaption(image, caption)) {
        setThumbnailText(item, image.caption);
        return;
    }
    image.caption = caption;
    image.usable = image.problems.isEmpty() && !caption.isEmpty();
    image.warnings.clear();  // they counted the old caption's tokens; the next check counts the new one
    {
        const QSignalBlocker blocker(m_thumbnailList);
        styleThumbnail(item, image);
    }
    refreshReport();
    Q_EMIT completeChanged();
}

bool DataPage::saveCaption(const CheckedImage& image, const QString& caption) {
    const QString error = wizardSaveFile(image.captionFile, caption.toUtf8() + '\n');
    setError(error.isEmpty() ? QString()
                             : tr("Cannot save the caption of %1 to %2: %3")
                                   .arg(image.name, QDir::toNativeSeparators(image.captionFile), error));
    return error.isEmpty();
}

// ---------------------------------------------------------------- report

void DataPage::refreshReport() {
    m_reportList->clear();
    for (const CheckedImage& image : std::as_const(m_check.images)) {
        for (const QString& reason : leftOutReasons(image))
            addReportRow(tr("Left out: %1: %2").arg(image.name, reason), image.image, true);
        for (const QString& warning : image.warnings)
            addReportRow(tr("Warning: %1: %2").arg(image.name, warning), image.image, false);
    }
    refreshSummary();
    refreshSplit();
}

void DataPage::addReportRow(const QString& text, const QString& path, bool problem) {
    const QIcon icon = style()->standardIcon(problem ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxInformation);
    auto* item = new QListWidgetItem(icon, text, m_reportList);
    item->setToolTip(QDir::toNativeSeparators(path));
}

void DataPage::refreshSummary() {
    const QString folder = QDir::toNativeSeparators(m_requestedFolder);
    QString text;
    if (m_checking)
        text = tr("Checking %1…").arg(folder);
    else if (m_check.folder.isEmpty() || !m_check.error.isEmpty())
        text.clear();  // nothing checked yet, or the error label says why not
    else if (m_check.images.isEmpty())
        text = tr("No images (png, jpg, jpeg, webp, bmp) in %1.").arg(folder);
    else
        text = countsLine(m_check);
    m_summary->setText(text);
}

// The split split_folder_tables will make (the same validation_count).
void DataPage::refreshSplit() {
    const int usable = m_check.usableCount();
    const auto held = static_cast<int>(shenbi::validation_count(usable, m_valPercent->value() / 100.0));
    m_splitLabel->setText(tr("%1 for training, %2 for validation").arg(usable - held).arg(held));
}

// ---------------------------------------------------------------- accessors

QStringList DataPage::reportLines() const {
    QStringList lines;
    for (int i = 0; i < m_reportList->count(); ++i) lines << m_reportList->item(i)->text();
    return lines;
}

int DataPage::usableCount() const {
    return m_check.usableCount();
}

QStringList DataPage::captions() const {
    QStringList out;
    for (const CheckedImage& image : m_check.images)
        if (image.usable) out << image.caption;
    return out;
}

// ---------------------------------------------------------------- shared helpers

QString wizardModelFilesDir(const QString& dir) {
    const std::filesystem::path path = toPath(dir);
    if (!shenbi::is_lora_dir(path)) return dir;
    auto info = shenbi::read_lora_dir_info(path);
    return info && !info->base_model.empty() ? QString::fromStdString(info->base_model.string()) : dir;
}

QString wizardOneLine(QString text) {
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text.trimmed();
}

QString wizardSaveFile(const QString& file, const QByteArray& bytes) {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly)) return out.errorString();
    if (out.write(bytes) != bytes.size()) {
        const QString error = out.errorString();
        out.cancelWriting();
        return error;
    }
    return out.commit() ? QString() : out.errorString();
}

QLabel* wizardErrorLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);                        // file names and core messages are not HTML
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);  // so a path can be copied
    label->setStyleSheet(QStringLiteral("color:#c0392b"));
    label->hide();
    return label;
}

void wizardShowError(QLabel* label, const QString& text) {
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

}  // namespace shenbi::ui
