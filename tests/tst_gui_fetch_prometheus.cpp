// The metrics bar against a REAL Prometheus (Debian's /usr/bin/prometheus, started here on
// 127.0.0.1 over a temporary data directory backfilled with promtool): metric names, label names
// and label values complete from the server, and a PromQL query typed into the bar is fetched into
// the cache and drawn on the timeline. As tst_prometheus_live does for the connector, Prometheus
// also scrapes a live OpenMetrics target served here (exemplars, exemplar storage on) and evaluates
// a rule file with two alerts that fire: a metric query brings its exemplars along (the timeline's
// diamonds open their traces), and "Fetch alerts" pulls the alerts into the cache, where the
// investigation pane lists them and choosing one starts the guided investigation on it.
// A missing `prometheus` FAILS the test (style.md §9).
#include "CacheSession.h"
#include "FetchController.h"
#include "Focus.h"
#include "InvestigationPane.h"
#include "MainWindow.h"
#include "QueryBar.h"
#include "TimelinePane.h"
#include "cache/CacheReader.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "prometheus/PrometheusConnector.h"
#include "support/LoopbackHttpServer.h"
#include "support/PrometheusProcess.h"
#include "qcustomplot.h"

#include <QComboBox>
#include <QCompleter>
#include <QPushButton>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <fstream>
#include <memory>
#include <set>

using namespace rootline;
using rootline::test::HttpServerConnection;
using rootline::test::HttpServerRequest;
using rootline::test::LoopbackHttpServer;
using rootline::test::PrometheusProcess;

namespace {

// ROOTLINE_TEST_SCREENSHOTS=DIR keeps a picture of the window at the moments worth looking at.
void screenshot(QWidget& window, const char* name) {
    const QString dir = qEnvironmentVariable("ROOTLINE_TEST_SCREENSHOTS");
    if (!dir.isEmpty())
        window.grab().save(QDir(dir).filePath(QString::fromLatin1(name) + QStringLiteral(".png")));
}


} // namespace

class TestGuiFetchPrometheus : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    PrometheusProcess m_prometheus;
    QString m_sources;
    TimeWindow m_history;
    std::unique_ptr<LoopbackHttpServer> m_target;
    std::atomic_int m_scrapes{0};
    Timestamp m_started;
    std::unique_ptr<http::HttpClient> m_http;
    std::unique_ptr<PrometheusConnector> m_connector;

    // The live target's page: a counter with 5xx exemplars and a histogram whose buckets carry
    // exemplars linking traces (timestamps now, so they fall in the live window).
    std::string metricsText() {
        const int n = ++m_scrapes;
        const Timestamp now = Clock::current().now();
        const std::string ts = std::to_string(now.millis() / 1000) + "." +
                               QString::number(now.millis() % 1000).rightJustified(3, u'0').toStdString();
        std::string t;
        t += "# TYPE checkout_requests counter\n";
        t += "checkout_requests_total{service=\"checkout\",code=\"200\"} " + std::to_string(90 * n) + "\n";
        t += "checkout_requests_total{service=\"checkout\",code=\"500\"} " + std::to_string(10 * n) +
             " # {trace_id=\"5b8efff798038103d269b633813fc60c\"} 1 " + ts + "\n";
        t += "# TYPE checkout_request_duration_seconds histogram\n";
        t += "checkout_request_duration_seconds_bucket{service=\"checkout\",le=\"0.1\"} " +
             std::to_string(50 * n) +
             " # {trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\",span_id=\"00f067aa0ba902b7\"} 0.043 " + ts + "\n";
        t += "checkout_request_duration_seconds_bucket{service=\"checkout\",le=\"1.0\"} " +
             std::to_string(90 * n) + " # {trace_id=\"0af7651916cd43dd8448eb211c80319c\"} 0.87 " + ts + "\n";
        t += "checkout_request_duration_seconds_bucket{service=\"checkout\",le=\"+Inf\"} " +
             std::to_string(100 * n) + "\n";
        t += "checkout_request_duration_seconds_sum{service=\"checkout\"} " + std::to_string(12.5 * n) + "\n";
        t += "checkout_request_duration_seconds_count{service=\"checkout\"} " + std::to_string(100 * n) + "\n";
        t += "# EOF\n";
        return t;
    }

    // A window over the live scrapes (the target has been scraped a few times).
    TimeWindow liveWindow() {
        return {m_started - Duration::seconds(5), Clock::current().now() + Duration::seconds(1)};
    }

    // Exemplars Prometheus itself holds for `query` over `window` (trace ids).
    std::multiset<std::string> serverExemplars(const std::string& query, TimeWindow window) {
        std::multiset<std::string> out;
        auto r = m_connector->exemplars(query, window);
        if (!r)
            return out;
        for (const auto& s : *r)
            for (const auto& e : s.exemplars)
                if (e.traceId)
                    out.insert(e.traceId->toHex());
        return out;
    }

    bool alertsFiring(const std::set<std::string>& names) {
        auto a = m_connector->alerts();
        if (!a)
            return false;
        std::set<std::string> firing;
        for (const auto& alert : *a)
            if (alert.state == AlertState::Firing)
                firing.insert(alert.name);
        return std::includes(firing.begin(), firing.end(), names.begin(), names.end());
    }

    // A shown main window over a new empty cache, with the test's sources.
    std::unique_ptr<MainWindow> newWindow(const QString& cacheName) {
        auto window = std::make_unique<MainWindow>();
        window->resize(1400, 900);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        window->setSourcesPath(m_sources);
        if (!window->newCache(m_dir.filePath(cacheName)))
            return nullptr;
        return window;
    }

    // Types `query` into the metrics bar and fetches it; the bar's result line.
    QString fetchMetrics(MainWindow& window, const QString& query) {
        QueryBar* bar = window.queryBar(QueryPane::Metrics);
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(query);
        QTest::keyClick(bar->editor(), Qt::Key_Return);
        if (!finished.wait(60000))
            return QStringLiteral("(no result)");
        return bar->statusText();
    }

private slots:
    void initTestCase() {
        if (const QString missing = test::prometheusMissing(); !missing.isEmpty())
            QFAIL(qPrintable(missing));
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("share")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("RootlineTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_gui_fetch_prometheus"));
        QSettings().clear();

        // 30 minutes of history ending an hour ago, a point every 10 s, for two services.
        const int64_t to = (Clock::current().now().seconds() - 3600) / 10 * 10;
        const int64_t from = to - 1800;
        m_history = {Timestamp::fromSeconds(from), Timestamp::fromSeconds(to)};
        std::string om = "# HELP checkout_latency_seconds Request latency.\n# TYPE "
                         "checkout_latency_seconds gauge\n";
        for (int64_t s = from; s <= to; s += 10)
            for (const char* service : {"checkout", "payment"})
                om += std::string("checkout_latency_seconds{job=\"shop\",service=\"") + service +
                      "\"} " + std::to_string(double((s / 10) % 7) * 0.1) + " " +
                      std::to_string(s) + "\n";
        om += "# EOF\n";
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QDir().mkpath(data);
        test::writeTextFile(m_dir.filePath(QStringLiteral("history.om")), om);
        QProcess promtool;
        promtool.start(QString::fromLatin1(test::kPromtoolBinary),
                       {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"),
                        QStringLiteral("openmetrics"), QStringLiteral("--quiet"),
                        m_dir.filePath(QStringLiteral("history.om")), data});
        QVERIFY(promtool.waitForFinished(60000));
        QVERIFY2(promtool.exitCode() == 0, promtool.readAllStandardError().constData());
        // The live target, and two alerts that fire: the burn-rate alert of tst_prometheus_live
        // and a second one, so the investigation cannot pick "the" firing alert by itself.
        m_target = std::make_unique<LoopbackHttpServer>(
            [this](const HttpServerRequest& req, HttpServerConnection& conn) {
                if (req.path == "/metrics")
                    conn.write(LoopbackHttpServer::response(
                        200, metricsText(), {},
                        "application/openmetrics-text; version=1.0.0; charset=utf-8"));
                else
                    conn.write(LoopbackHttpServer::response(404, "not found", {}, "text/plain"));
            });
        test::writeTextFile(m_dir.filePath(QStringLiteral("rules.yml")),
                  "groups:\n"
                  "  - name: slo\n"
                  "    interval: 1s\n"
                  "    rules:\n"
                  + std::string(test::kCheckoutBurnRateAlertRule) +
                  "      - alert: PaymentQueueBacklog\n"
                  "        expr: vector(1)\n"
                  "        labels: {severity: ticket, service: payment}\n"
                  "        annotations: {summary: payment queue is backing up}\n");
        test::writeTextFile(m_dir.filePath(QStringLiteral("prometheus.yml")),
                            test::prometheusConfig(m_dir.filePath(QStringLiteral("rules.yml")), m_target->port()));

        m_started = Clock::current().now();
        const QString failed = m_prometheus.start(m_dir.path(), m_dir.filePath(QStringLiteral("prometheus.yml")), data);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const QByteArray url = QByteArray::fromStdString(m_prometheus.url());
        m_sources = m_dir.filePath(QStringLiteral("sources.yaml"));
        QFile f(m_sources);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("sources:\n  - name: prom\n    kind: prometheus\n    url: " + url + "\n");
        f.close();
        Source source;
        source.name = "prom";
        source.type = SourceType::Prometheus;
        source.url = url.toStdString();
        m_http = std::make_unique<http::HttpClient>();
        m_connector = std::make_unique<PrometheusConnector>(source, *m_http);
    }

    void cleanupTestCase() {
        m_prometheus.stop();
    }

    void completesAndFetchesOntoTheTimeline() {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setSourcesPath(m_sources);
        auto created = window.newCache(m_dir.filePath(QStringLiteral("prom.rootline")));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->isLoaded(), 30000);
        window.focus()->setWindow(m_history);
        QueryBar* bar = window.queryBar(QueryPane::Metrics);
        QCOMPARE(bar->currentSource(), QStringLiteral("prom"));
        QVERIFY(
            window.queryBar(QueryPane::Logs)->currentSource().isEmpty()); // Prometheus has no logs

        // Metric names from the server (and PromQL's functions) as a name is typed.
        QTest::keyClicks(bar->editor(), QStringLiteral("checkout_lat"));
        QCOMPARE(bar->completionContext().what, CompletionContext::What::MetricName);
        QTRY_VERIFY_WITH_TIMEOUT(
            bar->completionItems().contains(QStringLiteral("checkout_latency_seconds")), 15000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("histogram_quantile")));
        emit bar->completer()->activated(QStringLiteral("checkout_latency_seconds"));
        QCOMPARE(bar->query(), QStringLiteral("checkout_latency_seconds"));
        // Label names of that metric, then a label's values.
        QTest::keyClicks(bar->editor(), QStringLiteral("{"));
        QCOMPARE(bar->completionContext().metric, QStringLiteral("checkout_latency_seconds"));
        QTRY_VERIFY_WITH_TIMEOUT(bar->completionItems().contains(QStringLiteral("service")), 15000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("job")));
        emit bar->completer()->activated(QStringLiteral("service"));
        QCOMPARE(bar->query(), QStringLiteral("checkout_latency_seconds{service=\""));
        QTRY_VERIFY_WITH_TIMEOUT(bar->completionItems().contains(QStringLiteral("payment")), 15000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("checkout")));

        // Fetch the metric over the focus window: two series on the timeline.
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(QStringLiteral("checkout_latency_seconds"));
        QTest::keyClick(bar->editor(), Qt::Key_Return);
        QVERIFY(finished.wait(60000));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Complete: 2 series (")),
                 qPrintable(bar->statusText()));
        TimelinePane* timeline = window.timelinePane();
        QTRY_COMPARE_WITH_TIMEOUT(timeline->availableSeries().size(), size_t(2), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->lineCount() == 2, 30000);
        QVERIFY(timeline->pointCount() > 100);
        QCOMPARE(bar->history().entries().first(), QStringLiteral("checkout_latency_seconds"));
    }

    // The metrics bar's fetch brings the query's exemplars along in the same action: one result
    // line counting them, the rows Prometheus holds in the cache, diamonds on the timeline that
    // open their traces.
    void exemplarsComeWithTheMetricQuery() {
        QTRY_VERIFY_WITH_TIMEOUT(m_scrapes.load() >= 4, 20000);
        const std::string query = "checkout_request_duration_seconds_bucket";
        const TimeWindow live = liveWindow();
        QTRY_VERIFY_WITH_TIMEOUT(serverExemplars(query, live).count("4bf92f3577b34da6a3ce929d0e0e4736") > 0, 20000);
        auto window = newWindow(QStringLiteral("exemplars.rootline"));
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isLoaded(), 30000);
        window->focus()->setWindow(live);
        const QString status = fetchMetrics(*window, QString::fromStdString(query));
        QVERIFY2(status.startsWith(QStringLiteral("Complete: 3 series (")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral(" exemplars from the network.")), qPrintable(status));
        QVERIFY2(!status.contains(QStringLiteral("Warning")), qPrintable(status));
        QVERIFY2(window->queryBar(QueryPane::Metrics)->statusDetails().contains(QStringLiteral("exemplars: ")),
                 qPrintable(window->queryBar(QueryPane::Metrics)->statusDetails()));

        // What Prometheus holds for the same query and window is what reached the cache. (Fetched
        // after the GUI's fetch: the window ends in the future, so it can only have grown.)
        auto reader = CacheReader::open(m_dir.filePath(QStringLiteral("exemplars.rootline")).toStdString());
        QVERIFY(reader);
        auto cached = (*reader)->exemplars(0, TimeWindow::all());
        QVERIFY(cached);
        std::multiset<std::string> cachedTraces;
        for (const auto& e : *cached) {
            QVERIFY(e.traceId);
            cachedTraces.insert(e.traceId->toHex());
        }
        const auto server = serverExemplars(query, live);
        QVERIFY2(cachedTraces.size() >= 2, std::to_string(cachedTraces.size()).c_str());
        QVERIFY(cachedTraces.size() <= server.size());
        for (const auto& id : cachedTraces)
            QVERIFY2(server.count(id) > 0, id.c_str());
        QVERIFY(cachedTraces.count("4bf92f3577b34da6a3ce929d0e0e4736") > 0);
        QVERIFY(cachedTraces.count("0af7651916cd43dd8448eb211c80319c") > 0);

        // The timeline draws them on the latency line; clicking one opens its trace.
        TimelinePane* timeline = window->timelinePane();
        QTRY_VERIFY_WITH_TIMEOUT(timeline->isLoaded() && timeline->exemplarCount() > 0, 30000);
        QCustomPlot* plot = timeline->plotWidget();
        std::optional<QPoint> at;
        for (int i = 0; i < timeline->exemplarCount() && !at; ++i) {
            auto p = timeline->exemplarPosition(i);
            if (p && plot->rect().contains(*p) && timeline->exemplarAt(*p))
                at = p;
        }
        QVERIFY(at);
        const TraceId expected = timeline->exemplarAt(*at)->traceId;
        QVERIFY(cachedTraces.count(expected.toHex()) > 0);
        screenshot(*window, "exemplars");
        QTest::mouseClick(plot, Qt::LeftButton, {}, *at);
        QCOMPARE(window->focus()->traceId(), expected);
    }

    // A PromQL expression's result has no metric name; its exemplars (of the buckets it reads)
    // still land on its line.
    void exemplarsOfAnExpressionLandOnItsLine() {
        QTRY_VERIFY_WITH_TIMEOUT(m_scrapes.load() >= 6, 20000);
        auto window = newWindow(QStringLiteral("expression.rootline"));
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isLoaded(), 30000);
        window->focus()->setWindow(liveWindow());
        const QString status = fetchMetrics(
            *window, QStringLiteral("histogram_quantile(0.9, sum by (le, service) "
                                    "(rate(checkout_request_duration_seconds_bucket[5s])))"));
        QVERIFY2(status.startsWith(QStringLiteral("Complete: 1 series (")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral(" exemplars from the network.")), qPrintable(status));
        TimelinePane* timeline = window->timelinePane();
        QTRY_VERIFY_WITH_TIMEOUT(timeline->isLoaded() && timeline->lineCount() == 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->exemplarCount() > 0, 30000);
        screenshot(*window, "expression");
    }

    // "Fetch alerts" in the investigation pane: progress and Cancel while it runs, the honest
    // result after, the alerts in the cache, on the timeline and in the pane's alert box; two fire,
    // so the automatic investigation asks for a choice, and choosing one investigates it.
    void firingAlertsStartInvestigations() {
        QTRY_VERIFY_WITH_TIMEOUT(alertsFiring({"CheckoutErrorBudgetBurn", "PaymentQueueBacklog"}), 30000);
        auto window = newWindow(QStringLiteral("alerts.rootline"));
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isLoaded(), 30000);
        // A second Prometheus whose rule manager is broken: its failure is a warning beside the
        // alerts the first one gave, not the action's failure.
        LoopbackHttpServer broken([](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(
                500, R"({"status":"error","errorType":"internal","error":"rule manager down"})", {},
                "application/json"));
        });
        const QString twoSources = m_dir.filePath(QStringLiteral("two-sources.yaml"));
        {
            QFile f(twoSources);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QFile first(m_sources);
            QVERIFY(first.open(QIODevice::ReadOnly));
            f.write(first.readAll() + "  - name: broken\n    kind: prometheus\n    url: http://127.0.0.1:" +
                    QByteArray::number(broken.port()) + "\n");
        }
        window->setSourcesPath(twoSources);
        QCOMPARE(window->alertSources().size(), size_t(2));
        window->focus()->setWindow(liveWindow());
        // The SLI first, as an SRE would have it on screen.
        const QString status = fetchMetrics(*window, QStringLiteral("checkout_requests_total"));
        QVERIFY2(status.startsWith(QStringLiteral("Complete: 2 series (")), qPrintable(status));

        InvestigationPane* pane = window->investigationPane();
        QPushButton* fetchAlerts = pane->fetchAlertsButton();
        QTRY_VERIFY(window->isLoaded() && !pane->isRunning());
        QVERIFY(fetchAlerts->isEnabled());
        QCOMPARE(fetchAlerts->text(), QStringLiteral("Fetch alerts"));
        QSignalSpy finished(window->fetchController(), &FetchController::finished);
        QTest::mouseClick(fetchAlerts, Qt::LeftButton);
        // Running: the button cancels, the query bars wait.
        QVERIFY(window->fetchController()->isRunning());
        QCOMPARE(fetchAlerts->text(), QStringLiteral("Cancel"));
        QVERIFY(pane->alertFetchStatus().startsWith(QStringLiteral("Fetching alerts")));
        QVERIFY(!window->queryBar(QueryPane::Metrics)->fetchButton()->isEnabled());
        QVERIFY(finished.wait(60000));
        QCOMPARE(fetchAlerts->text(), QStringLiteral("Fetch alerts"));
        QVERIFY(window->queryBar(QueryPane::Metrics)->fetchButton()->isEnabled());
        QVERIFY2(pane->alertFetchStatus().startsWith(QStringLiteral("Alerts: Complete: 2 alerts from the network. "
                                                                    "Warning: alerts from broken failed: ")),
                 qPrintable(pane->alertFetchStatus()));
        QVERIFY2(pane->alertFetchStatus().contains(QStringLiteral("rule manager down")), qPrintable(pane->alertFetchStatus()));

        // In the cache, as Prometheus has them.
        auto reader = CacheReader::open(m_dir.filePath(QStringLiteral("alerts.rootline")).toStdString());
        QVERIFY(reader);
        auto cached = (*reader)->alerts();
        QVERIFY(cached);
        std::set<std::string> firing;
        for (const auto& a : *cached) {
            QCOMPARE(a.source, std::string("prometheus:prom"));
            if (a.state == AlertState::Firing)
                firing.insert(a.name);
        }
        QCOMPARE(firing, (std::set<std::string>{"CheckoutErrorBudgetBurn", "PaymentQueueBacklog"}));

        // The panes reload: the alert box lists them (after "Automatic"), the timeline marks them.
        QTRY_COMPARE_WITH_TIMEOUT(pane->alerts().size(), size_t(2), 30000);
        QCOMPARE(pane->alertBox()->count(), 3);
        QVERIFY2(pane->alertBox()->itemText(0).contains(QStringLiteral("2 firing")), qPrintable(pane->alertBox()->itemText(0)));
        QTRY_VERIFY_WITH_TIMEOUT(window->timelinePane()->isLoaded() && window->timelinePane()->alertCount() == 2, 30000);
        // Two fire: the automatic investigation cannot choose, and says so.
        QTRY_VERIFY_WITH_TIMEOUT(window->isLoaded() && !pane->isRunning(), 30000);
        QVERIFY2(pane->errorText().contains(QStringLiteral("2 alerts are firing")), qPrintable(pane->errorText()));
        QVERIFY2(pane->errorText().contains(QStringLiteral("choose an alert")), qPrintable(pane->errorText()));
        screenshot(*window, "alerts-fetched");

        // Choosing the burn-rate alert starts the guided investigation on it.
        int item = -1;
        for (int i = 1; i < pane->alertBox()->count(); ++i)
            if (pane->alertBox()->itemText(i).contains(QStringLiteral("CheckoutErrorBudgetBurn")))
                item = i;
        QVERIFY(item > 0);
        QVERIFY(pane->alertBox()->itemText(item).startsWith(QStringLiteral("firing ")));
        pane->alertBox()->setCurrentIndex(item);
        emit pane->alertBox()->activated(item);
        QVERIFY(pane->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!pane->isRunning(), 30000);
        QVERIFY2(pane->result(), qPrintable(pane->errorText()));
        QVERIFY(pane->result()->alert);
        QCOMPARE(pane->result()->alert->name, std::string("CheckoutErrorBudgetBurn"));
        QCOMPARE(pane->result()->service, std::string("checkout"));
        QVERIFY(pane->result()->window.contains(pane->result()->alert->activeSince));
        QCOMPARE(pane->result()->steps.size(), size_t(kStepCount));
        // The panes follow the alert's window.
        QCOMPARE(window->focus()->window(), pane->result()->window);
        screenshot(*window, "alert-investigated");

        // The choice survives the next fetch's reload; the other alert is one pick away.
        QVERIFY(pane->chosenAlert());
        window->focus()->setWindow(liveWindow()); // a later window: new rows, so the panes reload
        const QString again = fetchMetrics(*window, QStringLiteral("checkout_requests_total"));
        QVERIFY2(again.startsWith(QStringLiteral("Complete:")), qPrintable(again));
        QTRY_VERIFY2_WITH_TIMEOUT(window->isLoaded() && !pane->isRunning() && pane->result(),
                                  qPrintable(QStringLiteral("loaded %1, running %2: %3")
                                                 .arg(window->isLoaded())
                                                 .arg(pane->isRunning())
                                                 .arg(pane->errorText())),
                                  30000);
        QCOMPARE(pane->result()->alert->name, std::string("CheckoutErrorBudgetBurn"));
        for (int i = 1; i < pane->alertBox()->count(); ++i)
            if (pane->alertBox()->itemText(i).contains(QStringLiteral("PaymentQueueBacklog")))
                item = i;
        emit pane->alertBox()->activated(item);
        QTRY_VERIFY_WITH_TIMEOUT(!pane->isRunning() && pane->result(), 30000);
        QCOMPARE(pane->result()->alert->name, std::string("PaymentQueueBacklog"));
        QCOMPARE(pane->result()->service, std::string("payment"));
    }

    // A source that does not answer: progress ticks in the pane, its button cancels at once, and
    // nothing was stored.
    void cancellingAnAlertsFetch() {
        std::atomic_int asked{0};
        LoopbackHttpServer silent([&asked](const HttpServerRequest&, HttpServerConnection& conn) {
            ++asked;
            conn.sleepFor(std::chrono::seconds(30)); // until the client hangs up or the test ends
        });
        const QString silentSources = m_dir.filePath(QStringLiteral("silent-sources.yaml"));
        {
            QFile f(silentSources);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("sources:\n  - name: silent\n    kind: prometheus\n    url: http://127.0.0.1:" +
                    QByteArray::number(silent.port()) + "\n");
        }
        auto window = newWindow(QStringLiteral("cancelled-alerts.rootline"));
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isLoaded(), 30000);
        window->setSourcesPath(silentSources);
        InvestigationPane* pane = window->investigationPane();
        QSignalSpy finished(window->fetchController(), &FetchController::finished);
        QTest::mouseClick(pane->fetchAlertsButton(), Qt::LeftButton);
        QVERIFY(pane->isFetchingAlerts());
        QTRY_VERIFY_WITH_TIMEOUT(asked.load() >= 1, 10000);
        QTRY_VERIFY(pane->alertFetchStatus().contains(QStringLiteral(" s"))); // progress ticks
        QTest::mouseClick(pane->fetchAlertsButton(), Qt::LeftButton);     // now "Cancel"
        QVERIFY(finished.wait(10000));
        QCOMPARE(pane->alertFetchStatus(), QStringLiteral("Alerts: Cancelled — nothing was stored."));
        QCOMPARE(pane->fetchAlertsButton()->text(), QStringLiteral("Fetch alerts"));
        auto reader = CacheReader::open(m_dir.filePath(QStringLiteral("cancelled-alerts.rootline")).toStdString());
        QVERIFY(reader);
        auto alerts = (*reader)->alerts();
        QVERIFY(alerts);
        QVERIFY(alerts->empty());
    }
};

QTEST_MAIN(TestGuiFetchPrometheus)
#include "tst_gui_fetch_prometheus.moc"
