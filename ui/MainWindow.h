#pragma once

// The main window (the workbench, issue 10 §4): the panes are docks — metrics and the guided
// investigation across the top, logs on the left, the trace view in the middle — whose layout is
// restored at start (restoreSettings). A toolbar with the focus history, the guided walk and the
// service; a status bar with the cache's range and counts and the last error. File → Open / Recent
// / Export report, View → UTC or local time and the theme (system, light, dark), Help → Keyboard
// shortcuts (every navigation has one). Drag and drop: a .rootline opens, anything else (files and
// folders) goes to the import dialog. Started with nothing to open, it shows the start page
// (WelcomePage) until a cache opens. Panes are created here and talk only through the Focus.

#include "core/Result.h"
#include "sources/Source.h"

#include <QMainWindow>
#include <QVariantList>

#include <vector>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QStackedWidget;

namespace rootline {

class CacheSession;
class CompletionService;
class FetchController;
class Focus;
class QueryBar;
enum class QueryPane;
struct FetchRunResult;
class InvestigationPane;
class LiveInvestigationPanel;
class LogPane;
class TimelinePane;
class TracePane;
class WelcomePage;
struct CacheOverview;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a cache and returns why it could not (no dialog): for the command line and tests.
    Status openCache(const QString& path);
    // Shown while the open cache is damaged (tests read it).
    const QLabel* damageBanner() const { return m_damageBanner; }
    // Opens a cache and shows a dialog with the error's message if it fails (menus, drops).
    bool openCacheInteractive(const QString& path);

    CacheSession* session() const { return m_session; }
    Focus* focus() const { return m_focus; }
    TimelinePane* timelinePane() const { return m_timeline; }
    LogPane* logPane() const { return m_logs; }
    TracePane* tracePane() const { return m_traces; }
    InvestigationPane* investigationPane() const { return m_investigation; }
    // Investigate → Live investigation: choose a firing alert, and the plan fetches what each step needs.
    LiveInvestigationPanel* livePanel() const { return m_live; }
    // File → Import…: the dialog over the open cache (or a new one), preloaded with `paths`.
    void importFiles(const QStringList& paths = {});
    // Every pane has shown the data of the open cache.
    bool isLoaded() const;

    // The sources file the query bars offer (default: defaultSourcesPath()); (re)reads it.
    void setSourcesPath(const QString& path);
    Status reloadSources();
    const std::vector<Source>& sources() const { return m_sources; }
    // Each pane's query bar, and what runs their fetches.
    QueryBar* queryBar(QueryPane pane) const;
    FetchController* fetchController() const { return m_fetch; }
    CompletionService* completionService() const { return m_completions; }
    // Alerts → Fetch alerts (and the investigation pane's button): the firing and pending alerts of
    // every source that serves them, into the open cache (a new one when none is open).
    void fetchAlerts();
    // The sources whose connectors can fetch alerts.
    std::vector<Source> alertSources() const;
    // File → New investigation cache…: creates an empty cache at `path` (or opens an existing one).
    Status newCache(const QString& path);
    // Where a fetch with no cache open stores its rows: a new cache in this folder, opened at once
    // ($XDG_DATA_HOME/rootline/caches).
    static QString defaultCacheDirectory();

    // The start page: the sample incident, the recent investigations, the ways to begin. Shown
    // until a cache opens (main() shows it when started with nothing to open).
    void showWelcome();
    bool isShowingWelcome() const;
    WelcomePage* welcomePage() const { return m_welcome; }
    // The sample incident the start page offers; empty when none was found.
    void setSampleIncident(const QString& path);
    // Opens the user's copy of the sample incident, made in defaultCacheDirectory() on first use:
    // the installed original is read-only, and investigations saved into the copy are kept.
    Status openSampleIncident();

    // File → Export report…: the investigation's report, with its pins and notes.
    Status exportReport(const QString& path);
    // View → Local time (false: UTC). One setting for every pane (fmt::setZone).
    void setLocalTime(bool local);
    // View → Theme: "system", "light" or "dark".
    void setTheme(const QString& theme);
    QString theme() const;
    // Help → Keyboard shortcuts: (action, shortcut) for every action that has one.
    std::vector<std::pair<QString, QString>> shortcutList() const;
    // The dock layout, geometry, zone and theme of the last session (main() calls it; tests don't).
    void restoreSettings();
    void saveLayout() const;
    const std::vector<QDockWidget*>& docks() const { return m_docks; }

signals:
    // Emitted once per opened cache when its panes have loaded (see CacheSession::loaded).
    void loaded();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void showPanes();
    void chooseReportFile();
    void pinInteractive();
    void pinWithNote(int target, std::optional<Timestamp> at = std::nullopt); // InvestigationPane::PinTarget; `at`: the chart point
    void noteInteractive();
    void showShortcuts();
    void chooseFile();
    void rebuildRecentMenu();
    void showAbout();
    void onOverview(const CacheOverview& overview);
    void updateFocusLabel();
    void showError(const QString& message);
    void startFetch(QueryBar* bar, const QString& source, const QString& query);
    void onFetchFinished(const FetchRunResult& result);
    void setFetchRunning(bool running);
    void manageSources();
    Result<QString> createDefaultCache();
    Result<bool> createDefaultCacheIfNone(); // true: one was created (m_createdCache)

    CacheSession* m_session;
    Focus* m_focus;
    TimelinePane* m_timeline;
    LogPane* m_logs;
    TracePane* m_traces;
    InvestigationPane* m_investigation = nullptr;
    LiveInvestigationPanel* m_live = nullptr;
    QStackedWidget* m_stack;
    WelcomePage* m_welcome;
    QString m_sampleIncident;
    std::vector<QDockWidget*> m_docks;
    std::vector<QDockWidget*> m_hiddenDocks; // shown again when the start page gives way
    std::vector<QAction*> m_navigationActions;
    std::vector<QAction*> m_themeActions;
    QAction* m_localTimeAction = nullptr;
    QString m_theme = QStringLiteral("system");
    QVariantList m_systemPalette; // the platform's palette and style name, for "system"
    static constexpr int kLayoutVersion = 1;
    QMenu* m_recentMenu = nullptr;
    QComboBox* m_serviceBox;
    QLabel* m_rangeLabel;
    QLabel* m_countsLabel;
    QLabel* m_focusLabel;
    QLabel* m_busyLabel;
    QLabel* m_errorLabel;
    QWidget* m_panes;       // the banner and the panes: the central page while a cache is open
    QLabel* m_damageBanner; // above the panes while the open cache fails quick_check
    bool m_loadedOnce = false;
    FetchController* m_fetch;
    CompletionService* m_completions;
    std::vector<QueryBar*> m_queryBars;
    QueryBar* m_fetchBar = nullptr; // the bar whose fetch runs
    bool m_fetchingAlerts = false;  // the running fetch is the investigation pane's alerts
    QAction* m_fetchAlertsAction = nullptr;
    QString m_createdCache;         // a cache this fetch created (no cache was open)
    std::vector<Source> m_sources;
    QString m_sourcesPath;
};

} // namespace rootline
