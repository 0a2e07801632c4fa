// The fine-tune wizard's first page: where the images come from.
//
// A folder of images with same-named .txt captions is checked off the GUI
// thread by the core's check_image_folder (with the base model's tokenizer,
// text length and resolution, so the report warns about what training will
// cut), and shown as a report (what is left out and why, naming each file)
// and as thumbnails whose captions can be corrected in place: an edit is
// saved to the image's .txt at once, so the folder stays the one truth that
// `shenbi-cli finetune` reads too. EasyNLP TSV files are taken as they are.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWizardPage>

class QLabel;
class QLayout;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QRadioButton;
class QSpinBox;

namespace shenbi::ui {

class FinetuneWizard;

// One image of a checked folder: the core's FolderItem in Qt types, made on
// the worker thread (thumbnail included) so the GUI thread only shows it.
struct CheckedImage {
    QString image;              // as the check found it, under the folder
    QString captionFile;        // the same-named .txt
    QString name;               // relative to the folder: what report rows show
    QString caption;            // one line
    QStringList problems;       // why the check left it out (the core's words)
    QStringList warnings;       // it trains, but (e.g. a caption longer than the text context)
    int width = 0, height = 0;  // 0 when the image cannot be decoded
    QImage thumbnail;           // fits 72 x 72; null when Qt cannot read the file
    bool usable = false;        // no problems and a non-empty caption (edits change it)
};

struct FolderCheck {
    QString folder;
    QString error;  // the check failed as a whole (e.g. not a folder); images empty then
    QString sizes;  // FolderReport::sizes: image sizes and what training does with them
    QList<CheckedImage> images;
    int usableCount() const;
};

class DataPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DataPage(FinetuneWizard* wizard);

    // Switches to the folder source, shows `dir` and checks it (off the GUI thread).
    void setFolder(const QString& dir);
    bool isChecking() const { return m_checking; }

    // For tests and the knowledge page.
    QStringList reportLines() const;  // the report list's rows
    int usableCount() const;
    QStringList captions() const;  // of the usable images, in folder order

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

private:
    QWidget* buildSourceBox();
    QWidget* buildFolderPanel();
    QWidget* buildTsvPanel();
    QLayout* buildSplitRow();
    QLayout* withBrowse(QLineEdit* edit, void (DataPage::*browse)());
    void browseFolder();
    void browseTrainTsv();
    void browseValTsv();
    void loadPlan();
    void showSource();
    bool folderMode() const;

    void startCheck();
    void runCheck(int id, const QString& folder);
    void showCheck(const FolderCheck& check);
    void showThumbnails();
    void styleThumbnail(QListWidgetItem* item, const CheckedImage& image);
    void setThumbnailText(QListWidgetItem* item, const QString& text);
    void onCaptionEdited(QListWidgetItem* item);
    bool saveCaption(const CheckedImage& image, const QString& caption);
    void refreshReport();
    void addReportRow(const QString& text, const QString& path, bool problem);
    void refreshSummary();
    void refreshSplit();
    void setError(const QString& text);

    FinetuneWizard* m_wizard;
    QRadioButton* m_folderRadio = nullptr;
    QRadioButton* m_tsvRadio = nullptr;
    QWidget* m_folderPanel = nullptr;
    QWidget* m_tsvPanel = nullptr;
    QLineEdit* m_folderEdit = nullptr;
    QLineEdit* m_trainTsvEdit = nullptr;
    QLineEdit* m_valTsvEdit = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_splitLabel = nullptr;
    QListWidget* m_reportList = nullptr;
    QListWidget* m_thumbnailList = nullptr;
    QSpinBox* m_valPercent = nullptr;

    FolderCheck m_check;        // the latest finished check, with the caption edits since
    QString m_requestedFolder;  // the folder of the latest check started
    int m_checkId = 0;          // a finished check that is not the latest is dropped
    bool m_checking = false;
};

// Small pieces the wizard's pages share.
// `text` as one line, as the core reads captions: tabs and line breaks become spaces, trimmed.
QString wizardOneLine(QString text);
// The folder holding a model's files (model.json, vocab.txt): `dir` itself,
// or the base model of a LoRA adapter folder.
QString wizardModelFilesDir(const QString& dir);
// Writes `bytes` to `file` atomically (QSaveFile); empty on success, else why not.
QString wizardSaveFile(const QString& file, const QByteArray& bytes);
// A red, word-wrapped label for errors; wizardShowError() hides it while empty.
QLabel* wizardErrorLabel(QWidget* parent);
void wizardShowError(QLabel* label, const QString& text);

}  // namespace shenbi::ui
