// Latency SLIs from every histogram form, against worked examples computed by hand (in the
// comments): OTLP exponential and explicit-bucket histograms and Prometheus native histograms as the
// importers store them, classic `_bucket` series with a threshold between two bounds, counter
// resets, and the burn-rate evaluation over a cache that holds only histogram rows.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/CorrelationRules.h"
#include "correlation/HistogramFraction.h"
#include "correlation/LatencySli.h"
#include "correlation/SloEvaluator.h"
#include "import/OtlpJson.h"
#include "import/PrometheusApi.h"
#include "import/RecordSink.h"
#include "investigation/Investigation.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace rootline;

namespace {
constexpr Timestamp kT0 = Timestamp::fromSeconds(1795168800); // 2026-11-20T10:00:00Z

std::string nanosText(Timestamp t) { return std::to_string(t.nanos()); }

// One OTLP/JSON metrics document of service "api" holding `points` of metric `name`, a
// `kind` ("histogram" or "exponentialHistogram") with cumulative temporality.
std::string otlpDocument(const std::string& name, const std::string& kind, const std::string& points, const std::string& unit = "s")
{
    return R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},)"
           R"("scopeMetrics":[{"metrics":[{"name":")"
        + name + R"(","unit":")" + unit + R"(",")" + kind + R"(":{"aggregationTemporality":2,"dataPoints":[)" + points + "]}}]}]}]}";
}

TelemetryBatch parseOtlp(const std::string& document)
{
    CollectingSink sink;
    ParseContext ctx;
    ctx.origin = "test.json";
    const Status s = parseOtlpJson(document, ctx, sink);
    if (!s)
        qFatal("OTLP parse failed: %s", s.error().message().c_str());
    if (!sink.rejections.empty())
        qFatal("OTLP rejected: %s", sink.rejections.front().message.c_str());
    return std::move(sink.collected);
}

// The one histogram row an OTLP data point becomes, as the importer flattens it.
HistogramSample otlpPoint(const std::string& kind, const std::string& point)
{
    TelemetryBatch b = parseOtlp(otlpDocument("d", kind, point));
    if (b.series.size() != 1 || b.series.front().histograms.size() != 1)
        qFatal("expected one histogram row");
    return b.series.front().histograms.front();
}

// The one histogram row a Prometheus native histogram in a query response becomes.
HistogramSample prometheusPoint(const std::string& histogram)
{
    const std::string body = R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"d","job":"api"},)"
                             R"("histogram":[1795168800,)"
        + histogram + "]}]}}";
    auto decoded = decodePrometheusQuery(body, "test");
    if (!decoded)
        qFatal("Prometheus decode failed: %s", decoded.error().message().c_str());
    CollectingSink sink;
    ParseContext ctx;
    ctx.origin = "test";
    if (!emitPrometheusQuery(*decoded, "d", ctx, sink) || sink.collected.series.size() != 1
        || sink.collected.series.front().histograms.size() != 1)
        qFatal("expected one Prometheus histogram row");
    return sink.collected.series.front().histograms.front();
}

bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

// An OTLP exponential data point, scale 0 (base 2), positive buckets from offset -2: (0.25, 0.5],
// (0.5, 1], (1, 2] holding the cumulative counts `a`, `b`, `c`.
std::string expPoint(Timestamp t, int64_t a, int64_t b, int64_t c)
{
    return R"({"timeUnixNano":")" + nanosText(t) + R"(","count":")" + std::to_string(a + b + c) + R"(","sum":1,"scale":0,)"
        + R"("zeroCount":"0","positive":{"offset":-2,"bucketCounts":[")" + std::to_string(a) + R"(",")" + std::to_string(b) + R"(",")"
        + std::to_string(c) + R"("]}})";
}

// An OTLP explicit data point with bounds [100, 250, 500] (ms). A helper out here because moc
// misreads raw strings that end in a quote inside a class body.
std::string explicitMsPoint(Timestamp t, const std::string& count, const std::string& counts)
{
    return R"({"timeUnixNano":")" + nanosText(t) + R"(","count":")" + count + R"(","explicitBounds":[100,250,500],"bucketCounts":)" + counts
        + "}";
}

bool writeCache(const std::string& path, TelemetryBatch batch)
{
    auto writer = CacheWriter::open(path);
    return writer && (*writer)->write(std::move(batch), FetchRecord{0, "test", "series", "test"});
}

SloDefinition latencySlo(std::string metric, double thresholdSeconds)
{
    SloDefinition slo;
    slo.name = "latency";
    slo.kind = SloDefinition::Kind::Latency;
    slo.metric = std::move(metric);
    slo.thresholdSeconds = thresholdSeconds;
    return slo;
}

// 1000 requests a minute for 7 h from kT0 in an OTLP exponential histogram of service "api", each
// minute 600 in (0.25, 0.5], 370 in (0.5, 1], 30 in (1, 2]; the process restarts at minute 200
// (its counts start again from that minute's own 1000).
bool writeExponentialLatencyCache(const std::string& path)
{
    std::string points;
    int64_t base = 0;
    for (int m = 0; m <= 420; ++m) {
        if (m == 200)
            base = m - 1;
        const int64_t k = m - base;
        points += (m ? "," : "") + expPoint(kT0 + Duration::minutes(m), 600 * k, 370 * k, 30 * k);
    }
    return writeCache(path, parseOtlp(otlpDocument("http.server.request.duration", "exponentialHistogram", points)));
}

} // namespace

class TestSloHistograms : public QObject {
    Q_OBJECT

private slots:
    void fractionAbove_data()
    {
        QTest::addColumn<QString>("form"); // "exp", "explicit" (OTLP data point) or "native" (Prometheus histogram)
        QTest::addColumn<QByteArray>("point");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<double>("expected"); // fraction of observations slower than the threshold

        // Exponential, scale 1: base = 2^(2^-1) = √2. Offset -2 → buckets (√2^i, √2^(i+1)] for
        // i = -2..1: (0.5, 0.7071], (0.7071, 1], (1, 1.4142], (1.4142, 2] holding 4, 6, 8, 2; a
        // zero bucket of width 0 holding 5. Count 25.
        const QByteArray scale1 = QByteArray(R"({"timeUnixNano":"1795168800000000000","count":"25","sum":20,"scale":1,"zeroCount":"5",)"
                                              R"("positive":{"offset":-2,"bucketCounts":["4","6","8","2"]}})");
        // T = 1 is a boundary (√2^0): the zero bucket and the two buckets up to 1 are at or
        // below it, 5 + 4 + 6 = 15; the bucket (1, √2] starts at T and counts nothing.
        // Slower: 10 / 25 = 0.4.
        QTest::newRow("exp: threshold on a boundary") << "exp" << scale1 << 1.0 << 0.4;
        // T = 1.2 lies in (1, √2]: 15 + 8 × (1.2 − 1) / (√2 − 1) = 15 + 8 × 0.48284271 = 18.86274170.
        // Slower: (25 − 18.86274170) / 25 = 0.24549033.
        QTest::newRow("exp: interpolated in the bucket holding T") << "exp" << scale1 << 1.2 << (25 - (15 + 8 * 0.2 / (std::sqrt(2.0) - 1))) / 25;
        // T = 3 is above every bucket: all 25 are at or below it.
        QTest::newRow("exp: above every bucket") << "exp" << scale1 << 3.0 << 0.0;
        // T = 0.6 in (0.5, 0.7071]: 5 + 4 × 0.1 / (√2/2 − 0.5) = 5 + 4 × 0.48284271 = 6.93137085.
        QTest::newRow("exp: first positive bucket") << "exp" << scale1 << 0.6 << (25 - (5 + 4 * 0.1 / (std::sqrt(0.5) - 0.5))) / 25;

        // Zero bucket of width 0.25 holding 5, positive buckets at scale 0: (0.25, 0.5] 4,
        // (0.5, 1] 16. Count 25. No negative buckets, so the zero bucket starts at 0 (Prometheus):
        // T = 0.1 → 5 × 0.1 / 0.25 = 2 at or below; slower (25 − 2) / 25 = 0.92.
        const QByteArray zero = QByteArray(R"({"timeUnixNano":"1795168800000000000","count":"25","sum":10,"scale":0,"zeroCount":"5",)"
                                            R"("zeroThreshold":0.25,"positive":{"offset":-2,"bucketCounts":["4","16"]}})");
        QTest::newRow("exp: zero bucket, negative buckets absent") << "exp" << zero << 0.1 << 0.92;
        // The same with 3 observations in the negative bucket [-2, -1): the zero bucket now spans
        // (-0.25, 0.25]: 3 + 5 × (0.1 + 0.25) / 0.5 = 6.5 at or below of 28; slower 21.5 / 28.
        const QByteArray withNegative = QByteArray(R"({"timeUnixNano":"1795168800000000000","count":"28","sum":10,"scale":0,"zeroCount":"5",)"
                                                    R"("zeroThreshold":0.25,"positive":{"offset":-2,"bucketCounts":["4","16"]},)"
                                                    R"("negative":{"offset":0,"bucketCounts":["3"]}})");
        QTest::newRow("exp: zero bucket with negative buckets") << "exp" << withNegative << 0.1 << 21.5 / 28;

        // Explicit bounds [0.1, 0.25, 0.5, 1], counts 50, 30, 12, 6, 2 (count 100).
        const QByteArray expl = QByteArray(R"({"timeUnixNano":"1795168800000000000","count":"100","sum":20,)"
                                            R"("explicitBounds":[0.1,0.25,0.5,1],"bucketCounts":["50","30","12","6","2"]})");
        // On the boundary 0.25: 50 + 30 = 80 at or below; slower 0.2.
        QTest::newRow("explicit: threshold on a boundary") << "explicit" << expl << 0.25 << 0.2;
        // 0.3 in (0.25, 0.5]: 80 + 12 × 0.05 / 0.25 = 82.4; slower 0.176.
        QTest::newRow("explicit: interpolated") << "explicit" << expl << 0.3 << 0.176;
        // 0.05 in the first bucket (−Inf, 0.1], which starts at 0 when nothing is negative:
        // 50 × 0.05 / 0.1 = 25; slower 0.75.
        QTest::newRow("explicit: first bucket starts at 0") << "explicit" << expl << 0.05 << 0.75;
        // 2 in (1, +Inf): the infinite bucket contributes nothing from its inside: 98; slower 0.02.
        QTest::newRow("explicit: in the +Inf bucket") << "explicit" << expl << 2.0 << 0.02;

        // Prometheus native histogram (schema 0) from the API: zero bucket [-0.001, 0.001] 1,
        // (0.5, 1] 3, (1, 2] 5, (2, 4] 2; count 11. T = 1.5: 1 + 3 + 5 × 0.5 / 1 = 6.5 at or
        // below (the zero bucket starts at 0 and lies wholly below); slower 4.5 / 11.
        const QByteArray native = QByteArray(R"({"count":"11","sum":"17.5","buckets":[[3,"-0.001","0.001","1"],[0,"0.5","1","3"],)"
                                              R"([0,"1","2","5"],[0,"2","4","2"]]})");
        QTest::newRow("native: interpolated") << "native" << native << 1.5 << 4.5 / 11;
        // On the boundary 2: 1 + 3 + 5 = 9; slower 2 / 11.
        QTest::newRow("native: threshold on a boundary") << "native" << native << 2.0 << 2.0 / 11;
    }

    void fractionAbove()
    {
        QFETCH(QString, form);
        QFETCH(QByteArray, point);
        QFETCH(double, threshold);
        QFETCH(double, expected);
        const HistogramSample h = form == QLatin1String("native") ? prometheusPoint(point.toStdString())
                                                                  : otlpPoint(form == QLatin1String("exp") ? "exponentialHistogram" : "histogram",
                                                                              point.toStdString());
        const double got = rootline::fractionAbove(h, threshold);
        QVERIFY2(near(got, expected), qPrintable(QStringLiteral("got %1, expected %2").arg(got, 0, 'g', 12).arg(expected, 0, 'g', 12)));
    }

    void emptyHistogram()
    {
        HistogramSample h;
        h.count = 0;
        QVERIFY(std::isnan(rootline::fractionAbove(h, 1)));
        QCOMPARE(observationsAtOrBelow(h, 1), 0.0);
        // A NaN count (stored NULL) falls back to the buckets' sum.
        h.count = std::nan("");
        h.buckets = {{0, 1, 3}, {1, 2, 1}};
        QCOMPARE(observationCount(h), 4.0);
        QCOMPARE(observationsAtOrBelow(h, 1), 3.0);
    }

    void counterResets()
    {
        // Explicit bound [0.5], threshold 0.5: cumulative (fast, slow) per minute:
        // t0 (100, 0), t1 (190, 10), t2 (280, 20), t3 restart (45, 5), t4 (135, 15).
        // Increases: t0→t1 100 total / 90 good; t1→t2 100 / 90; t3 counts whole: 50 / 45;
        // t3→t4 100 / 90. Over (t0, t4]: 350 total, 315 good; over (t2, t3]: 50 / 45.
        std::vector<HistogramSample> rows;
        const std::pair<int, int> counts[] = {{100, 0}, {190, 10}, {280, 20}, {45, 5}, {135, 15}};
        for (int i = 0; i < 5; ++i) {
            HistogramSample h;
            h.time = kT0 + Duration::minutes(i);
            h.count = counts[i].first + counts[i].second;
            h.buckets = {{-INFINITY, 0.5, double(counts[i].first)}, {0.5, INFINITY, double(counts[i].second)}};
            rows.push_back(h);
        }
        std::swap(rows[1], rows[3]); // any order
        const LatencyCounters c = latencyCounters(rows, 0.5);
        QCOMPARE(c.resets, 1);
        QCOMPARE(c.rows, 5);
        QVERIFY(!c.looksDelta()); // one restart in four steps
        QCOMPARE(c.total.increase({kT0, kT0 + Duration::minutes(4)}), 350.0);
        QCOMPARE(c.good.increase({kT0, kT0 + Duration::minutes(4)}), 315.0);
        QCOMPARE(c.total.increase({kT0 + Duration::minutes(2), kT0 + Duration::minutes(3)}), 50.0);
        QCOMPARE(c.good.increase({kT0 + Duration::minutes(2), kT0 + Duration::minutes(3)}), 45.0);

        // Delta temporality read as cumulative: counts 10, 12, 9, 11, 8 — a "reset" in 2 of 4 steps.
        std::vector<HistogramSample> delta;
        for (int i = 0; i < 5; ++i) {
            const double n = std::vector<double>{10, 12, 9, 11, 8}[size_t(i)];
            delta.push_back({kT0 + Duration::minutes(i), n, 1, {{0, 1, n}}});
        }
        QVERIFY(latencyCounters(delta, 0.5).looksDelta());

        // A reset seen only in one bucket (the count grew, but the slow bucket shrank) is a reset too.
        HistogramSample a, b;
        a.count = 10;
        a.buckets = {{0, 1, 2}, {1, 2, 8}};
        b.count = 12;
        b.buckets = {{0, 1, 7}, {1, 2, 5}};
        QVERIFY(histogramReset(a, b));
        QVERIFY(!histogramReset(a, a));
    }

    void burnRateFromOtlpExponential()
    {
        // 1000 requests a minute for 7 h in an OTLP exponential histogram, each minute 600 in
        // (0.25, 0.5], 370 in (0.5, 1], 30 in (1, 2]. The process restarts at minute 200 (counts
        // start again from that minute's own 1000).
        // Threshold 1 s (a boundary): 3 % slower → burn 30x over 1 h and 5 m → the page rule fires.
        // Threshold 0.75 s: 600 + 370 × 0.25 / 0.5 = 785 fast → 21.5 % slower.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.rootline")).toStdString();
        QVERIFY(writeExponentialLatencyCache(path));
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        SloDefinition slo = latencySlo("http.server.request.duration", 1);
        slo.match = {{"service", "api"}};
        auto eval = SloEvaluator::load(**reader, slo);
        QVERIFY2(eval, eval ? "" : eval.error().message().c_str());
        const auto status = eval->evaluate(kT0 + Duration::hours(7));
        QVERIFY(near(status.rules[0].longWindow.errorRatio, 0.03));
        QCOMPARE(status.rules[0].longWindow.total, 60000.0);
        QVERIFY(near(status.rules[0].longWindow.burnRate, 30));
        QVERIFY(status.rules[0].firing);
        QVERIFY(status.firing);
        // Across the restart: minutes 190..210 saw 20 minutes of 1000 requests, not a negative jump.
        const auto across = eval->window(kT0 + Duration::minutes(210), Duration::minutes(20));
        QCOMPARE(across.total, 20000.0);
        QVERIFY(near(across.errorRatio, 0.03));
        QCOMPARE(status.series.size(), size_t(1));
        QVERIFY(!status.sources.empty());
        QVERIFY(QString::fromStdString(status.sources.front()).contains(QStringLiteral("native/OTLP histogram")));
        QVERIFY(QString::fromStdString(status.sources.front()).contains(QStringLiteral("1 counter resets")));

        slo.thresholdSeconds = 0.75;
        auto interpolated = SloEvaluator::load(**reader, slo);
        QVERIFY(interpolated);
        QVERIFY(near(interpolated->window(kT0 + Duration::hours(7), Duration::hours(1)).errorRatio, 0.215));

        // Rootline's own burn-rate alert comes from the histogram rows alone.
        slo.thresholdSeconds = 1;
        auto alerts = burnRateAlerts(**reader, {slo});
        QVERIFY(alerts);
        QCOMPARE(alerts->size(), size_t(1));
        QVERIFY(QString::fromStdString(alerts->front().annotations.front().second).contains(QStringLiteral("14.4x page fired")));
    }

    void investigationFromHistogramRows()
    {
        // The same cache with a latency SLO in the rules: Rootline's burn-rate alert fires from the
        // histogram rows, the investigation starts from it (a cache of histograms alone has data),
        // and the SLI step says how many requests were slow and where the SLI came from.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("inv.rootline")).toStdString();
        QVERIFY(writeExponentialLatencyCache(path));
        auto rules = CorrelationRules::parse("slos:\n  - name: api-latency\n    service: api\n    kind: latency\n"
                                             "    metric: http.server.request.duration\n    threshold: 1\n",
                                             "rules.yaml");
        QVERIFY2(rules, rules ? "" : rules.error().message().c_str());
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        auto alert = chooseAlert(**reader, "", &*rules);
        QVERIFY2(alert, alert ? "" : alert.error().message().c_str());
        QCOMPARE(alert->name, std::string("api-latency burn rate"));
        InvestigationOptions options;
        options.alert = *alert;
        options.rules = &*rules;
        auto inv = Investigation::start(**reader, options);
        QVERIFY2(inv, inv ? "" : inv.error().message().c_str());
        QVERIFY(inv->state().slo);
        const SloSummary& slo = *inv->state().slo;
        QVERIFY(slo.latency);
        QVERIFY(near(slo.errorRatioIncident, 0.03));
        QVERIFY(inv->advance(**reader));
        QVERIFY(inv->advance(**reader));
        const InvestigationStep& sli = inv->state().step(StepKind::Sli);
        QCOMPARE(sli.status, StepStatus::Done);
        QVERIFY2(QString::fromStdString(sli.summary).contains(QStringLiteral("3.00% of requests were slower than 1 s in the window")),
                 sli.summary.c_str());
        bool said = false;
        for (const auto& d : sli.details)
            said |= d.starts_with("SLI from native/OTLP histogram http.server.request.duration");
        QVERIFY(said);
        // The SLI's description survives a save and reload.
        auto reloaded = Investigation::fromJson(inv->toJson());
        QVERIFY(reloaded);
        QVERIFY(reloaded->state().slo->latency);
        QCOMPARE(reloaded->state().slo->sources, slo.sources);
        QCOMPARE(reloaded->state().slo->thresholdSeconds, 1.0);
    }

    void millisecondUnit()
    {
        // An OTLP explicit histogram recorded in ms: bounds [100, 250, 500], counts 70, 20, 6, 4 per
        // point. A 0.25 s threshold is 250 ms: 90 of 100 fast → 10 % slower.
        QCOMPARE(secondsInUnit(0.25, "ms"), 250.0);
        const std::string point0 = explicitMsPoint(kT0, "0", R"(["0","0","0","0"])");
        const std::string point1 = explicitMsPoint(kT0 + Duration::minutes(1), "100", R"(["70","20","6","4"])");
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ms.rootline")).toStdString();
        QVERIFY(writeCache(path, parseOtlp(otlpDocument("rpc.server.duration", "histogram", point0 + "," + point1, "ms"))));
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        auto eval = SloEvaluator::load(**reader, latencySlo("rpc.server.duration", 0.25));
        QVERIFY(eval);
        const auto w = eval->window(kT0 + Duration::minutes(1), Duration::minutes(1));
        QCOMPARE(w.total, 100.0);
        QVERIFY(near(w.errorRatio, 0.10));
    }

    void classicInterpolatedAndCountedOnce()
    {
        // Classic buckets per minute: le=0.25 800, le=0.5 970, le=+Inf 1000 (cumulative over le).
        // Threshold 0.3 lies between 0.25 and 0.5: w = 0.05 / 0.25 = 0.2, good = 0.8 × 800 +
        // 0.2 × 970 = 834 → 16.6 % slower. A second label set (route=/b) is stored both as classic
        // buckets and as native rows: it is counted once, from the native rows (100 a minute, all
        // in (0, 0.25]), so the window holds 1100 a minute: (166 + 0) / 1100 slower.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        {
            TelemetryBatch batch;
            auto res = makeResource({{"service.name", std::string("api")}});
            auto counter = [](double perMinute) {
                std::vector<Sample> out;
                for (int m = 0; m <= 60; ++m)
                    out.push_back({kT0 + Duration::minutes(m), perMinute * m});
                return out;
            };
            auto add = [&](const std::string& route, const std::string& le, double perMinute) {
                Series s;
                s.name = "http_request_duration_seconds_bucket";
                s.labels = {{"le", le}, {"route", route}};
                s.kind = MetricKind::Histogram;
                s.resource = res;
                batch.series.push_back({std::move(s), counter(perMinute), {}, {}});
            };
            add("/a", "0.25", 800);
            add("/a", "0.5", 970);
            add("/a", "+Inf", 1000);
            add("/b", "0.25", 100);
            add("/b", "+Inf", 100);
            Series native;
            native.name = "http_request_duration_seconds";
            native.labels = {{"route", "/b"}};
            native.kind = MetricKind::Histogram;
            native.resource = res;
            std::vector<HistogramSample> rows;
            for (int m = 0; m <= 60; ++m)
                rows.push_back({kT0 + Duration::minutes(m), 100.0 * m, 1, {{0, 0.25, 100.0 * m}}});
            batch.series.push_back({std::move(native), {}, std::move(rows), {}});
            QVERIFY(writeCache(path, std::move(batch)));
        }
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        SloDefinition slo = latencySlo("http_request_duration_seconds", 0.3);
        auto eval = SloEvaluator::load(**reader, slo);
        QVERIFY2(eval, eval ? "" : eval.error().message().c_str());
        const auto w = eval->window(kT0 + Duration::minutes(60), Duration::minutes(10));
        QCOMPARE(w.total, 11000.0);
        QVERIFY(near(w.errorRatio, 1660.0 / 11000));
        QString sources;
        for (const auto& s : eval->sources())
            sources += QString::fromStdString(s) + QLatin1Char('\n');
        QVERIFY2(sources.contains(QStringLiteral("interpolated between le=0.25 and le=0.5")), qPrintable(sources));
        QVERIFY2(sources.contains(QStringLiteral("counted once")), qPrintable(sources));

        // On a bound the classic path takes that bucket as it always did: 0.5 → 3 % of /a slower.
        slo.thresholdSeconds = 0.5;
        slo.match = {{"route", "/a"}};
        auto exact = SloEvaluator::load(**reader, slo);
        QVERIFY(exact);
        QVERIFY(near(exact->window(kT0 + Duration::minutes(60), Duration::minutes(10)).errorRatio, 0.03));
    }
};

QTEST_GUILESS_MAIN(TestSloHistograms)
#include "tst_slo_histograms.moc"
