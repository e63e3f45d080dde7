// The timeline's data maths: counter rates, bucket quantiles, grouping series into lines by
// service, the default RED selection, and a load over a test cache.
#include "PlotSpec.h"
#include "TimelineData.h"
#include "UiTestCache.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace rootline;
using namespace rootline::uitest;

namespace {
std::vector<Sample> samples(std::initializer_list<std::pair<int, double>> points)
{
    std::vector<Sample> out;
    for (auto [s, v] : points)
        out.push_back({kT0 + Duration::seconds(s), v});
    return out;
}
} // namespace

class TestTimelineData : public QObject {
    Q_OBJECT
private slots:
    void counterRate_data()
    {
        QTest::addColumn<std::vector<Sample>>("input");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("steady") << samples({{0, 0}, {15, 150}, {30, 300}}) << QList<double>{10, 10};
        QTest::newRow("reset counts from zero") << samples({{0, 100}, {10, 200}, {20, 50}}) << QList<double>{10, 5};
        QTest::newRow("one sample has no rate") << samples({{0, 5}}) << QList<double>{};
        QTest::newRow("gap stays a gap") << samples({{0, 0}, {10, NAN}, {20, 40}}) << QList<double>{NAN, NAN};
    }
    void counterRate()
    {
        QFETCH(std::vector<Sample>, input);
        QFETCH(QList<double>, expected);
        const auto out = rootline::counterRate(input);
        QCOMPARE(int(out.size()), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            if (std::isnan(expected[i]))
                QVERIFY(std::isnan(out[size_t(i)].value));
            else
                QCOMPARE(out[size_t(i)].value, expected[i]);
        }
    }

    void bucketQuantile_data()
    {
        QTest::addColumn<std::vector<HistogramBucket>>("buckets");
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("expected");
        const double inf = INFINITY;
        QTest::newRow("middle of the first bucket") << std::vector<HistogramBucket>{{0, 1, 10}, {1, 2, 10}} << 0.25 << 0.5;
        QTest::newRow("inside the second") << std::vector<HistogramBucket>{{0, 1, 10}, {1, 2, 10}} << 0.75 << 1.5;
        QTest::newRow("unsorted input") << std::vector<HistogramBucket>{{1, 2, 10}, {0, 1, 10}} << 0.75 << 1.5;
        QTest::newRow("in +Inf: highest finite bound") << std::vector<HistogramBucket>{{0, 1, 1}, {1, inf, 99}} << 0.95 << 1.0;
        QTest::newRow("empty is NaN") << std::vector<HistogramBucket>{{0, 1, 0}} << 0.95 << double(NAN);
    }
    void bucketQuantile()
    {
        QFETCH(std::vector<HistogramBucket>, buckets);
        QFETCH(double, q);
        QFETCH(double, expected);
        const double v = rootline::bucketQuantile(buckets, q);
        if (std::isnan(expected))
            QVERIFY(std::isnan(v));
        else
            QCOMPARE(v, expected);
    }

    void specsGroupByService()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.rootline"));
        QVERIFY(writeUiTestCache(path).ok());
        auto reader = CacheReader::open(path.toStdString());
        QVERIFY(reader.ok());
        auto series = (*reader)->listSeries();
        QVERIFY(series.ok());
        const auto specs = buildPlotSpecs(*series);
        // Per service: requests (both classes summed), errors (5xx only), p95 of 5 buckets.
        QCOMPARE(int(specs.size()), 9);
        int rates = 0, errors = 0, quantiles = 0;
        for (const auto& s : specs) {
            QVERIFY(!s.service.isEmpty());
            if (s.row.endsWith(QStringLiteral("rate /s"))) {
                ++rates;
                QCOMPARE(int(s.seriesIds.size()), 2);
            } else if (s.row.endsWith(QStringLiteral("errors /s"))) {
                ++errors;
                QCOMPARE(int(s.seriesIds.size()), 1);
            } else {
                ++quantiles;
                QCOMPARE(s.transform, PlotTransform::BucketQuantile);
                QCOMPARE(int(s.bounds.size()), 5);
                QCOMPARE(s.unit, QStringLiteral("ms"));
            }
        }
        QCOMPARE(rates, 3);
        QCOMPARE(errors, 3);
        QCOMPARE(quantiles, 3);
        const QStringList chosen = defaultPlotSelection(specs);
        QCOMPARE(chosen.size(), 9);

        // Over the whole cache: rates of 150+15·s per 15 s, the p95 inside (0.5, 1] s, exemplars.
        std::atomic_bool cancelled = false;
        auto data = loadTimeline(**reader, specs, TimeWindow::all(), 400, cancelled);
        QVERIFY2(data.ok(), data ? "" : data.error().message().c_str());
        QCOMPARE(int(data->lines.size()), 9);
        QCOMPARE(int(data->alerts.size()), 1);
        QCOMPARE(int(data->exemplars.size()), 12); // 4 per service, on that service's p95 line
        for (const auto& line : data->lines) {
            QCOMPARE(line.keys.size(), 40);
            if (line.spec.row.endsWith(QStringLiteral("rate /s")))
                QCOMPARE(line.values.front(), line.spec.service == QStringLiteral("checkout") ? 10.0 : line.spec.service == QStringLiteral("frontend") ? 11.0 : 12.0);
            if (line.spec.transform == PlotTransform::BucketQuantile) {
                // 95th of 100: 5 of the 10 requests in (0.5, 1] → 0.75 s.
                QCOMPARE(line.values.front(), 750.0);
            }
        }
        for (const auto& e : data->exemplars) {
            QCOMPARE(data->lines[size_t(e.lineIndex)].spec.transform, PlotTransform::BucketQuantile);
            QCOMPARE(e.value, 800.0);
        }
        // Downsampled to the budget.
        auto small = loadTimeline(**reader, specs, TimeWindow::all(), 10, cancelled);
        QVERIFY(small.ok());
        for (const auto& line : small->lines)
            QVERIFY(line.keys.size() <= 10);
        // A cancelled load says so.
        cancelled = true;
        QVERIFY(!loadTimeline(**reader, specs, TimeWindow::all(), 400, cancelled).ok());
    }
};

QTEST_MAIN(TestTimelineData)
#include "tst_timeline_data.moc"
