// The Loki connector against a faithful fake Loki: pagination past the entry limit with many lines
// on one nanosecond at page boundaries (every line exactly once, both directions), the tenant header,
// units on the wire, structured metadata, metric queries split at 11,000 points, completion, test
// connection, and every misbehaviour ending in a precise error with the cache left exactly as it was.

#include "CacheTestUtil.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "import/WriterSink.h"
#include "loki/LokiConnector.h"
#include "loki/LokiPager.h"
#include "support/FakeLokiServer.h"
#include "support/LokiTestUtil.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

using namespace rootline;
using namespace rootline::test;

namespace {

constexpr int64_t kT0 = 1763908000000000000; // 2025-11-23T14:26:40Z

QString q(const std::string& s) { return QString::fromStdString(s); }

// (service label, ns, line, structured metadata as text) — what identifies a fetched line.
using LineKey = std::tuple<std::string, int64_t, std::string, std::string>;

std::multiset<LineKey> keysOf(const std::vector<LogRecord>& logs)
{
    std::multiset<LineKey> out;
    for (const auto& r : logs)
        out.insert({r.resource ? *r.resource->raw.text("app") : std::string(), r.time.nanos(), r.body, r.attributes.toJson()});
    return out;
}

std::multiset<LineKey> keysOf(const std::vector<FakeLokiStream>& streams, TimeWindow window)
{
    std::multiset<LineKey> out;
    for (const auto& s : streams) {
        std::string app;
        for (const auto& [k, v] : s.labels)
            if (k == "app")
                app = v;
        for (const auto& e : s.entries) {
            if (e.ns < window.from.nanos() || e.ns >= window.to.nanos())
                continue;
            Attributes a;
            for (const auto& [k, v] : e.structuredMetadata)
                a.set(k, v);
            out.insert({app, e.ns, e.line, a.toJson()});
        }
    }
    return out;
}

// Streams built to hurt pagination: a crowd of lines on one nanosecond (distinct lines, true
// duplicates, and the same text in two streams), a second crowd straddling later page boundaries,
// and ordinary lines in between.
std::vector<FakeLokiStream> crowdedStreams()
{
    FakeLokiStream a{{{"app", "checkout"}, {"env", "prod"}}, {}};
    FakeLokiStream b{{{"app", "payment"}, {"env", "prod"}}, {}};
    FakeLokiStream c{{{"app", "gateway"}, {"env", "prod"}}, {}};
    for (int i = 0; i < 40; ++i)
        a.entries.push_back({kT0 + i * 1000000, "checkout tick " + std::to_string(i), {}});
    const int64_t crowd = kT0 + 17000000; // shares its ns with "checkout tick 17"
    for (int i = 0; i < 9; ++i)
        a.entries.push_back({crowd, "checkout burst " + std::to_string(i), {}});
    for (int i = 0; i < 6; ++i)
        b.entries.push_back({crowd, "payment failed: gateway timeout", {}}); // true duplicates, kept
    c.entries.push_back({crowd, "checkout burst 3", {}}); // same text as a line of another stream
    const int64_t crowd2 = kT0 + 31000000;
    for (int i = 0; i < 7; ++i)
        b.entries.push_back({crowd2, "retry " + std::to_string(i % 3), {{"trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"}}});
    for (int i = 0; i < 12; ++i)
        c.entries.push_back({kT0 + 5000000 + i * 3000000, "gateway <200> & done", {{"detected_level", "info"}}});
    return {a, b, c};
}

struct Fetched {
    Result<FetchOutcome> outcome = Error{};
    CollectingSink sink;
};

Source lokiSource(const FakeLokiServer& server, std::string tenant = "team-a")
{
    Source s;
    s.name = "loki-test";
    s.type = SourceType::Loki;
    s.url = server.url();
    s.auth.tenant = std::move(tenant);
    s.options.timeout = Duration::seconds(2);
    return s;
}

FetchRequest logRequest(std::string query, TimeWindow window, bool backward, int64_t limit = 0)
{
    FetchRequest r;
    r.source = "loki-test";
    r.kind = FetchKind::Logs;
    r.query = std::move(query);
    r.window = window;
    r.backward = backward;
    r.limit = limit;
    return r;
}

// What `rootline-cli fetch` does: one write unit per fetch, committed when the fetch succeeds and
// rolled back when it fails.
} // namespace

class TestLokiConnector : public QObject {
    Q_OBJECT

private:
    http::HttpClient m_client;

private slots:
    void paginationEveryLineOnce_data()
    {
        QTest::addColumn<bool>("backward");
        QTest::addColumn<int>("pageSize");
        for (bool backward : {false, true})
            for (int pageSize : {4, 7, 10, 16, 23, 1000}) {
                const QByteArray name = QByteArray(backward ? "backward" : "forward") + " page " + QByteArray::number(pageSize);
                QTest::newRow(name.constData()) << backward << pageSize;
            }
    }

    void paginationEveryLineOnce()
    {
        QFETCH(bool, backward);
        QFETCH(int, pageSize);
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setTenant("team-a");
        server.setShuffleTies(true);
        const auto streams = crowdedStreams();
        for (const auto& s : streams)
            server.addStream(s);
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(pageSize);
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 40000000)};

        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(R"({env="prod"})", window, backward), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());

        const auto expected = keysOf(streams, window);
        const auto got = keysOf(sink.collected.logs);
        QCOMPARE(int(got.size()), int(expected.size()));
        QVERIFY(got == expected); // every line exactly once, true duplicates included
        QCOMPARE(outcome->records, int64_t(expected.size()));

        // Lines arrive in the direction asked for.
        const auto& logs = sink.collected.logs;
        for (size_t i = 1; i < logs.size(); ++i)
            QVERIFY(backward ? logs[i - 1].time >= logs[i].time : logs[i - 1].time <= logs[i].time);

        // Small pages really paginated, and the crowd (16 lines on one ns) could not fit a page of
        // fewer lines: the connector raised the page size instead of looping or giving up.
        // (The count queries that check each window are instant queries; LokiCompleteness.)
        auto requests = server.queryRequests();
        std::erase_if(requests, [](const FakeRequest& r) { return r.path != "/loki/api/v1/query_range"; });
        if (pageSize < 20)
            QVERIFY(requests.size() > 3);
        for (const auto& r : requests) {
            QCOMPARE(q(*r.header("x-scope-orgid")), QStringLiteral("team-a"));
            QCOMPARE(q(*r.param("direction")), backward ? QStringLiteral("backward") : QStringLiteral("forward"));
            QCOMPARE(r.param("start")->size(), size_t(19));
            QCOMPARE(r.param("end")->size(), size_t(19));
        }
        QCOMPARE(q(*requests.front().param("start")), QString::number(kT0));
        QCOMPARE(q(*requests.front().param("end")), QString::number(kT0 + 40000000));
    }

    void pagerKeepsIdentityAcrossReorderedBoundary()
    {
        // Page 1 ends inside t2; page 2 repeats t2 in another order and adds a line from a third
        // stream with the same text. Identity is (stream, ts, line, metadata) with multiplicity.
        auto entry = [](int64_t ns, const char* line) { return LokiEntry{Timestamp::fromNanos(ns), line, {}, {}}; };
        const LokiLabels a{{"app", "a"}}, b{{"app", "b"}}, c{{"app", "c"}};
        LokiPager pager({Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 100)}, false);
        LokiResponse page1;
        page1.streams = {{a, {entry(kT0 + 1, "one"), entry(kT0 + 2, "x"), entry(kT0 + 2, "x")}}, {c, {entry(kT0 + 2, "x")}}};
        auto p1 = pager.accept(page1, 4);
        QCOMPARE(p1.fresh.size(), size_t(4));
        QVERIFY(!p1.exhausted && !p1.stuck);
        QCOMPARE(pager.nextWindow().from.nanos(), kT0 + 2); // start is inclusive: the boundary comes back
        QCOMPARE(pager.overlap(), int64_t(3));

        LokiResponse page2;
        page2.streams = {{c, {entry(kT0 + 2, "x")}}, {b, {entry(kT0 + 2, "x")}}, {a, {entry(kT0 + 2, "x"), entry(kT0 + 2, "x"), entry(kT0 + 3, "y")}}};
        auto p2 = pager.accept(page2, 7);
        QVERIFY(p2.exhausted);
        QCOMPARE(p2.fresh.size(), size_t(2));
        QCOMPARE(page2.streams[p2.fresh[0].first].labels, b); // the new "x" is b's, not a third copy of a's
        QCOMPARE(q(page2.streams[p2.fresh[1].first].entries[p2.fresh[1].second].line), QStringLiteral("y"));
        QVERIFY(!pager.nextWindow().isValid());

        // Backward: the cursor moves `end` to the last ts + 1 ns (end is exclusive).
        LokiPager back({Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 100)}, true);
        LokiResponse bp;
        bp.streams = {{a, {entry(kT0 + 9, "late"), entry(kT0 + 5, "mid")}}};
        auto b1 = back.accept(bp, 2);
        QCOMPARE(b1.fresh.size(), size_t(2));
        QCOMPARE(back.nextWindow().to.nanos(), kT0 + 6);
        QCOMPARE(back.nextWindow().from.nanos(), kT0);

        // A full page of nothing new is "stuck", not an endless loop.
        LokiPager stuck({Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 100)}, false);
        LokiResponse same;
        same.streams = {{a, {entry(kT0 + 4, "s"), entry(kT0 + 4, "s")}}};
        QVERIFY(!stuck.accept(same, 2).stuck);
        QVERIFY(stuck.accept(same, 2).stuck);
    }

    void limitMakesResultPartial()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setTenant("team-a");
        for (const auto& s : crowdedStreams())
            server.addStream(s);
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(10);
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 40000000)};
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(R"({env="prod"})", window, false, 25), sink);
        QVERIFY(outcome.ok());
        QCOMPARE(sink.collected.logs.size(), size_t(25));
        QVERIFY(!outcome->complete);
        QVERIFY2(q(outcome->partialReason).contains(QStringLiteral("limit of 25")), outcome->partialReason.c_str());
        // The 25 are the first 25 in time, no duplicates.
        const auto got = keysOf(sink.collected.logs);
        QCOMPARE(got.size(), size_t(25));
    }

    void moreLinesOnOneNanosecondThanAPageCanHold()
    {
        // 60 lines on one ns, a server that allows at most 50 per query: Loki cannot page past them.
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setMaxEntriesLimit(50);
        FakeLokiStream s{{{"app", "flood"}}, {}};
        for (int i = 0; i < 60; ++i)
            s.entries.push_back({kT0 + 5, "same instant " + std::to_string(i), {}});
        s.entries.push_back({kT0 + 9, "after the flood", {}});
        server.addStream(s);
        LokiConnector connector(lokiSource(server, ""), m_client);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(R"({app="flood"})", {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 100)}, false),
                                       sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY(!outcome->complete);
        QVERIFY2(q(outcome->partialReason).contains(QStringLiteral("share the timestamp")), outcome->partialReason.c_str());
        // What it got, it got once: the first page of the flood, nothing duplicated.
        QCOMPARE(sink.collected.logs.size(), size_t(50));
        QCOMPARE(keysOf(sink.collected.logs).size(), size_t(50));
        std::set<std::string> bodies;
        for (const auto& r : sink.collected.logs)
            bodies.insert(r.body);
        QCOMPARE(bodies.size(), size_t(50));
        // It learnt the server's limit from the 400 instead of failing.
        QVERIFY(server.queryCount() >= 2);
    }

    void structuredMetadataAndSeverity()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setTenant("team-a");
        for (const auto& s : crowdedStreams())
            server.addStream(s);
        LokiConnector connector(lokiSource(server), m_client);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(R"({app="gateway"})", {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 50000000)}, true), sink);
        QVERIFY(outcome.ok());
        QCOMPARE(sink.collected.logs.size(), size_t(13));
        int withMetadata = 0;
        for (const auto& r : sink.collected.logs) {
            QVERIFY(!r.resource->raw.find("detected_level")); // metadata did not leak into the stream labels
            if (r.attributes.find("detected_level")) {
                ++withMetadata;
                QCOMPARE(r.severity, 9);
                QCOMPARE(q(r.body), QStringLiteral("gateway <200> & done")); // HTML escapes undone
            }
        }
        QCOMPARE(withMetadata, 12);

        CollectingSink traced;
        auto t = connector.fetch(logRequest(R"({app="payment"} |= "retry")", {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 50000000)}, true), traced);
        QVERIFY(t.ok());
        QCOMPARE(traced.collected.logs.size(), size_t(7));
        for (const auto& r : traced.collected.logs) {
            QVERIFY(r.traceId);
            QCOMPARE(q(r.traceId->toHex()), QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));
        }
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
    }

    void tenantHeader()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setTenant("team-a");
        for (const auto& s : crowdedStreams())
            server.addStream(s);
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 40000000)};

        LokiConnector without(lokiSource(server, ""), m_client);
        CollectingSink sink;
        auto r = without.fetch(logRequest(R"({env="prod"})", window, true), sink);
        QVERIFY(!r.ok());
        QVERIFY2(q(r.error().what).contains(QStringLiteral("HTTP 401: no org id")), r.error().message().c_str());
        QVERIFY2(q(r.error().hint).contains(QStringLiteral("X-Scope-OrgID")), r.error().message().c_str());
        QVERIFY(q(r.error().where).contains(QStringLiteral("/loki/api/v1/query_range")));
        QVERIFY(sink.collected.logs.empty());

        LokiConnector with(lokiSource(server, "team-a"), m_client);
        CollectingSink ok;
        QVERIFY(with.fetch(logRequest(R"({env="prod"})", window, true), ok).ok());
        QVERIFY(!ok.collected.logs.empty());
    }

    void misbehaviourLeavesCacheUnchanged_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("expected");
        QTest::newRow("slow") << int(LokiFault::Slow) << QStringLiteral("time");
        QTest::newRow("dropped mid-body") << int(LokiFault::DropMidBody) << QStringLiteral("connect");
        QTest::newRow("429 Retry-After") << int(LokiFault::TooManyRequests) << QStringLiteral("HTTP 429: too many outstanding requests");
        QTest::newRow("500 plain text") << int(LokiFault::ServerError) << QStringLiteral("HTTP 500: rpc error: code = Internal");
        QTest::newRow("malformed JSON") << int(LokiFault::MalformedJson) << QStringLiteral("malformed JSON near byte");
        QTest::newRow("larger than the cap") << int(LokiFault::Huge) << QStringLiteral("too large");
        QTest::newRow("endless stream") << int(LokiFault::Endless) << QStringLiteral("too large");
    }

    void misbehaviourLeavesCacheUnchanged()
    {
        QFETCH(int, fault);
        QFETCH(QString, expected);
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setTenant("team-a");
        for (const auto& s : crowdedStreams())
            server.addStream(s);
        server.setFaultDelay(std::chrono::milliseconds(4000));
        server.setHugeBytes(512 * 1024);
        Source source = lokiSource(server);
        source.options.timeout = Duration::millis(700);
        source.options.maxResponseBytes = 128 * 1024;
        LokiConnector connector(source, m_client);
        connector.setPageSize(10);
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 40000000)};

        QTemporaryDir dir;
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        // A first, healthy fetch fills the cache.
        auto first = fetchIntoCache(connector, logRequest(R"({app="gateway"})", window, true), cache);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message().c_str());
        const auto before = testutil::contentDump(cache);

        // The second fetch gets two good pages, then the fault on every later request.
        server.injectFault(LokiFault(fault), 2, -1);
        QElapsedTimer timer;
        timer.start();
        auto second = fetchIntoCache(connector, logRequest(R"({env="prod"})", window, false), cache);
        QVERIFY(!second.ok());
        QVERIFY2(timer.elapsed() < 30000, "the connector must not hang");
        const QString message = q(second.error().message());
        QVERIFY2(message.contains(expected, Qt::CaseInsensitive), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("loki loki-test")), qPrintable(message));
        QVERIFY(server.queryCount() >= 3);
        // Nothing of the failed fetch reached the cache: not its first pages, not its provenance.
        QCOMPARE(testutil::contentDump(cache), before);
    }

    void transientFaultsAreRetried_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("429 once") << int(LokiFault::TooManyRequests);
        QTest::newRow("dropped once") << int(LokiFault::DropMidBody);
    }

    void transientFaultsAreRetried()
    {
        QFETCH(int, fault);
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setTenant("team-a");
        const auto streams = crowdedStreams();
        for (const auto& s : streams)
            server.addStream(s);
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(10);
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 40000000)};
        server.injectFault(LokiFault(fault), 1, 1);
        QTemporaryDir dir;
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto r = fetchIntoCache(connector, logRequest(R"({env="prod"})", window, false), cache);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QVERIFY(r->complete);
        auto reader = testutil::openReader(cache);
        QVERIFY(reader);
        auto overview = reader->overview();
        QVERIFY(overview.ok());
        QCOMPARE(overview->logs, int64_t(keysOf(streams, window).size()));
        QCOMPARE(overview->fetches, int64_t(1));
    }

    void cancelled()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        for (const auto& s : crowdedStreams())
            server.addStream(s);
        LokiConnector connector(lokiSource(server, ""), m_client);
        std::atomic_bool cancel{true};
        CollectingSink sink;
        auto r = connector.fetch(logRequest(R"({env="prod"})", {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 40000000)}, true),
                                 sink, &cancel);
        QVERIFY(r.ok());
        QVERIFY(!r->complete);
        QCOMPARE(q(r->partialReason), QStringLiteral("cancelled"));
        QVERIFY(sink.collected.logs.empty());
    }

    void queryErrorIsLokisText()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        LokiConnector connector(lokiSource(server, ""), m_client);
        CollectingSink sink;
        auto r = connector.fetch(logRequest("app=checkout", {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 10)}, true), sink);
        QVERIFY(!r.ok());
        QVERIFY2(q(r.error().what).startsWith(QStringLiteral("HTTP 400: parse error at line 1, col 1")), r.error().message().c_str());
        QCOMPARE(q(r.error().hint), QStringLiteral("check the LogQL query"));
    }

    void metricQuerySplitAt11000Points()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        FakeLokiStream s{{{"app", "checkout"}}, {}};
        // One line every 10 s for 4 hours.
        const int64_t start = kT0;
        for (int i = 0; i < 4 * 360; ++i)
            s.entries.push_back({start + int64_t(i) * 10000000000, "tick", {}});
        server.addStream(s);
        LokiConnector connector(lokiSource(server, ""), m_client);
        FetchRequest req;
        req.source = "loki-test";
        req.kind = FetchKind::Series;
        req.query = R"(count_over_time({app="checkout"}[10s]))";
        req.window = {Timestamp::fromNanos(start), Timestamp::fromNanos(start + 4 * 3600000000000)};
        req.step = Duration::seconds(1); // 14,400 points: two requests
        CollectingSink sink;
        auto r = connector.fetch(req, sink);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QVERIFY(r->complete);
        QCOMPARE(r->requests, 2);
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
        // Every point once, the series named by the query, counts adding up to 10 per line.
        std::map<int64_t, double> points;
        for (const auto& sd : sink.collected.series) {
            QCOMPARE(q(sd.series.name), q(req.query));
            QCOMPARE(q(*sd.series.label("app")), QStringLiteral("checkout"));
            for (const auto& p : sd.samples)
                QVERIFY2(points.emplace(p.time.nanos(), p.value).second, "a point was fetched twice");
        }
        double total = 0;
        for (const auto& [t, v] : points) {
            QVERIFY(t >= req.window.from.nanos() && t < req.window.to.nanos());
            total += v;
        }
        QCOMPARE(total, double(4 * 360 * 10)); // each line counted at the 10 one-second steps of its [10s] range
        for (const auto& fr : server.queryRequests())
            QCOMPARE(q(*fr.param("step")), QStringLiteral("1"));
    }

    void instantQuery()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        server.addStream({{{"app", "a"}}, {{kT0 - 5000000000, "x", {}}, {kT0 - 1000000000, "y", {}}}});
        LokiConnector connector(lokiSource(server, ""), m_client);
        FetchRequest req;
        req.kind = FetchKind::Instant;
        req.query = R"(count_over_time({app="a"}[1m]))";
        req.window = {Timestamp::fromNanos(kT0 - 60000000000), Timestamp::fromNanos(kT0)};
        CollectingSink sink;
        auto r = connector.fetch(req, sink);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(sink.collected.series.size(), size_t(1));
        QCOMPARE(sink.collected.series[0].samples.size(), size_t(1));
        QCOMPARE(sink.collected.series[0].samples[0].value, 2.0);
        QCOMPARE(sink.collected.series[0].samples[0].time.nanos(), kT0);
        QCOMPARE(q(*server.queryRequests()[0].param("time")), QString::number(kT0));
    }

    void completion()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setTenant("team-a");
        for (const auto& s : crowdedStreams())
            server.addStream(s);
        LokiConnector connector(lokiSource(server), m_client);
        CompletionRequest names;
        names.what = CompletionRequest::What::LabelNames;
        names.window = TimeWindow{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 1)};
        auto n = connector.complete(names);
        QVERIFY2(n.ok(), n.ok() ? "" : n.error().message().c_str());
        QCOMPARE(*n, (std::vector<std::string>{"app", "env"}));
        CompletionRequest values;
        values.what = CompletionRequest::What::LabelValues;
        values.label = "app";
        auto v = connector.complete(values);
        QVERIFY(v.ok());
        QCOMPARE(*v, (std::vector<std::string>{"checkout", "gateway", "payment"}));
        values.label = "nothing";
        auto none = connector.complete(values);
        QVERIFY(none.ok());
        QVERIFY(none->empty());
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
    }

    void testConnection()
    {
        FakeLokiServer server;
        QVERIFY(server.start());
        LokiConnector connector(lokiSource(server, ""), m_client);
        auto info = connector.testConnection();
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message().c_str());
        QVERIFY(info->reachable);
        QCOMPARE(q(info->version), QStringLiteral("3.1.0"));

        server.setBuildInfoAvailable(false); // a gateway exposing only /ready
        auto ready = connector.testConnection();
        QVERIFY(ready.ok());
        QVERIFY(ready->reachable);
        QCOMPARE(q(ready->version), QStringLiteral("unknown"));
        QVERIFY(q(ready->detail).contains(QStringLiteral("ready")));

        Source nowhere = lokiSource(server, "");
        nowhere.url = "http://127.0.0.1:1";
        LokiConnector dead(nowhere, m_client);
        auto down = dead.testConnection();
        QVERIFY(!down.ok());
    }
};

QTEST_GUILESS_MAIN(TestLokiConnector)
#include "tst_loki_connector.moc"
