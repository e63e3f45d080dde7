// Fetching from the GUI (issue 4 item 8), offscreen, against a faithful fake Loki: a LogQL query
// typed into the log pane's bar is fetched on a worker into the open cache, the bar shows progress
// and then what came of it, the log table holds the fetched lines and the history the query; Cancel
// during a slow answer ends promptly with the cache's rows as they were and the bar saying so;
// completion is fed by Loki's labels endpoints and cached; with no cache open a fetch creates one.
#include "CacheSession.h"
#include "CacheTestUtil.h"
#include "CompletionService.h"
#include "FetchController.h"
#include "Focus.h"
#include "LogPane.h"
#include "LogTableModel.h"
#include "MainWindow.h"
#include "QueryBar.h"
#include "TimelinePane.h"
#include "TraceListModel.h"
#include "TracePane.h"
#include "UiTestCache.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "cache/Sqlite.h"
#include "support/FakeJaegerServer.h"
#include "support/FakeLokiServer.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;
using namespace rootline::test;

namespace {

constexpr int64_t kT0 = 1763908000000000000; // 2025-11-23T14:26:40Z
constexpr int kLines = 300;

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

template <class Server> std::string problemsText(const Server& server) {
    std::string out;
    for (const auto& p : server.problems())
        out += p + "\n";
    return out;
}

void addStreams(FakeLokiServer& server) {
    FakeLokiStream checkout{{{"app", "checkout"}, {"env", "prod"}}, {}};
    FakeLokiStream payment{{{"app", "payment"}, {"env", "prod"}}, {}};
    for (int i = 0; i < kLines; ++i)
        (i % 3 == 0 ? payment : checkout)
            .entries.push_back({kT0 + int64_t(i) * 10'000'000,
                                "line " + std::to_string(i) + " of the incident",
                                {}});
    server.addStream(std::move(checkout));
    server.addStream(std::move(payment));
}

int64_t logCount(const QString& cache) {
    auto reader = CacheReader::open(cache.toStdString());
    if (!reader)
        return -1;
    auto o = (*reader)->overview();
    return o ? o->logs : -1;
}

// With ROOTLINE_GRAB_DIR set, the window is saved at interesting moments (to look at it, not to
// test).
void grabFor(QWidget& window, const char* name) {
    const QString dir = qEnvironmentVariable("ROOTLINE_GRAB_DIR");
    if (!dir.isEmpty())
        window.grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

std::vector<FetchRecord> fetchRows(const QString& cache) {
    auto reader = CacheReader::open(cache.toStdString());
    if (!reader)
        return {};
    auto f = (*reader)->fetches();
    return f ? *f : std::vector<FetchRecord>{};
}

} // namespace

class TestGuiFetch : public QObject {
    Q_OBJECT
    QTemporaryDir
        m_home; // XDG config/data: settings, the sources file and default caches stay here
    QString m_sourcesPath;

    QString writeSources(const std::string& url,
                         const QString& name = QStringLiteral("sources.yaml")) {
        const QString path = m_home.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(QByteArray("sources:\n  - name: loki-test\n    kind: loki\n    url: ") +
                QByteArray::fromStdString(url) + "\n");
        return path;
    }

    // A window with the sources file, an (optionally new) cache, and the focus on the fake data.
    void prepare(MainWindow& window, const QString& sources, const QString& cache) {
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setSourcesPath(sources);
        if (!cache.isEmpty()) {
            auto s = window.newCache(cache);
            QVERIFY2(s.ok(), s ? "" : s.error().message().c_str());
            QTRY_VERIFY_WITH_TIMEOUT(window.session()->isLoaded(), 30000);
        }
        window.focus()->setWindow({Timestamp::fromNanos(kT0 - 1'000'000'000),
                                   Timestamp::fromNanos(kT0 + 10'000'000'000)});
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("RootlineTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_gui_fetch"));
        QSettings().clear();
    }

    void sourcesAreOfferedPerPaneAndRemembered() {
        const QString path = m_home.filePath(QStringLiteral("mixed-sources.yaml"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("sources:\n"
                    "  - {name: prom, kind: prometheus, url: 'http://127.0.0.1:9'}\n"
                    "  - {name: loki, kind: loki, url: 'http://127.0.0.1:9'}\n"
                    "  - {name: jaeger, kind: jaeger, url: 'http://127.0.0.1:9'}\n");
        }
        MainWindow window;
        window.setSourcesPath(path);
        QCOMPARE(window.sources().size(), size_t(3));
        auto offered = [&](QueryPane pane) {
            QStringList names;
            for (const auto& s : window.queryBar(pane)->sources())
                names << q(s.name);
            return names;
        };
        QCOMPARE(offered(QueryPane::Metrics),
                 (QStringList{QStringLiteral("prom"), QStringLiteral("loki")}));
        QCOMPARE(offered(QueryPane::Logs), QStringList{QStringLiteral("loki")});
        QCOMPARE(offered(QueryPane::Traces), QStringList{QStringLiteral("jaeger")});
        QVERIFY(window.queryBar(QueryPane::Metrics)
                    ->editor()
                    ->placeholderText()
                    .startsWith(QStringLiteral("PromQL")));

        // The user picks Loki for metrics: the next window starts with it.
        QComboBox* box = window.queryBar(QueryPane::Metrics)->sourceBox();
        box->setCurrentIndex(1);
        emit box->activated(1);
        QVERIFY(window.queryBar(QueryPane::Metrics)
                    ->editor()
                    ->placeholderText()
                    .startsWith(QStringLiteral("LogQL metric query")));
        MainWindow next;
        next.setSourcesPath(path);
        QCOMPARE(next.queryBar(QueryPane::Metrics)->currentSource(), QStringLiteral("loki"));
        QSettings().remove(QStringLiteral("queryBar"));
    }

    // The window fetching while another writer (here this test, as a terminal's import would) has
    // a unit open on the same cache: the fetch waits its turn, past SQLite's old 5 s give-up, and
    // then stores everything (issue 13, item 3).
    void fetchWaitsItsTurnBehindAnotherWriter() {
        FakeLokiServer server;
        addStreams(server);
        QVERIFY(server.start());
        const QString cache = m_home.filePath(QStringLiteral("turns.rootline"));
        MainWindow window;
        prepare(window, writeSources(server.url()), cache);

        auto other = CacheWriter::open(cache.toStdString());
        QVERIFY2(other.ok(), other.ok() ? "" : other.error().message().c_str());
        auto unit = testutil::beginTestUnit(**other);
        TelemetryBatch batch = testutil::numberedLogs(1, "imported from a terminal");
        QVERIFY(unit->append(std::move(batch)));
        QTest::qWait(300); // the unit's transaction begins when its batch is stored

        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        QueryBar* bar = window.queryBar(QueryPane::Logs);
        bar->setQuery(QStringLiteral("{env=\"prod\"}"));
        bar->run();
        QVERIFY(window.fetchController()->isRunning());
        QVERIFY(!finished.wait(6000)); // still waiting its turn, not failed
        QVERIFY(bar->isFetching());
        QVERIFY(unit->commit());
        QVERIFY(finished.wait(30000));
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Complete));
        other->reset();
        QCOMPARE(logCount(cache), kLines + 1);
    }

    void fetchesLogsIntoTheCache() {
        FakeLokiServer server;
        addStreams(server);
        QVERIFY(server.start());
        const QString cache = m_home.filePath(QStringLiteral("fetch.rootline"));
        MainWindow window;
        prepare(window, writeSources(server.url()), cache);
        QueryBar* bar = window.queryBar(QueryPane::Logs);
        QVERIFY(bar);
        QCOMPARE(bar->currentSource(), QStringLiteral("loki-test"));
        QVERIFY(bar->fetchButton()->isEnabled());
        // Loki serves logs and metrics, not traces: only the bars it can feed offer it.
        QCOMPARE(window.queryBar(QueryPane::Metrics)->currentSource(), QStringLiteral("loki-test"));
        QVERIFY(window.queryBar(QueryPane::Traces)->currentSource().isEmpty());
        QCOMPARE(window.queryBar(QueryPane::Traces)->fetchButton()->text(),
                 QStringLiteral("Add source…"));

        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        const QString query = QStringLiteral("{env=\"prod\"}");
        bar->editor()->setFocus();
        QTest::keyClicks(bar->editor(), query);
        QCOMPARE(bar->query(), query);
        QTest::keyClick(bar->editor(), Qt::Key_Return);
        QVERIFY(window.fetchController()->isRunning());
        QVERIFY(bar->isFetching());
        QVERIFY(bar->cancelButton()->isVisibleTo(bar));
        QVERIFY(!bar->fetchButton()->isVisibleTo(bar));
        QVERIFY(!window.queryBar(QueryPane::Metrics)
                     ->fetchButton()
                     ->isEnabled()); // one fetch at a time
        QVERIFY(bar->statusText().startsWith(QStringLiteral("Fetching from loki-test")));

        QVERIFY(finished.wait(30000));
        QVERIFY(!bar->isFetching());
        QVERIFY(!bar->cancelButton()->isVisibleTo(bar));
        QVERIFY(window.queryBar(QueryPane::Metrics)->fetchButton()->isEnabled());
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Complete));
        QCOMPARE(bar->statusText(), QStringLiteral("Complete: 300 logs from the network."));
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());

        // The panes reloaded from the cache: the log table shows the fetched lines.
        QTRY_COMPARE_WITH_TIMEOUT(window.logPane()->matchCount(), qint64(kLines), 30000);
        LogTableModel* model = window.logPane()->model();
        QTRY_VERIFY(model->rowCount() > 0);
        grabFor(window, "fetched");
        QVERIFY(model->data(model->index(0, LogTableModel::BodyColumn))
                    .toString()
                    .endsWith(QStringLiteral(" of the incident")));
        QCOMPARE(logCount(cache), kLines);

        // The history holds the query, most recent first, and Up recalls it.
        QCOMPARE(bar->history().entries(), QStringList{query});
        // … in the drop-down too, where choosing it puts it back in the field.
        QVERIFY(bar->historyButton()->isEnabled());
        bar->historyButton()->click();
        QTRY_VERIFY(bar->historyMenu()->isVisible());
        QCOMPARE(bar->historyMenu()->actions().first()->text(), query);
        bar->editor()->clear();
        bar->historyMenu()->actions().first()->trigger();
        bar->historyMenu()->hide();
        QCOMPARE(bar->query(), query);
        bar->editor()->clear();
        QTest::keyClick(bar->editor(), Qt::Key_Up);
        QCOMPARE(bar->query(), query);
        QTest::keyClick(bar->editor(), Qt::Key_Down);
        QCOMPARE(bar->query(), QString());
        // … persisted per pane and source: a new bar over the same source has it.
        QueryBar again(QueryPane::Logs, nullptr);
        again.setSources(window.sources());
        QCOMPARE(again.history().entries(), QStringList{query});
        QueryBar metrics(QueryPane::Metrics, nullptr);
        metrics.setSources(window.sources());
        QVERIFY(metrics.history().isEmpty());

        // The same query again is answered from the cache: nothing new, no request.
        const int requests = server.queryCount();
        bar->setQuery(query);
        bar->run();
        QVERIFY(window.fetchController()->isRunning());
        QVERIFY(finished.wait(30000));
        QCOMPARE(server.queryCount(), requests);
        QVERIFY2(bar->statusText().contains(QStringLiteral("already in the cache")),
                 qPrintable(bar->statusText()));
        QCOMPARE(logCount(cache), kLines);
    }

    void cancelLeavesTheCacheAsItWas() {
        FakeLokiServer server;
        addStreams(server);
        server.setFaultDelay(std::chrono::seconds(60));
        server.injectFault(LokiFault::Slow);
        QVERIFY(server.start());
        const QString cache = m_home.filePath(QStringLiteral("cancel.rootline"));
        MainWindow window;
        prepare(window, writeSources(server.url(), QStringLiteral("cancel-sources.yaml")), cache);
        const int64_t before = logCount(cache);
        QCOMPARE(before, 0);
        const size_t fetchesBefore = fetchRows(cache).size();

        QueryBar* bar = window.queryBar(QueryPane::Logs);
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(QStringLiteral("{app=\"checkout\"}"));
        bar->run();
        QVERIFY(bar->isFetching());
        QTRY_VERIFY_WITH_TIMEOUT(server.queryCount() >= 1,
                                 10000); // the request is waiting on the server
        QTRY_VERIFY(
            bar->statusText().contains(QStringLiteral(" s"))); // progress ticks while waiting
        grabFor(window, "fetching");
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(bar->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        QVERIFY2(clock.elapsed() < 5000, "cancel must not wait for the slow server");
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Cancelled));
        QCOMPARE(bar->statusText(), QStringLiteral("Cancelled — nothing was stored."));
        QVERIFY(bar->fetchButton()->isVisibleTo(bar));
        grabFor(window, "cancelled");

        // No rows entered the cache; the attempt is on record as partial ("cancelled"), so it never
        // counts as coverage and the next fetch asks again.
        QCOMPARE(logCount(cache), before);
        const auto rows = fetchRows(cache);
        QCOMPARE(rows.size(), fetchesBefore + 1);
        for (size_t i = fetchesBefore; i < rows.size(); ++i) {
            QVERIFY(!rows[i].complete);
            QCOMPARE(rows[i].rows, 0);
            QCOMPARE(q(rows[i].message), QStringLiteral("cancelled"));
        }
        QCOMPARE(window.logPane()->matchCount(), qint64(0));
    }

    void cancelKeepsWhatArrivedMarkedPartial() {
        // Two pages' worth of lines; the second page never comes.
        FakeLokiServer server;
        FakeLokiStream big{{{"app", "big"}}, {}};
        for (int i = 0; i < 6000; ++i)
            big.entries.push_back(
                {kT0 + int64_t(i) * 1'000'000, "big line " + std::to_string(i), {}});
        server.addStream(std::move(big));
        server.setFaultDelay(std::chrono::seconds(60));
        server.injectFault(LokiFault::Slow, 1);
        QVERIFY(server.start());
        const QString cache = m_home.filePath(QStringLiteral("partial.rootline"));
        MainWindow window;
        prepare(window, writeSources(server.url(), QStringLiteral("partial-sources.yaml")), cache);
        QueryBar* bar = window.queryBar(QueryPane::Logs);
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(QStringLiteral("{app=\"big\"}"));
        bar->run();
        QTRY_VERIFY_WITH_TIMEOUT(server.queryCount() >= 2, 10000); // the first page is in
        QTRY_VERIFY(bar->statusText().contains(QStringLiteral("5,000 records")));
        bar->cancelButton()->click();
        QVERIFY(finished.wait(10000));
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Cancelled));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral(
                     "Cancelled — kept 5,000 logs fetched before the cancel, marked PARTIAL.")),
                 qPrintable(bar->statusText()));
        QCOMPARE(logCount(cache), 5000);
        const auto rows = fetchRows(cache);
        QCOMPARE(rows.size(), size_t(1));
        QVERIFY(!rows[0].complete); // never counts as coverage: the next fetch asks again
        QCOMPARE(rows[0].rows, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(window.logPane()->matchCount(), qint64(5000), 30000);
    }

    void completionComesFromTheSourceLabels() {
        FakeLokiServer server;
        addStreams(server);
        QVERIFY(server.start());
        MainWindow window;
        prepare(window, writeSources(server.url(), QStringLiteral("completion-sources.yaml")),
                QString());
        QueryBar* bar = window.queryBar(QueryPane::Logs);
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        bar->editor()->setFocus();
        QTRY_VERIFY(bar->editor()->hasFocus());
        QTest::keyClicks(bar->editor(), QStringLiteral("{"));
        QCOMPARE(bar->completionContext().what, CompletionContext::What::LabelName);
        QTRY_VERIFY_WITH_TIMEOUT(bar->completionItems().contains(QStringLiteral("app")), 10000);
        QTRY_VERIFY(bar->completer()->popup()->isVisible()); // the list pops up once it is in
        QVERIFY(bar->completionItems().contains(QStringLiteral("env")));
        // Enter in the open list takes the highlighted name (and opens its value); it fetches
        // nothing.
        QTest::keyClick(bar->completer()->popup(), Qt::Key_Return);
        QCOMPARE(bar->query(), QStringLiteral("{app=\""));
        QVERIFY(!window.fetchController()->isRunning());
        bar->setQuery(QStringLiteral("{"));
        bar->editor()->setCursorPosition(1);

        QTest::keyClicks(bar->editor(), QStringLiteral("app=\""));
        QCOMPARE(bar->completionContext().what, CompletionContext::What::LabelValue);
        QCOMPARE(bar->completionContext().label, QStringLiteral("app"));
        QTRY_VERIFY_WITH_TIMEOUT(bar->completionItems().contains(QStringLiteral("payment")), 10000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("checkout")));
        // Typing narrows the list the popup shows.
        QTest::keyClicks(bar->editor(), QStringLiteral("che"));
        QCOMPARE(bar->completer()->completionPrefix(), QStringLiteral("che"));
        QCOMPARE(bar->completer()->completionCount(), 1);
        // Choosing a value closes its quote.
        emit bar->completer()->activated(QStringLiteral("checkout"));
        QCOMPARE(bar->query(), QStringLiteral("{app=\"checkout\""));

        bool sawLabels = false, sawValues = false;
        for (const auto& r : server.requests()) {
            sawLabels |= r.path == "/loki/api/v1/labels";
            sawValues |= r.path == "/loki/api/v1/label/app/values";
            if (r.path.rfind("/loki/api/v1/label", 0) == 0) {
                // The lookups cover the fetch window (the focus), not Loki's default 6 hours.
                QCOMPARE(r.param("start").value_or(""), std::to_string(kT0 - 1'000'000'000));
            }
        }
        QVERIFY(sawLabels);
        QVERIFY(sawValues);
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());

        // Cached per source: asking again sends nothing.
        const int sent = window.completionService()->requestsSent();
        bar->setQuery(QString());
        QTest::keyClicks(bar->editor(), QStringLiteral("{"));
        QVERIFY(bar->completionItems().contains(QStringLiteral("app")));
        QCOMPARE(window.completionService()->requestsSent(), sent);
    }

    void fetchWithNoCacheCreatesOne() {
        FakeLokiServer server;
        addStreams(server);
        QVERIFY(server.start());
        MainWindow window;
        prepare(window, writeSources(server.url(), QStringLiteral("nocache-sources.yaml")),
                QString());
        QVERIFY(!window.session()->isOpen());
        QueryBar* bar = window.queryBar(QueryPane::Logs);
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(QStringLiteral("{app=\"payment\"}"));
        bar->run();
        QVERIFY(finished.wait(30000));
        QVERIFY(window.session()->isOpen());
        const QString path = window.session()->path();
        QVERIFY2(path.startsWith(MainWindow::defaultCacheDirectory()), qPrintable(path));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral(
                     "Complete: 100 logs from the network. Stored in a new cache, fetched-")),
                 qPrintable(bar->statusText()));
        QCOMPARE(logCount(path), 100);
        QTRY_COMPARE_WITH_TIMEOUT(window.logPane()->matchCount(), qint64(100), 30000);
    }

    void metricQueryJoinsTheTimeline() {
        FakeLokiServer server;
        addStreams(server);
        QVERIFY(server.start());
        // A cache with series of its own: the user's view of them stays, the fetched one is added.
        const QString cache = m_home.filePath(QStringLiteral("metrics.rootline"));
        QVERIFY(uitest::writeUiTestCache(cache).ok());
        {
            // As bundles are shipped: a rollback journal, not WAL. The fetch's writer switches it
            // to WAL while the window's reader has it open.
            auto db = sql::Database::open(cache.toStdString(), SQLITE_OPEN_READWRITE);
            QVERIFY(db.ok());
            QVERIFY(db->exec("PRAGMA journal_mode = DELETE").ok());
        }
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setSourcesPath(writeSources(server.url(), QStringLiteral("metrics-sources.yaml")));
        QSignalSpy loaded(&window, &MainWindow::loaded);
        // What failed on a worker, for the message if the timeline never shows the series (seen
        // once in a CI pass under load: no series at all after the reload; cause not yet known).
        QStringList jobErrors;
        connect(window.session(), &CacheSession::jobFailed, this, [&jobErrors](const QString& m) { jobErrors << m; });
        QVERIFY(window.openCache(cache).ok());
        QVERIFY(loaded.wait(30000));
        TimelinePane* timeline = window.timelinePane();
        const QStringList before = timeline->selectedSeries();
        QVERIFY(!before.isEmpty());
        const size_t specsBefore = timeline->availableSeries().size();
        window.focus()->setWindow(
            {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 3'000'000'000)});

        QueryBar* bar = window.queryBar(QueryPane::Metrics);
        QCOMPARE(bar->currentSource(), QStringLiteral("loki-test"));
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(
            QStringLiteral("count_over_time({env=\"prod\"}[1s])")); // what the fake Loki evaluates
        bar->run();
        QVERIFY(finished.wait(30000));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Complete: 2 series (")),
                 qPrintable(bar->statusText()));
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
        QTRY_VERIFY2_WITH_TIMEOUT(timeline->availableSeries().size() == specsBefore + 2,
                                  qPrintable(QStringLiteral("%1 series, %2 expected; worker errors: %3; session %4")
                                                 .arg(timeline->availableSeries().size())
                                                 .arg(specsBefore + 2)
                                                 .arg(jobErrors.join(QStringLiteral(" | ")))
                                                 .arg(window.session()->isOpen() ? QStringLiteral("open") : QStringLiteral("closed"))),
                                  30000);
        QTRY_VERIFY(timeline->isLoaded());
        const QStringList after = timeline->selectedSeries();
        for (const QString& id : before)
            QVERIFY2(after.contains(id), qPrintable(id)); // the user's choice stays
        QCOMPARE(after.size(), before.size() + 2);        // and the fetched series are drawn
    }

    void traceBarSearchesAndOpensById() {
        FakeJaegerServer jaeger(JaegerFlavour::Both);
        const std::string traceA = "00000000000000000000000000000abc";
        const std::string traceB = "0000000000000000000000000000def1";
        const int64_t us = kT0 / 1000;
        jaeger.addSpan({traceA,
                        "00000000000000a1",
                        "",
                        "checkout",
                        "POST /checkout",
                        us,
                        1500000,
                        {},
                        false,
                        2});
        jaeger.addSpan({traceA,
                        "00000000000000a2",
                        "00000000000000a1",
                        "payment",
                        "charge",
                        us + 10,
                        1400000,
                        {},
                        true,
                        3});
        jaeger.addSpan({traceB,
                        "00000000000000b1",
                        "",
                        "frontend",
                        "GET /",
                        us + 500000,
                        20000,
                        {},
                        false,
                        2});
        QVERIFY(jaeger.start());
        const QString sources = m_home.filePath(QStringLiteral("jaeger-sources.yaml"));
        {
            QFile f(sources);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("sources:\n  - name: jaeger-test\n    kind: jaeger\n    url: ") +
                    QByteArray::fromStdString(jaeger.url()) + "\n");
        }
        MainWindow window;
        prepare(window, sources, m_home.filePath(QStringLiteral("traces.rootline")));
        QueryBar* bar = window.queryBar(QueryPane::Traces);
        QCOMPARE(bar->currentSource(), QStringLiteral("jaeger-test"));
        QVERIFY(window.queryBar(QueryPane::Logs)->currentSource().isEmpty()); // Jaeger has no logs

        // Search terms complete: keys built in, services from the source.
        QTest::keyClicks(bar->editor(), QStringLiteral("ser"));
        QVERIFY(bar->completionItems().contains(QStringLiteral("service")));
        bar->setQuery(QString());
        QTest::keyClicks(bar->editor(), QStringLiteral("service="));
        QCOMPARE(bar->completionContext().what, CompletionContext::What::SearchValue);
        QTRY_VERIFY_WITH_TIMEOUT(bar->completionItems().contains(QStringLiteral("checkout")),
                                 10000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("frontend")));

        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(QStringLiteral("service=checkout"));
        bar->run();
        QVERIFY(finished.wait(30000));
        QVERIFY2(
            bar->statusText().startsWith(QStringLiteral("Complete: 2 spans from the network.")),
            qPrintable(bar->statusText()));
        QTRY_COMPARE_WITH_TIMEOUT(window.tracePane()->model()->rowCount(), 1, 30000);

        // A trace id opens that one trace, whatever the window.
        bar->setQuery(QString::fromStdString(traceB).toUpper());
        bar->run();
        QVERIFY(finished.wait(30000));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Complete: 1 span from the network.")),
                 qPrintable(bar->statusText()));
        QTRY_COMPARE_WITH_TIMEOUT(window.tracePane()->model()->rowCount(), 2, 30000);
        QVERIFY2(jaeger.problems().empty(), problemsText(jaeger).c_str());
        QCOMPARE(bar->history().entries().size(), 2);
    }

    void failureSaysWhereAndWhy() {
        MainWindow window;
        // Nothing listens on port 9: the connection is refused.
        prepare(window, writeSources("http://127.0.0.1:9", QStringLiteral("down-sources.yaml")),
                m_home.filePath(QStringLiteral("down.rootline")));
        QueryBar* bar = window.queryBar(QueryPane::Logs);
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(QStringLiteral("{app=\"x\"}"));
        bar->run();
        QVERIFY(finished.wait(60000));
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Failed));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Failed: ")),
                 qPrintable(bar->statusText()));
        QVERIFY2(bar->statusDetails().contains(QStringLiteral("Where: ")),
                 qPrintable(bar->statusDetails()));
        QVERIFY(bar->statusDetails().contains(QStringLiteral("Nothing was stored")));
        grabFor(window, "failed");
        // An empty query never reaches the source.
        bar->setQuery(QStringLiteral("  "));
        bar->run();
        QVERIFY(!window.fetchController()->isRunning());
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Failed));
        QVERIFY(bar->statusText().startsWith(QStringLiteral("Type a query first")));
    }
};

QTEST_MAIN(TestGuiFetch)
#include "tst_gui_fetch.moc"
