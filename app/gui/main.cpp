// rootline [--bundle FILE] [--sources FILE] [--window FROM,TO] [--trace ID] [--step NAME] [--screenshot OUT.png [--size WxH] [--pane NAME]] [FILE]
// Opens a cache in the main window; with nothing to open, the start page (sample incident, recent
// investigations). With --screenshot it waits until the panes have loaded (the session's "loaded"
// signal, not a fixed delay), writes the window to a PNG and exits. With no display at all it says
// so, renders offscreen and writes a screenshot instead of failing. The options are the table in
// GuiOptions.cpp, which --help prints and --manpage renders as rootline(1).

#include "CacheSession.h"
#include "Focus.h"
#include "InvestigationPane.h"
#include "LogPane.h"
#include "GuiOptions.h"
#include "SampleIncident.h"
#include "MainWindow.h"
#include "TimelinePane.h"
#include "TracePane.h"
#include "UiWatchdog.h"
#include "core/Clock.h"
#include "live/LiveInvestigationPanel.h"
#include "core/Ids.h"
#include "core/Time.h"
#include "sources/SourcesFile.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QPixmap>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

namespace {

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
           || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

// The widget a --pane name stands for; null for a name that is none of them.
QWidget* paneNamed(rootline::MainWindow& window, const QString& name)
{
    if (name == QLatin1String("metrics"))
        return window.timelinePane();
    if (name == QLatin1String("logs"))
        return window.logPane();
    if (name == QLatin1String("traces"))
        return window.tracePane();
    if (name == QLatin1String("investigation"))
        return window.investigationPane();
    if (name == QLatin1String("live"))
        return window.livePanel();
    return nullptr;
}

// The whole window, or only `pane` (for documentation and bug reports).
int writeScreenshot(rootline::MainWindow& window, const QString& path, const QString& pane)
{
    QWidget* what = pane.isEmpty() ? &window : paneNamed(window, pane);
    if (!pane.isEmpty() && what && !what->isVisible()) { // a tabbed dock behind another: bring it forward
        if (auto* dock = qobject_cast<QDockWidget*>(what->parentWidget()))
            dock->raise();
        QCoreApplication::processEvents();
    }
    const QPixmap shot = what ? what->grab() : QPixmap();
    if (shot.isNull() || !shot.save(path, "PNG")) {
        std::fprintf(stderr, "rootline: could not write the screenshot to %s\n", qPrintable(path));
        return 2;
    }
    std::printf("rootline: screenshot written to %s (%dx%d)\n", qPrintable(QFileInfo(path).absoluteFilePath()), shot.width(), shot.height());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    // Before QApplication: writing the manual needs no display (the build runs it).
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--manpage") == 0) {
            std::fputs(rootline::gui::guiManPage(ROOTLINE_VERSION).c_str(), stdout);
            return 0;
        }
    // Decided before QApplication exists: the platform plugin is chosen in its constructor.
    const bool headless = !displayAvailable();
    if (headless) {
        std::printf("rootline: no display available (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are unset); "
                    "rendering offscreen and writing a screenshot instead\n");
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    // Lower-case names put the settings in $XDG_CONFIG_HOME/rootline/rootline.conf, beside
    // sources.yaml and rules.yaml; the display name is what windows and dialogs show.
    QApplication::setOrganizationName(QStringLiteral("rootline"));
    QApplication::setApplicationName(QStringLiteral("rootline"));
    QApplication::setApplicationDisplayName(QStringLiteral("Rootline"));
    QApplication::setApplicationVersion(QStringLiteral(ROOTLINE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("rootline")); // Wayland: the icon and name of rootline.desktop
    // Builds before 0.1.0 kept the settings in $XDG_CONFIG_HOME/Rootline/Rootline.conf: carry them
    // over once (recent investigations, query histories), before anything reads the settings.
    const QDir config(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation));
    if (!QFileInfo::exists(config.filePath(QStringLiteral("rootline/rootline.conf")))
        && QFileInfo::exists(config.filePath(QStringLiteral("Rootline/Rootline.conf"))) && config.mkpath(QStringLiteral("rootline")))
        QFile::copy(config.filePath(QStringLiteral("Rootline/Rootline.conf")), config.filePath(QStringLiteral("rootline/rootline.conf")));
    QIcon icon = QIcon::fromTheme(QStringLiteral("rootline"));
    if (icon.isNull())
        for (int size : {48, 64, 128, 256})
            icon.addFile(QStringLiteral(":/icons/%1x%1/rootline.png").arg(size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(rootline::gui::guiDescription());
    parser.addHelpOption();
    parser.addVersionOption();
    std::map<QString, QCommandLineOption> options;
    for (const auto& o : rootline::gui::guiOptions()) {
        QCommandLineOption option(o.name, rootline::gui::helpText(o), o.valueName, o.defaultValue);
        parser.addOption(option);
        options.emplace(o.name, option);
    }
    const QCommandLineOption& bundle = options.at(rootline::gui::opt::bundle);
    const QCommandLineOption& screenshot = options.at(rootline::gui::opt::screenshot);
    const QCommandLineOption& size = options.at(rootline::gui::opt::size);
    const QCommandLineOption& windowOption = options.at(rootline::gui::opt::window);
    const QCommandLineOption& sourcesOption = options.at(rootline::gui::opt::sources);
    const QCommandLineOption& traceOption = options.at(rootline::gui::opt::trace);
    const QCommandLineOption& stepOption = options.at(rootline::gui::opt::step);
    const QCommandLineOption& paneOption = options.at(rootline::gui::opt::pane);
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A cache or bundle to open (same as --bundle)."), QStringLiteral("[FILE]"));
    parser.process(app);

    QString bundlePath = parser.value(bundle);
    if (bundlePath.isEmpty() && !parser.positionalArguments().isEmpty())
        bundlePath = parser.positionalArguments().constFirst();
    const QString pane = parser.value(paneOption);
    if (!pane.isEmpty() && !QStringList{QStringLiteral("metrics"), QStringLiteral("logs"), QStringLiteral("traces"),
                                        QStringLiteral("investigation"), QStringLiteral("live")}.contains(pane)) {
        std::fprintf(stderr, "rootline: --pane %s: no such pane (metrics, logs, traces, investigation or live)\n", qPrintable(pane));
        return 2;
    }
    QString shotPath = parser.value(screenshot);
    if (shotPath.isEmpty() && headless)
        shotPath = QDir::current().absoluteFilePath(QStringLiteral("rootline-screenshot.png"));

    // The starting focus, checked before any window appears.
    std::optional<rootline::TimeWindow> startWindow;
    if (parser.isSet(windowOption)) {
        const QStringList parts = parser.value(windowOption).split(QLatin1Char(','));
        std::optional<rootline::Timestamp> from, to;
        if (parts.size() == 2) {
            const rootline::Timestamp now = rootline::Clock::current().now();
            if (auto t = rootline::parseUserTime(parts[0].trimmed().toStdString(), now))
                from = *t;
            if (auto t = rootline::parseUserTime(parts[1].trimmed().toStdString(), now))
                to = *t;
        }
        if (!from || !to || !(*from < *to)) {
            std::fprintf(stderr, "rootline: --window wants FROM,TO with FROM before TO (RFC 3339, Unix seconds or now-15m), got \"%s\"\n",
                         qPrintable(parser.value(windowOption)));
            return 2;
        }
        startWindow = rootline::TimeWindow{*from, *to};
    }
    std::optional<rootline::TraceId> startTrace;
    if (parser.isSet(traceOption)) {
        auto id = rootline::parseTraceId(parser.value(traceOption).toStdString());
        if (!id) {
            std::fprintf(stderr, "rootline: --trace: %s\n", id.error().message().c_str());
            return 2;
        }
        startTrace = *id;
    }

    int startStep = -1;
    if (parser.isSet(stepOption)) {
        for (int k = 0; k < rootline::kStepCount; ++k)
            if (parser.value(stepOption) == QLatin1String(rootline::stepName(rootline::StepKind(k))))
                startStep = k;
        if (startStep < 0) {
            std::fprintf(stderr, "rootline: --step wants alert, sli, logs, traces, span, trace-logs, reproduction or confirmation, got \"%s\"\n",
                         qPrintable(parser.value(stepOption)));
            return 2;
        }
    }
    rootline::MainWindow window;
    window.setSampleIncident(rootline::gui::findSampleIncident(QCoreApplication::applicationDirPath()));
    if (parser.isSet(sourcesOption)) {
        const QString path = parser.value(sourcesOption);
        if (!QFileInfo::exists(path)) {
            std::fprintf(stderr, "rootline: --sources: no such file: %s\n", qPrintable(path));
            return 2;
        }
        window.setSourcesPath(path);
    }
    if (!shotPath.isEmpty()) {
        const auto m = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(parser.value(size));
        if (!m.hasMatch()) {
            std::fprintf(stderr, "rootline: --size wants WIDTHxHEIGHT, e.g. 1600x1000 (got \"%s\")\n", qPrintable(parser.value(size)));
            return 2;
        }
        window.resize(m.captured(1).toInt(), m.captured(2).toInt());
    }
    // The dock layout, zone and theme of the last session; a screenshot shows the default layout.
    if (shotPath.isEmpty())
        window.restoreSettings();
    window.show();
#ifdef NDEBUG
    const bool watch = qEnvironmentVariableIntValue("ROOTLINE_WATCHDOG") == 1;
#else
    const bool watch = true; // debug builds: every UI-thread stall over 50 ms is logged
#endif
    if (watch)
        new rootline::UiWatchdog(50, &app);

    if (bundlePath.isEmpty())
        window.showWelcome();
    if (!bundlePath.isEmpty()) {
        // Interactive runs show the error in a dialog; a screenshot run has nobody to click it.
        if (shotPath.isEmpty()) {
            // After saying why, offer the ways to begin rather than an empty window.
            if (!window.openCacheInteractive(bundlePath))
                window.showWelcome();
        } else if (auto status = window.openCache(bundlePath); !status) {
            std::fprintf(stderr, "rootline: %s\n", status.error().message().c_str());
            return 2;
        }
        if (startWindow)
            window.focus()->setWindow(*startWindow);
        if (startTrace)
            window.focus()->setTrace(*startTrace);
        // The guided walk's step, once the investigation has run (it is part of the first load).
        if (startStep >= 0)
            QObject::connect(&window, &rootline::MainWindow::loaded, window.investigationPane(),
                             [&window, startStep] { window.investigationPane()->goToStep(startStep); });
    }
    if (shotPath.isEmpty())
        return app.exec();

    int exitCode = 0;
    auto grabAndQuit = [&] {
        exitCode = writeScreenshot(window, shotPath, pane);
        app.exit(exitCode);
    };
    if (bundlePath.isEmpty()) {
        QTimer::singleShot(0, &window, grabAndQuit);
    } else {
        // Loaded → one more turn of the event loop so layouts and the plot repaint, then grab. A
        // --step moves the panes after the first load: wait for what that started, too.
        QObject::connect(&window, &rootline::MainWindow::loaded, &window, [&] {
            if (window.session()->isLoading())
                QObject::connect(window.session(), &rootline::CacheSession::loaded, &window, [&] { QTimer::singleShot(300, &window, grabAndQuit); },
                                 Qt::SingleShotConnection);
            else
                QTimer::singleShot(50, &window, grabAndQuit);
        });
        QTimer::singleShot(120'000, &window, [&] {
            std::fprintf(stderr, "rootline: still loading after 120 s; writing the screenshot as it is\n");
            grabAndQuit();
        });
    }
    app.exec();
    return exitCode;
}
