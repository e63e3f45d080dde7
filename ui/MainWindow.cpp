#include "live/LiveInvestigationPanel.h"
#include "MainWindow.h"

#include "CacheSession.h"
#include "CompletionService.h"
#include "FetchController.h"
#include "Focus.h"
#include "Format.h"
#include "LogPane.h"
#include "LogTableModel.h"
#include "TimelinePane.h"
#include "TimelineMarks.h"
#include "TraceListModel.h"
#include "TracePane.h"
#include "ImportDialog.h"
#include "InvestigationPane.h"
#include "QueryBar.h"
#include "SourcesDialog.h"
#include "AboutDialog.h"
#include "RecentInvestigations.h"
#include "RejectionsDialog.h"
#include "WelcomePage.h"
#include "core/Clock.h"
#include "sources/SourcesFile.h"
#include "cache/CacheWriter.h"
#include "ConnectorFactory.h"

#include <QAction>
#include <QActionGroup>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QInputDialog>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>
#include <QTableWidget>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QVBoxLayout>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>

#include <algorithm>

namespace rootline {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new CacheSession(this))
    , m_focus(new Focus(this))
    , m_serviceBox(new QComboBox(this))
    , m_rangeLabel(new QLabel(this))
    , m_countsLabel(new QLabel(this))
    , m_focusLabel(new QLabel(this))
    , m_busyLabel(new QLabel(this))
    , m_errorLabel(new QLabel(this))
    , m_fetch(new FetchController(this))
    , m_completions(new CompletionService(this))
{
    setWindowTitle(tr("Rootline"));
    setAcceptDrops(true);

    m_timeline = new TimelinePane(m_session, m_focus, this);
    m_logs = new LogPane(m_session, m_focus, this);
    m_traces = new TracePane(m_session, m_focus, this);
    // A query bar per pane: each fetches its pane's kind from a source into the open cache.
    for (QueryPane pane : {QueryPane::Metrics, QueryPane::Logs, QueryPane::Traces}) {
        auto* bar = new QueryBar(pane, m_completions, this);
        m_queryBars.push_back(bar);
        connect(bar, &QueryBar::fetchRequested, this, [this, bar](const QString& source, const QString& query) { startFetch(bar, source, query); });
        connect(bar, &QueryBar::cancelRequested, m_fetch, &FetchController::cancel);
        connect(bar, &QueryBar::manageSourcesRequested, this, &MainWindow::manageSources);
    }
    m_timeline->setQueryBar(queryBar(QueryPane::Metrics));
    m_logs->setQueryBar(queryBar(QueryPane::Logs));
    m_traces->setQueryBar(queryBar(QueryPane::Traces));
    connect(m_fetch, &FetchController::progressChanged, this, [this](const FetchProgress& p, double seconds) {
        if (m_fetchBar)
            m_fetchBar->setProgress(p, seconds);
        if (m_fetchingAlerts && m_investigation)
            m_investigation->setAlertFetchProgress(progressText(p, seconds));
    });
    connect(m_fetch, &FetchController::finished, this, &MainWindow::onFetchFinished);
    // Label lookups cover the window a fetch would cover (Loki answers only for a window).
    m_completions->setWindowProvider([this]() -> std::optional<TimeWindow> {
        const auto& o = m_session->overview();
        return fetchWindow(m_focus->window(), o ? o->range : std::nullopt, Clock::current().now());
    });

    // The panes are docks (issue 10 §4): the metrics and the guided investigation across the top,
    // the logs on the left, the trace view in the middle with the most room. The user may move,
    // float or close them; View lists them, and the layout is restored at the next start.
    m_investigation = new InvestigationPane(m_session, m_focus, this);
    connect(m_investigation, &InvestigationPane::fetchAlertsRequested, this, &MainWindow::fetchAlerts);
    connect(m_investigation, &InvestigationPane::cancelFetchRequested, m_fetch, &FetchController::cancel);
    connect(m_investigation, &InvestigationPane::resultShown, this, [this](const InvestigationState& st) { m_timeline->setMarks(timelineMarksOf(st)); });
    connect(m_session, &CacheSession::closed, this, [this] { m_timeline->setMarks({}); });
    connect(m_timeline, &TimelinePane::pinRequested, this, [this](Timestamp t) { pinWithNote(int(InvestigationPane::PinTarget::ChartPoint), t); });
    connect(m_logs, &LogPane::pinRequested, this, [this] { pinWithNote(int(InvestigationPane::PinTarget::LogLine)); });
    setDockNestingEnabled(true);
    setCorner(Qt::TopLeftCorner, Qt::TopDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::TopDockWidgetArea);
    auto makeDock = [this](QWidget* pane, const QString& title, const QString& name) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name); // saveState() names docks by object name
        dock->setWidget(pane);
        dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
        m_docks.push_back(dock);
        return dock;
    };
    QDockWidget* timelineDock = makeDock(m_timeline, tr("Metrics"), QStringLiteral("metricsDock"));
    QDockWidget* logsDock = makeDock(m_logs, tr("Logs"), QStringLiteral("logsDock"));
    QDockWidget* investigationDock = makeDock(m_investigation, tr("Investigation"), QStringLiteral("investigationDock"));
    addDockWidget(Qt::TopDockWidgetArea, timelineDock);
    splitDockWidget(timelineDock, investigationDock, Qt::Horizontal);
    addDockWidget(Qt::LeftDockWidgetArea, logsDock);
    // The live investigation (issue 11) shares the investigation's place, as a tab behind it: it
    // fetches what the plan of a chosen alert needs into the open cache, then the panes reload.
    m_live = new LiveInvestigationPanel(this);
    QDockWidget* liveDock = makeDock(m_live, tr("Live investigation"), QStringLiteral("liveDock"));
    tabifyDockWidget(investigationDock, liveDock);
    investigationDock->raise();
    connect(m_live, &LiveInvestigationPanel::ranInto, this, [this](const QString& path) {
        if (auto s = openCache(path); !s)
            showError(QString::fromStdString(s.error().message()));
    });
    connect(m_session, &CacheSession::opened, this, [this](const QString& path) {
        m_live->setCachePath(path);
        m_session->run<std::vector<Alert>>(
            m_live, [](CacheReader& reader, const std::atomic_bool&) { return reader.alerts(); },
            [this](Result<std::vector<Alert>> alerts) {
                if (alerts)
                    m_live->setAlerts(*alerts);
            });
    });
    resizeDocks({timelineDock, investigationDock}, {900, 540}, Qt::Horizontal);
    resizeDocks({timelineDock}, {390}, Qt::Vertical);
    resizeDocks({logsDock}, {760}, Qt::Horizontal);
    connect(m_traces, &TracePane::hoveredTime, m_focus, [this](Timestamp t) { m_focus->setCursorTime(t); });
    connect(m_focus, &Focus::cursorTimeChanged, m_traces, [this](Timestamp t, bool has) {
        if (has)
            m_traces->setCursorTime(t);
    });
    // The panes are the central page from the start (tests and `rootline FILE` never see the start
    // page); showWelcome() switches to it, and opening a cache switches back.
    m_welcome = new WelcomePage(this);
    m_stack = new QStackedWidget(this);
    // A damaged cache is still shown, under a banner that says what is wrong and that nothing
    // will be written to it (CacheWriter refuses it; fetches and imports fail with that reason).
    m_damageBanner = new QLabel(this);
    m_damageBanner->setWordWrap(true);
    m_damageBanner->setMargin(8);
    m_damageBanner->setStyleSheet(QStringLiteral("QLabel { background: #fde2e1; color: #8a1c15; border-bottom: 1px solid #e0a09b; }"));
    m_damageBanner->hide();
    m_panes = new QWidget(this);
    auto* panesLayout = new QVBoxLayout(m_panes);
    panesLayout->setContentsMargins(0, 0, 0, 0);
    panesLayout->setSpacing(0);
    panesLayout->addWidget(m_damageBanner);
    panesLayout->addWidget(m_traces, 1);
    m_stack->addWidget(m_panes);
    m_stack->addWidget(m_welcome);
    m_stack->setCurrentWidget(m_panes);
    setCentralWidget(m_stack);
    connect(m_welcome, &WelcomePage::sampleRequested, this, [this] {
        if (auto s = openSampleIncident(); !s)
            QMessageBox::critical(this, tr("Cannot open the sample incident"), QString::fromStdString(s.error().message()));
    });
    connect(m_welcome, &WelcomePage::openRequested, this, &MainWindow::chooseFile);
    connect(m_welcome, &WelcomePage::importRequested, this, [this] { importFiles(); });
    connect(m_welcome, &WelcomePage::recentRequested, this, [this](const QString& path) { openCacheInteractive(path); });
    connect(m_welcome, &WelcomePage::fetchAlertsRequested, this, [this] {
        // The alerts land in the investigation pane, so show the panes first.
        showPanes();
        fetchAlerts();
    });
    m_welcome->setSampleAvailable(false);

    createActions();

    m_rangeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #d32f2f"));
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_rangeLabel);
    statusBar()->addWidget(m_countsLabel, 1);
    statusBar()->addPermanentWidget(m_errorLabel);
    statusBar()->addPermanentWidget(m_busyLabel);
    m_rangeLabel->setText(tr("No cache open — File → Open, or drop a .rootline file"));

    connect(m_session, &CacheSession::overviewReady, this, &MainWindow::onOverview);
    connect(m_session, &CacheSession::damaged, this, [this](const QString& problems) {
        m_damageBanner->setText(tr("<b>This cache is damaged</b> (SQLite's quick_check: %1). Rootline shows what it can "
                                   "read and will not write to it: export what it holds into a new cache "
                                   "(<tt>rootline-cli export</tt>), or restore a copy.")
                                    .arg(problems.toHtmlEscaped()));
        m_damageBanner->show();
    });
    connect(m_session, &CacheSession::opened, m_damageBanner, &QLabel::hide);
    connect(m_session, &CacheSession::busyChanged, this, [this](bool busy) { m_busyLabel->setText(busy ? tr("loading…") : QString()); });
    connect(m_session, &CacheSession::jobFailed, this, &MainWindow::showError);
    connect(m_session, &CacheSession::loaded, this, [this] {
        if (!m_loadedOnce) {
            m_loadedOnce = true;
            emit loaded();
        }
    });
    connect(m_focus, &Focus::changed, this, &MainWindow::updateFocusLabel);
    connect(m_timeline, &TimelinePane::statusChanged, this, [this](const QString& text) { m_timeline->setToolTip(text); });
    connect(m_serviceBox, &QComboBox::activated, this, [this](int index) { m_focus->setService(m_serviceBox->itemData(index).toString()); });
    connect(m_focus, &Focus::serviceChanged, this, [this](const QString& service) {
        const int i = m_serviceBox->findData(service);
        m_serviceBox->setCurrentIndex(i < 0 ? 0 : i);
    });
    updateFocusLabel();
    setSourcesPath(QString::fromStdString(defaultSourcesPath()));
    resize(1440, 900);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseFile);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&Import…"), this, [this] { importFiles(); })->setShortcut(QKeySequence(tr("Ctrl+I")));
    file->addAction(tr("&New investigation cache…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("New investigation cache"), QDir(defaultCacheDirectory()).filePath(QStringLiteral("incident.rootline")),
                                                          tr("Rootline caches (*.rootline)"));
        if (path.isEmpty())
            return;
        if (auto s = newCache(path); !s)
            QMessageBox::critical(this, tr("Cannot create the cache"), QString::fromStdString(s.error().message()));
    })->setShortcut(QKeySequence::New);
    file->addAction(tr("&Data sources…"), this, &MainWindow::manageSources);
    rebuildRecentMenu();
    file->addSeparator();
    QAction* exportReport = file->addAction(tr("&Export report…"), this, &MainWindow::chooseReportFile);
    exportReport->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportReport->setToolTip(tr("The investigation as rootline-cli investigate --report writes it, with the pins and notes"));
    file->addSeparator();
    QAction* closeCache = file->addAction(tr("&Close cache"), this, [this] {
        m_session->close();
        m_focus->reset();
        m_rangeLabel->setText(tr("No cache open"));
        m_countsLabel->clear();
        setWindowTitle(tr("Rootline"));
        showWelcome(); // nothing open: back to the ways to begin
    });
    closeCache->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_focus->backAction());
    view->addAction(m_focus->forwardAction());
    view->addSeparator();
    QAction* clearWindow = view->addAction(tr("Clear time &window"), m_focus, &Focus::clearWindow);
    clearWindow->setShortcut(Qt::Key_Escape);
    view->addAction(tr("&Reset timeline zoom"), m_timeline, &TimelinePane::resetView)->setShortcut(QKeySequence(tr("Ctrl+0")));
    view->addAction(tr("Clear selected &trace"), this, [this] { m_focus->setTrace({}); })->setShortcut(QKeySequence(tr("Ctrl+Shift+T")));
    // What imports and fetches could not read, as `rootline-cli stats` lists them (issue 12 item 4).
    view->addAction(tr("Re&jected records…"), this, [this] {
        auto* rejections = new RejectionsDialog(m_session, this);
        rejections->setAttribute(Qt::WA_DeleteOnClose);
        rejections->open();
    });
    view->addSeparator();
    // Every pane is a dock; a shortcut brings each forward and gives it the keyboard.
    const QKeySequence paneKeys[] = {QKeySequence(tr("Ctrl+1")), QKeySequence(tr("Ctrl+2")), QKeySequence(tr("Ctrl+4"))};
    for (size_t i = 0; i < m_docks.size(); ++i) {
        QDockWidget* dock = m_docks[i];
        QAction* toggle = dock->toggleViewAction();
        view->addAction(toggle);
        QAction* go = new QAction(tr("Go to %1").arg(dock->windowTitle()), this);
        if (i < std::size(paneKeys))
            go->setShortcut(paneKeys[i]);
        connect(go, &QAction::triggered, this, [dock] {
            dock->show();
            dock->raise();
            dock->widget()->setFocus(Qt::ShortcutFocusReason);
        });
        addAction(go);
        m_navigationActions.push_back(go);
    }
    QAction* goTraces = new QAction(tr("Go to Traces"), this);
    goTraces->setShortcut(QKeySequence(tr("Ctrl+3")));
    connect(goTraces, &QAction::triggered, this, [this] { m_traces->setFocus(Qt::ShortcutFocusReason); });
    addAction(goTraces);
    m_navigationActions.push_back(goTraces);
    view->addSeparator();
    m_localTimeAction = view->addAction(tr("&Local time"));
    m_localTimeAction->setCheckable(true);
    m_localTimeAction->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    m_localTimeAction->setToolTip(tr("Show times in this computer's zone instead of UTC"));
    connect(m_localTimeAction, &QAction::toggled, this, [this](bool local) { setLocalTime(local); });
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    for (const auto& [name, key] : {std::pair{tr("&System"), QStringLiteral("system")}, std::pair{tr("&Light"), QStringLiteral("light")},
                                    std::pair{tr("&Dark"), QStringLiteral("dark")}}) {
        QAction* a = theme->addAction(name);
        a->setCheckable(true);
        a->setData(key);
        themes->addAction(a);
        const QString k = key;
        connect(a, &QAction::triggered, this, [this, k] { setTheme(k); });
        m_themeActions.push_back(a);
    }

    QMenu* investigation = menuBar()->addMenu(tr("&Investigation"));
    investigation->addAction(m_investigation->previousStepAction());
    investigation->addAction(m_investigation->nextStepAction());
    investigation->addSeparator();
    QAction* pin = investigation->addAction(tr("&Pin with a note…"), this, &MainWindow::pinInteractive);
    pin->setShortcut(QKeySequence(tr("Ctrl+P")));
    pin->setToolTip(tr("Pin the selected span or log line, or the chart point under the crosshair, with a note"));
    QAction* note = investigation->addAction(tr("Add a &note…"), this, &MainWindow::noteInteractive);
    note->setShortcut(QKeySequence(tr("Ctrl+Shift+N")));
    // Pins, notes and the report need a finished investigation.
    auto enableReport = [this, pin, note, exportReport] {
        const bool ready = m_investigation->result().has_value();
        for (QAction* a : {pin, note, exportReport})
            a->setEnabled(ready);
    };
    connect(m_investigation, &InvestigationPane::finished, this, enableReport);
    connect(m_session, &CacheSession::closed, this, enableReport);
    enableReport();
    investigation->addAction(exportReport);

    QMenu* alerts = menuBar()->addMenu(tr("&Alerts"));
    m_fetchAlertsAction = alerts->addAction(tr("&Fetch alerts"), this, &MainWindow::fetchAlerts);
    m_fetchAlertsAction->setShortcut(QKeySequence(tr("Ctrl+Shift+A")));
    alerts->addAction(tr("&Investigate the chosen alert"), m_investigation, &InvestigationPane::investigate);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts)->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&Start page"), this, &MainWindow::showWelcome);
    help->addAction(tr("&About Rootline"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(open);
    bar->addSeparator();
    bar->addAction(m_focus->backAction());
    bar->addAction(m_focus->forwardAction());
    bar->addSeparator();
    bar->addAction(m_investigation->previousStepAction());
    bar->addAction(m_investigation->nextStepAction());
    bar->addAction(pin);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Service "), this));
    m_serviceBox->addItem(tr("All services"), QString());
    m_serviceBox->setMinimumContentsLength(14);
    m_serviceBox->setToolTip(tr("Show the logs of one service"));
    bar->addWidget(m_serviceBox);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Window "), this));
    m_focusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_focusLabel);
    bar->addAction(clearWindow);
}

Status MainWindow::openCache(const QString& path)
{
    m_loadedOnce = false;
    m_errorLabel->clear();
    m_focus->reset();
    m_investigation->startOnAlert(); // a fresh open starts on the firing alert's window
    auto status = m_session->open(path);
    if (!status) {
        m_loadedOnce = true;
        return status;
    }
    setWindowTitle(tr("%1 — Rootline").arg(QFileInfo(path).fileName()));
    m_rangeLabel->setText(tr("%1 · reading…").arg(QFileInfo(path).fileName()));
    RecentInvestigations::add(path);
    rebuildRecentMenu();
    showPanes();
    return status;
}

bool MainWindow::openCacheInteractive(const QString& path)
{
    auto status = openCache(path);
    if (status)
        return true;
    QMessageBox box(QMessageBox::Critical, tr("Cannot open cache"), QString::fromStdString(status.error().what), QMessageBox::Ok, this);
    box.setInformativeText(QString::fromStdString(status.error().hint));
    box.setDetailedText(QString::fromStdString(status.error().message()));
    box.exec();
    return false;
}

bool MainWindow::isLoaded() const { return m_session->isLoaded() && m_timeline->isLoaded() && m_traces->isLoaded(); }

void MainWindow::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a Rootline cache"), {},
                                                      tr("Rootline caches (*.rootline);;All files (*)"));
    if (!path.isEmpty())
        openCacheInteractive(path);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = RecentInvestigations::list();
    for (const QString& path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openCacheInteractive(path); })->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear list"), this, [this] {
            RecentInvestigations::clear();
            rebuildRecentMenu();
        });
    }
    m_welcome->setRecent(recent);
}

void MainWindow::showWelcome()
{
    rebuildRecentMenu();
    if (m_stack->currentWidget() != m_welcome) {
        // The docks step aside for the start page and come back as they were.
        m_hiddenDocks.clear();
        for (QDockWidget* dock : m_docks)
            if (dock->isVisible()) {
                m_hiddenDocks.push_back(dock);
                dock->hide();
            }
    }
    m_stack->setCurrentWidget(m_welcome);
}

void MainWindow::showPanes()
{
    if (m_stack->currentWidget() == m_welcome)
        for (QDockWidget* dock : m_hiddenDocks)
            dock->show();
    m_hiddenDocks.clear();
    m_stack->setCurrentWidget(m_panes);
}

bool MainWindow::isShowingWelcome() const { return m_stack->currentWidget() == m_welcome; }

void MainWindow::setSampleIncident(const QString& path)
{
    m_sampleIncident = path;
    m_welcome->setSampleAvailable(!path.isEmpty() && QFileInfo(path).isFile());
}

Status MainWindow::openSampleIncident()
{
    if (m_sampleIncident.isEmpty())
        return Error{"sample incident", "no sample incident was found", "rootline-cli sample --out FILE writes one"};
    const QString dir = defaultCacheDirectory();
    const QString copy = QDir(dir).filePath(QFileInfo(m_sampleIncident).fileName());
    if (!QFileInfo::exists(copy)) {
        if (!QDir().mkpath(dir))
            return Error{dir.toStdString(), "cannot create the folder for caches", "check the permissions of your data directory"};
        if (!QFile::copy(m_sampleIncident, copy))
            return Error{copy.toStdString(), "cannot copy the sample incident here", "check the free space and permissions of " + dir.toStdString()};
        // The installed original is read-only; the copy is the user's to write to.
        QFile(copy).setPermissions(QFile(copy).permissions() | QFileDevice::WriteOwner);
    }
    return openCache(copy);
}

void MainWindow::showAbout()
{
    AboutDialog dialog({{tr("Settings"), QSettings().fileName()},
                        {tr("Data sources"), m_sourcesPath},
                        {tr("New caches"), defaultCacheDirectory()}},
                       this);
    dialog.exec();
}

void MainWindow::onOverview(const CacheOverview& o)
{
    const QString name = QFileInfo(m_session->path()).fileName();
    m_rangeLabel->setText(o.range ? tr("%1 · %2").arg(name, fmt::window(*o.range)) : tr("%1 · empty").arg(name));
    // "1 alert", "2 alerts": English plurals without a translation file. The explicit QString return
    // matters: with QT_USE_QSTRINGBUILDER an auto return would be a builder over dead temporaries.
    auto counted = [](qint64 n, const QString& one, const QString& many) -> QString { return fmt::count(n) + QLatin1Char(' ') + (n == 1 ? one : many); };
    const QStringList parts = {counted(o.logs, tr("log"), tr("logs")),           counted(o.traces, tr("trace"), tr("traces")),
                               counted(o.spans, tr("span"), tr("spans")),        counted(o.series, tr("series"), tr("series")),
                               counted(o.exemplars, tr("exemplar"), tr("exemplars")), counted(o.alerts, tr("alert"), tr("alerts")),
                               counted(qint64(o.services.size()), tr("service"), tr("services"))};
    m_countsLabel->setText(parts.join(QStringLiteral(" · ")));
    const QString current = m_focus->service();
    m_serviceBox->clear();
    m_serviceBox->addItem(tr("All services"), QString());
    for (const auto& s : o.services)
        m_serviceBox->addItem(QString::fromStdString(s), QString::fromStdString(s));
    const int i = m_serviceBox->findData(current);
    m_serviceBox->setCurrentIndex(i < 0 ? 0 : i);
}

void MainWindow::updateFocusLabel()
{
    const TimeWindow w = m_focus->window();
    m_focusLabel->setText(w == TimeWindow::all() ? tr("whole cache ") : fmt::window(w) + QLatin1Char(' '));
}

void MainWindow::showError(const QString& message)
{
    m_errorLabel->setText(fontMetrics().elidedText(message, Qt::ElideMiddle, 420));
    m_errorLabel->setToolTip(message);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) {
        for (const QUrl& url : event->mimeData()->urls())
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
    }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    // Anything but a .rootline cache is imported (files and folders) into the open cache.
    QStringList toImport;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && !url.toLocalFile().endsWith(QStringLiteral(".rootline")))
            toImport << url.toLocalFile();
    if (!toImport.isEmpty()) {
        event->acceptProposedAction();
        QMetaObject::invokeMethod(this, [this, toImport] { importFiles(toImport); }, Qt::QueuedConnection);
        return;
    }
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            // After the drop returns: a modal error dialog inside a drop handler blocks the source.
            const QString path = url.toLocalFile();
            QMetaObject::invokeMethod(this, [this, path] { openCacheInteractive(path); }, Qt::QueuedConnection);
            return;
        }
    }
}

void MainWindow::importFiles(const QStringList& paths)
{
    QString cache = m_session->path();
    if (!m_session->isOpen()) {
        cache = QFileDialog::getSaveFileName(this, tr("Import into a new cache"), QStringLiteral("incident.rootline"),
                                             tr("Rootline caches (*.rootline)"));
        if (cache.isEmpty())
            return;
        if (auto writer = CacheWriter::open(cache.toStdString()); !writer) { // creates the empty cache
            showError(QString::fromStdString(writer.error().message()));
            return;
        }
        if (!openCacheInteractive(cache))
            return;
    }
    ImportDialog dialog(cache, this);
    dialog.addInputs(paths);
    // Re-open the session on the grown cache so every pane (and the investigation) reloads.
    connect(&dialog, &ImportDialog::imported, this, [this, cache] {
        if (auto s = m_session->open(cache); !s)
            showError(QString::fromStdString(s.error().message()));
    });
    if (!paths.isEmpty())
        dialog.start();
    dialog.exec();
}

QueryBar* MainWindow::queryBar(QueryPane pane) const
{
    for (QueryBar* bar : m_queryBars)
        if (bar->pane() == pane)
            return bar;
    return nullptr;
}

void MainWindow::setSourcesPath(const QString& path)
{
    m_sourcesPath = path;
    if (auto s = reloadSources(); !s)
        showError(QString::fromStdString(s.error().message()));
}

Status MainWindow::reloadSources()
{
    m_sources.clear();
    Status status;
    if (QFileInfo::exists(m_sourcesPath)) {
        if (auto loaded = loadSources(m_sourcesPath.toStdString()))
            m_sources = std::move(*loaded);
        else
            status = loaded.error();
    }
    m_completions->setSources(m_sources);
    m_live->setSources(m_sources);
    for (QueryBar* bar : m_queryBars)
        bar->setSources(m_sources);
    setFetchRunning(m_fetch->isRunning());
    return status;
}

void MainWindow::manageSources()
{
    SourcesDialog dialog(m_sourcesPath, this);
    dialog.exec();
    if (auto s = reloadSources(); !s)
        showError(QString::fromStdString(s.error().message()));
}

QString MainWindow::defaultCacheDirectory()
{
    // The XDG data folder named after the program, beside $XDG_CONFIG_HOME/rootline where the sources
    // and settings live (AppLocalDataLocation would add the organisation's name as well).
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)).filePath(QStringLiteral("rootline/caches"));
}

Status MainWindow::newCache(const QString& path)
{
    if (auto writer = CacheWriter::open(path.toStdString()); !writer) // creates the empty cache
        return writer.error();
    return openCache(path);
}

Result<QString> MainWindow::createDefaultCache()
{
    const QString dir = defaultCacheDirectory();
    if (!QDir().mkpath(dir))
        return Error{dir.toStdString(), "cannot create the folder for new caches", "check the permissions of your data directory"};
    const QString stamp = QDateTime::fromMSecsSinceEpoch(Clock::current().now().millis(), Qt::UTC).toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString path = QDir(dir).filePath(QStringLiteral("fetched-%1.rootline").arg(stamp));
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = QDir(dir).filePath(QStringLiteral("fetched-%1-%2.rootline").arg(stamp).arg(n));
    if (auto s = newCache(path); !s)
        return s.error();
    return path;
}

void MainWindow::startFetch(QueryBar* bar, const QString& sourceName, const QString& query)
{
    if (m_fetch->isRunning())
        return;
    const Source* source = findSource(m_sources, sourceName.toStdString());
    if (!source) {
        bar->showResult({FetchMessage::Level::Failed, tr("No source named %1 (File → Data sources…)").arg(sourceName), {}});
        return;
    }
    // The window first: opening a new cache below resets the focus.
    const auto& overview = m_session->overview();
    const TimeWindow window = fetchWindow(m_focus->window(), overview ? overview->range : std::nullopt, Clock::current().now());
    auto request = buildFetchRequest(bar->pane(), *source, query, window);
    if (!request) {
        bar->showResult(describeFetch(FetchRunResult{{}, {}, std::nullopt, request.error(), false, 0}));
        return;
    }
    if (auto created = createDefaultCacheIfNone(); !created) {
        bar->showResult(describeFetch(FetchRunResult{{}, {}, std::nullopt, created.error(), false, 0}));
        return;
    }
    // The same action asks for what belongs with it: a metric query's exemplars (one progress
    // line, one result; their failure is a warning there).
    std::vector<CompanionFetch> companions;
    if (auto connector = makeConnector(*source)) // no network: what the kind can fetch
        for (auto& r : companionRequests(*request, (*connector)->supportedKinds()))
            companions.push_back({*source, r, fetchKindName(r.kind)});
    if (!m_fetch->start(*source, *request, m_session->path(), std::move(companions)))
        return;
    m_fetchBar = bar;
    bar->setFetching(true);
    setFetchRunning(true);
}

Result<bool> MainWindow::createDefaultCacheIfNone()
{
    // No cache open: a live incident should not wait on a file dialog. The rows go into a new cache
    // in the user's data folder, opened at once (and listed under Open Recent).
    m_createdCache.clear();
    if (m_session->isOpen())
        return false;
    auto created = createDefaultCache();
    if (!created)
        return created.error();
    m_createdCache = *created;
    return true;
}

std::vector<Source> MainWindow::alertSources() const
{
    std::vector<Source> out;
    for (const Source& s : m_sources) {
        auto connector = makeConnector(s); // no network
        if (!connector)
            continue;
        const auto kinds = (*connector)->supportedKinds();
        if (std::find(kinds.begin(), kinds.end(), FetchKind::Alerts) != kinds.end())
            out.push_back(s);
    }
    return out;
}

void MainWindow::fetchAlerts()
{
    if (m_fetch->isRunning())
        return;
    const auto sources = alertSources();
    if (sources.empty()) {
        m_investigation->showAlertFetchResult({FetchMessage::Level::Failed,
                                               tr("No data source serves alerts — add a Prometheus source (File → Data sources…)."), {}});
        return;
    }
    const auto& overview = m_session->overview();
    const TimeWindow window = fetchWindow(m_focus->window(), overview ? overview->range : std::nullopt, Clock::current().now());
    if (auto created = createDefaultCacheIfNone(); !created) {
        m_investigation->showAlertFetchResult(describeFetch(FetchRunResult{{}, {}, std::nullopt, created.error(), false, 0}));
        return;
    }
    // The first source's alerts are the action; further sources ride along, so one that is down
    // is a warning beside the alerts the others gave.
    std::vector<CompanionFetch> companions;
    for (size_t i = 1; i < sources.size(); ++i)
        companions.push_back({sources[i], alertsRequest(sources[i], window), "alerts from " + sources[i].name});
    if (!m_fetch->start(sources.front(), alertsRequest(sources.front(), window), m_session->path(), std::move(companions)))
        return;
    m_fetchingAlerts = true;
    m_investigation->setAlertFetching(true);
    setFetchRunning(true);
}

void MainWindow::setFetchRunning(bool running)
{
    // One fetch at a time: every other starter waits.
    for (QueryBar* bar : m_queryBars)
        bar->setBlocked(running && bar != m_fetchBar);
    const bool served = !alertSources().empty();
    const QString why = running ? tr("Another fetch is running")
        : served                ? QString()
                                : tr("No data source serves alerts: add a Prometheus source (File → Data sources…)");
    m_investigation->setAlertFetchEnabled(!running && served, why);
    if (m_fetchAlertsAction)
        m_fetchAlertsAction->setEnabled(!running && served);
}

void MainWindow::onFetchFinished(const FetchRunResult& result)
{
    FetchMessage message = describeFetch(result);
    if (!m_createdCache.isEmpty()) {
        message.text += tr(" Stored in a new cache, %1.").arg(QFileInfo(m_createdCache).fileName());
        message.details += tr("\nNo cache was open, so this fetch created %1 (File → Open Recent lists it).").arg(QDir::toNativeSeparators(m_createdCache));
    }
    if (m_fetchBar) {
        m_fetchBar->setFetching(false);
        m_fetchBar->showResult(message);
    }
    if (m_fetchingAlerts) {
        m_investigation->setAlertFetching(false);
        m_investigation->showAlertFetchResult(message);
    }
    m_fetchBar = nullptr;
    m_fetchingAlerts = false;
    setFetchRunning(false);
    // Committed rows: reload the panes from the cache (as after an import), keeping the focus.
    if (result.stored() && m_session->path() == result.cachePath) {
        if (auto s = m_session->open(result.cachePath); !s)
            showError(QString::fromStdString(s.error().message()));
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_stack->currentWidget() == m_panes)
        saveLayout();
    m_fetch->cancel();
    m_session->close(); // cancels workers before the panes go
    QMainWindow::closeEvent(event);
}

void MainWindow::chooseReportFile()
{
    const QString suggested = QFileInfo(m_session->path()).completeBaseName() + QStringLiteral("-report.md");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the investigation report"), suggested,
                                                      tr("Markdown (*.md);;HTML (*.html)"));
    if (path.isEmpty())
        return;
    if (auto s = exportReport(path); !s)
        QMessageBox::critical(this, tr("Cannot export the report"), QString::fromStdString(s.error().message()));
}

Status MainWindow::exportReport(const QString& path) { return m_investigation->exportReport(path); }

void MainWindow::pinInteractive() { pinWithNote(0, m_focus->cursorTime()); }

void MainWindow::pinWithNote(int target, std::optional<Timestamp> at)
{
    bool ok = false;
    const QString note = QInputDialog::getText(this, tr("Pin"), tr("A note for the report (optional):"), QLineEdit::Normal, {}, &ok);
    if (!ok)
        return;
    // The dialog took the mouse off the chart, which cleared the crosshair: the point is where it was.
    if (at)
        m_focus->setCursorTime(at);
    if (auto pinned = m_investigation->pinFocus(note, InvestigationPane::PinTarget(target)); !pinned)
        showError(QString::fromStdString(pinned.error().message()));
    else
        statusBar()->showMessage(tr("Pinned %1").arg(QString::fromStdString(pinned->label)), 4000);
}

void MainWindow::noteInteractive()
{
    bool ok = false;
    const QString note = QInputDialog::getMultiLineText(this, tr("Note"), tr("A note on this step, for the report:"), {}, &ok);
    if (!ok)
        return;
    if (auto s = m_investigation->addNote(note); !s)
        showError(QString::fromStdString(s.error().message()));
}

void MainWindow::setLocalTime(bool local)
{
    fmt::setZone(local ? fmt::Zone::Local : fmt::Zone::Utc);
    if (m_localTimeAction->isChecked() != local)
        m_localTimeAction->setChecked(local);
    QSettings().setValue(QStringLiteral("view/localTime"), local);
    // Every place that shows a time shows it again, in the new zone.
    m_logs->model()->refreshTimes();
    m_traces->model()->refreshTimes();
    m_timeline->refreshZone();
    m_investigation->refreshTimes();
    updateFocusLabel();
    if (const auto& o = m_session->overview())
        onOverview(*o);
}

QString MainWindow::theme() const { return m_theme; }

void MainWindow::setTheme(const QString& theme)
{
    // "system" leaves the palette to the platform (Qt follows the desktop's light or dark); "light"
    // and "dark" are Fusion's palette and a dark one. Going back to "system" restores what the
    // platform gave before the first forced theme.
    m_theme = theme == QStringLiteral("light") || theme == QStringLiteral("dark") ? theme : QStringLiteral("system");
    for (QAction* a : m_themeActions)
        a->setChecked(a->data().toString() == m_theme);
    QSettings().setValue(QStringLiteral("view/theme"), m_theme);
    if (m_theme == QStringLiteral("system") && m_systemPalette.isEmpty())
        return; // never forced: nothing to undo, and no explicit palette to stop Qt following the desktop
    if (m_systemPalette.isEmpty())
        m_systemPalette = {qApp->palette(), QVariant::fromValue(qApp->style()->name())};
    if (m_theme == QStringLiteral("system")) {
        if (QStyle* style = QStyleFactory::create(m_systemPalette[1].toString()))
            QApplication::setStyle(style);
        QApplication::setPalette(m_systemPalette[0].value<QPalette>());
        return;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (m_theme == QStringLiteral("light")) {
        QApplication::setPalette(qApp->style()->standardPalette());
        return;
    }
    QPalette dark;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5), mid(0x5a, 0x5d, 0x63);
    dark.setColor(QPalette::Window, window);
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::Base, base);
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    dark.setColor(QPalette::ToolTipBase, window);
    dark.setColor(QPalette::ToolTipText, text);
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Button, window);
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::BrightText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x64, 0xb5, 0xf6));
    dark.setColor(QPalette::Highlight, QColor(0x1e, 0x88, 0xe5));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Mid, mid);
    dark.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x83, 0x88));
    QApplication::setPalette(dark);
}

std::vector<std::pair<QString, QString>> MainWindow::shortcutList() const
{
    // Every action with a shortcut, from the menus, the toolbar and the window (navigation).
    std::vector<std::pair<QString, QString>> out;
    QSet<QAction*> seen;
    std::vector<QAction*> pending;
    for (QAction* a : menuBar()->actions())
        pending.push_back(a);
    for (QAction* a : actions())
        pending.push_back(a);
    while (!pending.empty()) { // menus nest: an explicit stack, not recursion
        QAction* a = pending.back();
        pending.pop_back();
        if (seen.contains(a))
            continue;
        seen.insert(a);
        if (a->menu()) {
            for (QAction* sub : a->menu()->actions())
                pending.push_back(sub);
            continue;
        }
        if (a->shortcut().isEmpty())
            continue;
        QString text = a->text();
        text.remove(QLatin1Char('&'));
        text.remove(QChar(0x2026));
        out.emplace_back(text.trimmed(), a->shortcut().toString(QKeySequence::NativeText));
    }
    std::sort(out.begin(), out.end());
    return out;
}

void MainWindow::showShortcuts()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard shortcuts"));
    auto* table = new QTableWidget(&dialog);
    const auto list = shortcutList();
    table->setColumnCount(2);
    table->setRowCount(int(list.size()));
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setStretchLastSection(true);
    for (int r = 0; r < int(list.size()); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(list[size_t(r)].first));
        table->setItem(r, 1, new QTableWidgetItem(list[size_t(r)].second));
    }
    table->resizeColumnToContents(0);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(460, 520);
    dialog.exec();
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState(kLayoutVersion));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (const QByteArray g = settings.value(QStringLiteral("window/geometry")).toByteArray(); !g.isEmpty())
        restoreGeometry(g);
    if (const QByteArray st = settings.value(QStringLiteral("window/state")).toByteArray(); !st.isEmpty())
        restoreState(st, kLayoutVersion);
    setLocalTime(settings.value(QStringLiteral("view/localTime"), false).toBool());
    setTheme(settings.value(QStringLiteral("view/theme"), QStringLiteral("system")).toString());
}

} // namespace rootline
