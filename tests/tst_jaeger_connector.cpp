// The Jaeger connector against a faithful fake Jaeger in its three flavours (classic /api only,
// both, api_v3 only as on Jaeger's 2026 main branch): probing, search parameters in the units each
// API wants (µs and Go durations vs RFC 3339), tag filters, trace by short id, 404 from api_v3 as an
// empty answer, the real fixtures served by id, and every misbehaviour ending in a precise error
// with the cache left exactly as it was.

#include "CacheTestUtil.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "import/WriterSink.h"
#include "jaeger/JaegerConnector.h"
#include "support/ConnectorTestUtil.h"
#include "support/FakeJaegerServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace rootline;
using namespace rootline::test;

Q_DECLARE_METATYPE(rootline::test::JaegerFlavour)

namespace {

constexpr int64_t kT0us = 1763908000000000; // 2025-11-23T14:26:40Z in µs
const std::string kTraceA = "00000000000000000000000000000abc"; // a 64-bit id: old Jaeger writes "abc"
const std::string kTraceB = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kTraceC = "00000000000000005b8efff798038103";

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string fixture(const char* name)
{
    QFile f(QStringLiteral(ROOTLINE_FIXTURES "/jaeger/") + QString::fromUtf8(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    const QByteArray data = f.readAll();
    return std::string(data.constData(), size_t(data.size()));
}

void addTraces(FakeJaegerServer& server)
{
    // A: slow checkout whose payment call failed (504 from the gateway).
    server.addSpan({kTraceA, "00000000000000a1", "", "checkout", "POST /checkout", kT0us, 1500000, {{"customer", "silver"}}, false, 2});
    server.addSpan({kTraceA, "00000000000000a2", "00000000000000a1", "payment", "charge", kT0us + 1000, 1400000,
                    {{"http.status_code", "504"}}, true, 3});
    // B: a quick cart view by a gold customer.
    server.addSpan({kTraceB, "00f067aa0ba902b7", "", "checkout", "GET /cart", kT0us + 60000000, 20000, {{"customer", "gold"}}, false, 2});
    // C: an older refund.
    server.addSpan({kTraceC, "eee19b7ec3c1b174", "", "payment", "refund", kT0us - 600000000, 300000, {}, false, 2});
}

Source jaegerSource(const FakeJaegerServer& server)
{
    Source s;
    s.name = "jaeger-test";
    s.type = SourceType::Jaeger;
    s.url = server.url();
    s.options.timeout = Duration::seconds(2);
    return s;
}

FetchRequest search(std::vector<std::pair<std::string, std::string>> terms, int64_t limit = 0)
{
    FetchRequest r;
    r.source = "jaeger-test";
    r.kind = FetchKind::Traces;
    r.search = std::move(terms);
    r.window = {Timestamp::fromMicros(kT0us - 3600000000), Timestamp::fromMicros(kT0us + 3600000000)};
    r.limit = limit;
    return r;
}

FetchRequest byId(std::string id)
{
    FetchRequest r;
    r.source = "jaeger-test";
    r.kind = FetchKind::Trace;
    r.traceId = std::move(id);
    return r;
}

std::set<std::string> traceIds(const CollectingSink& sink)
{
    std::set<std::string> out;
    for (const auto& s : sink.collected.spans)
        out.insert(s.traceId.toHex());
    return out;
}

} // namespace

class TestJaegerConnector : public QObject {
    Q_OBJECT

private:
    http::HttpClient m_client;

private slots:
    void goDurations_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << qint64(2000000000) << QStringLiteral("2s");
        QTest::newRow("fraction of a second") << qint64(1200000000) << QStringLiteral("1200ms");
        QTest::newRow("micros") << qint64(5000) << QStringLiteral("5us");
        QTest::newRow("nanos") << qint64(7) << QStringLiteral("7ns");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0s");
    }

    void goDurations()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, text);
        QCOMPARE(q(goDuration(Duration::nanos(ns))), text);
    }

    void probing_data()
    {
        QTest::addColumn<JaegerFlavour>("flavour");
        QTest::addColumn<int>("api");
        QTest::addColumn<QString>("version");
        QTest::newRow("classic only (Jaeger < 1.35)") << JaegerFlavour::Classic << int(JaegerConnector::Api::Classic)
                                                      << QStringLiteral("jaeger classic /api");
        QTest::newRow("both (Jaeger 1.x, early 2.x)") << JaegerFlavour::Both << int(JaegerConnector::Api::V3) << QStringLiteral("jaeger api_v3");
        QTest::newRow("api_v3 only (2026 main)") << JaegerFlavour::V3Only << int(JaegerConnector::Api::V3) << QStringLiteral("jaeger api_v3");
    }

    void probing()
    {
        QFETCH(JaegerFlavour, flavour);
        QFETCH(int, api);
        QFETCH(QString, version);
        FakeJaegerServer server(flavour);
        QVERIFY(server.start());
        addTraces(server);
        JaegerConnector connector(jaegerSource(server), m_client);
        auto which = connector.api();
        QVERIFY2(which.ok(), which.ok() ? "" : which.error().message().c_str());
        QCOMPARE(int(*which), api);
        auto info = connector.testConnection();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message().c_str());
        QCOMPARE(q(info->version), version);
        QCOMPARE(q(info->detail), QStringLiteral("2 services"));

        // Whatever the API, the same search finds the same trace.
        CollectingSink sink;
        auto r = connector.fetch(search({{"service", "checkout"}, {"operation", "POST /checkout"}}), sink);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(traceIds(sink), std::set<std::string>{kTraceA});
        QCOMPARE(sink.collected.spans.size(), size_t(2));
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
    }

    void notJaeger()
    {
        FakeJaegerServer server(JaegerFlavour::Classic);
        QVERIFY(server.start());
        Source s = jaegerSource(server);
        s.url += "/not-jaeger";
        JaegerConnector connector(s, m_client);
        auto which = connector.api();
        QVERIFY(!which.ok());
        QVERIFY2(q(which.error().what).contains(QStringLiteral("answered like Jaeger")), which.error().message().c_str());
        QVERIFY(q(which.error().hint).contains(QStringLiteral("16686")));
    }

    void classicSearchParametersInMicroseconds()
    {
        FakeJaegerServer server(JaegerFlavour::Classic);
        QVERIFY(server.start());
        addTraces(server);
        JaegerConnector connector(jaegerSource(server), m_client);
        const FetchRequest req = search({{"service", "payment"},
                                         {"operation", "charge"},
                                         {"tags", "http.status_code=504 error=true"},
                                         {"minDuration", "1s"},
                                         {"maxDuration", "2.5s"}},
                                        5);
        CollectingSink sink;
        auto r = connector.fetch(req, sink);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QVERIFY(r->complete);
        QCOMPARE(traceIds(sink), std::set<std::string>{kTraceA});
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());

        const auto requests = server.traceRequests();
        QCOMPARE(requests.size(), size_t(1));
        const FakeRequest& got = requests[0];
        QCOMPARE(q(got.path), QStringLiteral("/api/traces"));
        QCOMPARE(q(*got.param("service")), QStringLiteral("payment"));
        QCOMPARE(q(*got.param("operation")), QStringLiteral("charge"));
        QCOMPARE(q(*got.param("start")), QString::number(kT0us - 3600000000));
        QCOMPARE(q(*got.param("end")), QString::number(kT0us + 3600000000));
        QCOMPARE(q(*got.param("minDuration")), QStringLiteral("1s"));
        QCOMPARE(q(*got.param("maxDuration")), QStringLiteral("2500ms"));
        QCOMPARE(q(*got.param("limit")), QStringLiteral("5"));
        QCOMPARE(q(*got.param("tags")), QStringLiteral(R"({"error":"true","http.status_code":"504"})"));

        // The spans came through the Jaeger JSON parser: parent, error status, the large int64 exact.
        const Span* charge = nullptr;
        for (const auto& s : sink.collected.spans)
            if (s.name == "charge")
                charge = &s;
        QVERIFY(charge);
        QVERIFY(charge->parentSpanId);
        QCOMPARE(q(charge->parentSpanId->toHex()), QStringLiteral("00000000000000a1"));
        QVERIFY(charge->isError());
        QCOMPARE(q(charge->resource->serviceName), QStringLiteral("payment"));
        QCOMPARE(q(*charge->attributes.text("request.bytes")), QStringLiteral("9223372036854775222"));
        QCOMPARE(charge->start.nanos(), (kT0us + 1000) * 1000);
        QCOMPARE(charge->duration.count(), int64_t(1400000000));
    }

    void lookbackBecomesStartAndEnd()
    {
        FakeJaegerServer server(JaegerFlavour::Classic);
        QVERIFY(server.start());
        addTraces(server);
        JaegerConnector connector(jaegerSource(server), m_client);
        FetchRequest req = search({{"service", "checkout"}, {"lookback", "2h"}});
        req.window = {};
        CollectingSink sink;
        const int64_t before = Clock::current().now().micros();
        QVERIFY(connector.fetch(req, sink).ok());
        const int64_t after = Clock::current().now().micros();
        const FakeRequest got = server.traceRequests().at(0);
        const int64_t end = std::stoll(*got.param("end"));
        const int64_t start = std::stoll(*got.param("start"));
        QVERIFY(end >= before && end <= after);
        QCOMPARE(end - start, int64_t(7200000000));
        QVERIFY(!got.param("lookback")); // the server ignores it; the connector converts it
    }

    void v3SearchParametersAndClientSideTags()
    {
        FakeJaegerServer server(JaegerFlavour::V3Only);
        QVERIFY(server.start());
        addTraces(server);
        JaegerConnector connector(jaegerSource(server), m_client);
        const FetchRequest req = search({{"service", "checkout"}, {"customer", "gold"}, {"minDuration", "10ms"}}, 10);
        CollectingSink sink;
        auto r = connector.fetch(req, sink);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        // The gateway ignores query.attributes (like Jaeger's): both checkout traces come back, and
        // the connector keeps only the one whose span carries customer=gold.
        QCOMPARE(traceIds(sink), std::set<std::string>{kTraceB});
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
        const FakeRequest got = server.traceRequests().at(0);
        QCOMPARE(q(got.path), QStringLiteral("/api/v3/traces"));
        QCOMPARE(q(*got.param("query.service_name")), QStringLiteral("checkout"));
        QCOMPARE(q(*got.param("query.start_time_min")), QStringLiteral("2025-11-23T13:26:40Z"));
        QCOMPARE(q(*got.param("query.start_time_max")), QStringLiteral("2025-11-23T15:26:40Z"));
        QCOMPARE(q(*got.param("query.duration_min")), QStringLiteral("10ms"));
        QCOMPARE(q(*got.param("query.num_traces")), QStringLiteral("10"));
        QCOMPARE(q(*got.param("query.attributes")), QStringLiteral(R"({"customer":"gold"})"));
        QVERIFY(!got.param("start")); // no µs parameters on api_v3

        // A gateway that does honour attributes gives the same answer.
        server.setV3HonoursAttributes(true);
        CollectingSink honoured;
        QVERIFY(connector.fetch(req, honoured).ok());
        QCOMPARE(traceIds(honoured), std::set<std::string>{kTraceB});
    }

    void v3NotFoundIsEmpty()
    {
        FakeJaegerServer server(JaegerFlavour::V3Only);
        QVERIFY(server.start());
        addTraces(server);
        JaegerConnector connector(jaegerSource(server), m_client);
        CollectingSink sink;
        auto r = connector.fetch(search({{"service", "inventory"}}), sink);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QVERIFY(r->complete);
        QCOMPARE(r->records, int64_t(0));
        QVERIFY(sink.collected.spans.empty());
    }

    void searchNeedsService()
    {
        FakeJaegerServer server(JaegerFlavour::Classic);
        QVERIFY(server.start());
        JaegerConnector connector(jaegerSource(server), m_client);
        CollectingSink sink;
        auto r = connector.fetch(search({{"operation", "x"}}), sink);
        QVERIFY(!r.ok());
        QVERIFY(q(r.error().what).contains(QStringLiteral("needs a service")));
        auto bad = connector.fetch(search({{"service", "a"}, {"minDuration", "soon"}}), sink);
        QVERIFY(!bad.ok());
        QVERIFY(q(bad.error().what).contains(QStringLiteral("not a duration")));
        QVERIFY(server.traceRequests().empty()); // nothing sent for a request we know is wrong
    }

    void limitMakesSearchPartial()
    {
        FakeJaegerServer server(JaegerFlavour::Classic);
        QVERIFY(server.start());
        addTraces(server);
        JaegerConnector connector(jaegerSource(server), m_client);
        CollectingSink sink;
        auto r = connector.fetch(search({{"service", "checkout"}}, 1), sink);
        QVERIFY(r.ok());
        QVERIFY(!r->complete);
        QVERIFY(q(r->partialReason).contains(QStringLiteral("limit of 1 traces")));
        QCOMPARE(traceIds(sink), std::set<std::string>{kTraceB}); // the newest
    }

    void traceByShortId_data()
    {
        QTest::addColumn<JaegerFlavour>("flavour");
        QTest::addColumn<QString>("path");
        QTest::newRow("classic, old Jaeger stripping zeros") << JaegerFlavour::Classic << QStringLiteral("/api/traces/");
        QTest::newRow("api_v3") << JaegerFlavour::V3Only << QStringLiteral("/api/v3/traces/");
    }

    void traceByShortId()
    {
        QFETCH(JaegerFlavour, flavour);
        QFETCH(QString, path);
        FakeJaegerServer server(flavour);
        QVERIFY(server.start());
        addTraces(server);
        server.setShortIds(true);
        JaegerConnector connector(jaegerSource(server), m_client);
        CollectingSink sink;
        auto r = connector.fetch(byId("ABC"), sink); // short and upper case, as users paste them
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(sink.collected.spans.size(), size_t(2));
        QCOMPARE(traceIds(sink), std::set<std::string>{kTraceA}); // padded back to 32 hex
        QCOMPARE(q(server.traceRequests().at(0).path), path + q(kTraceA));
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());

        CollectingSink none;
        auto missing = connector.fetch(byId("123"), none);
        QVERIFY2(missing.ok(), missing.ok() ? "" : missing.error().message().c_str());
        QCOMPARE(missing->records, int64_t(0));
        QCOMPARE(missing->warnings.size(), size_t(1));
        QVERIFY(q(missing->warnings[0]).contains(QStringLiteral("not found")));

        auto invalid = connector.fetch(byId("xyz"), none);
        QVERIFY(!invalid.ok());
        QVERIFY(q(invalid.error().what).contains(QStringLiteral("not a trace id")));
    }

    void fixturesById()
    {
        for (JaegerFlavour flavour : {JaegerFlavour::Classic, JaegerFlavour::V3Only}) {
            FakeJaegerServer server(flavour);
            QVERIFY(server.start());
            addTraces(server);
            server.addRawTrace("1", fixture("jaeger-uimodel-ui_01.json"), fixture("jaeger-apiv3-GetTrace-snapshot.json"));
            JaegerConnector connector(jaegerSource(server), m_client);
            CollectingSink sink;
            auto r = connector.fetch(byId("1"), sink);
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
            QCOMPARE(traceIds(sink), std::set<std::string>{"00000000000000000000000000000001"});
            if (flavour == JaegerFlavour::Classic) {
                QCOMPARE(sink.collected.spans.size(), size_t(5)); // the duplicate span id is kept
                int twos = 0;
                for (const auto& span : sink.collected.spans)
                    twos += span.spanId.toHex() == "0000000000000002";
                QCOMPARE(twos, 2);
            } else {
                QCOMPARE(sink.collected.spans.size(), size_t(1));
                QCOMPARE(q(sink.collected.spans[0].name), QStringLiteral("foobar"));
                QCOMPARE(int(sink.collected.spans[0].kind), int(SpanKind::Server));
                QVERIFY(sink.collected.spans[0].isError());
            }
        }
    }

    void completion_data()
    {
        QTest::addColumn<JaegerFlavour>("flavour");
        QTest::newRow("classic") << JaegerFlavour::Classic;
        QTest::newRow("api_v3") << JaegerFlavour::V3Only;
    }

    void completion()
    {
        QFETCH(JaegerFlavour, flavour);
        FakeJaegerServer server(flavour);
        QVERIFY(server.start());
        addTraces(server);
        JaegerConnector connector(jaegerSource(server), m_client);
        CompletionRequest services;
        services.what = CompletionRequest::What::Services;
        auto s = connector.complete(services);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message().c_str());
        QCOMPARE(*s, (std::vector<std::string>{"checkout", "payment"}));
        CompletionRequest ops;
        ops.what = CompletionRequest::What::Operations;
        ops.label = "payment";
        auto o = connector.complete(ops);
        QVERIFY(o.ok());
        QCOMPARE(*o, (std::vector<std::string>{"charge", "refund"}));
    }

    void misbehaviourLeavesCacheUnchanged_data()
    {
        QTest::addColumn<JaegerFlavour>("flavour");
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("expected");
        for (JaegerFlavour f : {JaegerFlavour::Classic, JaegerFlavour::V3Only}) {
            const QByteArray api = f == JaegerFlavour::Classic ? "classic " : "api_v3 ";
            QTest::newRow(QByteArray(api + "slow").constData()) << f << int(ServerFault::Slow) << QStringLiteral("timed out");
            QTest::newRow(QByteArray(api + "dropped mid-body").constData()) << f << int(ServerFault::DropMidBody) << QStringLiteral("connection");
            QTest::newRow(QByteArray(api + "429 Retry-After").constData()) << f << int(ServerFault::TooManyRequests) << QStringLiteral("HTTP 429: too many requests");
            QTest::newRow(QByteArray(api + "500").constData()) << f << int(ServerFault::ServerError)
                                       << QStringLiteral("HTTP 500: storage unavailable: cassandra timeout");
            QTest::newRow(QByteArray(api + "malformed JSON").constData()) << f << int(ServerFault::MalformedJson) << QStringLiteral("malformed JSON");
            QTest::newRow(QByteArray(api + "larger than the cap").constData()) << f << int(ServerFault::Huge) << QStringLiteral("too large");
            QTest::newRow(QByteArray(api + "endless stream").constData()) << f << int(ServerFault::Endless) << QStringLiteral("too large");
        }
    }

    void misbehaviourLeavesCacheUnchanged()
    {
        QFETCH(JaegerFlavour, flavour);
        QFETCH(int, fault);
        QFETCH(QString, expected);
        FakeJaegerServer server(flavour);
        QVERIFY(server.start());
        addTraces(server);
        server.setFaultDelay(std::chrono::milliseconds(4000));
        server.setHugeBytes(512 * 1024);
        Source source = jaegerSource(server);
        source.options.timeout = Duration::millis(700);
        source.options.maxResponseBytes = 128 * 1024;
        JaegerConnector connector(source, m_client);

        QTemporaryDir dir;
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto first = fetchIntoCache(connector, search({{"service", "payment"}}), cache);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message().c_str());
        QVERIFY(first->records > 0);
        const auto before = testutil::contentDump(cache);

        server.injectFault(ServerFault(fault), 0, -1);
        QElapsedTimer timer;
        timer.start();
        auto second = fetchIntoCache(connector, search({{"service", "checkout"}}), cache);
        QVERIFY2(timer.elapsed() < 30000, "the connector must not hang");
        QVERIFY(!second.ok());
        const QString message = q(second.error().message());
        QVERIFY2(message.contains(expected, Qt::CaseInsensitive), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("jaeger jaeger-test")), qPrintable(message));
        QCOMPARE(testutil::contentDump(cache), before);

        auto third = fetchIntoCache(connector, byId(kTraceB), cache);
        QVERIFY(!third.ok());
        QCOMPARE(testutil::contentDump(cache), before);
    }

    void transient429IsRetried()
    {
        FakeJaegerServer server(JaegerFlavour::Both);
        QVERIFY(server.start());
        addTraces(server);
        server.injectFault(ServerFault::TooManyRequests, 0, 1);
        JaegerConnector connector(jaegerSource(server), m_client);
        QTemporaryDir dir;
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto r = fetchIntoCache(connector, search({{"service", "checkout"}}), cache);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        auto reader = testutil::openReader(cache);
        QVERIFY(reader);
        auto overview = reader->overview();
        QVERIFY(overview.ok());
        QCOMPARE(overview->traces, int64_t(2));
        QCOMPARE(overview->spans, int64_t(3));
    }

    void wrongKind()
    {
        FakeJaegerServer server(JaegerFlavour::Classic);
        QVERIFY(server.start());
        JaegerConnector connector(jaegerSource(server), m_client);
        FetchRequest req;
        req.kind = FetchKind::Logs;
        req.query = "{}";
        CollectingSink sink;
        auto r = connector.fetch(req, sink);
        QVERIFY(!r.ok());
        QVERIFY(q(r.error().what).contains(QStringLiteral("cannot fetch logs")));
    }
};

QTEST_GUILESS_MAIN(TestJaegerConnector)
#include "tst_jaeger_connector.moc"
