// Settings (language, device, CPU threads), export options and the model manager.
#pragma once

#include <QDialog>

#include "ui/services/exporter.h"
#include "ui/services/modelcatalogue.h"

class QComboBox;
class QLineEdit;
class QListWidget;
class QLabel;
class QSpinBox;

namespace shenbi::ui {

class ModelService;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);
    QString language() const;  // "" = system
    QString device() const;
    QString precision() const;  // "auto", "fp32", "int8", "bf16"
    int cpuThreads() const;
    void save() const;

private:
    QComboBox* m_language;
    QComboBox* m_device;
    QComboBox* m_precision;
    QSpinBox* m_threads;
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(int count, QWidget* parent = nullptr);
    ExportOptions options() const;
    static ExportOptions savedOptions();
    static void saveOptions(const ExportOptions& options);

private:
    QComboBox* m_format;
    QComboBox* m_scale;
    QComboBox* m_filter;
    QLineEdit* m_template;
    QLineEdit* m_dir;
};

class ModelManagerDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelManagerDialog(ModelService* models, QWidget* parent = nullptr);

    // The catalogue (ui/services/modelcatalogue.h) by its keys, as the list's
    // rows (Qt::UserRole) and loadRequested carry them.
    static QStringList knownModels();
    static void rememberModel(const QString& key);
    static QString bundledModelDir();
    // How the list names an entry: the model's own name (model.json), else
    // its folder's; the path is in the row's tooltip. A key that does not
    // parse is shown as it is.
    static QString entryLabel(const ModelEntry& entry);
    static QString entryLabel(const QString& key);

    // Adding an EasyNLP folder: convert it into a copy under `copyDir` (the
    // question shows the size and the free space), or use it where it is.
    enum class ImportChoice { Copy, InPlace, Cancel };
    static ImportChoice askImport(QWidget* parent, const QString& easyNlpDir, const QString& copyDir);

    // Rebuilds the list (the current model in bold) and the card.
    void refresh();

Q_SIGNALS:
    void loadRequested(const QString& key);  // ModelEntry::key()
    void importRequested(const QString& easyNlpDir);

private:
    void showCard();
    ModelService* m_models;
    QListWidget* m_list;
    QLabel* m_current;
    QLabel* m_card;
};

}  // namespace shenbi::ui
