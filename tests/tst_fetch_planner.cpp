// Cache reuse: which sub-windows still need fetching given a cache's provenance, and the service
// that fetches only those into a real cache (with a scripted connector), labelling partial results.
// Also the arithmetic of Prometheus range splitting (the 11,001-point rule).

#include "FetchPlanner.h"
#include "FetchService.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "prometheus/PrometheusRangePlan.h"

#include <QtTest>

using namespace rootline;

namespace {

Timestamp t(int64_t seconds)
{
    return Timestamp::fromSeconds(seconds);
}

TimeWindow w(int64_t from, int64_t to)
{
    return {t(from), t(to)};
}

FetchRecord record(TimeWindow window, bool complete = true, std::string query = "up", std::string source = "prom", std::string kind = "series")
{
    FetchRecord f;
    f.source = std::move(source);
    f.kind = std::move(kind);
    f.query = std::move(query);
    f.window = window;
    f.complete = complete;
    return f;
}

// A connector that writes one sample per second of whatever window it is asked for and records
// the windows; it can be told to stop early (partial) or to fail.
class ScriptedConnector final : public Connector {
public:
    ScriptedConnector()
    {
        m_source.name = "prom";
        m_source.type = SourceType::Prometheus;
        m_source.url = "http://unused";
    }
    const Source& source() const override { return m_source; }
    Result<ConnectionInfo> testConnection() override { return ConnectionInfo{true, "scripted", {}, {}}; }
    std::vector<FetchKind> supportedKinds() const override { return {FetchKind::Series, FetchKind::Trace, FetchKind::Alerts}; }
    Result<FetchOutcome> fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool*, const ProgressCallback&) override
    {
        asked.push_back(request.window);
        if (fail)
            return Error{"scripted", "boom", {}};
        TelemetryBatch batch;
        SeriesData d;
        d.series.name = "up";
        d.series.resource = makeResource({}, SourceKind::Prometheus);
        Timestamp end = request.window.to;
        if (stopAfter)
            end = std::min(end, request.window.from + *stopAfter);
        for (Timestamp x = request.window.from; x < end; x = x + Duration::seconds(1))
            d.samples.push_back({x, 1.0});
        FetchOutcome o;
        o.records = int64_t(d.samples.size());
        o.requests = 1;
        batch.series.push_back(std::move(d));
        if (auto s = sink.batch(std::move(batch)); !s)
            return s.error();
        if (stopAfter) {
            o.complete = false;
            o.partialReason = "limit reached";
        }
        return o;
    }

    Source m_source;
    std::vector<TimeWindow> asked;
    std::optional<Duration> stopAfter;
    bool fail = false;
};

} // namespace

class TestFetchPlanner : public QObject {
    Q_OBJECT

private slots:
    void planner_data()
    {
        QTest::addColumn<QVector<int>>("history"); // from,to pairs of complete fetches
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<QVector<int>>("missing");
        QTest::newRow("empty cache") << QVector<int>{} << 0 << 100 << QVector<int>{0, 100};
        QTest::newRow("fully covered") << QVector<int>{0, 100} << 10 << 90 << QVector<int>{};
        QTest::newRow("covered by two touching") << QVector<int>{0, 50, 50, 100} << 0 << 100 << QVector<int>{};
        QTest::newRow("head missing") << QVector<int>{50, 200} << 0 << 100 << QVector<int>{0, 50};
        QTest::newRow("tail missing") << QVector<int>{0, 60} << 0 << 100 << QVector<int>{60, 100};
        QTest::newRow("hole in the middle") << QVector<int>{0, 30, 70, 100} << 0 << 100 << QVector<int>{30, 70};
        QTest::newRow("overlapping history") << QVector<int>{10, 40, 20, 60} << 0 << 100 << QVector<int>{0, 10, 60, 100};
        QTest::newRow("disjoint history") << QVector<int>{200, 300} << 0 << 100 << QVector<int>{0, 100};
    }
    void planner()
    {
        QFETCH(QVector<int>, history);
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(QVector<int>, missing);
        std::vector<FetchRecord> h;
        for (int i = 0; i + 1 < history.size(); i += 2)
            h.push_back(record(w(history[i], history[i + 1])));
        const FetchPlan plan = planFetch(h, {"prom", "series", "up"}, w(from, to));
        QVector<int> got;
        for (const auto& m : plan.missing)
            got << int(m.from.seconds()) << int(m.to.seconds());
        QCOMPARE(got, missing);
        QCOMPARE(plan.fromCache(), missing.isEmpty());
    }

    void onlyMatchingCompleteFetchesCount()
    {
        const std::vector<FetchRecord> h = {
            record(w(0, 100), false),                               // partial: not coverage
            record(w(0, 100), true, "rate(up[5m])"),                // another query
            record(w(0, 100), true, "up", "other"),                 // another source
            record(w(0, 100), true, "up", "prom", "logs"),          // another kind
        };
        const FetchPlan plan = planFetch(h, {"prom", "series", "up"}, w(0, 100));
        QCOMPARE(plan.missing.size(), size_t(1));
        QVERIFY(plan.covered.empty());
    }

    void windowlessAndAlwaysFetch()
    {
        const std::vector<FetchRecord> h = {record(w(0, 10), true, "trace:abc", "jaeger", "spans")};
        PlannerOptions windowless;
        windowless.windowless = true;
        QVERIFY(planFetch(h, {"jaeger", "spans", "trace:abc"}, w(1000, 2000), windowless).fromCache());
        QVERIFY(!planFetch(h, {"jaeger", "spans", "trace:def"}, w(1000, 2000), windowless).fromCache());
        PlannerOptions always;
        always.alwaysFetch = true;
        QVERIFY(!planFetch({record(w(0, 100))}, {"prom", "series", "up"}, w(0, 100), always).fromCache());
    }

    void minGapIgnoresSlivers()
    {
        PlannerOptions o;
        o.minGap = Duration::seconds(15);
        const FetchPlan plan = planFetch({record(w(0, 95))}, {"prom", "series", "up"}, w(0, 100), o);
        QVERIFY(plan.fromCache());
    }

    void rangePlan_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<QVector<qint64>>("points"); // points per sub-query
        QTest::newRow("exactly 11001 points is one query") << qint64(0) << qint64(11001) << qint64(1) << QVector<qint64>{11001};
        QTest::newRow("11002 points split") << qint64(0) << qint64(11002) << qint64(1) << QVector<qint64>{11001, 1};
        QTest::newRow("3 sub-queries") << qint64(1000) << qint64(1000 + 3 * 11001 * 15) << qint64(15) << QVector<qint64>{11001, 11001, 11001};
        QTest::newRow("unaligned start") << qint64(7) << qint64(61) << qint64(15) << QVector<qint64>{4}; // 15,30,45,60
        QTest::newRow("window inside one step") << qint64(1) << qint64(14) << qint64(15) << QVector<qint64>{};
        QTest::newRow("end excluded") << qint64(0) << qint64(60) << qint64(15) << QVector<qint64>{4}; // 0,15,30,45
    }
    void rangePlan()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(qint64, step);
        QFETCH(QVector<qint64>, points);
        const auto plan = planRange(w(from, to), Duration::seconds(step));
        QVector<qint64> got;
        for (const auto& r : plan) {
            got << r.points();
            QVERIFY((r.end - r.start).count() / r.step.count() <= 11000); // what Prometheus accepts
            QCOMPARE(r.start.nanos() % r.step.count(), int64_t(0));        // on the step grid
        }
        QCOMPARE(got, points);
        for (size_t i = 1; i < plan.size(); ++i)
            QCOMPARE(plan[i].start, plan[i - 1].end + plan[i].step); // no shared boundary point, no gap
    }

    void autoStepFitsOneQuery_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<qint64>("step");
        QTest::newRow("15 min") << qint64(900) << qint64(1);
        QTest::newRow("11000 s") << qint64(11000) << qint64(1);
        QTest::newRow("11001 s") << qint64(11001) << qint64(2);
        QTest::newRow("1 day") << qint64(86400) << qint64(10);
        QTest::newRow("30 days") << qint64(30 * 86400) << qint64(300);
    }
    void autoStepFitsOneQuery()
    {
        QFETCH(qint64, seconds);
        QFETCH(qint64, step);
        const TimeWindow window = w(1'700'000'000, 1'700'000'000 + seconds);
        const Duration s = autoStep(window);
        QCOMPARE(s.count(), Duration::seconds(step).count());
        QCOMPARE(planRange(window, s).size(), size_t(1));
    }

    void halving()
    {
        const RangeStep r{t(0), t(99), Duration::seconds(1)};
        const auto halves = halve(r);
        QCOMPARE(halves.size(), size_t(2));
        QCOMPARE(halves[0].points() + halves[1].points(), int64_t(100));
        QCOMPARE(halves[1].start, halves[0].end + Duration::seconds(1));
        QCOMPARE(halve({t(5), t(5), Duration::seconds(1)}).size(), size_t(1));
    }

    void secondsText()
    {
        QCOMPARE(formatSeconds(Timestamp::fromNanos(1795343321500000000)), std::string("1795343321.5"));
        QCOMPARE(formatSeconds(t(1795343319)), std::string("1795343319"));
        QCOMPARE(formatSeconds(Timestamp::fromNanos(1)), std::string("0.000000001"));
        QCOMPARE(formatSeconds(Timestamp::fromNanos(-1'500'000'000)), std::string("-1.5"));
        QCOMPARE(formatStepSeconds(Duration::millis(250)), std::string("0.25"));
    }

    void serviceFetchesOnlyWhatIsMissing()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto writer = CacheWriter::open(path);
        QVERIFY(writer.ok());
        ScriptedConnector connector;
        FetchRequest req;
        req.source = "prom";
        req.kind = FetchKind::Series;
        req.query = "up";
        req.window = w(1000, 1100);

        auto history = [&] {
            auto reader = CacheReader::open(path);
            return *(*reader)->fetches();
        };

        auto first = runFetch(connector, **writer, history(), req);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message().c_str());
        QVERIFY(!first->fromCache());
        QVERIFY(first->complete);
        QCOMPARE(first->stored.samples, int64_t(100));
        QCOMPARE(connector.asked.size(), size_t(1));

        // The same window again: nothing goes to the network.
        auto second = runFetch(connector, **writer, history(), req);
        QVERIFY(second.ok());
        QVERIFY(second->fromCache());
        QCOMPARE(second->cached.size(), size_t(1));
        QCOMPARE(connector.asked.size(), size_t(1));

        // A wider window: only the two missing ends.
        req.window = w(950, 1150);
        auto third = runFetch(connector, **writer, history(), req);
        QVERIFY(third.ok());
        QCOMPARE(third->fetched.size(), size_t(2));
        QCOMPARE(connector.asked.size(), size_t(3));
        QCOMPARE(connector.asked[1], w(950, 1000));
        QCOMPARE(connector.asked[2], w(1100, 1150));
        QCOMPARE(third->stored.samples, int64_t(100));

        auto reader = CacheReader::open(path);
        auto fetches = (*reader)->fetches();
        QVERIFY(fetches.ok());
        QCOMPARE(fetches->size(), size_t(3));
        for (const auto& f : *fetches) {
            QCOMPARE(f.source, std::string("prom"));
            QCOMPARE(f.kind, std::string("series"));
            QCOMPARE(f.query, std::string("up"));
            QVERIFY(f.complete);
        }
    }

    void partialIsStoredLabelledAndFetchedAgain()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto writer = CacheWriter::open(path);
        QVERIFY(writer.ok());
        ScriptedConnector connector;
        connector.stopAfter = Duration::seconds(10);
        FetchRequest req;
        req.source = "prom";
        req.query = "up";
        req.window = w(0, 100);
        auto r = runFetch(connector, **writer, {}, req);
        QVERIFY(r.ok());
        QVERIFY(!r->complete);
        QCOMPARE(r->partialReason, std::string("limit reached"));
        QCOMPARE(r->stored.samples, int64_t(10)); // what was fetched is kept

        auto reader = CacheReader::open(path);
        auto fetches = *(*reader)->fetches();
        QCOMPARE(fetches.size(), size_t(1));
        QVERIFY(!fetches[0].complete);
        QCOMPARE(fetches[0].message, std::string("limit reached"));
        // Partial provenance does not count as coverage: the next run fetches again.
        connector.stopAfter.reset();
        auto again = runFetch(connector, **writer, fetches, req);
        QVERIFY(again.ok());
        QVERIFY(!again->fromCache());
        QVERIFY(again->complete);
    }

    void failureLeavesTheCacheUnchanged()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto writer = CacheWriter::open(path);
        QVERIFY(writer.ok());
        ScriptedConnector connector;
        connector.fail = true;
        FetchRequest req;
        req.source = "prom";
        req.query = "up";
        req.window = w(0, 100);
        auto r = runFetch(connector, **writer, {}, req);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().what, std::string("boom"));
        auto reader = CacheReader::open(path);
        QCOMPARE((*reader)->fetches()->size(), size_t(0));
        QCOMPARE((*reader)->overview()->samples, int64_t(0));
    }

    void provenanceText()
    {
        FetchRequest r;
        r.kind = FetchKind::Trace;
        r.traceId = "abc";
        QCOMPARE(r.provenanceQuery(), std::string("trace:abc"));
        r.kind = FetchKind::Traces;
        r.search = {{"service", "checkout"}, {"minDuration", "1s"}};
        QCOMPARE(r.provenanceQuery(), std::string("service=checkout minDuration=1s"));
        QCOMPARE(std::string(fetchRecordKind(FetchKind::Traces)), std::string("spans"));
        QCOMPARE(fetchKindFromName("exemplars"), std::optional<FetchKind>(FetchKind::Exemplars));
        QVERIFY(!fetchKindFromName("nope"));
    }
};

QTEST_GUILESS_MAIN(TestFetchPlanner)
#include "tst_fetch_planner.moc"
