// The live guided investigation end to end (issue 11): a real Prometheus (Debian) scrapes an
// exporter this test serves — so the test sets the checkout error counter — evaluates a real
// multi-window burn-rate rule every second (`for` 0s) and sends the alert to a real Alertmanager
// (Debian prometheus-alertmanager 0.25); fake Loki and Jaeger serve the incident's logs and traces:
// checkout fails because payment times out calling its gateway.
//
// Checked: the exact queries of the plan, step by step; that the log counts implicate payment
// (and not search, whose warnings are its usual ones); that a second run fetches nothing the cache
// already holds; that the top candidate is payment; that a failing source (Jaeger down) makes the
// trace step PARTIAL/error while the other steps complete; and `rootline-cli investigate --live`
// with its JSON "fetches" and its exit codes (0 complete, 1 a fetch failed).

#include "alertmanager/AlertmanagerConnector.h"
#include "cache/CacheReader.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "investigation/Investigation.h"
#include "live/LiveRunner.h"
#include "support/AlertmanagerProcess.h"
#include "support/CliRunner.h"
#include "support/FakeJaegerServer.h"
#include "support/FakeLokiServer.h"
#include "support/PrometheusProcess.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace rootline;
using namespace rootline::test;
using json = nlohmann::json;
using namespace Qt::StringLiterals;

namespace {

constexpr const char* kIncidentTrace = "5b8efff798038103d269b633813fc60c";
const char* const kOtherFailing[] = {"6c9f000898149214e37ac744924fd71d", "7da0111909250325f48bd855a350e82e"};

std::string hex16(int n)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016x", n);
    return buf;
}

std::string hex32(int n)
{
    char buf[33];
    std::snprintf(buf, sizeof buf, "%032x", n);
    return buf;
}

using CliRun = CliResult;

} // namespace

class TestLiveInvestigation : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    PrometheusProcess m_prometheus;
    AlertmanagerProcess m_alertmanager;
    std::unique_ptr<LoopbackHttpServer> m_target;
    std::atomic_int m_scrapes{0};
    FakeLokiServer m_loki;
    FakeJaegerServer m_jaeger{JaegerFlavour::Classic};
    Timestamp m_t0;
    std::vector<Source> m_sources;
    TimeWindow m_firstWindow;

    std::string metricsText()
    {
        const int n = ++m_scrapes;
        const Timestamp now = Clock::current().now();
        const std::string ts = std::to_string(now.millis() / 1000) + "." + QString::number(now.millis() % 1000).rightJustified(3, u'0').toStdString();
        std::string t;
        t += "# TYPE checkout_requests counter\n";
        t += "checkout_requests_total{service=\"checkout\",code=\"200\"} " + std::to_string(90 * n) + "\n";
        t += "checkout_requests_total{service=\"checkout\",code=\"500\"} " + std::to_string(10 * n) + " # {trace_id=\""
             + kIncidentTrace + "\"} 1 " + ts + "\n";
        t += "# EOF\n";
        return t;
    }

    int64_t us(Timestamp t) const { return t.nanos() / 1000; }

    // checkout → payment → gateway, failing at the gateway call (payment's client span has no
    // failing child: the error's origin), or the same path succeeding fast.
    void addCheckoutTrace(const std::string& traceId, Timestamp start, bool failing, int base)
    {
        const int64_t s = us(start);
        const int64_t d = failing ? 2'100'000 : 80'000;
        m_jaeger.addSpan({traceId, hex16(base + 1), "", "checkout", "POST /checkout", s, d, {{"http.status_code", failing ? "502" : "200"}}, failing, 2});
        m_jaeger.addSpan({traceId, hex16(base + 2), hex16(base + 1), "checkout", "payment.charge", s + 1000, d - 2000, {}, failing, 3});
        m_jaeger.addSpan({traceId, hex16(base + 3), hex16(base + 2), "payment", "charge", s + 2000, d - 4000, {}, failing, 2});
        m_jaeger.addSpan({traceId, hex16(base + 4), hex16(base + 3), "payment", "gateway.call", s + 3000, d - 6000,
                          {{"peer.service", "payment-gateway"}}, failing, 3});
    }

    void addLogs()
    {
        auto every = [](Timestamp from, Timestamp to, Duration step) {
            std::vector<int64_t> out;
            for (Timestamp t = from; t < to; t = t + step)
                out.push_back(t.nanos());
            return out;
        };
        const Timestamp start = m_t0 - Duration::minutes(45);
        FakeLokiStream checkoutInfo{{{"level", "info"}, {"service_name", "checkout"}}, {}};
        for (int64_t ns : every(start, m_t0 + Duration::minutes(5), Duration::seconds(30)))
            checkoutInfo.entries.push_back({ns, "order placed", {}});
        FakeLokiStream searchWarn{{{"level", "warn"}, {"service_name", "search"}}, {}};
        for (int64_t ns : every(start, m_t0 + Duration::minutes(5), Duration::seconds(20)))
            searchWarn.entries.push_back({ns, "slow index shard, retrying", {}});
        FakeLokiStream paymentError{{{"level", "error"}, {"service_name", "payment"}}, {}};
        FakeLokiStream checkoutError{{{"level", "error"}, {"service_name", "checkout"}}, {}};
        int i = 0;
        for (int64_t ns : every(m_t0 - Duration::minutes(3), m_t0, Duration::seconds(6))) {
            const std::string id = i % 10 == 0 ? std::string(kIncidentTrace) : hex32(1000 + i);
            paymentError.entries.push_back({ns, "gateway timeout after 2000ms calling payment-gateway:443 trace_id=" + id, {}});
            if (i % 3 == 0)
                checkoutError.entries.push_back({ns + 1'000'000, "upstream payment returned 502 trace_id=" + id, {}});
            ++i;
        }
        m_loki.addStream(std::move(checkoutInfo));
        m_loki.addStream(std::move(searchWarn));
        m_loki.addStream(std::move(paymentError));
        m_loki.addStream(std::move(checkoutError));
    }

    Source source(std::string name, SourceType type, std::string url) const
    {
        Source s;
        s.name = std::move(name);
        s.type = type;
        s.url = std::move(url);
        return s;
    }

    std::string sourcesYaml(const std::vector<Source>& sources) const
    {
        std::string y = "sources:\n";
        for (const auto& s : sources)
            y += std::string("  - {name: ") + s.name + ", kind: " + sourceTypeName(s.type) + ", url: \"" + s.url + "\"}\n";
        return y;
    }

    LiveRunOptions options(const std::string& cache, std::vector<Source> sources) const
    {
        LiveRunOptions o;
        o.cachePath = cache;
        o.sources = std::move(sources);
        return o;
    }

    static QStringList fetchLines(const LiveRun& run)
    {
        QStringList out;
        for (const auto& f : run.fetches)
            out << QString::fromStdString(std::string(stepName(f.fetch.step)) + " " + f.fetch.source.name + " "
                                          + fetchKindName(f.fetch.request.kind) + " " + f.fetch.request.provenanceQuery());
        return out;
    }

    static std::string problems(const LiveRun& run)
    {
        std::string out;
        for (const auto& f : run.fetches)
            if (!f.complete())
                out += std::string(stepName(f.fetch.step)) + " " + f.fetch.request.provenanceQuery() + ": " + f.statusText() + "\n";
        return out;
    }

    CliRun cli(const QStringList& args) { return runCli(args, m_dir.filePath(QStringLiteral("config"))); } // no user rules

private slots:
    void initTestCase()
    {
        if (const QString missing = prometheusMissing(); !missing.isEmpty())
            QFAIL(qPrintable(missing));
        if (const QString missing = alertmanagerMissing(); !missing.isEmpty())
            QFAIL(qPrintable(missing));
        QVERIFY(m_dir.isValid());
        m_t0 = Clock::current().now();

        // The incident's logs and traces, around now.
        QVERIFY(m_loki.start());
        QVERIFY(m_jaeger.start());
        addLogs();
        addCheckoutTrace(kIncidentTrace, m_t0 - Duration::seconds(60), true, 0x100);
        addCheckoutTrace(kOtherFailing[0], m_t0 - Duration::seconds(120), true, 0x200);
        addCheckoutTrace(kOtherFailing[1], m_t0 - Duration::seconds(30), true, 0x300);
        for (int k = 0; k < 6; ++k) // the baseline: the same path, fast and fine
            addCheckoutTrace(hex32(0x900 + k), m_t0 - Duration::minutes(20) + Duration::seconds(30 * k), false, 0x1000 + 0x10 * k);

        // The exporter, Alertmanager, then Prometheus evaluating the burn-rate rule every second.
        m_target = std::make_unique<LoopbackHttpServer>([this](const HttpServerRequest& req, HttpServerConnection& conn) {
            if (req.path == "/metrics")
                conn.write(LoopbackHttpServer::response(200, metricsText(), {}, "application/openmetrics-text; version=1.0.0; charset=utf-8"));
            else
                conn.write(LoopbackHttpServer::response(404, "not found", {}, "text/plain"));
        });
        const QString failedAm = m_alertmanager.start(m_dir.path());
        QVERIFY2(failedAm.isEmpty(), qPrintable(failedAm));
        writeTextFile(m_dir.filePath(QStringLiteral("rules.yml")),
                      "groups:\n  - name: slo\n    interval: 1s\n    rules:\n" + std::string(kCheckoutBurnRateAlertRule)
                          + "      - alert: CheckoutTeapots\n" // a rule that never fires: a past incident's name
                            "        expr: sum(rate(checkout_requests_total{code=\"418\"}[1m])) > 0\n"
                            "        labels: {service: checkout}\n");
        writeTextFile(m_dir.filePath(QStringLiteral("prometheus.yml")),
                      prometheusConfig(m_dir.filePath(QStringLiteral("rules.yml")), m_target->port()) + alertingConfig(m_alertmanager.port()));
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QDir().mkpath(data);
        const QString failed = m_prometheus.start(m_dir.path(), m_dir.filePath(QStringLiteral("prometheus.yml")), data);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));

        m_sources = {source("prom", SourceType::Prometheus, m_prometheus.url()), source("am", SourceType::Alertmanager, m_alertmanager.url()),
                     source("loki", SourceType::Loki, m_loki.url()), source("jaeger", SourceType::Jaeger, m_jaeger.url())};

        // Wait until the alert has reached Alertmanager.
        AlertmanagerConnector am(m_sources[1], http::HttpClient::shared());
        auto firing = [&am] {
            auto alerts = am.alerts();
            if (!alerts)
                return false;
            for (const auto& a : *alerts)
                if (a.name == "CheckoutErrorBudgetBurn")
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(firing(), 60000);
    }

    void cleanupTestCase()
    {
        m_prometheus.stop();
        m_alertmanager.stop();
    }

    void alertmanagerMarksItsAlerts()
    {
        AlertmanagerConnector am(m_sources[1], http::HttpClient::shared());
        auto alerts = am.alerts();
        QVERIFY2(alerts.ok(), alerts.ok() ? "" : alerts.error().message().c_str());
        const Alert* burn = nullptr;
        for (const auto& a : *alerts)
            if (a.name == "CheckoutErrorBudgetBurn")
                burn = &a;
        QVERIFY(burn);
        QCOMPARE(burn->source, std::string("alertmanager:am"));
        QCOMPARE(alertService(*burn, nullptr), std::string("checkout"));
        std::string state;
        for (const auto& [k, v] : burn->annotations)
            if (k == "alertmanager_state")
                state = v;
        QCOMPARE(state, std::string("active"));
        // The expression comes back from the generator URL Prometheus set.
        QVERIFY2(alertExpression(*burn).find("checkout_requests_total{code=\"500\"}[5s]") != std::string::npos,
                 alertExpression(*burn).c_str());
        auto info = am.testConnection();
        QVERIFY(info.ok());
        QVERIFY2(info->version.starts_with("0.25"), info->version.c_str());
    }

    void firingAlertToRootCause()
    {
        const std::string cache = m_dir.filePath(QStringLiteral("live.rootline")).toStdString();
        LiveStart start;
        start.alertName = "CheckoutErrorBudgetBurn";
        auto run = runLiveInvestigation(start, options(cache, m_sources));
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message().c_str());
        QVERIFY2(run->complete(), problems(*run).c_str());
        m_firstWindow = run->target.window;

        // The plan, step by step, exactly: aggregates first, raw data only where they point.
        QCOMPARE(run->services, (std::vector<std::string>{"checkout", "payment"}));
        QVERIFY(run->candidateTrace);
        const std::string candidate = run->candidateTrace->toHex();
        const std::set<std::string> failing{kIncidentTrace, kOtherFailing[0], kOtherFailing[1]};
        QVERIFY2(failing.count(candidate), candidate.c_str());
        QStringList expected{
            u"alert prom alerts "_s,
            u"alert am alerts "_s,
            u"sli prom series checkout_requests_total"_s,
            u"sli prom exemplars checkout_requests_total"_s,
            u"logs loki series sum by (service_name, level) (count_over_time({service_name=~\".+\"}[1m]))"_s,
            u"logs loki logs {service_name=\"checkout\", level=~\"error|warn|warning|fatal|critical\"}"_s,
            u"logs loki logs {service_name=\"payment\", level=~\"error|warn|warning|fatal|critical\"}"_s,
            u"traces jaeger traces service=checkout error=true"_s,
            u"traces jaeger traces service=checkout minDuration=500ms"_s,
            u"traces jaeger traces service=checkout"_s,
            u"traces jaeger traces service=payment error=true"_s,
            u"traces jaeger traces service=payment minDuration=500ms"_s,
            u"traces jaeger traces service=payment"_s,
            u"traces jaeger trace trace:"_s + QLatin1String(kIncidentTrace), // the exemplar's trace
            u"span jaeger trace trace:"_s + QString::fromStdString(candidate),
            u"trace-logs loki logs {service_name=~\".+\"} |= \""_s + QString::fromStdString(candidate) + u'"',
        };
        QCOMPARE(fetchLines(*run), expected);

        // Windows: the SLI and the counts over window + baseline, the lines over the window only.
        const LiveTarget& t = run->target;
        QCOMPARE(run->fetches[2].fetch.request.window, (TimeWindow{t.baseline.from, t.window.to}));
        QCOMPARE(run->fetches[5].fetch.request.window, t.window);
        QCOMPARE(run->fetches[9].fetch.request.window, t.baseline);
        QCOMPARE(run->fetches[5].fetch.request.limit, LiveBudget{}.logLines);
        // Only the implicated services' lines arrived: search's usual warnings were counted, not pulled.
        auto reader = CacheReader::open(cache);
        QVERIFY(reader.ok());
        auto countOf = [&](const char* service) {
            LogQuery q;
            q.services = {service};
            auto n = (*reader)->countLogs(q);
            return n ? *n : int64_t(-1);
        };
        QCOMPARE(countOf("payment"), int64_t(30)); // its error lines in the window
        QCOMPARE(countOf("checkout"), int64_t(10)); // its error lines, not its 100-odd info lines
        QCOMPARE(countOf("search"), int64_t(0));
        QVERIFY(run->fetches[4].rows() > 0);

        // The top candidate.
        InvestigationOptions io;
        io.alert = t.alert;
        io.window = t.window;
        io.baseline = t.baseline;
        auto inv = Investigation::start(**reader, io);
        QVERIFY2(inv.ok(), inv.ok() ? "" : inv.error().message().c_str());
        QVERIFY(inv->runAll(**reader).ok());
        QVERIFY(!inv->state().candidates.empty());
        QCOMPARE(inv->state().candidates.front().service, std::string("payment"));
    }

    void secondRunFetchesNothingCached()
    {
        QVERIFY(m_firstWindow.isValid());
        const std::string cache = m_dir.filePath(QStringLiteral("live.rootline")).toStdString();
        LiveStart start;
        start.alertName = "CheckoutErrorBudgetBurn";
        start.window = m_firstWindow;
        auto run = runLiveInvestigation(start, options(cache, m_sources));
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message().c_str());
        QVERIFY2(run->complete(), problems(*run).c_str());
        QVERIFY(run->fetches.size() > 10);
        for (const auto& f : run->fetches) {
            if (f.fetch.step == StepKind::Alert)
                continue; // alerts are the sources' present state: always asked
            QVERIFY2(f.report->fromCache(), (f.fetch.request.provenanceQuery() + " was fetched again").c_str());
            QCOMPARE(f.report->requests, 0);
            QCOMPARE(f.bytes(), int64_t(0));
        }
    }

    void failingSourceMakesItsStepPartial()
    {
        const std::string cache = m_dir.filePath(QStringLiteral("jaeger-down.rootline")).toStdString();
        auto sources = m_sources;
        sources[3].url = "http://127.0.0.1:" + std::to_string(freeLoopbackPort()); // nobody listens
        LiveStart start;
        start.alertName = "CheckoutErrorBudgetBurn";
        auto run = runLiveInvestigation(start, options(cache, sources));
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message().c_str());
        QVERIFY(!run->complete());
        int traceErrors = 0, others = 0;
        for (const auto& f : run->fetches) {
            if (f.fetch.source.name == "jaeger") {
                QCOMPARE(f.fetch.step, StepKind::Traces);
                QVERIFY(f.error);
                QVERIFY2(f.statusText().starts_with("error: "), f.statusText().c_str());
                ++traceErrors;
            } else {
                QVERIFY2(f.complete(), (f.fetch.request.provenanceQuery() + ": " + f.statusText()).c_str());
                ++others;
            }
        }
        QCOMPARE(traceErrors, 7); // 3 searches for each of 2 services, and the exemplar's trace
        QVERIFY(others >= 7);     // alerts, SLI, counts and lines all arrived
        QCOMPARE(run->services, (std::vector<std::string>{"checkout", "payment"}));
    }

    void pastIncidentFromTheRule()
    {
        // Not firing now: the alert comes from the rule (/api/v1/rules) over the window given.
        const std::string cache = m_dir.filePath(QStringLiteral("past.rootline")).toStdString();
        LiveStart start;
        start.alertName = "CheckoutTeapots";
        start.window = TimeWindow{m_t0 - Duration::minutes(10), m_t0};
        auto run = runLiveInvestigation(start, options(cache, m_sources));
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message().c_str());
        QVERIFY(run->target.alert);
        QCOMPARE(run->target.alert->state, AlertState::Inactive);
        QCOMPARE(run->target.alert->source, std::string("prometheus:prom"));
        QCOMPARE(run->target.window, *start.window);
        QCOMPARE(run->target.service, std::string("checkout"));
        QStringList sli;
        for (const auto& f : run->fetches)
            if (f.fetch.step == StepKind::Sli)
                sli << QString::fromStdString(f.fetch.source.name + " " + fetchKindName(f.fetch.request.kind) + " " + f.fetch.request.query);
        QCOMPARE(sli, (QStringList{u"prom series checkout_requests_total{code=\"418\"}"_s, u"prom exemplars checkout_requests_total{code=\"418\"}"_s}));

        // A name no rule has: the error lists what the cache holds.
        start.alertName = "NoSuchRule";
        auto none = runLiveInvestigation(start, options(cache, m_sources));
        QVERIFY(!none.ok());
        QVERIFY2(none.error().what.find("NoSuchRule") != std::string::npos, none.error().message().c_str());
    }

    void rowBudgetMakesAFetchPartial()
    {
        const std::string cache = m_dir.filePath(QStringLiteral("budget.rootline")).toStdString();
        LiveStart start;
        start.alertName = "CheckoutErrorBudgetBurn";
        LiveRunOptions o = options(cache, m_sources);
        o.budget.logLines = 12; // payment logged 30 error lines in the window, checkout 10
        auto run = runLiveInvestigation(start, o);
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message().c_str());
        QVERIFY(!run->complete());
        QStringList partial;
        for (const auto& f : run->fetches)
            if (!f.complete())
                partial << QString::fromStdString(f.fetch.request.provenanceQuery() + " → " + f.statusText());
        QCOMPARE(partial.size(), 1);
        QVERIFY2(partial[0].startsWith(u"{service_name=\"payment\""_s) && partial[0].contains(u"PARTIAL: "_s) && partial[0].contains(u"12"_s),
                 qPrintable(partial[0]));
        // What arrived is kept, and the later steps ran.
        QVERIFY(run->candidateTrace);
        QCOMPARE(run->fetches.back().fetch.step, StepKind::TraceLogs);
    }

    void cliLiveJsonAndExitCodes()
    {
        QDir().mkpath(m_dir.filePath(QStringLiteral("config")));
        const QString good = m_dir.filePath(QStringLiteral("sources.yaml"));
        writeTextFile(good, sourcesYaml(m_sources));
        const QString cache = m_dir.filePath(QStringLiteral("cli.rootline"));
        const QString report = m_dir.filePath(QStringLiteral("report.md"));
        CliRun r = cli({u"investigate"_s, u"--cache"_s, cache, u"--sources"_s, good, u"--live"_s, u"--alert"_s,
                        u"CheckoutErrorBudgetBurn"_s, u"--json"_s, u"--report"_s, report});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const json doc = json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY(!doc.is_discarded());
        QVERIFY(doc.contains("fetches"));
        QVERIFY(doc["fetches"].size() >= 14);
        const json& counts = doc["fetches"][4];
        QCOMPARE(counts["step"].get<std::string>(), std::string("logs"));
        QCOMPARE(counts["source"].get<std::string>(), std::string("loki"));
        QCOMPARE(counts["kind"].get<std::string>(), std::string("series"));
        QCOMPARE(counts["query"].get<std::string>(), std::string(liveLogCountQuery()));
        QVERIFY(counts["rows"].get<int64_t>() > 0);
        QVERIFY(counts["bytes"].get<int64_t>() > 0);
        QCOMPARE(counts["complete"].get<bool>(), true);
        QVERIFY(parseRfc3339(counts["from"].get<std::string>()).ok());
        QVERIFY(parseRfc3339(counts["to"].get<std::string>()).ok());
        QCOMPARE(doc["candidates"][0]["service"].get<std::string>(), std::string("payment"));
        QVERIFY(QFileInfo(report).size() > 0);

        // Jaeger down: exit 1, the failed fetches named on stderr, the rest investigated.
        std::vector<Source> down = m_sources;
        down[3].url = "http://127.0.0.1:" + std::to_string(freeLoopbackPort());
        const QString bad = m_dir.filePath(QStringLiteral("sources-down.yaml"));
        writeTextFile(bad, sourcesYaml(down));
        r = cli({u"investigate"_s, u"--cache"_s, m_dir.filePath(QStringLiteral("cli-down.rootline")), u"--sources"_s, bad, u"--live"_s,
                 u"--alert"_s, u"CheckoutErrorBudgetBurn"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("some fetches were not complete") && r.err.contains("traces from jaeger (service=payment error=true)"),
                 r.err.constData());
        const json partial = json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY(!partial.is_discarded());
        int incomplete = 0;
        for (const auto& f : partial["fetches"])
            if (!f["complete"].get<bool>()) {
                QCOMPARE(f["source"].get<std::string>(), std::string("jaeger"));
                ++incomplete;
            }
        QCOMPARE(incomplete, 7);

        // Usage: --live needs an alert or a service.
        r = cli({u"investigate"_s, u"--cache"_s, cache, u"--sources"_s, good, u"--live"_s});
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestLiveInvestigation)
#include "tst_live_investigation.moc"
