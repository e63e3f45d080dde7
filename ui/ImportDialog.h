#pragma once

// File → Import… (issue 3 item 4): choose files and folders (or drop them on the dialog or the
// main window), import them into the open cache with an ImportJob on a worker thread, show the
// progress in bytes with a Cancel button, then what was imported and what was rejected, file by
// file. The job opens its own CacheWriter on the cache path (the session only reads); when it
// ends, imported() tells the window to reload the session so the panes show the new data.

#include "import/Importer.h"

#include <QDialog>
#include <QStringList>
#include <QThreadPool>

#include <memory>
#include <optional>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace rootline {

class ImportJob;

class ImportDialog final : public QDialog {
    Q_OBJECT
public:
    explicit ImportDialog(const QString& cachePath, QWidget* parent = nullptr);
    ~ImportDialog() override; // cancels a running import and waits for its worker

    // The job API (also what the buttons call): inputs to import, start, cancel.
    void addInputs(const QStringList& paths);
    QStringList inputs() const;
    // Starts importing the inputs on a worker; false when there is nothing to import or a job runs.
    bool start();
    void cancel();
    bool isRunning() const { return m_job != nullptr; }
    // The last finished import.
    const std::optional<ImportSummary>& summary() const { return m_summary; }
    QString errorText() const { return m_error; }
    QTreeWidget* resultView() const { return m_results; }

signals:
    // The import ended (finished, failed or cancelled); `changed` when records were stored.
    void finished(bool changed);
    // Records were stored: the session should reload.
    void imported();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void reject() override; // Esc / Close while running cancels instead of leaving the job orphaned

private:
    void pollProgress();
    void onDone(std::optional<ImportSummary> summary, QString error);
    void showSummary(const ImportSummary& summary);
    void updateButtons();

    QString m_cachePath;
    QListWidget* m_inputs;
    QPushButton* m_addFiles;
    QPushButton* m_addFolder;
    QPushButton* m_remove;
    QPushButton* m_start;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTreeWidget* m_results;
    QDialogButtonBox* m_buttons;
    QTimer* m_timer;
    QThreadPool m_pool;
    std::shared_ptr<ImportJob> m_job;
    std::optional<ImportSummary> m_summary;
    QString m_error;
};

} // namespace rootline
