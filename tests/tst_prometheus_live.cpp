// The Prometheus connector against a REAL Prometheus (Debian's 2.42, /usr/bin/prometheus), started
// here on 127.0.0.1 with a temporary data directory:
//  * history backfilled with `promtool tsdb create-blocks-from openmetrics` (1 point / 10 s over 5 h),
//  * a live scrape target served by this test: OpenMetrics with exemplars (exemplar storage on),
//  * a rule file whose multi-window burn-rate alert fires.
// The connector's results are compared with Prometheus's own answers to the same URLs, decoded
// independently (nlohmann), and stored in a real cache. A missing `prometheus` FAILS the test.

#include "ConnectorFactory.h"
#include "FetchService.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "prometheus/PrometheusConnector.h"
#include "support/LoopbackHttpServer.h"
#include "support/PrometheusProcess.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

using namespace rootline;
using rootline::test::HttpServerConnection;
using rootline::test::HttpServerRequest;
using rootline::test::LoopbackHttpServer;
using json = nlohmann::json;
using rootline::test::kPromtoolBinary;
using rootline::test::PrometheusProcess;

namespace {

// Prometheus's own answer, decoded without any Rootline parsing code.
struct RawSeries {
    std::map<std::string, std::string> labels;
    std::vector<std::pair<int64_t, double>> points; // ns, value
};

double rawValue(const std::string& s)
{
    if (s == "NaN")
        return std::nan("");
    if (s == "+Inf")
        return INFINITY;
    if (s == "-Inf")
        return -INFINITY;
    return std::stod(s);
}

} // namespace

class TestPrometheusLive : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    PrometheusProcess m_prometheus;
    std::unique_ptr<LoopbackHttpServer> m_target;
    std::atomic_int m_scrapes{0};
    Source m_source;
    std::unique_ptr<http::HttpClient> m_http;
    std::unique_ptr<PrometheusConnector> m_connector;
    Timestamp m_backfillFrom, m_backfillTo, m_started;

    json raw(const std::string& pathAndQuery)
    {
        http::HttpRequest req;
        req.url = m_source.url + pathAndQuery;
        http::HttpOutcome out = m_http->execute(req);
        if (!out.ok())
            return json{{"transport_error", out.error.message()}};
        json j = json::parse(out.response.body, nullptr, false);
        j["_http_status"] = out.response.status;
        return j;
    }

    std::vector<RawSeries> rawRange(const std::string& query, Timestamp start, Timestamp end, Duration step)
    {
        auto fmt = [](int64_t ns) { return std::to_string(ns / 1'000'000'000) + "." + QString::number(ns % 1'000'000'000).rightJustified(9, u'0').toStdString(); };
        json j = raw("/api/v1/query_range?query=" + http::HttpClient::urlEncode(query) + "&start=" + fmt(start.nanos()) + "&end=" + fmt(end.nanos())
                     + "&step=" + std::to_string(step.count() / 1'000'000'000));
        std::vector<RawSeries> out;
        if (j.value("status", "") != "success")
            return out;
        for (const auto& r : j["data"]["result"]) {
            RawSeries s;
            for (auto it = r["metric"].begin(); it != r["metric"].end(); ++it)
                s.labels[it.key()] = it.value().get<std::string>();
            for (const auto& p : r["values"])
                s.points.emplace_back(std::llround(p[0].get<double>() * 1000.0) * 1'000'000, rawValue(p[1].get<std::string>()));
            out.push_back(std::move(s));
        }
        return out;
    }

    std::string metricsText()
    {
        const int n = ++m_scrapes;
        const Timestamp now = Clock::current().now();
        const std::string ts = std::to_string(now.millis() / 1000) + "." + QString::number(now.millis() % 1000).rightJustified(3, u'0').toStdString();
        std::string t;
        t += "# TYPE checkout_requests counter\n";
        t += "# HELP checkout_requests Requests served.\n";
        t += "checkout_requests_total{service=\"checkout\",code=\"200\"} " + std::to_string(90 * n) + "\n";
        t += "checkout_requests_total{service=\"checkout\",code=\"500\"} " + std::to_string(10 * n)
             + " # {trace_id=\"5b8efff798038103d269b633813fc60c\"} 1 " + ts + "\n";
        t += "# TYPE checkout_request_duration_seconds histogram\n";
        t += "checkout_request_duration_seconds_bucket{service=\"checkout\",le=\"0.1\"} " + std::to_string(50 * n)
             + " # {trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\",span_id=\"00f067aa0ba902b7\"} 0.043 " + ts + "\n";
        t += "checkout_request_duration_seconds_bucket{service=\"checkout\",le=\"1.0\"} " + std::to_string(90 * n)
             + " # {trace_id=\"0af7651916cd43dd8448eb211c80319c\"} 0.87 " + ts + "\n";
        t += "checkout_request_duration_seconds_bucket{service=\"checkout\",le=\"+Inf\"} " + std::to_string(100 * n) + "\n";
        t += "checkout_request_duration_seconds_sum{service=\"checkout\"} " + std::to_string(12.5 * n) + "\n";
        t += "checkout_request_duration_seconds_count{service=\"checkout\"} " + std::to_string(100 * n) + "\n";
        t += "# EOF\n";
        return t;
    }

    Result<FetchReport> fetchInto(const std::string& cachePath, FetchRequest request, Connector& connector)
    {
        auto writer = CacheWriter::open(cachePath);
        if (!writer)
            return writer.error();
        std::vector<FetchRecord> history;
        if (auto reader = CacheReader::open(cachePath))
            if (auto f = (*reader)->fetches())
                history = *f;
        return runFetch(connector, **writer, history, request);
    }

private slots:
    void initTestCase()
    {
        if (const QString missing = test::prometheusMissing(); !missing.isEmpty())
            QFAIL(qPrintable(missing));
        QVERIFY(m_dir.isValid());
        m_http = std::make_unique<http::HttpClient>();

        // 1. History: 5 h ending 1 h ago, one point every 10 s, aligned to 10 s.
        const int64_t now = Clock::current().now().seconds();
        const int64_t to = (now - 3600) / 10 * 10;
        const int64_t from = to - 5 * 3600;
        m_backfillFrom = Timestamp::fromSeconds(from);
        m_backfillTo = Timestamp::fromSeconds(to);
        std::string om = "# HELP backfill_temperature A gauge with history.\n# TYPE backfill_temperature gauge\n";
        for (int64_t s = from; s <= to; s += 10)
            om += "backfill_temperature{job=\"backfill\",service=\"history\"} " + std::to_string(double((s / 10) % 97) * 0.25) + " "
                  + std::to_string(s) + "\n";
        om += "# HELP backfill_events A counter with history.\n# TYPE backfill_events counter\n";
        for (int64_t s = from; s <= to; s += 10)
            om += "backfill_events_total{job=\"backfill\",service=\"history\"} " + std::to_string((s - from) / 10) + " " + std::to_string(s) + "\n";
        om += "# EOF\n";
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QDir().mkpath(data);
        test::writeTextFile(m_dir.filePath(QStringLiteral("history.om")), om);
        QProcess promtool;
        promtool.start(QString::fromLatin1(kPromtoolBinary), {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"), QStringLiteral("openmetrics"),
                                                         QStringLiteral("--quiet"), m_dir.filePath(QStringLiteral("history.om")), data});
        QVERIFY(promtool.waitForFinished(60000));
        QVERIFY2(promtool.exitCode() == 0, promtool.readAllStandardError().constData());

        // 2. The live target.
        m_target = std::make_unique<LoopbackHttpServer>([this](const HttpServerRequest& req, HttpServerConnection& conn) {
            if (req.path == "/metrics")
                conn.write(LoopbackHttpServer::response(200, metricsText(), {}, "application/openmetrics-text; version=1.0.0; charset=utf-8"));
            else
                conn.write(LoopbackHttpServer::response(404, "not found", {}, "text/plain"));
        });

        // 3. Rules: a multi-window burn-rate alert (14.4× budget over a long and a short window).
        test::writeTextFile(m_dir.filePath(QStringLiteral("rules.yml")),
                  "groups:\n"
                  "  - name: slo\n"
                  "    interval: 1s\n"
                  "    rules:\n"
                  "      - record: checkout:error_ratio:rate5s\n"
                  "        expr: sum(rate(checkout_requests_total{code=\"500\"}[5s])) / sum(rate(checkout_requests_total[5s]))\n"
                  + std::string(test::kCheckoutBurnRateAlertRule));
        test::writeTextFile(m_dir.filePath(QStringLiteral("prometheus.yml")),
                            test::prometheusConfig(m_dir.filePath(QStringLiteral("rules.yml")), m_target->port()));

        // 4. Prometheus itself.
        m_started = Clock::current().now();
        const QString failed = m_prometheus.start(m_dir.path(), m_dir.filePath(QStringLiteral("prometheus.yml")), data);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        m_source.name = "live";
        m_source.type = SourceType::Prometheus;
        m_source.url = m_prometheus.url();
        m_connector = std::make_unique<PrometheusConnector>(m_source, *m_http);
    }

    void cleanupTestCase()
    {
        m_prometheus.stop();
        m_connector.reset();
        m_http.reset();
        m_target.reset();
    }

    void testConnectionReportsTheVersion()
    {
        auto info = m_connector->testConnection();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message().c_str());
        QVERIFY(info->reachable);
        const json b = raw("/api/v1/status/buildinfo");
        QCOMPARE(info->version, b["data"]["version"].get<std::string>());
        QVERIFY(info->version.rfind("2.", 0) == 0);

        Source wrong = m_source;
        wrong.url += "/api/v1"; // a common mistake: the API path in the base URL
        PrometheusConnector bad(wrong, *m_http);
        auto e = bad.testConnection();
        QVERIFY(!e.ok());
        QVERIFY2(e.error().message().find("404") != std::string::npos, e.error().message().c_str());
        QVERIFY(!e.error().hint.empty());
    }

    void rangeQuerySplitsAt11000PointsAndEqualsPrometheus()
    {
        // 4 h at step 1 s = 14,400 points per series: one query_range would be refused.
        const TimeWindow window{m_backfillFrom + Duration::minutes(30), m_backfillFrom + Duration::minutes(30) + Duration::hours(4)};
        const json refused = raw("/api/v1/query_range?query=backfill_temperature&start=" + std::to_string(window.from.seconds()) + "&end="
                                 + std::to_string(window.to.seconds()) + "&step=1");
        QCOMPARE(refused["_http_status"].get<long>(), 400L);
        QVERIFY(refused["error"].get<std::string>().find("11,000") != std::string::npos);

        FetchRequest req;
        req.source = m_source.name;
        req.kind = FetchKind::Series;
        req.query = "backfill_temperature";
        req.window = window;
        req.step = Duration::seconds(1);
        const std::string cache = m_dir.filePath(QStringLiteral("range.rootline")).toStdString();
        auto report = fetchInto(cache, req, *m_connector);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message().c_str());
        QVERIFY(report->complete);
        QCOMPARE(report->requests, 2); // 11,001 + 3,399 points
        QCOMPARE(report->stored.samples, int64_t(14400));

        // Prometheus's own answers for the same sub-ranges, decoded independently.
        std::vector<std::pair<int64_t, double>> expected;
        for (const auto& r : planRange(window, Duration::seconds(1))) {
            auto part = rawRange("backfill_temperature", r.start, r.end, r.step);
            QCOMPARE(part.size(), size_t(1));
            QCOMPARE(part[0].labels["job"], std::string("backfill"));
            expected.insert(expected.end(), part[0].points.begin(), part[0].points.end());
        }
        QCOMPARE(expected.size(), size_t(14400));

        auto reader = CacheReader::open(cache);
        QVERIFY(reader.ok());
        auto series = (*reader)->listSeries();
        QVERIFY(series.ok());
        QCOMPARE(series->size(), size_t(1));
        const Series& s = series->front().series;
        QCOMPARE(s.name, std::string("backfill_temperature"));
        QCOMPARE(*s.label("service"), std::string("history"));
        auto samples = (*reader)->samples(s.rowId, window);
        QVERIFY(samples.ok());
        QCOMPARE(samples->size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            if ((*samples)[i].time.nanos() != expected[i].first || (*samples)[i].value != expected[i].second)
                QFAIL(qPrintable(QStringLiteral("sample %1 differs: %2=%3 vs %4=%5")
                                     .arg(i)
                                     .arg((*samples)[i].time.nanos())
                                     .arg((*samples)[i].value)
                                     .arg(expected[i].first)
                                     .arg(expected[i].second)));
        }

        // Cache reuse: the same request again is answered from the cache.
        auto again = fetchInto(cache, req, *m_connector);
        QVERIFY(again.ok());
        QVERIFY(again->fromCache());
        QCOMPARE(again->requests, 0);
        // A window that extends it fetches only the missing half hour (still inside the history).
        FetchRequest wider = req;
        wider.window.to = wider.window.to + Duration::minutes(30);
        auto more = fetchInto(cache, wider, *m_connector);
        QVERIFY(more.ok());
        QCOMPARE(more->fetched.size(), size_t(1));
        QCOMPARE(more->fetched[0].from, window.to);
        QCOMPARE(more->stored.samples, int64_t(1800));
        QCOMPARE(more->requests, 1);
    }

    void responseOverTheCapIsSplitNotTruncated()
    {
        Source capped = m_source;
        capped.options.maxResponseBytes = 120'000; // one 11,001-point sub-query is ~250 KB
        PrometheusConnector connector(capped, *m_http);
        FetchRequest req;
        req.source = "capped";
        req.query = "backfill_events_total";
        req.window = {m_backfillFrom, m_backfillFrom + Duration::hours(4)};
        req.step = Duration::seconds(1);
        const std::string cache = m_dir.filePath(QStringLiteral("capped.rootline")).toStdString();
        auto report = fetchInto(cache, req, connector);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message().c_str());
        QVERIFY(report->complete);
        QVERIFY2(report->requests > 2, "the oversized sub-queries were not split");
        QCOMPARE(report->stored.samples, int64_t(14400));
        auto reader = CacheReader::open(cache);
        auto series = (*reader)->listSeries();
        auto samples = (*reader)->samples(series->front().series.rowId, req.window);
        QCOMPARE(samples->size(), size_t(14400));
        // A counter at 1 point / 10 s read every second: never decreasing, ends where Prometheus says.
        for (size_t i = 1; i < samples->size(); ++i)
            QVERIFY((*samples)[i].value >= (*samples)[i - 1].value);
        auto last = rawRange("backfill_events_total", req.window.to - Duration::seconds(1), req.window.to - Duration::seconds(1), Duration::seconds(1));
        QCOMPARE(samples->back().value, last[0].points[0].second);
    }

    void liveScrapeExemplarsLinkTraces()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_scrapes.load() >= 4, 20000);
        const TimeWindow window{m_started - Duration::seconds(5), Clock::current().now() - Duration::seconds(1)};
        FetchRequest req;
        req.source = m_source.name;
        req.kind = FetchKind::Exemplars;
        req.query = "checkout_request_duration_seconds_bucket";
        req.window = window;
        const std::string cache = m_dir.filePath(QStringLiteral("exemplars.rootline")).toStdString();
        auto report = fetchInto(cache, req, *m_connector);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message().c_str());
        QVERIFY(report->stored.exemplars >= 2);

        const json rawEx = raw("/api/v1/query_exemplars?query=checkout_request_duration_seconds_bucket&start="
                               + std::to_string(window.from.millis() / 1000.0) + "&end=" + std::to_string(window.to.millis() / 1000.0));
        size_t rawCount = 0;
        std::set<std::string> rawTraces;
        for (const auto& s : rawEx["data"])
            for (const auto& e : s["exemplars"]) {
                ++rawCount;
                rawTraces.insert(e["labels"]["trace_id"].get<std::string>());
            }
        QCOMPARE(size_t(report->stored.exemplars), rawCount);

        auto reader = CacheReader::open(cache);
        auto exemplars = (*reader)->exemplars(0, TimeWindow::all());
        QVERIFY(exemplars.ok());
        QCOMPARE(exemplars->size(), rawCount);
        std::set<std::string> traces;
        bool spanLinked = false;
        for (const auto& e : *exemplars) {
            QVERIFY(e.traceId);
            traces.insert(e.traceId->toHex());
            if (e.traceId->toHex() == "4bf92f3577b34da6a3ce929d0e0e4736") {
                QVERIFY(e.spanId);
                QCOMPARE(e.spanId->toHex(), std::string("00f067aa0ba902b7"));
                QCOMPARE(e.value, 0.043);
                spanLinked = true;
            }
        }
        QCOMPARE(traces, rawTraces);
        QVERIFY(spanLinked);
    }

    void burnRateAlertFires()
    {
        auto firing = [&] {
            auto a = m_connector->alerts();
            if (!a)
                return false;
            for (const auto& alert : *a)
                if (alert.name == "CheckoutErrorBudgetBurn" && alert.state == AlertState::Firing)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(firing(), 30000);

        FetchRequest req;
        req.source = m_source.name;
        req.kind = FetchKind::Alerts;
        req.window = {m_started - Duration::minutes(1), Clock::current().now() + Duration::seconds(1)};
        const std::string cache = m_dir.filePath(QStringLiteral("alerts.rootline")).toStdString();
        auto report = fetchInto(cache, req, *m_connector);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message().c_str());
        QVERIFY(report->stored.alerts >= 1);
        QVERIFY(report->bytes > 0);
        QCOMPARE(report->requests, 2); // /api/v1/alerts, then /api/v1/rules for the expressions
        auto reader = CacheReader::open(cache);
        auto alerts = (*reader)->alerts();
        QVERIFY(alerts.ok());
        const Alert* burn = nullptr;
        for (const auto& a : *alerts)
            if (a.name == "CheckoutErrorBudgetBurn")
                burn = &a;
        QVERIFY(burn);
        QCOMPARE(burn->state, AlertState::Firing);
        QCOMPARE(burn->source, std::string("prometheus:live"));
        QVERIFY(burn->value > 0.0144);
        QVERIFY(burn->activeSince >= m_started - Duration::seconds(5));
        // The rule's expression rides along (from /api/v1/rules), for the live investigation's plan.
        std::string expr;
        for (const auto& [k, v] : burn->annotations)
            if (k == "rule_expr")
                expr = v;
        QVERIFY2(expr.find("checkout_requests_total{code=\"500\"}") != std::string::npos, expr.c_str());

        // Prometheus's own view of the same alert.
        const json rawAlerts = raw("/api/v1/alerts");
        bool matched = false;
        for (const auto& a : rawAlerts["data"]["alerts"])
            if (a["labels"]["alertname"] == "CheckoutErrorBudgetBurn") {
                QCOMPARE(burn->activeSince.nanos(), parseRfc3339(a["activeAt"].get<std::string>())->nanos());
                QCOMPARE(a["state"].get<std::string>(), std::string("firing"));
                matched = true;
            }
        QVERIFY(matched);

        auto rules = m_connector->rules();
        QVERIFY(rules.ok());
        bool ruleFiring = false, recording = false;
        for (const auto& r : *rules) {
            if (r.name == "CheckoutErrorBudgetBurn" && r.state == "firing" && !r.alerts.empty())
                ruleFiring = true;
            if (r.type == "recording" && r.name == "checkout:error_ratio:rate5s")
                recording = true;
        }
        QVERIFY(ruleFiring);
        QVERIFY(recording);
    }

    void instantQueryAndLongQueriesAsPost()
    {
        const Timestamp at = m_backfillFrom + Duration::hours(2);
        auto plain = m_connector->queryInstant("backfill_temperature", at);
        QVERIFY(plain.ok());
        QCOMPARE(plain->series.size(), size_t(1));
        const json rawAnswer = raw("/api/v1/query?query=backfill_temperature&time=" + std::to_string(at.seconds()));
        QCOMPARE(plain->series[0].samples[0].value, rawValue(rawAnswer["data"]["result"][0]["value"][1].get<std::string>()));

        // Longer than any GET URL we send: goes as a form POST and means the same.
        std::string selector = "backfill_temperature{job=\"backfill\"";
        for (int i = 0; i < 300; ++i)
            selector += ",service!=\"not-this-service-" + std::to_string(i) + "\"";
        selector += "}";
        QVERIFY(selector.size() > PrometheusConnector::kMaxGetUrl);
        auto viaPost = m_connector->queryInstant(selector, at);
        QVERIFY2(viaPost.ok(), viaPost.ok() ? "" : viaPost.error().message().c_str());
        QCOMPARE(viaPost->series.size(), size_t(1));
        QCOMPARE(viaPost->series[0].samples[0], plain->series[0].samples[0]);

        auto scalar = m_connector->queryInstant("1/0", at);
        QVERIFY(scalar.ok());
        QVERIFY(scalar->scalar && std::isinf(scalar->scalar->value));

        // A bad query is a precise error with Prometheus's errorType and a hint.
        auto bad = m_connector->queryInstant("sum(rate(foo[5m]", at);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().what.find("bad_data") != std::string::npos, bad.error().message().c_str());
        QVERIFY(bad.error().where.find("/api/v1/query") != std::string::npos);
        QVERIFY(!bad.error().hint.empty());
        FetchRequest req;
        req.source = m_source.name;
        req.query = "sum(rate(foo[5m]";
        req.window = {at, at + Duration::minutes(5)};
        CollectingSink sink;
        QVERIFY(!m_connector->fetch(req, sink).ok());
    }

    void autocomplete()
    {
        CompletionRequest names;
        names.what = CompletionRequest::What::MetricNames;
        auto metrics = m_connector->complete(names);
        QVERIFY(metrics.ok());
        auto has = [](const std::vector<std::string>& v, const char* s) { return std::find(v.begin(), v.end(), s) != v.end(); };
        QVERIFY(has(*metrics, "backfill_temperature"));
        QVERIFY(has(*metrics, "checkout_requests_total"));
        QCOMPARE(*metrics, *m_connector->labelValues("__name__"));

        auto jobs = m_connector->labelValues("job");
        QVERIFY(jobs.ok());
        QVERIFY(has(*jobs, "backfill") && has(*jobs, "checkout"));
        const json rawJobs = raw("/api/v1/label/job/values");
        QCOMPARE(jobs->size(), rawJobs["data"].size());

        auto labels = m_connector->labelNames("checkout_requests_total");
        QVERIFY(labels.ok());
        QVERIFY(has(*labels, "code") && has(*labels, "service") && has(*labels, "instance"));

        auto series = m_connector->series({"checkout_requests_total"});
        QVERIFY(series.ok());
        QCOMPARE(series->size(), size_t(2)); // code 200 and 500
    }

    void cancelledFetchIsPartial()
    {
        std::atomic_bool cancelled{true};
        FetchRequest req;
        req.source = m_source.name;
        req.query = "backfill_temperature";
        req.window = {m_backfillFrom, m_backfillTo};
        req.step = Duration::seconds(1);
        CollectingSink sink;
        auto out = m_connector->fetch(req, sink, &cancelled);
        QVERIFY(out.ok());
        QVERIFY(!out->complete);
        QCOMPARE(out->partialReason, std::string("cancelled"));
    }

    void cliFetch()
    {
        // rootline-cli fetch end to end: a sources file, a cache, JSON output, exit codes, reuse.
        const QString sources = m_dir.filePath(QStringLiteral("sources.yaml"));
        test::writeTextFile(sources, "sources:\n  - {name: live, kind: prometheus, url: '" + m_source.url + "'}\n");
        const QString cache = m_dir.filePath(QStringLiteral("cli.rootline"));
        const QString from = QString::number(m_backfillFrom.seconds());
        const QString to = QString::number((m_backfillFrom + Duration::hours(1)).seconds());
        auto run = [&](const QStringList& args, int* exitCode) {
            QProcess cli;
            cli.start(QStringLiteral(ROOTLINE_CLI), args);
            cli.waitForFinished(60000);
            *exitCode = cli.exitCode();
            return json::parse(cli.readAllStandardOutput().toStdString(), nullptr, false);
        };
        const QStringList args = {QStringLiteral("fetch"), QStringLiteral("--cache"), cache, QStringLiteral("--sources"), sources,
                                  QStringLiteral("--source"), QStringLiteral("live"), QStringLiteral("--from"), from,
                                  QStringLiteral("--to"), to, QStringLiteral("--query"), QStringLiteral("backfill_temperature"),
                                  QStringLiteral("--step"), QStringLiteral("10"), QStringLiteral("--json")};
        int code = -1;
        json first = run(args, &code);
        QCOMPARE(code, 0);
        QVERIFY2(!first.is_discarded(), "no JSON on stdout");
        QCOMPARE(first["from"].get<std::string>(), std::string("network"));
        QCOMPARE(first["rows"]["samples"].get<int64_t>(), int64_t(360));
        QCOMPARE(first["complete"].get<bool>(), true);
        json second = run(args, &code);
        QCOMPARE(code, 0);
        QCOMPARE(second["from"].get<std::string>(), std::string("cache"));
        QCOMPARE(second["rows"]["samples"].get<int64_t>(), int64_t(0));

        // Errors: a bad query is exit 2 with the server's message; an unknown source too.
        QProcess bad;
        QStringList badArgs = args;
        badArgs[badArgs.indexOf(QStringLiteral("backfill_temperature"))] = QStringLiteral("sum(");
        bad.start(QStringLiteral(ROOTLINE_CLI), badArgs);
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("bad_data"));
        QStringList unknown = args;
        unknown[unknown.indexOf(QStringLiteral("live"))] = QStringLiteral("nope");
        json none = run(unknown, &code);
        QCOMPARE(code, 2);
    }

    void factoryMakesThePrometheusConnector()
    {
        auto c = makeConnector(m_source, m_http.get());
        QVERIFY(c.ok());
        auto info = (*c)->testConnection();
        QVERIFY(info.ok());
    }
};

QTEST_GUILESS_MAIN(TestPrometheusLive)
#include "tst_prometheus_live.moc"
