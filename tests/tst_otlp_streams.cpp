// OTLP metric streams in the cache (issue 12 items 1 and 5): a stream is resource + scope + name +
// attributes, so four services' copies of one metric are four series, each attached to its own
// resource, while one service across a deploy (a new service.version) stays one series; delta
// sums and histograms feed SLIs that match a hand computation from their points.

#include "OtlpStreamFixtures.h"
#include "bundle/BundleExporter.h"
#include "core/Clock.h"
#include "correlation/SloEvaluator.h"

#include <QTest>

#include <map>
#include <set>

using namespace rootline;
using namespace rootline::otlptest;

namespace {

const Timestamp kEpoch = Timestamp::fromNanos(0);

Timestamp at(int seconds) { return kEpoch + Duration::seconds(seconds); }

SloDefinition latencySlo(const std::string& service, double thresholdSeconds)
{
    SloDefinition slo;
    slo.name = service + " latency";
    slo.service = service;
    slo.kind = SloDefinition::Kind::Latency;
    slo.metric = "http.server.request.duration";
    slo.match = {{"service", service}};
    slo.thresholdSeconds = thresholdSeconds;
    return slo;
}

} // namespace

class TestOtlpStreams : public QObject {
    Q_OBJECT
    ManualClock m_clock{Timestamp::fromNanos(int64_t(1800000000) * 1000000000)};
    ScopedClock m_scoped{m_clock};

private slots:
    void fourServicesAreEightSeries();
    void identity_data();
    void identity();
    void versionChangeKeepsOneStream();
    void deltaHistogramLatencySli();
    void deltaSumAvailabilityInAnyImportOrder();
    void exportKeepsStreamsAndTemporality();
};

void TestOtlpStreams::fourServicesAreEightSeries()
{
    Cache cache;
    QVERIFY(cache.load({fourServiceDocument()}));
    CacheReader& reader = *cache.reader;
    QCOMPARE(cache.series.size(), size_t(8));

    std::map<std::string, std::set<std::string>> metricsByService;
    std::set<std::string> keys;
    for (const SeriesInfo& info : cache.series) {
        const Series& s = info.series;
        QVERIFY(s.resource);
        metricsByService[s.resource->serviceName].insert(s.name);
        keys.insert(s.key());
        QCOMPARE(s.temporality, Temporality::Cumulative);
        // Each series holds the points of the service it is attached to, and only those.
        const ServiceData* data = nullptr;
        for (const auto& d : fourServices())
            if (d.name == s.resource->serviceName)
                data = &d;
        QVERIFY(data);
        if (s.name == "http.server.request.duration") {
            auto rows = reader.histograms(s.rowId, TimeWindow::all());
            QVERIFY(rows);
            QCOMPARE(rows->size(), size_t(2));
            for (size_t b = 0; b < 5; ++b) {
                QCOMPARE((*rows)[0].buckets[b].count, double(data->at60[b]));
                QCOMPARE((*rows)[1].buckets[b].count, double(data->at120[b]));
            }
        } else {
            auto samples = reader.samples(s.rowId, TimeWindow::all());
            QVERIFY(samples);
            QCOMPARE(samples->size(), size_t(2));
            QCOMPARE((*samples)[0].value, double(data->errors60));
            QCOMPARE((*samples)[1].value, double(data->errors120));
        }
    }
    QCOMPARE(keys.size(), size_t(8)); // the key tells them apart too (the timeline groups by it)
    QCOMPARE(metricsByService.size(), size_t(4));
    for (const auto& [service, metrics] : metricsByService)
        QCOMPARE(metrics, (std::set<std::string>{"http.server.errors", "http.server.request.duration"}));

    // checkout's latency SLI over (60 s, 120 s], by hand from its buckets: the increases are
    // [0, 4, 10, 26, 0] = 40 requests, of which 0 + 4 + 10 = 14 at or below 0.5 s.
    auto slo = SloEvaluator::load(reader, latencySlo("checkout", 0.5));
    QVERIFY(slo);
    const SloWindowResult w = slo->window(at(120), Duration::seconds(60));
    QCOMPARE(w.total, 40.0);
    QCOMPARE(w.good, 14.0);
    QCOMPARE(w.errorRatio, 26.0 / 40.0);
}

void TestOtlpStreams::identity_data()
{
    QTest::addColumn<KeyValues>("resourceB");
    QTest::addColumn<QString>("scopeNameB");
    QTest::addColumn<QString>("scopeVersionB");
    QTest::addColumn<int>("series");
    const KeyValues a = {{"service.name", "payment"}, {"service.namespace", "shop"}, {"service.version", "1.0"},
                         {"host.name", "node-1"}, {"telemetry.sdk.version", "1.30.0"}};
    auto with = [&](const std::string& key, const std::string& value) {
        KeyValues kvs = a;
        bool found = false;
        for (auto& [k, v] : kvs)
            if (k == key) {
                v = value;
                found = true;
            }
        if (!found)
            kvs.emplace_back(key, value);
        return kvs;
    };
    const QString scope = QStringLiteral("io.opentelemetry.http"), version = QStringLiteral("1.0.0");
    // Describing attributes: one stream.
    QTest::newRow("same resource") << a << scope << version << 1;
    QTest::newRow("service.version changes (a deploy)") << with("service.version", "1.1") << scope << version << 1;
    QTest::newRow("SDK version changes") << with("telemetry.sdk.version", "1.31.0") << scope << version << 1;
    QTest::newRow("process.pid changes (a restart)") << with("process.pid", "4242") << scope << version << 1;
    QTest::newRow("scope version changes") << a << scope << QStringLiteral("1.1.0") << 1;
    // Identifying attributes: two streams.
    QTest::newRow("another service") << with("service.name", "cart") << scope << version << 2;
    QTest::newRow("another namespace") << with("service.namespace", "bank") << scope << version << 2;
    QTest::newRow("another instance") << with("service.instance.id", "b7e1") << scope << version << 2;
    QTest::newRow("another host") << with("host.name", "node-2") << scope << version << 2;
    QTest::newRow("another environment") << with("deployment.environment.name", "staging") << scope << version << 2;
    QTest::newRow("another pod") << with("k8s.pod.name", "payment-7d9f") << scope << version << 2;
    QTest::newRow("another scope") << a << QStringLiteral("io.opentelemetry.grpc") << version << 2;
}

void TestOtlpStreams::identity()
{
    QFETCH(KeyValues, resourceB);
    QFETCH(QString, scopeNameB);
    QFETCH(QString, scopeVersionB);
    QFETCH(int, series);
    Block first;
    first.resource = {{"service.name", "payment"}, {"service.namespace", "shop"}, {"service.version", "1.0"},
                      {"host.name", "node-1"}, {"telemetry.sdk.version", "1.30.0"}};
    first.metrics = {histogramMetric("http.server.request.duration", 2, {{60, {5, 5, 0, 0, 0}}})};
    Block second;
    second.resource = resourceB;
    second.scopeName = scopeNameB.toStdString();
    second.scopeVersion = scopeVersionB.toStdString();
    second.metrics = {histogramMetric("http.server.request.duration", 2, {{120, {25, 15, 10, 0, 0}}})};
    Cache cache;
    QVERIFY(cache.load({document({first, second})}));
    QCOMPARE(int(cache.series.size()), series);
    int rows = 0;
    for (const auto& info : cache.series) {
        auto h = cache.reader->histograms(info.series.rowId, TimeWindow::all());
        QVERIFY(h);
        rows += int(h->size());
    }
    QCOMPARE(rows, 2);
}

void TestOtlpStreams::versionChangeKeepsOneStream()
{
    // payment 1.0 reports at 60 s, is redeployed as 1.1 (same process identity) and reports at
    // 120 s, in another export: one series, whose SLI spans the deploy.
    Block before, after;
    before.resource = {{"service.name", "payment"}, {"service.version", "1.0"}};
    before.metrics = {histogramMetric("http.server.request.duration", 2, {{60, {5, 5, 0, 0, 0}}})};
    after.resource = {{"service.name", "payment"}, {"service.version", "1.1"}};
    after.metrics = {histogramMetric("http.server.request.duration", 2, {{120, {25, 15, 10, 0, 0}}})};
    Cache cache;
    QVERIFY(cache.load({document({before}), document({after})}));
    QCOMPARE(cache.series.size(), size_t(1));
    const Series& s = cache.series.front().series;
    QCOMPARE(s.resource->serviceName, std::string("payment"));
    QCOMPARE(s.resource->serviceVersion, std::string("1.0")); // the first resource it was seen with
    QVERIFY(s.key().find("service.version") == std::string::npos);
    // (60 s, 120 s]: [20, 10, 10, 0, 0] = 40 requests, 30 of them at or below 0.25 s.
    auto slo = SloEvaluator::load(*cache.reader, latencySlo("payment", 0.25));
    QVERIFY(slo);
    const SloWindowResult w = slo->window(at(120), Duration::seconds(60));
    QCOMPARE(w.total, 40.0);
    QCOMPARE(w.good, 30.0);
}

void TestOtlpStreams::deltaHistogramLatencySli()
{
    // Rows at 60, 120, 180 s: [4, 3, 2, 1, 0], [10, 5, 3, 2, 0], [0, 2, 4, 3, 1], each its own minute.
    Cache cache;
    QVERIFY(cache.load({deltaHistogramDocument()}));
    CacheReader& reader = *cache.reader;
    QCOMPARE(cache.series.size(), size_t(1));
    const Series& s = cache.series.front().series;
    QCOMPARE(s.temporality, Temporality::Delta);

    // Stored as they came; read as running totals.
    auto stored = reader.histograms(s.rowId, TimeWindow::all(), CacheReader::Points::AsStored);
    QVERIFY(stored);
    QCOMPARE(stored->size(), size_t(3));
    QCOMPARE(stored->back().count, 10.0);
    auto totals = reader.histograms(s.rowId, TimeWindow::all());
    QVERIFY(totals);
    QCOMPARE(totals->size(), size_t(3));
    QCOMPARE(totals->back().count, 40.0);
    QCOMPARE(totals->back().buckets[3].count, 6.0); // (0.5, 1]: 1 + 2 + 3

    // By hand, threshold 0.25 s:
    //   (60, 180]: rows 120 and 180 → total 20 + 10 = 30, good (10 + 5) + (0 + 2) = 17;
    //   (60, 120]: row 120 → total 20, good 15;  (120, 180]: row 180 → total 10, good 2.
    auto slo = SloEvaluator::load(reader, latencySlo("pay", 0.25));
    QVERIFY(slo);
    SloWindowResult w = slo->window(at(180), Duration::seconds(120));
    QCOMPARE(w.total, 30.0);
    QCOMPARE(w.good, 17.0);
    QCOMPARE(w.errorRatio, 13.0 / 30.0);
    w = slo->window(at(120), Duration::seconds(60));
    QCOMPARE(w.total, 20.0);
    QCOMPARE(w.good, 15.0);
    w = slo->window(at(180), Duration::seconds(60));
    QCOMPARE(w.total, 10.0);
    QCOMPARE(w.good, 2.0);
    // The SLI's description says how the series counted.
    bool said = false;
    for (const std::string& line : slo->sources())
        said = said || line.find("1 of them OTLP delta temporality") != std::string::npos;
    QVERIFY(said);
}

void TestOtlpStreams::deltaSumAvailabilityInAnyImportOrder()
{
    // A delta request counter by status (200: 10, 20, 30 and 500: 1, 2, 3 at 60, 120, 180 s),
    // its later export imported first.
    Cache cache;
    QVERIFY(cache.load(deltaSumDocuments()));
    QCOMPARE(cache.series.size(), size_t(2));
    for (const auto& info : cache.series) {
        QCOMPARE(info.series.temporality, Temporality::Delta);
        QCOMPARE(info.series.kind, MetricKind::Counter);
    }

    SloDefinition slo;
    slo.name = "pay availability";
    slo.metric = "http.server.requests";
    slo.match = {{"service", "pay"}};
    slo.errorLabel = "status";
    auto eval = SloEvaluator::load(*cache.reader, slo);
    QVERIFY(eval);
    // By hand: (60, 180] holds the points at 120 and 180 → total 20 + 2 + 30 + 3 = 55, bad 2 + 3 = 5.
    // (Read as cumulative, the same points would give total (30 − 10) + (3 − 1) = 22, bad 2.)
    SloWindowResult w = eval->window(at(180), Duration::seconds(120));
    QCOMPARE(w.total, 55.0);
    QCOMPARE(w.good, 50.0);
    QCOMPARE(w.errorRatio, 5.0 / 55.0);
    // (120, 180]: total 33, bad 3.
    w = eval->window(at(180), Duration::seconds(60));
    QCOMPARE(w.total, 33.0);
    QCOMPARE(w.errorRatio, 3.0 / 33.0);
}

void TestOtlpStreams::exportKeepsStreamsAndTemporality()
{
    // A bundle copies points as stored: the four services stay eight series, delta stays delta
    // (copied as running totals and marked delta, they would be summed twice).
    Cache cache;
    QVERIFY(cache.load({fourServiceDocument(), deltaHistogramDocument()}));
    const std::string out = cache.dir.filePath(QStringLiteral("out.rootline")).toStdString();
    auto exported = exportBundle(cache.path, out, ExportOptions{});
    QVERIFY2(exported, exported ? "" : exported.error().message().c_str());
    auto reader = testutil::openReader(out);
    QVERIFY(reader);
    auto list = reader->listSeries();
    QVERIFY(list);
    QCOMPARE(list->size(), size_t(9));
    std::set<std::string> keys;
    for (const auto& info : *list) {
        keys.insert(info.series.key());
        if (info.series.resource->serviceName != "pay")
            continue;
        QCOMPARE(info.series.temporality, Temporality::Delta);
        auto stored = reader->histograms(info.series.rowId, TimeWindow::all(), CacheReader::Points::AsStored);
        QVERIFY(stored);
        QCOMPARE(stored->size(), size_t(3));
        QCOMPARE((*stored)[1].count, 20.0);
        auto totals = reader->histograms(info.series.rowId, TimeWindow::all());
        QVERIFY(totals);
        QCOMPARE(totals->back().count, 40.0);
    }
    std::set<std::string> original;
    for (const auto& info : cache.series)
        original.insert(info.series.key());
    QCOMPARE(keys, original);
}

QTEST_GUILESS_MAIN(TestOtlpStreams)
#include "tst_otlp_streams.moc"
