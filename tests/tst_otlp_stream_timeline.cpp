// What the timeline draws from OTLP metrics (issue 12 items 1 and 5): four services' copies of one
// histogram are four p95 lines, one per service in the legend, each the 95th percentile of that
// service's own buckets; delta histograms and sums draw the same lines as cumulative ones would.

#include "OtlpStreamFixtures.h"
#include "PlotSpec.h"
#include "TimelineData.h"
#include "core/Clock.h"

#include <QTest>

#include <atomic>
#include <map>

using namespace rootline;
using namespace rootline::otlptest;

namespace {

// Lines of one transform, by their legend label (a counter's second row, its errors, left out).
std::map<QString, PlotLine> linesOf(CacheReader& reader, const std::vector<SeriesInfo>& series, PlotTransform transform)
{
    std::vector<PlotSpec> specs;
    for (const PlotSpec& spec : buildPlotSpecs(series))
        if (spec.transform == transform && !spec.id.startsWith(QStringLiteral("errors(")))
            specs.push_back(spec);
    std::atomic_bool cancelled{false};
    auto data = loadTimeline(reader, specs, TimeWindow::all(), 1000, cancelled);
    std::map<QString, PlotLine> out;
    if (!data) {
        qWarning("%s", data.error().message().c_str());
        return out;
    }
    for (PlotLine& line : data->lines)
        out.emplace(line.spec.label, std::move(line));
    return out;
}

} // namespace

class TestOtlpStreamTimeline : public QObject {
    Q_OBJECT
    ManualClock m_clock{Timestamp::fromNanos(int64_t(1800000000) * 1000000000)};
    ScopedClock m_scoped{m_clock};

private slots:
    void p95LinePerService_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<double>("p95ms");
        // By hand from the increases over (60 s, 120 s] (fourServices(): row at 120 minus row at
        // 60), rank = 0.95 × total, interpolated in the bucket that holds it:
        //   frontend [20, 30, 10, 5, 0]: 65, rank 61.75 in (0.5, 1] after 60 → 0.5 + 0.5 × 1.75/5
        //   checkout [0, 4, 10, 26, 0]: 40, rank 38 in (0.5, 1] after 14 → 0.5 + 0.5 × 24/26
        //   payment [20, 10, 10, 0, 0]: 40, rank 38 in (0.25, 0.5] after 30 → 0.25 + 0.25 × 8/10
        //   cart [10, 10, 10, 10, 10]: 50, rank 47.5 in (1, +Inf] → its finite bound, 1 (PromQL)
        QTest::newRow("frontend") << QStringLiteral("frontend") << 675.0;
        QTest::newRow("checkout") << QStringLiteral("checkout") << 1000 * (0.5 + 0.5 * 24.0 / 26.0);
        QTest::newRow("payment") << QStringLiteral("payment") << 450.0;
        QTest::newRow("cart") << QStringLiteral("cart") << 1000.0;
    }
    void p95LinePerService()
    {
        QFETCH(QString, service);
        QFETCH(double, p95ms);
        Cache cache;
        QVERIFY(cache.load({fourServiceDocument()}));
        const auto lines = linesOf(*cache.reader, cache.series, PlotTransform::HistogramQuantile);
        QCOMPARE(lines.size(), size_t(4)); // one per service, each in the legend by its name
        const auto it = lines.find(service);
        QVERIFY(it != lines.end());
        QCOMPARE(it->second.values.size(), 1);
        QCOMPARE(it->second.keys.front(), 120.0);
        QVERIFY(qFuzzyCompare(it->second.values.front(), p95ms));
        // And each service's error rate is its own: (errors at 120 − at 60) / 60 s.
        const auto rates = linesOf(*cache.reader, cache.series, PlotTransform::Rate);
        QCOMPARE(rates.size(), size_t(4));
        for (const auto& d : fourServices())
            if (QString::fromStdString(d.name) == service)
                QCOMPARE(rates.at(service).values.front(), (d.errors120 - d.errors60) / 60.0);
    }
    void deltaStreamsDrawLikeCumulative()
    {
        Cache cache;
        std::vector<std::string> docs = deltaSumDocuments();
        docs.push_back(deltaHistogramDocument());
        QVERIFY(cache.load(docs));
        // p95 per minute from each delta row (the first row is the baseline, as a cumulative
        // series' first row is): 120 s [10, 5, 3, 2, 0]: 20, rank 19 in (0.5, 1] after 18 → 750 ms;
        // 180 s [0, 2, 4, 3, 1]: 10, rank 9.5 in (1, +Inf] → 1000 ms.
        const auto p95 = linesOf(*cache.reader, cache.series, PlotTransform::HistogramQuantile);
        QVERIFY(p95.count(QStringLiteral("pay")));
        const PlotLine& latency = p95.at(QStringLiteral("pay"));
        QCOMPARE(latency.values, (QVector<double>{750, 1000}));
        // Requests per second, both statuses summed: (20 + 2) / 60 at 120 s, (30 + 3) / 60 at 180 s.
        const auto rates = linesOf(*cache.reader, cache.series, PlotTransform::Rate);
        QVERIFY(rates.count(QStringLiteral("pay")));
        QCOMPARE(rates.at(QStringLiteral("pay")).keys, (QVector<double>{120, 180}));
        QCOMPARE(rates.at(QStringLiteral("pay")).values, (QVector<double>{22.0 / 60, 33.0 / 60}));
    }
};

QTEST_GUILESS_MAIN(TestOtlpStreamTimeline)
#include "tst_otlp_stream_timeline.moc"
