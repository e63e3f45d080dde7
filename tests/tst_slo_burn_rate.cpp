// SLO maths against worked examples: counter increase across resets, error ratios, multi-window
// multi-burn-rate rules (which fire, which stay quiet), error budget left, onset, and SLIs found
// in a cache (availability by status label, latency from histogram buckets).

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/CorrelationRules.h"
#include "correlation/SloEvaluator.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace rootline;

namespace {
constexpr Timestamp kT0 = Timestamp::fromSeconds(1795168800); // 2026-11-20T10:00:00Z

// A counter sampled every minute for `minutes`, rising by rate(minute) per minute.
template <class Rate>
std::vector<Sample> counter(int minutes, Rate rate)
{
    std::vector<Sample> out;
    double v = 0;
    for (int m = 0; m <= minutes; ++m) {
        if (m > 0)
            v += rate(m);
        out.push_back({kT0 + Duration::minutes(m), v});
    }
    return out;
}

// Worked example: 1000 requests a minute for 8 h; from 7 h on, 20 of them fail (2 %, burn 20x).
SloEvaluator example()
{
    SloDefinition slo;
    slo.name = "api-availability";
    slo.objective = 0.999;
    CounterSet total, bad;
    total.add(CounterHistory(counter(480, [](int) { return 1000.0; })));
    bad.add(CounterHistory(counter(480, [](int m) { return m > 420 ? 20.0 : 0.0; })));
    return SloEvaluator(slo, std::move(total), std::move(bad));
}
} // namespace

class TestSloBurnRate : public QObject {
    Q_OBJECT

private slots:
    void counterResets()
    {
        // 0, 10, 20, then the process restarts (5), then 15: rises 10 + 10 + 5 + 10.
        CounterHistory h({{kT0, 0}, {kT0 + Duration::minutes(1), 10}, {kT0 + Duration::minutes(2), 20},
                          {kT0 + Duration::minutes(3), 5}, {kT0 + Duration::minutes(4), 15}});
        QCOMPARE(h.increase({kT0 - Duration::hours(1), kT0 + Duration::hours(1)}), 35.0);
        QCOMPARE(h.increase({kT0 + Duration::minutes(2), kT0 + Duration::minutes(4)}), 15.0);
        QCOMPARE(h.increase({kT0 + Duration::minutes(1), kT0 + Duration::minutes(2)}), 10.0);
        QCOMPARE(h.increase({kT0 + Duration::seconds(30), kT0 + Duration::seconds(50)}), 0.0); // no sample inside
        // NaN staleness markers are skipped; duplicate timestamps keep the last value.
        CounterHistory n({{kT0, 1}, {kT0 + Duration::minutes(1), std::nan("")}, {kT0 + Duration::minutes(2), 4},
                          {kT0 + Duration::minutes(2), 6}});
        QCOMPARE(n.increase({kT0, kT0 + Duration::minutes(5)}), 5.0);
    }

    void windows_data()
    {
        QTest::addColumn<int>("atMinute");
        QTest::addColumn<bool>("page1h");   // 14.4x over 1h and 5m
        QTest::addColumn<bool>("page6h");   // 6x over 6h and 30m
        QTest::addColumn<bool>("ticket3d"); // 1x over 3d and 6h
        QTest::addColumn<double>("burn1h");
        QTest::addColumn<double>("burn5m");
        // At 8 h: the last hour burned 20x (2 % / 0.1 %); 6 h saw 1200 of 360000 fail (3.33x); the
        // 3-day window only has the 8 h of data: 1200 of 480000 (2.5x).
        QTest::newRow("8h") << 480 << true << false << true << 20.0 << 20.0;
        // 10 min into the failure: the 5 m window burns 20x but the hour only 3.33x.
        QTest::newRow("7h10m") << 430 << false << false << false << 200.0 / 60000 / 0.001 << 20.0;
        // Before the failure nothing burns.
        QTest::newRow("6h") << 360 << false << false << false << 0.0 << 0.0;
    }

    void windows()
    {
        QFETCH(int, atMinute);
        QFETCH(bool, page1h);
        QFETCH(bool, page6h);
        QFETCH(bool, ticket3d);
        QFETCH(double, burn1h);
        QFETCH(double, burn5m);
        const auto status = example().evaluate(kT0 + Duration::minutes(atMinute));
        QCOMPARE(status.rules.size(), size_t(3));
        QCOMPARE(status.rules[0].firing, page1h);
        QCOMPARE(status.rules[1].firing, page6h);
        QCOMPARE(status.rules[2].firing, ticket3d);
        QCOMPARE(status.firing, page1h || page6h || ticket3d);
        QVERIFY(std::fabs(status.rules[0].longWindow.burnRate - burn1h) < 1e-9);
        QVERIFY(std::fabs(status.rules[0].shortWindow.burnRate - burn5m) < 1e-9);
        if (page1h)
            QVERIFY(QString::fromStdString(status.explanation()).contains(QStringLiteral("14.4x page fired: burn 20.0x over 1h and 20.0x over 5m")));
        else if (!status.firing)
            QCOMPARE(status.explanation(), std::string("no burn-rate window fired"));
    }

    void budget()
    {
        const auto status = example().evaluate(kT0 + Duration::hours(8));
        // 8 h of a 30-day period at 2.5x: 2.5 × 8/720 of the budget is gone.
        QCOMPARE(status.budgetWindow, Duration::hours(8));
        QVERIFY(std::fabs(status.budgetLeft - (1 - 2.5 * 8.0 / 720.0)) < 1e-9);
        QVERIFY(std::fabs(status.sli - (1 - 1200.0 / 480000.0)) < 1e-12);
        QVERIFY(std::fabs(status.rules[1].longWindow.burnRate - 1200.0 / 360000 / 0.001) < 1e-9);
        QVERIFY(std::fabs(status.rules[2].longWindow.burnRate - 2.5) < 1e-9);
    }

    void onset()
    {
        // The 3-day ticket rule fires first, 23 minutes in (20n > 420 + n and 20n > 360 → n = 23);
        // the 1-hour page rule at 44 minutes (20n / 60000 > 0.0144 → n = 44).
        const auto e = example();
        QCOMPARE(e.firstFiring({kT0, kT0 + Duration::hours(8)}, Duration::minutes(1)), std::optional(kT0 + Duration::minutes(443)));
        SloDefinition pageOnly;
        pageOnly.rules = {defaultBurnRateRules().front()};
        CounterSet total, bad;
        total.add(CounterHistory(counter(480, [](int) { return 1000.0; })));
        bad.add(CounterHistory(counter(480, [](int m) { return m > 420 ? 20.0 : 0.0; })));
        SloEvaluator page(pageOnly, std::move(total), std::move(bad));
        QCOMPARE(page.firstFiring({kT0, kT0 + Duration::hours(8)}, Duration::minutes(1)), std::optional(kT0 + Duration::minutes(464)));
    }

    void customWindows()
    {
        SloDefinition slo;
        slo.objective = 0.99; // 1 % budget: 2 % errors burn 2x
        slo.rules = {{1.5, Duration::minutes(30), Duration::minutes(5), "page"}};
        CounterSet total, bad;
        total.add(CounterHistory(counter(60, [](int) { return 100.0; })));
        bad.add(CounterHistory(counter(60, [](int) { return 2.0; })));
        const auto s = SloEvaluator(slo, std::move(total), std::move(bad)).evaluate(kT0 + Duration::minutes(60));
        QVERIFY(s.firing);
        QVERIFY(std::fabs(s.rules[0].longWindow.burnRate - 2.0) < 1e-9);
    }

    void fromRulesFile()
    {
        auto rules = CorrelationRules::parse(R"(
version: 1
slos:
  - name: checkout-availability
    service: checkout
    metric: http_server_requests_total
    match: {service: checkout, route: /PlaceOrder}
    error_label: status_class
    error_values: '5xx'
    objective: 0.995
    period: 28d
    windows:
      - {factor: 10, long: 2h, short: 10m, severity: page}
  - name: api-latency
    kind: latency
    metric: http_request_duration_seconds
    threshold: 0.25
)", "rules.yaml");
        QVERIFY2(rules, rules ? "" : rules.error().message().c_str());
        QCOMPARE(rules->slos.size(), size_t(2));
        const auto& a = rules->slos[0];
        QCOMPARE(a.kind, SloDefinition::Kind::Availability);
        QCOMPARE(a.objective, 0.995);
        QCOMPARE(a.period, Duration::hours(24 * 28));
        QCOMPARE(a.match.size(), size_t(2));
        QCOMPARE(a.errorLabel, std::string("status_class"));
        QCOMPARE(a.rules.size(), size_t(1));
        QCOMPARE(a.rules[0].factor, 10.0);
        QCOMPARE(a.rules[0].longWindow, Duration::hours(2));
        QCOMPARE(a.rules[0].shortWindow, Duration::minutes(10));
        const auto& l = rules->slos[1];
        QCOMPARE(l.kind, SloDefinition::Kind::Latency);
        QCOMPARE(l.thresholdSeconds, 0.25);
        QCOMPARE(l.objective, 0.999);       // the default
        QCOMPARE(l.rules.size(), size_t(3)); // the SRE workbook's three
        auto bad = CorrelationRules::parse("slos:\n  - name: x\n    metric: m\n    windows:\n      - {factor: 2, long: 5m, short: 1h}\n", "r.yaml");
        QVERIFY(!bad);
        QVERIFY(QString::fromStdString(bad.error().what).contains(QStringLiteral("short < long")));
    }

    void fromCache()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("slo.rootline")).toStdString();
        {
            auto writer = CacheWriter::open(path);
            QVERIFY(writer);
            TelemetryBatch batch;
            auto res = makeResource({{"service.name", std::string("api")}});
            auto add = [&](std::string name, std::vector<std::pair<std::string, std::string>> labels, std::vector<Sample> samples) {
                Series s;
                s.name = std::move(name);
                s.labels = std::move(labels);
                s.kind = MetricKind::Counter;
                s.resource = res;
                batch.series.push_back({std::move(s), std::move(samples), {}, {}});
            };
            // Availability: 1000/min with code="200" (990) and code="503" (10) → 1 % errors.
            add("http_requests_total", {{"code", "200"}}, counter(420, [](int) { return 990.0; }));
            add("http_requests_total", {{"code", "503"}}, counter(420, [](int) { return 10.0; }));
            // Latency: 1000/min, 970 under 0.5 s → 3 % too slow.
            add("http_request_duration_seconds_bucket", {{"le", "0.5"}}, counter(420, [](int) { return 970.0; }));
            add("http_request_duration_seconds_bucket", {{"le", "+Inf"}}, counter(420, [](int) { return 1000.0; }));
            QVERIFY((*writer)->write(std::move(batch), FetchRecord{0, "test", "series", "q"}));
        }
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        auto detected = detectSlos(**reader);
        QVERIFY(detected);
        QCOMPARE(detected->size(), size_t(1));
        QCOMPARE(detected->front().name, std::string("api-availability"));
        auto availability = SloEvaluator::load(**reader, detected->front());
        QVERIFY2(availability, availability ? "" : availability.error().message().c_str());
        const auto a = availability->window(kT0 + Duration::hours(7), Duration::hours(1));
        QCOMPARE(a.total, 60000.0);
        QVERIFY(std::fabs(a.errorRatio - 0.01) < 1e-12);
        QVERIFY(std::fabs(a.burnRate - 10) < 1e-9);

        SloDefinition latency;
        latency.name = "api-latency";
        latency.kind = SloDefinition::Kind::Latency;
        latency.metric = "http_request_duration_seconds";
        latency.thresholdSeconds = 0.5;
        auto lat = SloEvaluator::load(**reader, latency);
        QVERIFY2(lat, lat ? "" : lat.error().message().c_str());
        const auto status = lat->evaluate(kT0 + Duration::hours(7));
        QVERIFY(std::fabs(status.rules[0].longWindow.errorRatio - 0.03) < 1e-12);
        QVERIFY(status.rules[0].firing); // 30x > 14.4x over 1 h and 5 m
        QVERIFY(status.rules[1].firing); // 30x > 6x over 6 h and 30 m

        SloDefinition missing = latency;
        missing.metric = "nope";
        auto none = SloEvaluator::load(**reader, missing);
        QVERIFY(!none);
        QVERIFY(QString::fromStdString(none.error().what).contains(QStringLiteral("no series")));

        auto alerts = burnRateAlerts(**reader, *detected);
        QVERIFY(alerts);
        QCOMPARE(alerts->size(), size_t(1)); // 10x: the 6 h window fires (> 6x), the 1 h one does not
        QCOMPARE(alerts->front().source, std::string("rootline burn-rate"));
        QVERIFY(QString::fromStdString(alerts->front().annotations.front().second).contains(QStringLiteral("6x page fired")));
    }
};

QTEST_GUILESS_MAIN(TestSloBurnRate)
#include "tst_slo_burn_rate.moc"
