#pragma once

// The main window: the timeline on top, logs and traces side by side below, a toolbar with the
// focus history and service, a status bar with the cache's range and counts, the focus window
// and the last error. File → Open / Recent, and drag-and-drop of a .rootline file.
// Panes are created here and talk only through the Focus.

#include "core/Result.h"

#include <QMainWindow>

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QSplitter;

namespace rootline {

class CacheSession;
class Focus;
class InvestigationPane;
class LogPane;
class TimelinePane;
class TracePane;
struct CacheOverview;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a cache and returns why it could not (no dialog): for the command line and tests.
    Status openCache(const QString& path);
    // Opens a cache and shows a dialog with the error's message if it fails (menus, drops).
    bool openCacheInteractive(const QString& path);

    CacheSession* session() const { return m_session; }
    Focus* focus() const { return m_focus; }
    TimelinePane* timelinePane() const { return m_timeline; }
    LogPane* logPane() const { return m_logs; }
    TracePane* tracePane() const { return m_traces; }
    InvestigationPane* investigationPane() const { return m_investigation; }
    // File → Import…: the dialog over the open cache (or a new one), preloaded with `paths`.
    void importFiles(const QStringList& paths = {});
    // Every pane has shown the data of the open cache.
    bool isLoaded() const;

signals:
    // Emitted once per opened cache when its panes have loaded (see CacheSession::loaded).
    void loaded();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void chooseFile();
    void rebuildRecentMenu();
    void remember(const QString& path);
    void onOverview(const CacheOverview& overview);
    void updateFocusLabel();
    void showError(const QString& message);

    CacheSession* m_session;
    Focus* m_focus;
    TimelinePane* m_timeline;
    LogPane* m_logs;
    TracePane* m_traces;
    InvestigationPane* m_investigation = nullptr;
    QSplitter* m_vertical;
    QSplitter* m_horizontal;
    QMenu* m_recentMenu = nullptr;
    QComboBox* m_serviceBox;
    QLabel* m_rangeLabel;
    QLabel* m_countsLabel;
    QLabel* m_focusLabel;
    QLabel* m_busyLabel;
    QLabel* m_errorLabel;
    bool m_loadedOnce = false;
};

} // namespace rootline
