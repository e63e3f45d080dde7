// The Loki connector's completeness check (LokiCompleteness, issue 12 item 2) against the fake Loki:
// a Loki whose full pages leave out a line (grafana/loki#10658) still gives every line exactly once
// and a complete fetch; a Loki that counts a line it never returns gives PARTIAL with the difference;
// a correct Loki costs exactly one count query per window and nothing else; counts cover Rootline's
// half-open windows to the nanosecond; metric queries are not counted.

#include "CacheTestUtil.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "import/RecordSink.h"
#include "loki/LokiCompleteness.h"
#include "loki/LokiConnector.h"
#include "loki/LokiEntryKey.h"
#include "support/FakeLokiServer.h"
#include "support/LokiTestUtil.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace rootline;
using namespace rootline::test;

namespace {

constexpr int64_t kT0 = 1770718000000000000; // 2026-02-10T10:06:40Z, near the case in the issue
constexpr int64_t kSpan = 600'000'000'000;   // ten minutes

QString q(const std::string& s) { return QString::fromStdString(s); }

using LineKey = LokiLineKey;

struct Data {
    std::vector<FakeLokiStream> streams;
    std::multiset<LineKey> lines;
};

// `count` lines in two streams over ten minutes, with crowds on one nanosecond and true duplicates
// (the same line twice in one stream at one ns: two lines, both to be stored).
Data shopData(int count, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Data d;
    const char* apps[] = {"cart", "checkout"};
    for (const char* app : apps)
        d.streams.push_back({{{"app", app}, {"namespace", "shop"}}, {}});
    auto add = [&](int64_t ns, size_t stream, const std::string& line) {
        d.streams[stream].entries.push_back({ns, line, {}});
        d.lines.insert({apps[stream], ns, line});
    };
    int n = 0;
    while (n < count) {
        const int64_t ns = kT0 + int64_t(rng() % uint64_t(kSpan));
        if (n % 500 == 0 && n + 6 <= count) {
            for (int i = 0; i < 4; ++i, ++n)
                add(ns, size_t(i % 2), "crowd " + std::to_string(n));
            add(ns, 0, "twice");
            add(ns, 0, "twice");
            n += 2;
            continue;
        }
        add(ns, rng() % 2, "line " + std::to_string(n++));
    }
    return d;
}

Source lokiSource(const FakeLokiServer& server)
{
    Source s;
    s.name = "loki-complete";
    s.type = SourceType::Loki;
    s.url = server.url();
    s.options.timeout = Duration::seconds(10);
    return s;
}

FetchRequest logRequest(bool backward, TimeWindow window = {Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + kSpan)})
{
    FetchRequest r;
    r.source = "loki-complete";
    r.kind = FetchKind::Logs;
    r.query = R"({namespace="shop"})";
    r.window = window;
    r.backward = backward;
    r.limit = 1'000'000;
    return r;
}

void bothDirections()
{
    QTest::addColumn<bool>("backward");
    QTest::newRow("backward") << true;
    QTest::newRow("forward") << false;
}

// The fake answers from `data`, after `fault` is set.
bool serve(FakeLokiServer& server, const Data& data, LokiPageFault fault = LokiPageFault::None)
{
    if (!server.start())
        return false;
    server.setPageFault(fault);
    for (const auto& s : data.streams)
        server.addStream(s);
    return true;
}

std::vector<FakeRequest> byPath(const FakeLokiServer& server, const std::string& path)
{
    auto out = server.queryRequests();
    std::erase_if(out, [&](const FakeRequest& r) { return r.path != path; });
    return out;
}

const std::string kRange = "/loki/api/v1/query_range";
const std::string kInstant = "/loki/api/v1/query";

} // namespace

class TestLokiCompleteness : public QObject {
    Q_OBJECT

private:
    http::HttpClient m_client;
    ManualClock m_clock{Timestamp::fromNanos(kT0 + kSpan + 60'000'000'000)};
    ScopedClock m_scoped{m_clock};

private slots:
    // The case of the issue: 12,460 lines, pages of 5000, a Loki whose full pages leave one line out.
    void fullPageFaultIsRepaired_data()
    {
        bothDirections();
    }

    void fullPageFaultIsRepaired()
    {
        QFETCH(bool, backward);
        const Data data = shopData(12'460, 12);
        QCOMPARE(data.lines.size(), size_t(12'460));
        FakeLokiServer server;
        QVERIFY(serve(server, data, LokiPageFault::SwapOnFullPage));

        // Without the check the fault loses lines and nobody notices: this is what the check is for.
        {
            LokiConnector unchecked(lokiSource(server), m_client);
            unchecked.setVerifyCompleteness(false);
            CollectingSink sink;
            auto outcome = unchecked.fetch(logRequest(backward), sink);
            QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
            QVERIFY(outcome->complete);
            QVERIFY(server.pageFaultsCommitted() > 0);
            QVERIFY(sink.collected.logs.size() < data.lines.size());
        }

        const int faultsBefore = server.pageFaultsCommitted();
        LokiConnector connector(lokiSource(server), m_client);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(backward), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY(server.pageFaultsCommitted() > faultsBefore); // the fault struck this fetch too
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QVERIFY(outcome->warnings.empty());
        QCOMPARE(outcome->records, int64_t(data.lines.size()));
        // Every line exactly once, true duplicates twice.
        QCOMPARE(sink.collected.logs.size(), data.lines.size());
        QVERIFY(lokiLineKeys(sink.collected.logs) == data.lines);
        QVERIFY(!byPath(server, kInstant).empty());
        qInfo("%d pages changed by the fault; %zu query_range requests, %zu count queries",
              server.pageFaultsCommitted() - faultsBefore, byPath(server, kRange).size(), byPath(server, kInstant).size());
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
    }

    // The same through the writer: the cache holds every line once and the fetch is recorded complete.
    void repairedFetchIsStoredOnceAndComplete()
    {
        const Data data = shopData(12'460, 5);
        FakeLokiServer server;
        QVERIFY(serve(server, data, LokiPageFault::SwapOnFullPage));
        LokiConnector connector(lokiSource(server), m_client);
        QTemporaryDir dir;
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto outcome = fetchIntoCache(connector, logRequest(true), cache);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        auto reader = testutil::openReader(cache);
        QVERIFY(reader);
        auto overview = reader->overview();
        QVERIFY(overview.ok());
        QCOMPARE(overview->logs, int64_t(12'460));
        auto fetches = reader->fetches();
        QVERIFY(fetches.ok());
        QCOMPARE(fetches->size(), size_t(1));
        QVERIFY(fetches->front().complete);
    }

    // A Loki that counts a line it never returns: the counts cannot agree, the fetch says so.
    void countsThatNeverAgreeArePartial_data()
    {
        bothDirections();
    }

    void countsThatNeverAgreeArePartial()
    {
        QFETCH(bool, backward);
        const Data data = shopData(3'000, 99);
        const auto lost = *std::next(data.lines.begin(), 1234); // (app, ns, line)
        const int64_t lostNs = std::get<1>(lost);
        int64_t atLostNs = 0;
        for (const auto& l : data.lines)
            atLostNs += std::get<1>(l) == lostNs ? 1 : 0;
        FakeLokiServer server;
        QVERIFY(serve(server, data));
        server.setUnreturnable(lostNs);
        LokiConnector connector(lokiSource(server), m_client);
        connector.setPageSize(400);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(backward), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY(!outcome->complete);

        // "Loki returned N lines but counts M in [from, to)", M − N the lines never returned.
        const QString reason = q(outcome->partialReason);
        static const QRegularExpression re(QStringLiteral(R"(^Loki returned (\d+) lines but counts (\d+) in \[(\S+), (\S+)\)$)"));
        const auto m = re.match(reason);
        QVERIFY2(m.hasMatch(), qPrintable(reason));
        QCOMPARE(m.captured(2).toLongLong() - m.captured(1).toLongLong(), atLostNs);
        QVERIFY(m.captured(3) < m.captured(4));
        qInfo("%s (%zu count queries)", qPrintable(reason), byPath(server, kInstant).size());

        // Nothing stored twice while trying: exactly the lines the server would return.
        std::multiset<LineKey> returnable = data.lines;
        std::erase_if(returnable, [&](const LineKey& l) { return std::get<1>(l) == lostNs; });
        QVERIFY(lokiLineKeys(sink.collected.logs) == returnable);

        // The halving stopped at its cap: bounded count queries, no endless re-fetching.
        const auto counts = byPath(server, kInstant).size();
        QVERIFY(counts > 2);
        QVERIFY(counts <= size_t(200 * (1 + 2 * LokiCompleteness::kMaxSplits)));
        QVERIFY2(server.problems().empty(), problemsText(server).c_str());
    }

    // A correct Loki: the same query_range requests as without the check, plus one count per window,
    // and those windows tile the fetched window exactly.
    void correctServerCostsOnlyTheCounts_data()
    {
        bothDirections();
    }

    void correctServerCostsOnlyTheCounts()
    {
        QFETCH(bool, backward);
        const Data data = shopData(3'000, 7);
        FakeLokiServer server;
        QVERIFY(serve(server, data));
        auto targets = [&] {
            std::vector<std::string> out;
            for (const auto& r : byPath(server, kRange))
                out.push_back(r.target);
            std::sort(out.begin(), out.end());
            return out;
        };

        LokiConnector unchecked(lokiSource(server), m_client);
        unchecked.setPageSize(100);
        unchecked.setVerifyCompleteness(false);
        CollectingSink plain;
        auto base = unchecked.fetch(logRequest(backward), plain);
        QVERIFY2(base.ok() && base->complete, base.ok() ? base->partialReason.c_str() : base.error().message().c_str());
        const auto baseTargets = targets();
        QVERIFY(byPath(server, kInstant).empty());
        QVERIFY(baseTargets.size() > 10);

        FakeLokiServer again; // a fresh request log
        QVERIFY(serve(again, data));
        LokiConnector checked(lokiSource(again), m_client);
        checked.setPageSize(100);
        CollectingSink sink;
        auto outcome = checked.fetch(logRequest(backward), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QVERIFY(lokiLineKeys(sink.collected.logs) == data.lines);

        std::vector<std::string> checkedTargets;
        for (const auto& r : byPath(again, kRange))
            checkedTargets.push_back(r.target);
        std::sort(checkedTargets.begin(), checkedTargets.end());
        QVERIFY(checkedTargets == baseTargets); // not one re-fetch
        const auto counts = byPath(again, kInstant);
        QCOMPARE(outcome->requests, int(baseTargets.size() + counts.size()));
        qInfo("%zu query_range requests, %zu count queries", baseTargets.size(), counts.size());

        // One count per window, the windows tiling [from, to) with neither gap nor overlap.
        auto windows = again.countWindows();
        QCOMPARE(windows.size(), counts.size());
        QVERIFY(windows.size() > 1);
        std::sort(windows.begin(), windows.end());
        QCOMPARE(windows.front().first, kT0);
        QCOMPARE(windows.back().second, kT0 + kSpan);
        for (size_t i = 1; i < windows.size(); ++i)
            QCOMPARE(windows[i].first, windows[i - 1].second);
        QVERIFY2(again.problems().empty(), problemsText(again).c_str());
    }

    // Lines on both edges of the window and just outside (one before, two after, so no off-by-one
    // can cancel out): the count covers [from, to) exactly, so it agrees at once (one count query, no
    // re-fetch). A count over (from, to] or [from, to] would disagree.
    void countsCoverTheHalfOpenWindowToTheNanosecond()
    {
        const int64_t from = kT0 + 1'000'000'123, to = kT0 + 61'000'000'123; // one minute, off whole seconds
        FakeLokiServer server;
        QVERIFY(server.start());
        server.addStream({{{"app", "cart"}, {"namespace", "shop"}},
                          {{from - 1, "before", {}}, {from, "first", {}}, {to - 1, "last", {}}, {to, "after", {}}, {to, "after too", {}}}});
        LokiConnector connector(lokiSource(server), m_client);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(true, {Timestamp::fromNanos(from), Timestamp::fromNanos(to)}), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QCOMPARE(sink.collected.logs.size(), size_t(2));
        QCOMPARE(byPath(server, kInstant).size(), size_t(1));
        QCOMPARE(byPath(server, kRange).size(), size_t(1));
        const auto windows = server.countWindows();
        QCOMPARE(windows.size(), size_t(1));
        QCOMPARE(windows[0].first, from);
        QCOMPARE(windows[0].second, to);
        const auto instant = byPath(server, kInstant).front();
        QCOMPARE(q(*instant.param("time")), QString::number(to - 1));
        QCOMPARE(q(*instant.param("query")), QStringLiteral("sum(count_over_time({namespace=\"shop\"}\n[1m]))"));
    }

    // A window whose length is not whole milliseconds, with no line in the widening to whole
    // milliseconds: the widened count agrees, and that settles it.
    void fractionalWindowCountedWidened()
    {
        const int64_t from = kT0 + 250, to = kT0 + 10'000'000'000;
        FakeLokiServer server;
        QVERIFY(server.start());
        server.addStream({{{"app", "cart"}, {"namespace", "shop"}}, {{from, "first", {}}, {kT0 + 5'000'000'000, "mid", {}}}});
        LokiConnector connector(lokiSource(server), m_client);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(true, {Timestamp::fromNanos(from), Timestamp::fromNanos(to)}), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QVERIFY(outcome->warnings.empty());
        QCOMPARE(sink.collected.logs.size(), size_t(2));
        const auto windows = server.countWindows();
        QCOMPARE(windows.size(), size_t(1));
        QCOMPARE(windows[0].first, kT0); // widened by 250 ns to whole milliseconds
        QCOMPARE(windows[0].second, to);
    }

    // The same with a line in the widening: LogQL cannot count the remainder alone, and says so.
    void subMillisecondRemainderIsReportedUnchecked()
    {
        const int64_t from = kT0 + 250, to = kT0 + 10'000'000'000;
        FakeLokiServer server;
        QVERIFY(server.start());
        server.addStream({{{"app", "cart"}, {"namespace", "shop"}},
                          {{kT0 + 100, "before the window", {}}, {from, "first", {}}, {kT0 + 5'000'000'000, "mid", {}}}});
        LokiConnector connector(lokiSource(server), m_client);
        CollectingSink sink;
        auto outcome = connector.fetch(logRequest(true, {Timestamp::fromNanos(from), Timestamp::fromNanos(to)}), sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QCOMPARE(sink.collected.logs.size(), size_t(2));
        QCOMPARE(outcome->warnings.size(), size_t(1));
        QVERIFY2(q(outcome->warnings[0]).contains(QStringLiteral("not checked")), outcome->warnings[0].c_str());
        const auto windows = server.countWindows();
        QCOMPARE(windows.size(), size_t(2));
        QCOMPARE(windows[0].first, kT0); // widened: 3 lines, 2 in the window
        QCOMPARE(windows[1].first, from + 999'750); // the whole milliseconds of the window
        QCOMPARE(windows[1].second, to);
    }

    // LokiCompleteness alone, against a scripted server: a re-fetch stores only the copies the window
    // lacks (a true duplicate of which one copy is stored gets exactly one more).
    void repairStoresOnlyMissingCopies()
    {
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 10'000'000)};
        const LokiStream cart{{{"app", "cart"}}, {{Timestamp::fromNanos(kT0 + 5), "twice", {}, {}},
                                                  {Timestamp::fromNanos(kT0 + 5), "twice", {}, {}},
                                                  {Timestamp::fromNanos(kT0 + 7), "kept", {}, {}},
                                                  {Timestamp::fromNanos(kT0 + 9'999'999), "lost", {}, {}}}};
        const LokiStream other{{{"app", "other"}}, {{Timestamp::fromNanos(kT0 + 5), "twice", {}, {}}}};
        LokiCompleteness check;
        const std::string cartKey = lokiStreamKey(cart.labels), otherKey = lokiStreamKey(other.labels);
        check.record(cartKey, cart.entries[0]); // one copy of "twice"
        check.record(cartKey, cart.entries[2]);
        check.record(otherKey, other.entries[0]); // the same line in another stream is another line
        std::vector<std::string> stored;
        int counts = 0, fetches = 0;
        LokiCompleteness::Server server;
        server.count = [&](TimeWindow) { ++counts; return Result<int64_t>(int64_t(5)); };
        server.fetch = [&](TimeWindow w, const std::function<void(const LokiStream&, const LokiEntry&)>& line) {
            ++fetches;
            for (const auto* s : {&cart, &other})
                for (const auto& e : s->entries)
                    if (e.time >= w.from && e.time < w.to)
                        line(*s, e);
            return Result<bool>(true);
        };
        server.store = [&](const LokiStream& s, const LokiEntry& e) {
            stored.push_back(s.labels[0].second + ":" + e.line);
            return true;
        };
        auto verdict = check.verify(window, server, 100, nullptr);
        QVERIFY(verdict.ok());
        QVERIFY(verdict->mismatches.empty());
        QCOMPARE(verdict->added, int64_t(2));
        std::sort(stored.begin(), stored.end());
        QCOMPARE(stored, (std::vector<std::string>{"cart:lost", "cart:twice"}));
        QCOMPARE(check.storedIn(window), int64_t(5));
        QCOMPARE(counts, 1);  // 5 < a page: fetched again at once, no halving
        QCOMPARE(fetches, 1);
    }

    // A server whose every window counts one more line than it gives: the halving stops at its cap
    // (no recursion, bounded requests), and the shortfall is reported.
    void halvingIsCapped()
    {
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0) + Duration::hours(1)};
        LokiCompleteness check;
        int counts = 0, fetches = 0;
        LokiCompleteness::Server server;
        server.count = [&](TimeWindow w) { ++counts; return Result<int64_t>(check.storedIn(w) + 1); };
        server.fetch = [&](TimeWindow, const std::function<void(const LokiStream&, const LokiEntry&)>&) {
            ++fetches;
            return Result<bool>(true);
        };
        server.store = [](const LokiStream&, const LokiEntry&) { return true; };
        auto verdict = check.verify(window, server, 100, nullptr);
        QVERIFY(verdict.ok());
        QCOMPARE(verdict->splits, LokiCompleteness::kMaxSplits);
        QCOMPARE(counts, 1 + 2 * LokiCompleteness::kMaxSplits);
        QVERIFY(fetches <= counts);
        QCOMPARE(verdict->mismatches.size(), size_t(1));
        QCOMPARE(verdict->mismatches[0].received, int64_t(0));
        QCOMPARE(verdict->mismatches[0].counted, int64_t(1));
        QCOMPARE(q(LokiCompleteness::describe(verdict->mismatches[0])),
                 QStringLiteral("Loki returned 0 lines but counts 1 in [2026-02-10T10:06:40Z, 2026-02-10T11:06:40Z)"));
    }

    // A re-fetch failing once the window is known to be short: the shortfall is still reported.
    void failingRefetchKeepsTheShortfall()
    {
        const TimeWindow window{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0) + Duration::seconds(1)};
        LokiCompleteness check;
        check.record("s", {Timestamp::fromNanos(kT0 + 1), "one", {}, {}});
        LokiCompleteness::Server server;
        server.count = [](TimeWindow) { return Result<int64_t>(int64_t(3)); };
        server.fetch = [](TimeWindow, const std::function<void(const LokiStream&, const LokiEntry&)>&) {
            return Result<bool>(Error{"loki test GET /loki/api/v1/query_range", "HTTP 500: rpc error", {}});
        };
        server.store = [](const LokiStream&, const LokiEntry&) { return true; };
        auto verdict = check.verify(window, server, 100, nullptr);
        QVERIFY(verdict.ok());
        QCOMPARE(q(verdict->failure), QStringLiteral("HTTP 500: rpc error"));
        QCOMPARE(verdict->mismatches.size(), size_t(1));
        QCOMPARE(verdict->mismatches[0].received, int64_t(1));
        QCOMPARE(verdict->mismatches[0].counted, int64_t(3));

        // Not even countable: an error, so the caller can say "not checked" instead.
        server.count = [](TimeWindow) { return Result<int64_t>(Error{"loki test GET /loki/api/v1/query", "HTTP 404", {}}); };
        QVERIFY(!check.verify(window, server, 100, nullptr).ok());
    }

    // Metric queries are series, not lines: nothing to count or re-fetch.
    void metricQueriesAreNotCounted_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("series") << int(FetchKind::Series);
        QTest::newRow("metric query asked as logs") << int(FetchKind::Logs);
    }

    void metricQueriesAreNotCounted()
    {
        QFETCH(int, kind);
        const Data data = shopData(2'000, 3);
        FakeLokiServer server;
        QVERIFY(serve(server, data, LokiPageFault::SwapOnFullPage));
        LokiConnector connector(lokiSource(server), m_client);
        FetchRequest req = logRequest(true);
        req.kind = FetchKind(kind);
        req.query = R"(count_over_time({namespace="shop"}[1m]))";
        req.step = Duration::minutes(1);
        CollectingSink sink;
        auto outcome = connector.fetch(req, sink);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY(outcome->complete);
        QVERIFY(!sink.collected.series.empty());
        QVERIFY(sink.collected.logs.empty());
        QVERIFY(byPath(server, kInstant).empty());
        QCOMPARE(byPath(server, kRange).size(), size_t(1));
        QCOMPARE(outcome->requests, 1);
    }
};

QTEST_GUILESS_MAIN(TestLokiCompleteness)
#include "tst_loki_completeness.moc"
