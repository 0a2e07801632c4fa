#include "ui/wizard/finishpage.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <filesystem>
#include <string>

#include "core/io/model_dir.h"
#include "core/train/finetune_plan.h"
#include "ui/services/modelcatalogue.h"
#include "ui/services/trainingservice.h"
#include "ui/wizard/finetunewizard.h"
#include "ui/wizard/trainingpage.h"

namespace shenbi::ui {

namespace {

// Folder names stay readable in the artist's own script but safe in a shell
// and on every file system.
bool isFolderChar(char32_t c) {
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') || c == U'_' || c == U'-')
        return true;
    switch (QChar::script(c)) {
        case QChar::Script_Han:
        case QChar::Script_Hiragana:
        case QChar::Script_Katakana:
        case QChar::Script_Hangul:
        case QChar::Script_Bopomofo:
            return true;
        default:
            return false;
    }
}

// A run of replaced characters becomes one '-', and none at either end, so
// "base · my photos" gives "base-my-photos".
QString folderName(const QString& name) {
    std::u32string out;
    bool replaced = false;
    for (uint u : name.toUcs4()) {
        const char32_t c = u;
        if (isFolderChar(c)) {
            out.push_back(c);
            replaced = false;
        } else if (!replaced) {
            out.push_back(U'-');
            replaced = true;
        }
    }
    QString folder = QString::fromUcs4(out.data(), qsizetype(out.size()));
    while (folder.startsWith(QLatin1Char('-'))) folder.remove(0, 1);
    while (folder.endsWith(QLatin1Char('-'))) folder.chop(1);
    return folder.isEmpty() ? QStringLiteral("model") : folder;
}

QString toQString(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

std::filesystem::path toPath(const QString& path) {
    return std::filesystem::path(path.toStdString());
}

}  // namespace

FinishPage::FinishPage(FinetuneWizard* wizard, TrainingPage* training)
    : QWizardPage(wizard), m_wizard(wizard), m_training(training) {
    setObjectName(QStringLiteral("finishPage"));
    setTitle(tr("Your model"));
    setSubTitle(tr("Choose the weights to keep and a name; the model then appears in the model manager."));
    setFinalPage(true);
    setButtonText(QWizard::FinishButton, tr("Add to my models"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildChoice());
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("finishError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color:#c0392b"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_error);
    layout->addWidget(buildCommand(), 1);
}

QWidget* FinishPage::buildChoice() {
    auto* box = new QGroupBox(tr("Weights"), this);
    auto* form = new QFormLayout(box);
    m_best = new QRadioButton(box);
    m_best->setObjectName(QStringLiteral("bestRadio"));
    m_last = new QRadioButton(box);
    m_last->setObjectName(QStringLiteral("lastRadio"));
    form->addRow(m_best);
    form->addRow(m_last);

    m_name = new QLineEdit(box);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    form->addRow(tr("Name"), m_name);

    m_openNow = new QCheckBox(tr("Open it in the studio now"), box);
    m_openNow->setObjectName(QStringLiteral("openNowCheck"));
    m_openNow->setChecked(true);
    m_open = new QPushButton(tr("Open in the studio"), box);
    m_open->setObjectName(QStringLiteral("openButton"));
    m_open->setEnabled(false);
    auto* openRow = new QHBoxLayout;
    openRow->addWidget(m_openNow);
    openRow->addStretch(1);
    openRow->addWidget(m_open);
    form->addRow(openRow);

    connect(m_best, &QRadioButton::toggled, this, &FinishPage::completeChanged);
    connect(m_last, &QRadioButton::toggled, this, &FinishPage::completeChanged);
    connect(m_name, &QLineEdit::textChanged, this, [this]() {
        showError(nameProblem());
        Q_EMIT completeChanged();
    });
    connect(m_open, &QPushButton::clicked, this, [this]() {
        if (m_registered) Q_EMIT m_wizard->openRequested(m_registered->key());
    });
    return box;
}

QWidget* FinishPage::buildCommand() {
    auto* box = new QGroupBox(tr("Export as command"), this);
    auto* column = new QVBoxLayout(box);
    auto* note = new QLabel(tr("The same run from a terminal (it resumes from the run's checkpoints):"), box);
    note->setWordWrap(true);
    column->addWidget(note);
    m_command = new QPlainTextEdit(box);
    m_command->setObjectName(QStringLiteral("commandText"));
    m_command->setReadOnly(true);
    column->addWidget(m_command, 1);
    auto* copy = new QPushButton(tr("Copy"), box);
    copy->setObjectName(QStringLiteral("copyCommandButton"));
    column->addWidget(copy, 0, Qt::AlignRight);
    connect(copy, &QPushButton::clicked, this, [this]() { QGuiApplication::clipboard()->setText(command()); });
    return box;
}

void FinishPage::initializePage() {
    const bool has = m_training->hasResult();
    const TrainingResult& r = m_training->result();
    const bool hasBest = has && !r.bestModelDir.isEmpty();
    m_best->setText(
        tr("Lowest validation loss (%1)").arg(hasBest ? QString::number(r.bestValLoss, 'f', 4) : QStringLiteral("–")));
    m_best->setEnabled(hasBest);
    m_last->setText(tr("Last weights (step %1)").arg(has ? r.steps : 0));
    m_last->setEnabled(has && !r.modelDir.isEmpty());
    (hasBest ? m_best : m_last)->setChecked(true);

    // Keep a name the artist typed when they come back to this page.
    if (!m_name->isModified()) m_name->setText(defaultName());
    m_command->setPlainText(
        QString::fromStdString(shenbi::shell_command("shenbi-cli", shenbi::finetune_arguments(m_wizard->plan()))));
    showError(nameProblem());
    m_open->setEnabled(m_registered.has_value());
}

bool FinishPage::isComplete() const {
    return !chosenDir().isEmpty() && nameProblem().isEmpty();
}

bool FinishPage::validatePage() {
    const QString from = chosenDir();
    if (from.isEmpty() || !nameProblem().isEmpty()) return false;
    // Already published (a Finish that was refused later on): do not copy twice.
    if (!m_registered && !publish(from)) return false;
    if (m_openNow->isChecked()) Q_EMIT m_wizard->openRequested(m_registered->key());
    return true;
}

bool FinishPage::publish(const QString& from) {
    const QString root =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("models"));
    if (!QDir().mkpath(root)) {
        showError(tr("Could not create the folder %1").arg(root));
        return false;
    }
    const QString name = m_name->text().trimmed();
    const QString to = targetDir(root, name);
    // Copying a model's weights takes a moment; the wizard waits for it.
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    const shenbi::Status status = shenbi::publish_model_dir(toPath(from), toPath(to), name.toStdString());
    QGuiApplication::restoreOverrideCursor();
    if (!status.ok()) {
        showError(tr("Could not add the model: %1").arg(QString::fromStdString(status.message())));
        return false;
    }
    m_registered = ModelEntry::directory(to);
    modelcatalogue::remember(*m_registered);
    Q_EMIT m_wizard->modelRegistered(m_registered->key());
    m_open->setEnabled(true);
    showError(QString());
    return true;
}

QString FinishPage::command() const {
    return m_command->toPlainText();
}

QString FinishPage::targetDir(const QString& modelsRoot, const QString& name) {
    const QDir root(modelsRoot);
    const QString base = folderName(name);
    QString dir = root.filePath(base);
    for (int n = 2; QFileInfo::exists(dir); ++n) dir = root.filePath(QStringLiteral("%1-%2").arg(base).arg(n));
    return dir;
}

QString FinishPage::defaultName() const {
    const shenbi::FinetunePlan& plan = m_wizard->plan();
    // QDir drops a trailing '/', which would leave QFileInfo an empty name.
    const QString data = plan.folder.empty() ? QFileInfo(toQString(plan.train_tsv)).completeBaseName()
                                             : QDir(toQString(plan.folder)).dirName();
    const QString base = m_wizard->baseModel().id;
    if (data.isEmpty()) return base;
    if (base.isEmpty()) return data;
    return QStringLiteral("%1 · %2").arg(base, data);
}

QString FinishPage::nameProblem() const {
    const QString name = m_name->text().trimmed();
    if (name.isEmpty()) return tr("Give the model a name.");
    if (name.contains(QLatin1Char('/'))) return tr("The name may not contain “/”.");
    return {};
}

QString FinishPage::chosenDir() const {
    if (!m_training->hasResult()) return {};
    const TrainingResult& r = m_training->result();
    if (m_best->isChecked()) return r.bestModelDir;
    if (m_last->isChecked()) return r.modelDir;
    return {};
}

void FinishPage::showError(const QString& text) {
    m_error->setText(text);
}

}  // namespace shenbi::ui
