// The CloudWatch connector against FakeAwsServer: every request is checked by the fake (routing,
// Content-Type, units, limits) and its SigV4 signature verified by the test's own SigV4Verifier.
// Pagination (NextToken chains with repeated Ids, empty Logs pages with a token), Logs Insights
// polling, splitting at 10,000 rows and StopQuery on cancel, X-Ray summaries → batch gets,
// throttling with backoff, and each misbehaviour → a precise error with the cache unchanged.

#include "cloudwatch/CloudWatchConnector.h"
#include "investigation/Investigation.h"
#include "ConnectorFactory.h"
#include "FetchService.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "support/FakeAwsServer.h"

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>
#include <thread>

using namespace rootline;
using rootline::test::FakeAwsServer;

namespace {

// 2026-11-20T10:00:00Z. The test's clock stands three days later (kNow), so no retention rule
// coarsens the period whatever day the test runs on.
constexpr int64_t kBase = 1'795'168'800;
constexpr int64_t kNow = kBase + 3 * 86400;

TimeWindow windowSeconds(int64_t from, int64_t to)
{
    return {Timestamp::fromSeconds(from), Timestamp::fromSeconds(to)};
}

std::map<std::string, std::vector<Sample>> samplesBySeries(const TelemetryBatch& b)
{
    std::map<std::string, std::vector<Sample>> out;
    for (const auto& s : b.series)
        out[s.series.key()].insert(out[s.series.key()].end(), s.samples.begin(), s.samples.end());
    return out;
}

QString segmentDoc(const QString& xrayId, const QString& id, const QString& name, double start, double end, bool fault)
{
    return QStringLiteral(R"({"id":"%1","name":"%2","trace_id":"%3","start_time":%4,"end_time":%5,"fault":%6,"subsegments":[{"id":"%7","name":"db","namespace":"remote","start_time":%4,"end_time":%5}]})")
        .arg(id, name, xrayId, QString::number(start, 'E', 12), QString::number(end, 'E', 12), fault ? QStringLiteral("true") : QStringLiteral("false"),
             id.left(15) + QStringLiteral("f"));
}

} // namespace

class TstCloudWatchConnector : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    http::HttpClient m_http;
    ManualClock m_clock{Timestamp::fromSeconds(kNow)};
    ScopedClock m_useClock{m_clock};

    Source source(const FakeAwsServer& server, const QString& profile = QStringLiteral("test")) const
    {
        Source s;
        s.name = "aws-fake";
        s.type = SourceType::CloudWatch;
        s.url = server.url();
        s.auth.kind = AuthKind::Aws;
        s.auth.awsProfile = profile.toStdString();
        s.auth.awsRegion = "us-east-1";
        s.options.timeout = Duration::seconds(5);
        return s;
    }

    static CloudWatchConnector::Tuning fastTuning()
    {
        CloudWatchConnector::Tuning t;
        t.pollInterval = Duration::millis(10);
        t.maxPollInterval = Duration::millis(30);
        t.retry.maxAttempts = 4;
        t.retry.throttleBase = Duration::millis(100);
        t.retry.transientBase = Duration::millis(10);
        t.retry.maxBackoff = Duration::millis(400);
        return t;
    }

    static void expectClean(const FakeAwsServer& server)
    {
        const QStringList v = server.violations();
        QVERIFY2(v.isEmpty(), qPrintable(v.join(QLatin1Char('\n'))));
        for (const auto& r : server.requests())
            QVERIFY2(r.signatureOk, qPrintable(QString::fromLatin1(r.operation) + QStringLiteral(": ") + r.signatureProblem));
    }

    static FetchRequest request(FetchKind kind, const std::string& query, TimeWindow window)
    {
        FetchRequest r;
        r.source = "aws-fake";
        r.kind = kind;
        r.query = query;
        r.window = window;
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The shared credentials file the "test" profile comes from (AWS's public example keys).
        const QString path = m_dir.filePath(QStringLiteral("credentials"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n\n"
                "[test]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n\n"
                "[badsecret]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = notTheSecret\n\n"
                "[process]\ncredential_process = " + m_dir.filePath(QStringLiteral("creds.sh")).toLocal8Bit() + " --profile x\n");
        f.close();
        QFile script(m_dir.filePath(QStringLiteral("creds.sh")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDEXAMPLE\", "
                     "\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("AWS_SHARED_CREDENTIALS_FILE", path.toLocal8Bit());
        qputenv("AWS_CONFIG_FILE", m_dir.filePath(QStringLiteral("no-config")).toLocal8Bit());
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        qunsetenv("AWS_SESSION_TOKEN");
        qunsetenv("AWS_PROFILE");
    }

    void factoryMakesTheConnectorAndTestConnectionSigns()
    {
        FakeAwsServer server;
        auto made = makeConnector(source(server), &m_http);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message().c_str());
        auto info = (*made)->testConnection();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message().c_str());
        QVERIFY(info->reachable);
        QVERIFY(info->version.find("us-east-1") != std::string::npos);
        const auto reqs = server.requests("GetMetricData");
        QCOMPARE(reqs.size(), 1);
        QCOMPARE(reqs[0].target, QByteArray("GraniteServiceVersion20100801.GetMetricData"));
        QCOMPARE(reqs[0].contentType, QByteArray("application/x-amz-json-1.0"));
        QCOMPARE(reqs[0].body.value(QStringLiteral("MetricDataQueries")).toArray().size(), 1);
        expectClean(server);
    }

    void sessionTokenFromEnvironmentIsSentAndSigned()
    {
        FakeAwsServer::Options o;
        o.sessionToken = "FQoGZXIvYXdzEXAMPLETOKEN//////////wEaDEXAMPLE=";
        FakeAwsServer server(o);
        qputenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        qputenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        qputenv("AWS_SESSION_TOKEN", o.sessionToken);
        CloudWatchConnector c(source(server, {}), m_http, fastTuning());
        auto info = c.testConnection();
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        qunsetenv("AWS_SESSION_TOKEN");
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message().c_str());
        expectClean(server);
    }

    void wrongSecretIsAPreciseError()
    {
        FakeAwsServer server;
        CloudWatchConnector c(source(server, QStringLiteral("badsecret")), m_http, fastTuning());
        auto info = c.testConnection();
        QVERIFY(!info.ok());
        QVERIFY2(info.error().what.find("InvalidSignatureException") != std::string::npos, info.error().message().c_str());
        QVERIFY(info.error().hint.find("secret") != std::string::npos);
        QVERIFY(info.error().where.find("GetMetricData") != std::string::npos);
        QVERIFY(info.error().message().find("notTheSecret") == std::string::npos); // never print secrets
    }

    void credentialProcessProfile()
    {
        FakeAwsServer server;
        CloudWatchConnector c(source(server, QStringLiteral("process")), m_http, fastTuning());
        auto info = c.testConnection();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message().c_str());
        expectClean(server);
    }

    void missingProfileIsAPreciseError()
    {
        FakeAwsServer server;
        CloudWatchConnector c(source(server, QStringLiteral("nosuch")), m_http, fastTuning());
        auto info = c.testConnection();
        QVERIFY(!info.ok());
        QVERIFY2(info.error().what.find("no access key") != std::string::npos, info.error().message().c_str());
        QVERIFY(server.requests().isEmpty());
    }

    // ------------------------------------------------------------------ metrics
    void choosePeriod_data()
    {
        QTest::addColumn<qint64>("fromAgoSeconds");
        QTest::addColumn<qint64>("lengthSeconds");
        QTest::addColumn<qint64>("stepSeconds");
        QTest::addColumn<int>("period");
        QTest::newRow("1 h, recent") << qint64(3600) << qint64(3600) << qint64(0) << 60;
        QTest::newRow("1 h recent, step 15 s (high resolution)") << qint64(3600) << qint64(3600) << qint64(15) << 20;
        QTest::newRow("step 90 s → multiple of 60") << qint64(3600) << qint64(3600) << qint64(90) << 120;
        QTest::newRow("10 days recent") << qint64(10 * 86400) << qint64(10 * 86400) << qint64(0) << 60;
        QTest::newRow("80 days of 1-minute data would be 115,200 points") << qint64(10 * 86400) << qint64(80 * 86400) << qint64(0) << 120;
        QTest::newRow("older than 15 days → 5 min") << qint64(20 * 86400) << qint64(86400) << qint64(0) << 300;
        QTest::newRow("older than 63 days → 1 h") << qint64(90 * 86400) << qint64(86400) << qint64(0) << 3600;
        QTest::newRow("step under 60 but 4 h ago → 60") << qint64(4 * 3600) << qint64(3600) << qint64(10) << 60;
    }
    void choosePeriod()
    {
        QFETCH(qint64, fromAgoSeconds);
        QFETCH(qint64, lengthSeconds);
        QFETCH(qint64, stepSeconds);
        QFETCH(int, period);
        const Timestamp now = Timestamp::fromSeconds(kBase);
        const TimeWindow w{now - Duration::seconds(fromAgoSeconds), now - Duration::seconds(fromAgoSeconds) + Duration::seconds(lengthSeconds)};
        std::optional<Duration> step;
        if (stepSeconds)
            step = Duration::seconds(stepSeconds);
        const int p = CloudWatchConnector::choosePeriod(w, step, now);
        QCOMPARE(p, period);
        QVERIFY(lengthSeconds / p <= 100800);
    }

    void metricsNextTokenChainWithRepeatedIds()
    {
        FakeAwsServer server;
        std::vector<FakeAwsServer::MetricPoint> cpu, mem;
        for (int i = 0; i < 180; ++i) {
            cpu.push_back({kBase + i * 60, 10.0 + i * 0.5});
            mem.push_back({kBase + i * 60, 1000.0 - i});
        }
        server.addMetric(QStringLiteral("AWS/ECS"), QStringLiteral("CPUUtilization"), {{QStringLiteral("ServiceName"), QStringLiteral("checkout")}}, cpu);
        server.addMetric(QStringLiteral("AWS/ECS"), QStringLiteral("MemoryUtilization"), {{QStringLiteral("ServiceName"), QStringLiteral("checkout")}}, mem);
        server.setMetricPagePoints(50); // 180 points → 4 pages, every Id on each
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        auto out = c.fetch(request(FetchKind::Series,
                                   "AWS/ECS CPUUtilization ServiceName=checkout stat=Average; "
                                   "AWS/ECS MemoryUtilization ServiceName=checkout stat=Maximum id=mem; = m1 * 100 label=cpu_pct",
                                   windowSeconds(kBase, kBase + 3 * 3600)),
                           sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QVERIFY(out->complete);
        const auto reqs = server.requests("GetMetricData");
        QCOMPARE(reqs.size(), 4);
        QVERIFY(!reqs[0].body.contains(QStringLiteral("NextToken")));
        for (int i = 1; i < 4; ++i)
            QCOMPARE(reqs[i].body.value(QStringLiteral("NextToken")).toString(), QStringLiteral("mp-%1").arg(i));
        // Units: epoch seconds, a fitting period, the queries as CloudWatch wants them.
        QCOMPARE(qint64(reqs[0].body.value(QStringLiteral("StartTime")).toDouble()), kBase);
        QCOMPARE(qint64(reqs[0].body.value(QStringLiteral("EndTime")).toDouble()), kBase + 3 * 3600);
        const QJsonArray queries = reqs[0].body.value(QStringLiteral("MetricDataQueries")).toArray();
        QCOMPARE(queries.size(), 3);
        QCOMPARE(queries[0].toObject().value(QStringLiteral("Id")).toString(), QStringLiteral("m1"));
        QCOMPARE(queries[0].toObject().value(QStringLiteral("MetricStat")).toObject().value(QStringLiteral("Period")).toInt(), 60);
        QCOMPARE(queries[2].toObject().value(QStringLiteral("Expression")).toString(), QStringLiteral("m1 * 100"));

        const auto series = samplesBySeries(sink.collected);
        QCOMPARE(series.size(), size_t(3));
        std::vector<Sample> cpuSamples, pct, memSamples;
        for (const auto& s : sink.collected.series) {
            const std::string& id = *s.series.label("id");
            if (id == "m1") {
                QCOMPARE(s.series.name, std::string("CPUUtilization"));
                QCOMPARE(*s.series.label("ServiceName"), std::string("checkout"));
                QCOMPARE(s.series.resource->serviceName, std::string("checkout"));
            }
            if (id == "e1")
                QCOMPARE(s.series.name, std::string("cpu_pct"));
        }
        for (const auto& [key, samples] : series) {
            if (key.find("id=\"m1\"") != std::string::npos) cpuSamples = samples;
            if (key.find("id=\"e1\"") != std::string::npos) pct = samples;
            if (key.find("id=\"mem\"") != std::string::npos) memSamples = samples;
        }
        QCOMPARE(cpuSamples.size(), size_t(180)); // appended across 4 pages, nothing lost or doubled
        QCOMPARE(pct.size(), size_t(180));
        QCOMPARE(memSamples.size(), size_t(180));
        for (int i = 0; i < 180; ++i) {
            QCOMPARE(cpuSamples[size_t(i)].time, Timestamp::fromSeconds(kBase + i * 60)); // scientific notation, exact
            QCOMPARE(cpuSamples[size_t(i)].value, 10.0 + i * 0.5);
            QCOMPARE(pct[size_t(i)].value, (10.0 + i * 0.5) * 100);
        }
        QCOMPARE(out->records, int64_t(540));
        expectClean(server);
    }

    void longWindowStaysUnderTheDatapointLimit()
    {
        FakeAwsServer server;
        server.addMetric(QStringLiteral("AWS/EC2"), QStringLiteral("CPUUtilization"), {}, {{kBase, 1.0}});
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        // 80 days at 60 s would be 115,200 points: the fake answers 400 if the connector asks that.
        auto out = c.fetch(request(FetchKind::Series, "AWS/EC2 CPUUtilization", windowSeconds(kBase - 80 * 86400, kBase + 60)), sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        const int period = server.requests("GetMetricData").at(0).body.value(QStringLiteral("MetricDataQueries")).toArray().at(0)
                               .toObject().value(QStringLiteral("MetricStat")).toObject().value(QStringLiteral("Period")).toInt();
        QVERIFY(period % 60 == 0);
        QVERIFY((80 * 86400 + 60) / period <= 100800);
        expectClean(server);
    }

    // ------------------------------------------------------------------ logs
    void filterLogEventsFollowsEmptyPagesWithToken()
    {
        FakeAwsServer server;
        std::vector<FakeAwsServer::LogEvent> events;
        events.push_back({QStringLiteral("s0"), kBase * 1000 - 1, QStringLiteral("before the window")});
        for (int i = 0; i < 25; ++i)
            events.push_back({QStringLiteral("ecs/checkout/1"), kBase * 1000 + i * 1000, QStringLiteral("line %1").arg(i)});
        events.push_back({QStringLiteral("s0"), kBase * 1000 + 60'000, QStringLiteral("exactly at the window's end")});
        server.addLogEvents(QStringLiteral("/ecs/checkout"), events);
        server.setLogsPageSize(10);
        server.setEmptyPageEvery(2); // pages: 10, empty+token, 10, empty+token, 5
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        auto out = c.fetch(request(FetchKind::Logs, "/ecs/checkout", windowSeconds(kBase, kBase + 60)), sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QVERIFY(out->complete);
        const auto reqs = server.requests("FilterLogEvents");
        QCOMPARE(reqs.size(), 5);
        QCOMPARE(reqs[0].target, QByteArray("Logs_20140328.FilterLogEvents"));
        QCOMPARE(reqs[0].contentType, QByteArray("application/x-amz-json-1.1"));
        QCOMPARE(qint64(reqs[0].body.value(QStringLiteral("startTime")).toDouble()), kBase * 1000);
        QCOMPARE(qint64(reqs[0].body.value(QStringLiteral("endTime")).toDouble()), kBase * 1000 + 60'000 - 1); // [from, to)
        QCOMPARE(sink.collected.logs.size(), size_t(25));
        for (int i = 0; i < 25; ++i) {
            QCOMPARE(sink.collected.logs[size_t(i)].body, QStringLiteral("line %1").arg(i).toStdString());
            QCOMPARE(sink.collected.logs[size_t(i)].time, Timestamp::fromMillis(kBase * 1000 + i * 1000));
        }
        QCOMPARE(sink.collected.logs[0].resource->serviceName, std::string("checkout"));
        expectClean(server);
    }

    void filterLogEventsLimitMakesItPartial()
    {
        FakeAwsServer server;
        std::vector<FakeAwsServer::LogEvent> events;
        for (int i = 0; i < 30; ++i)
            events.push_back({QStringLiteral("s"), kBase * 1000 + i, QStringLiteral("l%1").arg(i)});
        server.addLogEvents(QStringLiteral("/ecs/checkout"), events);
        server.setLogsPageSize(10);
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        FetchRequest r = request(FetchKind::Logs, "/ecs/checkout", windowSeconds(kBase, kBase + 60));
        r.limit = 15;
        auto out = c.fetch(r, sink);
        QVERIFY(out.ok());
        QVERIFY(!out->complete);
        QVERIFY(out->partialReason.find("limit 15") != std::string::npos);
        QCOMPARE(sink.collected.logs.size(), size_t(15));
        QCOMPARE(server.requests("FilterLogEvents").at(1).body.value(QStringLiteral("limit")).toInt(), 5);
        expectClean(server);
    }

    void insightsPollsAndSplitsAt10000Rows()
    {
        FakeAwsServer server;
        std::vector<FakeAwsServer::LogEvent> events;
        for (int i = 0; i < 12000; ++i) // 12,000 events over 2 h: one query would be cut at 10,000
            events.push_back({QStringLiteral("ecs/payment/1"), kBase * 1000 + qint64(i) * 600 + 7, QStringLiteral("event %1").arg(i)});
        server.addLogEvents(QStringLiteral("/ecs/payment"), events);
        server.setInsightsPollsUntilComplete(3); // Scheduled → Running (partial rows) → Complete
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        auto out = c.fetch(request(FetchKind::Logs, "/ecs/payment | fields @timestamp, @message | sort @timestamp desc",
                                   windowSeconds(kBase, kBase + 7200)),
                           sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QVERIFY2(out->complete, out->partialReason.c_str());
        const auto starts = server.requests("StartQuery");
        QVERIFY(starts.size() >= 3); // the capped whole range, then its halves
        QCOMPARE(qint64(starts[0].body.value(QStringLiteral("startTime")).toDouble()), kBase); // SECONDS
        QCOMPARE(qint64(starts[0].body.value(QStringLiteral("endTime")).toDouble()), kBase + 7199);
        QCOMPARE(starts[0].body.value(QStringLiteral("logGroupName")).toString(), QStringLiteral("/ecs/payment"));
        QVERIFY(server.requests("GetQueryResults").size() >= 3 * starts.size());
        // Every event once, none lost at a split boundary, exact to the ms.
        QCOMPARE(sink.collected.logs.size(), size_t(12000));
        std::vector<int64_t> times;
        for (const auto& l : sink.collected.logs)
            times.push_back(l.time.nanos());
        std::sort(times.begin(), times.end());
        QVERIFY(std::adjacent_find(times.begin(), times.end()) == times.end());
        QCOMPARE(times.front(), Timestamp::fromMillis(kBase * 1000 + 7).nanos());
        QCOMPARE(times.back(), Timestamp::fromMillis(kBase * 1000 + 11999 * 600 + 7).nanos());
        QVERIFY(!out->warnings.empty());
        expectClean(server);
    }

    void insightsResultPagedWithNextToken()
    {
        FakeAwsServer server;
        std::vector<FakeAwsServer::LogEvent> events;
        for (int i = 0; i < 2500; ++i)
            events.push_back({QStringLiteral("s"), kBase * 1000 + i * 10, QStringLiteral("e%1").arg(i)});
        server.addLogEvents(QStringLiteral("/ecs/payment"), events);
        server.setInsightsPageRows(1000); // the 2026 model: Complete results come in pages
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        int progressCalls = 0;
        auto out = c.fetch(request(FetchKind::Logs, "/ecs/payment | fields @timestamp, @message", windowSeconds(kBase, kBase + 60)), sink,
                           nullptr, [&](const FetchProgress& p) { ++progressCalls; QVERIFY(p.requestsDone > 0); });
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QVERIFY(out->complete);
        QCOMPARE(sink.collected.logs.size(), size_t(2500));
        QCOMPARE(server.requests("StartQuery").size(), 1);
        const auto results = server.requests("GetQueryResults");
        QCOMPARE(results.last().body.value(QStringLiteral("nextToken")).toString(), QStringLiteral("r-2000"));
        QVERIFY(progressCalls >= 2);
        expectClean(server);
    }

    void metricNameCompletionFromListMetrics()
    {
        FakeAwsServer server;
        server.addMetric(QStringLiteral("AWS/ECS"), QStringLiteral("CPUUtilization"), {{QStringLiteral("ServiceName"), QStringLiteral("checkout")}}, {});
        server.addMetric(QStringLiteral("AWS/ECS"), QStringLiteral("MemoryUtilization"), {{QStringLiteral("ServiceName"), QStringLiteral("payment")}}, {});
        server.addMetric(QStringLiteral("AWS/EC2"), QStringLiteral("NetworkIn"), {{QStringLiteral("InstanceId"), QStringLiteral("i-1")}}, {});
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CompletionRequest names;
        names.what = CompletionRequest::What::MetricNames;
        names.matcher = "AWS/ECS";
        auto r = c.complete(names);
        QVERIFY(r.ok());
        QCOMPARE(*r, (std::vector<std::string>{"CPUUtilization", "MemoryUtilization"}));
        CompletionRequest values;
        values.what = CompletionRequest::What::LabelValues;
        values.label = "ServiceName";
        auto v = c.complete(values);
        QVERIFY(v.ok());
        QCOMPARE(*v, (std::vector<std::string>{"checkout", "payment"}));
        QCOMPARE(server.requests("ListMetrics").at(0).target, QByteArray("GraniteServiceVersion20100801.ListMetrics"));
        expectClean(server);
    }

    void insightsStopQueryOnCancel()
    {
        FakeAwsServer server;
        server.addLogEvents(QStringLiteral("/ecs/payment"), {{QStringLiteral("s"), kBase * 1000, QStringLiteral("x")}});
        server.setInsightsPollsUntilComplete(1'000'000); // never completes
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        std::atomic_bool cancel{false};
        std::optional<Result<FetchOutcome>> out;
        std::thread worker([&] {
            out.emplace(c.fetch(request(FetchKind::Logs, "/ecs/payment | fields @timestamp, @message", windowSeconds(kBase, kBase + 60)),
                                sink, &cancel));
        });
        struct Joiner { // a failed check below must still cancel and join the fetch
            std::atomic_bool& cancel;
            std::thread& t;
            ~Joiner() { cancel = true; if (t.joinable()) t.join(); }
        } joiner{cancel, worker};
        QTRY_VERIFY_WITH_TIMEOUT(server.requests("GetQueryResults").size() >= 3, 10000);
        cancel = true;
        worker.join();
        QVERIFY(out && out->ok());
        QVERIFY(!(*out)->complete);
        QCOMPARE((*out)->partialReason, std::string("cancelled"));
        QCOMPARE(server.stoppedQueries(), QStringList{QStringLiteral("q-1")});
        QVERIFY(sink.collected.logs.empty()); // Running rows are never stored
        expectClean(server);
    }

    void insightsFailedQueryIsAnError()
    {
        FakeAwsServer server;
        server.addLogEvents(QStringLiteral("/ecs/payment"), {{QStringLiteral("s"), kBase * 1000, QStringLiteral("x")}});
        server.setInsightsTerminalStatus(QStringLiteral("Failed"));
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        auto out = c.fetch(request(FetchKind::Logs, "/ecs/payment | fields @message", windowSeconds(kBase, kBase + 60)), sink);
        QVERIFY(!out.ok());
        QVERIFY2(out.error().what.find("ended Failed") != std::string::npos, out.error().message().c_str());
        QVERIFY(out.error().where.find("q-1") != std::string::npos);
    }

    void unknownLogGroupIsAPreciseError()
    {
        FakeAwsServer server;
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        auto out = c.fetch(request(FetchKind::Logs, "/ecs/nosuch", windowSeconds(kBase, kBase + 60)), sink);
        QVERIFY(!out.ok());
        QVERIFY2(out.error().what.find("ResourceNotFoundException") != std::string::npos, out.error().message().c_str());
        QVERIFY(out.error().what.find("does not exist") != std::string::npos);
        QVERIFY(!out.error().hint.empty());
    }

    // ------------------------------------------------------------------ X-Ray
    void alarmsInAlarmStateAreAlerts()
    {
        FakeAwsServer server;
        server.addAlarm(QJsonObject{{QStringLiteral("AlarmName"), QStringLiteral("checkout-5xx")},
                                    {QStringLiteral("AlarmArn"), QStringLiteral("arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-5xx")},
                                    {QStringLiteral("AlarmDescription"), QStringLiteral("checkout answers 5xx")},
                                    {QStringLiteral("StateValue"), QStringLiteral("ALARM")},
                                    {QStringLiteral("StateReason"), QStringLiteral("Threshold Crossed: 1 datapoint [42.0] was greater than 10.0")},
                                    {QStringLiteral("StateUpdatedTimestamp"), double(kBase) + 0.5},
                                    {QStringLiteral("Namespace"), QStringLiteral("AWS/ApplicationELB")},
                                    {QStringLiteral("MetricName"), QStringLiteral("HTTPCode_Target_5XX_Count")},
                                    {QStringLiteral("Dimensions"), QJsonArray{QJsonObject{{QStringLiteral("Name"), QStringLiteral("ServiceName")},
                                                                                          {QStringLiteral("Value"), QStringLiteral("checkout")}}}}});
        server.addAlarm(QJsonObject{{QStringLiteral("AlarmName"), QStringLiteral("quiet")}, {QStringLiteral("StateValue"), QStringLiteral("OK")}});
        CloudWatchConnector c(source(server), m_http, fastTuning());
        QVERIFY(std::ranges::count(c.supportedKinds(), FetchKind::Alerts) == 1);
        CollectingSink sink;
        auto out = c.fetch(request(FetchKind::Alerts, {}, {}), sink); // alerts need no window
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QCOMPARE(out->requests, 1);
        const std::vector<Alert>& alerts = sink.collected.alerts;
        QCOMPARE(alerts.size(), size_t(1));
        const Alert& a = alerts[0];
        QCOMPARE(a.name, std::string("checkout-5xx"));
        QCOMPARE(a.state, AlertState::Firing);
        QCOMPARE(a.source, std::string("cloudwatch:aws-fake"));
        QCOMPARE(a.activeSince, Timestamp::fromSeconds(kBase) + Duration::millis(500));
        QCOMPARE(alertService(a, nullptr), std::string()); // ServiceName is not a service label Rootline reads yet
        const auto has = [](const auto& pairs, const std::string& k, const std::string& v) {
            return std::ranges::count(pairs, std::pair<std::string, std::string>{k, v}) == 1;
        };
        QVERIFY(has(a.labels, "namespace", "AWS/ApplicationELB"));
        QVERIFY(has(a.labels, "metric_name", "HTTPCode_Target_5XX_Count"));
        QVERIFY(has(a.labels, "ServiceName", "checkout"));
        QVERIFY(has(a.annotations, "StateReason", "Threshold Crossed: 1 datapoint [42.0] was greater than 10.0"));
        const auto req = server.requests("DescribeAlarms");
        QCOMPARE(req.size(), 1);
        QCOMPARE(req[0].target, QByteArray("GraniteServiceVersion20100801.DescribeAlarms"));
        QCOMPARE(req[0].body.value(QStringLiteral("StateValue")).toString(), QStringLiteral("ALARM"));
        expectClean(server);
    }

    void xraySummariesThenBatchGets()
    {
        FakeAwsServer server;
        QStringList ids;
        for (int i = 0; i < 12; ++i) {
            const QString id = QStringLiteral("1-%1-%2").arg(QString::number(kBase + i, 16)).arg(i + 1, 24, 16, QLatin1Char('0'));
            const QString seg = QStringLiteral("%1").arg(i + 0xa0, 16, 16, QLatin1Char('0'));
            server.addTrace(id, double(kBase + i * 10) + 0.25, 0.5, i % 3 == 0,
                            {segmentDoc(id, seg, QStringLiteral("checkout"), double(kBase + i * 10) + 0.25, double(kBase + i * 10) + 0.75, i % 3 == 0)});
            ids << id;
        }
        server.setTraceSummariesPageSize(5);
        server.setUnprocessedOnce(ids[4]);
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        FetchRequest r = request(FetchKind::Traces, {}, windowSeconds(kBase, kBase + 600));
        r.search = {{"service", "checkout"}};
        auto out = c.fetch(r, sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QVERIFY2(out->complete, out->partialReason.c_str());
        const auto summaries = server.requests("GetTraceSummaries");
        QCOMPARE(summaries.size(), 3); // 5 + 5 + 2
        QCOMPARE(summaries[0].path, QByteArray("/TraceSummaries"));
        QCOMPARE(summaries[0].contentType, QByteArray("application/json"));
        QVERIFY(summaries[0].target.isEmpty());
        QCOMPARE(summaries[0].body.value(QStringLiteral("FilterExpression")).toString(), QStringLiteral("service(\"checkout\")"));
        const auto batches = server.requests("BatchGetTraces");
        QCOMPARE(batches.size(), 4); // 5 + 5 + 2, then the one X-Ray left unprocessed
        for (const auto& b : batches) {
            QCOMPARE(b.path, QByteArray("/Traces"));
            QVERIFY(b.body.value(QStringLiteral("TraceIds")).toArray().size() <= 5);
        }
        QCOMPARE(batches.last().body.value(QStringLiteral("TraceIds")).toArray(), QJsonArray{ids[4]});
        QCOMPARE(sink.collected.spans.size(), size_t(24)); // segment + subsegment per trace
        std::set<std::string> traces;
        for (const auto& s : sink.collected.spans)
            traces.insert(s.traceId.toXRay());
        QCOMPARE(traces.size(), size_t(12));
        expectClean(server);
    }

    void xrayTraceByHexId()
    {
        FakeAwsServer server;
        const QString id = QStringLiteral("1-5759e988-bd862e3fe1be46a994272793");
        server.addTrace(id, 1465379208.1, 1.5, true, {segmentDoc(id, QStringLiteral("53995c3f42cd8ad8"), QStringLiteral("api"), 1465379208.1, 1465379209.6, true)});
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        FetchRequest r;
        r.kind = FetchKind::Trace;
        r.traceId = "5759e988bd862e3fe1be46a994272793";
        auto out = c.fetch(r, sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QCOMPARE(server.requests("BatchGetTraces").at(0).body.value(QStringLiteral("TraceIds")).toArray(), QJsonArray{id});
        QCOMPARE(sink.collected.spans.size(), size_t(2));
        QCOMPARE(sink.collected.spans[0].start.nanos(), int64_t(1'465'379'208'100'000'000));
        QVERIFY(sink.collected.spans[0].isError());

        r.traceId = "1-5759e988-000000000000000000000000";
        CollectingSink none;
        auto missing = c.fetch(r, none);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().what.find("not found") != std::string::npos);
        expectClean(server);
    }

    // ------------------------------------------------------------------ throttling
    void throttlingIsRetriedWithBackoff_data()
    {
        QTest::addColumn<QByteArray>("operation");
        QTest::newRow("Logs 400 ThrottlingException") << QByteArray("FilterLogEvents");
        QTest::newRow("CloudWatch 400 Throttling") << QByteArray("GetMetricData");
        QTest::newRow("X-Ray 429 ThrottledException") << QByteArray("GetTraceSummaries");
    }
    void throttlingIsRetriedWithBackoff()
    {
        QFETCH(QByteArray, operation);
        FakeAwsServer server;
        server.addLogEvents(QStringLiteral("/ecs/checkout"), {{QStringLiteral("s"), kBase * 1000, QStringLiteral("x")}});
        server.addMetric(QStringLiteral("AWS/EC2"), QStringLiteral("CPUUtilization"), {}, {{kBase, 1.0}});
        server.injectFault(FakeAwsServer::Fault::Throttle, 2, operation);
        CloudWatchConnector c(source(server), m_http, fastTuning());
        CollectingSink sink;
        FetchRequest r = operation == "FilterLogEvents" ? request(FetchKind::Logs, "/ecs/checkout", windowSeconds(kBase, kBase + 60))
            : operation == "GetMetricData"              ? request(FetchKind::Series, "AWS/EC2 CPUUtilization", windowSeconds(kBase, kBase + 60))
                                                        : request(FetchKind::Traces, {}, windowSeconds(kBase, kBase + 60));
        auto out = c.fetch(r, sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        const auto reqs = server.requests(operation);
        QCOMPARE(reqs.size(), 3);
        // Backoff: at least half the 100 ms base before the first retry, growing after.
        QVERIFY2(reqs[1].receivedAtMs - reqs[0].receivedAtMs >= 50, qPrintable(QString::number(reqs[1].receivedAtMs - reqs[0].receivedAtMs)));
        QVERIFY2(reqs[2].receivedAtMs - reqs[1].receivedAtMs >= 100, qPrintable(QString::number(reqs[2].receivedAtMs - reqs[1].receivedAtMs)));
        QCOMPARE(server.faultsServed(), 2);
        if (operation != "GetTraceSummaries")
            QCOMPARE(out->records, int64_t(1));
        expectClean(server);
    }

    // ------------------------------------------------------------------ misbehaviour → error, cache unchanged
    void misbehaviourLeavesTheCacheUnchanged_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("failure"); // expected http::HttpFailure, or -1 for an AWS error
        QTest::addColumn<QString>("fragment");
        QTest::newRow("slow (past the timeout)") << int(FakeAwsServer::Fault::Slow) << int(http::HttpFailure::Timeout) << QStringLiteral("timed out");
        QTest::newRow("connection dropped mid-body") << int(FakeAwsServer::Fault::DropMidBody) << int(http::HttpFailure::Connect) << QStringLiteral("connection failed");
        QTest::newRow("throttled beyond the retries") << int(FakeAwsServer::Fault::Throttle) << -1 << QStringLiteral("ThrottlingException (HTTP 400): Rate exceeded — still failing after 4 attempts");
        QTest::newRow("500") << int(FakeAwsServer::Fault::ServerError) << -1 << QStringLiteral("InternalFailure (HTTP 500)");
        QTest::newRow("malformed JSON") << int(FakeAwsServer::Fault::MalformedJson) << -1 << QStringLiteral("malformed JSON");
        QTest::newRow("body over the cap") << int(FakeAwsServer::Fault::HugeBody) << int(http::HttpFailure::TooLarge) << QStringLiteral("response too large");
        QTest::newRow("endless stream") << int(FakeAwsServer::Fault::EndlessStream) << int(http::HttpFailure::TooLarge) << QStringLiteral("response too large");
        QTest::newRow("access denied") << int(FakeAwsServer::Fault::AccessDenied) << -1 << QStringLiteral("AccessDeniedException");
    }
    void misbehaviourLeavesTheCacheUnchanged()
    {
        QFETCH(int, fault);
        QFETCH(int, failure);
        QFETCH(QString, fragment);
        FakeAwsServer server;
        std::vector<FakeAwsServer::LogEvent> events;
        for (int i = 0; i < 30; ++i)
            events.push_back({QStringLiteral("s"), kBase * 1000 + i * 100, QStringLiteral("line %1").arg(i)});
        server.addLogEvents(QStringLiteral("/ecs/checkout"), events);
        server.setLogsPageSize(10);
        server.setDelayMs(3000);
        server.setHugeBytes(2 << 20);
        Source s = source(server);
        s.options.timeout = Duration::millis(400);
        s.options.maxResponseBytes = 512 << 10;
        CloudWatchConnector c(s, m_http, fastTuning());

        const std::string path = m_dir.filePath(QStringLiteral("cache-%1.rootline").arg(QString::fromUtf8(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')))).toStdString();
        auto writer = CacheWriter::open(path);
        QVERIFY(writer.ok());
        // Something already in the cache: a good fetch of an earlier minute.
        server.addLogEvents(QStringLiteral("/ecs/checkout"), {{QStringLiteral("s"), (kBase - 60) * 1000, QStringLiteral("earlier")}});
        auto first = runFetch(c, **writer, {}, request(FetchKind::Logs, "/ecs/checkout", windowSeconds(kBase - 60, kBase)));
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message().c_str());
        QCOMPARE(first->stored.logs, int64_t(1));

        // Page 1 arrives fine; page 2 (and every retry of it) misbehaves.
        server.injectFault(FakeAwsServer::Fault(fault), 50, "FilterLogEvents", 1);
        QElapsedTimer timer;
        timer.start();
        auto out = runFetch(c, **writer, {}, request(FetchKind::Logs, "/ecs/checkout", windowSeconds(kBase, kBase + 60)));
        QVERIFY(timer.elapsed() < 20000); // never hangs
        QVERIFY(!out.ok());
        const Error& e = out.error();
        QVERIFY2(e.message().find(fragment.toStdString()) != std::string::npos, e.message().c_str());
        QVERIFY2(e.where.find("FilterLogEvents") != std::string::npos, e.where.c_str());
        if (failure >= 0)
            QCOMPARE(int(http::HttpClient::failureOf(e)), failure);
        QVERIFY(!e.hint.empty() || FakeAwsServer::Fault(fault) == FakeAwsServer::Fault::MalformedJson);
        writer->reset(); // flush and close

        auto reader = CacheReader::open(path);
        QVERIFY(reader.ok());
        auto logs = (*reader)->countLogs(LogQuery{});
        QVERIFY(logs.ok());
        QCOMPARE(*logs, int64_t(1)); // only what was there before: page 1 was not kept
        expectClean(server);
    }
};

QTEST_GUILESS_MAIN(TstCloudWatchConnector)
#include "tst_cloudwatch_connector.moc"
