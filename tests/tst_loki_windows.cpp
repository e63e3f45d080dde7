// The Loki connector's concurrent pagination (several query_range requests in flight: the window's
// next page sent ahead, and the rest of the window cut into windows whose first pages are fetched
// ahead) against the faithful fake Loki: bursty data whose first page misjudges the density, crowds
// of lines on one nanosecond, both directions — every line exactly once and in direction order; a
// limit keeps exactly the newest (backward) or oldest (forward) lines; cancelling and a fault on a
// page fetched ahead end cleanly.

#include "http/HttpClient.h"
#include "import/RecordSink.h"
#include "loki/LokiConnector.h"
#include "support/FakeLokiServer.h"
#include "support/LokiTestUtil.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <tuple>

using namespace rootline;
using namespace rootline::test;

namespace {

constexpr int64_t kT0 = 1763908000000000000;
constexpr int64_t kSpan = 60'000'000'000; // one minute of logs

using LineKey = LokiLineKey;

struct Data {
    std::vector<FakeLokiStream> streams;
    std::vector<LineKey> lines; // every line, ascending time
};

// ~3,000 lines in three streams: a dense burst at each end of the minute (so the first page, from
// either end, overestimates the density of the middle), sparse lines between, and crowds of lines
// sharing one nanosecond (with true duplicates) scattered through.
Data burstyData()
{
    std::mt19937_64 rng(7);
    Data d;
    const char* apps[] = {"checkout", "payment", "gateway"};
    for (const char* app : apps)
        d.streams.push_back({{{"app", app}, {"env", "prod"}}, {}});
    auto add = [&](int64_t ns, size_t stream, std::string line) {
        d.streams[stream].entries.push_back({ns, line, {}});
        d.lines.emplace_back(apps[stream], ns, std::move(line));
    };
    int n = 0;
    for (int i = 0; i < 900; ++i) // the first second
        add(kT0 + int64_t(rng() % 1'000'000'000), rng() % 3, "early " + std::to_string(n++));
    for (int i = 0; i < 900; ++i) // the last second
        add(kT0 + kSpan - 1'000'000'000 + int64_t(rng() % 1'000'000'000), rng() % 3, "late " + std::to_string(n++));
    for (int i = 0; i < 1000; ++i) // the rest, sparse
        add(kT0 + int64_t(rng() % uint64_t(kSpan)), rng() % 3, "mid " + std::to_string(n++));
    for (int c = 0; c < 12; ++c) { // crowds on one ns
        const int64_t ns = kT0 + int64_t(rng() % uint64_t(kSpan));
        for (int i = 0; i < 15; ++i)
            add(ns, size_t(i % 3), i % 5 == 0 ? std::string("crowd duplicate") : "crowd " + std::to_string(n++));
    }
    std::sort(d.lines.begin(), d.lines.end(), [](const LineKey& a, const LineKey& b) { return std::get<1>(a) < std::get<1>(b); });
    return d;
}

Source lokiSource(const FakeLokiServer& server)
{
    Source s;
    s.name = "loki-windows";
    s.type = SourceType::Loki;
    s.url = server.url();
    s.options.timeout = Duration::seconds(5);
    return s;
}

FetchRequest logRequest(bool backward, int64_t limit = 0)
{
    FetchRequest r;
    r.source = "loki-windows";
    r.kind = FetchKind::Logs;
    r.query = R"({env="prod"})";
    r.window = {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + kSpan)};
    r.backward = backward;
    r.limit = limit;
    return r;
}

} // namespace

class TestLokiWindows : public QObject {
    Q_OBJECT

private:
    http::HttpClient m_client;

private slots:
    void everyLineOnceInOrder_data()
    {
        QTest::addColumn<bool>("backward");
        QTest::addColumn<int>("pageSize");
        for (bool backward : {true, false})
            for (int pageSize : {20, 50, 333}) {
                const QByteArray name = QByteArray(backward ? "backward" : "forward") + " page " + QByteArray::number(pageSize);
                QTest::newRow(name.constData()) << backward << pageSize;
            }
    }

    void everyLineOnceInOrder()
    {
        QFETCH(bool, backward);
        QFETCH(int, pageSize);
        const Data data = burstyData();
        FakeLokiServer server;
        QVERIFY(server.start());
        server.setShuffleTies(true);
        for (const auto& s : data.streams)
            server.addStream(s);
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(pageSize);

        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(backward), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());

        const std::multiset<LineKey> expected(data.lines.begin(), data.lines.end());
        QCOMPARE(sink.collected.logs.size(), data.lines.size());
        QVERIFY(lokiLineKeys(sink.collected.logs) == expected);
        const auto& logs = sink.collected.logs;
        for (size_t i = 1; i < logs.size(); ++i)
            QVERIFY(backward ? logs[i - 1].time >= logs[i].time : logs[i - 1].time <= logs[i].time);

        // The window really was cut into several (requests for windows that do not reach the
        // query's near end), and the cutting did not multiply the requests.
        const auto requests = server.queryRequests();
        const std::string nearEnd = std::to_string(backward ? kT0 + kSpan : kT0);
        int elsewhere = 0;
        for (const auto& r : requests)
            elsewhere += *r.param(backward ? "end" : "start") != nearEnd;
        QVERIFY2(elsewhere > 2, std::to_string(elsewhere).c_str());
        const size_t pages = data.lines.size() / size_t(pageSize) + 1;
        QVERIFY2(requests.size() <= 3 * pages + 8, (std::to_string(requests.size()) + " requests for " + std::to_string(pages) + " pages").c_str());
        QCOMPARE(outcome->requests, int(requests.size()));
    }

    void limitKeepsTheNearestLines_data()
    {
        QTest::addColumn<bool>("backward");
        QTest::newRow("backward: newest") << true;
        QTest::newRow("forward: oldest") << false;
    }

    void limitKeepsTheNearestLines()
    {
        QFETCH(bool, backward);
        const Data data = burstyData();
        FakeLokiServer server;
        QVERIFY(server.start());
        for (const auto& s : data.streams)
            server.addStream(s);
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(40);
        const int64_t limit = 1000; // past the first burst, into the sparse middle
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(backward, limit), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY(!outcome->complete);
        QVERIFY2(QString::fromStdString(outcome->partialReason).contains(QStringLiteral("limit of 1000")), outcome->partialReason.c_str());
        QCOMPARE(sink.collected.logs.size(), size_t(limit));

        // Exactly the `limit` nearest lines: all lines strictly nearer than the farthest one taken,
        // and some of those at its timestamp (a crowd may straddle the cut).
        const auto got = lokiLineKeys(sink.collected.logs);
        // (The keys order by app first: the farthest timestamp is the extreme over all of them.)
        const auto [oldest, newest] = std::minmax_element(got.begin(), got.end(), [](const LineKey& a, const LineKey& b) {
            return std::get<1>(a) < std::get<1>(b);
        });
        const int64_t farthest = backward ? std::get<1>(*oldest) : std::get<1>(*newest);
        for (const auto& line : data.lines) {
            const int64_t ns = std::get<1>(line);
            if (backward ? ns > farthest : ns < farthest)
                QVERIFY(got.count(line) >= 1);
            if (backward ? ns < farthest : ns > farthest)
                QVERIFY(got.count(line) == 0);
        }
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
    }

    void cancelWhilePagesAreInFlight()
    {
        const Data data = burstyData();
        FakeLokiServer server;
        QVERIFY(server.start());
        for (const auto& s : data.streams)
            server.addStream(s);
        server.setFaultDelay(std::chrono::milliseconds(300));
        server.injectFault(LokiFault::Slow, 3, -1); // pages after the third are slow, so some are in flight
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(50);
        std::atomic_bool cancel{false};
        CollectingSink sink;
        int pages = 0;
        auto outcome = connector.fetch(logRequest(true), sink, &cancel, [&](const FetchProgress&) {
            if (++pages == 2)
                cancel = true;
        });
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY(!outcome->complete);
        QCOMPARE(QString::fromStdString(outcome->partialReason), QStringLiteral("cancelled"));
        // What came, came once and newest first.
        const auto got = lokiLineKeys(sink.collected.logs);
        QCOMPARE(got.size(), sink.collected.logs.size());
        QVERIFY(!got.empty());
        const auto& logs = sink.collected.logs;
        for (size_t i = 1; i < logs.size(); ++i)
            QVERIFY(logs[i - 1].time >= logs[i].time);
    }

    void faultOnAPageFetchedAhead()
    {
        const Data data = burstyData();
        FakeLokiServer server;
        QVERIFY(server.start());
        for (const auto& s : data.streams)
            server.addStream(s);
        server.injectFault(LokiFault::ServerError, 4, -1); // every query after the fourth
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(50);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(true), sink);
        QVERIFY(!outcome.ok());
        QVERIFY2(QString::fromStdString(outcome.error().message()).contains(QStringLiteral("HTTP 500")), outcome.error().message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestLokiWindows)
#include "tst_loki_windows.moc"
