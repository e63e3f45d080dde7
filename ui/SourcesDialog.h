#pragma once

// Settings → Data sources (issue 4 item 8): lists the sources of the sources file, adds, edits and
// removes them (SourceEditor), saves the file (only *_env / keyring references: no secret is ever
// shown or written), and tests a source's connection through the connector factory on a worker.

#include "sources/Source.h"

#include <QDialog>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace rootline {

class SourcesDialog final : public QDialog {
    Q_OBJECT
public:
    // `path`: the sources file; a file that does not exist yet is an empty list.
    explicit SourcesDialog(const QString& path, QWidget* parent = nullptr);
    ~SourcesDialog() override; // waits for a connection test in flight

    Status load();
    Status save();
    const std::vector<Source>& sources() const { return m_sources; }
    // index < 0 adds. A name already used by another source is an error.
    Status setSource(int index, const Source& source);
    void removeSource(int index);
    // Resolves the source's secrets, makes its connector and calls testConnection() on a worker;
    // tested() reports the outcome (never a secret).
    void testSource(int index);
    bool isDirty() const { return m_dirty; }
    QTreeWidget* view() const { return m_view; }
    QString statusText() const;

signals:
    void tested(int index, bool ok, const QString& message);

private:
    void refresh();
    int currentIndex() const;
    void edit(int index);

    QString m_path;
    std::vector<Source> m_sources;
    bool m_dirty = false;
    QTreeWidget* m_view;
    QLabel* m_status;
    QPushButton* m_test;
    QThreadPool m_pool;
    std::shared_ptr<std::atomic_bool> m_alive = std::make_shared<std::atomic_bool>(true);
};

} // namespace rootline
