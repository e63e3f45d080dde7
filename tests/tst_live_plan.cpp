// The live investigation's plan, without servers (issue 11 items 1–3): the series behind an
// alert's expression, the exact query of every planned fetch, the services the log counts
// implicate, and Alertmanager's alerts with silenced and inhibited ones marked.

#include "alertmanager/AlertmanagerConnector.h"
#include "live/LivePlan.h"

#include <QTest>

using namespace rootline;
using namespace Qt::StringLiterals;

namespace {

Source source(std::string name, SourceType type, std::string url)
{
    Source s;
    s.name = std::move(name);
    s.type = type;
    s.url = std::move(url);
    return s;
}

std::vector<Source> sources()
{
    return {source("prom", SourceType::Prometheus, "http://127.0.0.1:9090"), source("am", SourceType::Alertmanager, "http://127.0.0.1:9093"),
            source("loki", SourceType::Loki, "http://127.0.0.1:3100"), source("jaeger", SourceType::Jaeger, "http://127.0.0.1:16686"),
            source("aws", SourceType::CloudWatch, "")};
}

const Timestamp kActive = Timestamp::fromSeconds(1795000000);

LiveTarget burnTarget()
{
    Alert a;
    a.name = "CheckoutErrorBudgetBurn";
    a.labels = {{"alertname", "CheckoutErrorBudgetBurn"}, {"service", "checkout"}, {"severity", "page"}};
    a.annotations = {{"rule_expr", "(sum(rate(checkout_requests_total{code=\"500\"}[1m])) / sum(rate(checkout_requests_total[1m]))) > (14.4 * 0.001)\n"
                                   "and\n(sum(rate(checkout_requests_total{code=\"500\"}[5s])) / sum(rate(checkout_requests_total[5s]))) > (14.4 * 0.001)\n"}};
    a.activeSince = kActive;
    a.source = "prometheus:prom";
    LiveTarget t;
    t.alert = a;
    t.service = "checkout";
    t.window = liveAlertWindow(a, kActive + Duration::minutes(3));
    t.baseline = liveBaseline(t.window);
    return t;
}

// "step source kind query [from, to) limit" for each fetch: what the plan says, in one line each.
QStringList lines(const std::vector<LiveFetch>& fetches, const LiveTarget& t)
{
    QStringList out;
    for (const auto& f : fetches) {
        auto when = [&](Timestamp x) -> QString {
            const Duration d = x - t.window.from;
            return QString::number(d.count() / 1000000000) + QLatin1Char('s');
        };
        out << u"%1 %2 %3 %4 [%5, %6) limit %7"_s
                   .arg(QString::fromLatin1(stepName(f.step)), QString::fromStdString(f.source.name),
                        QString::fromLatin1(fetchKindName(f.request.kind)), QString::fromStdString(f.request.provenanceQuery()),
                        when(f.request.window.from), when(f.request.window.to))
                   .arg(f.request.limit);
    }
    return out;
}

} // namespace

class TestLivePlan : public QObject {
    Q_OBJECT
private slots:
    void metricSelectors_data()
    {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<QStringList>("selectors");
        QTest::newRow("burn rate: one counter, the code matcher not shared")
            << u"(sum(rate(checkout_requests_total{code=\"500\"}[1m])) / sum(rate(checkout_requests_total[1m]))) > (14.4 * 0.001)"_s
            << QStringList{u"checkout_requests_total"_s};
        QTest::newRow("shared matchers kept")
            << u"sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m])) / sum(rate(http_requests_total{job=\"api\"}[5m]))"_s
            << QStringList{u"http_requests_total{job=\"api\"}"_s};
        QTest::newRow("histogram quantile, grouping labels are not metrics")
            << u"histogram_quantile(0.95, sum by (le, service) (rate(request_duration_seconds_bucket{service=\"checkout\"}[5m]))) > 0.5"_s
            << QStringList{u"request_duration_seconds_bucket{service=\"checkout\"}"_s};
        QTest::newRow("two metrics, offset, on(), a comma inside a matcher")
            << u"errors_total{a=~\"x,y\"} / on(instance) group_left requests_total offset 5m > 1e-3"_s
            << QStringList{u"errors_total{a=~\"x,y\"}"_s, u"requests_total"_s};
        QTest::newRow("no name, no selector") << "vector(1) > 0" << QStringList{};
    }
    void metricSelectors()
    {
        QFETCH(QString, expr);
        QFETCH(QStringList, selectors);
        QStringList got;
        for (const auto& s : rootline::metricSelectors(expr.toStdString()))
            got << QString::fromStdString(s);
        QCOMPARE(got, selectors);
    }

    void windowsFollowTheInvestigation()
    {
        Alert a;
        a.activeSince = kActive;
        const TimeWindow w = liveAlertWindow(a, kActive + Duration::minutes(3));
        QCOMPARE(w.from, kActive - Duration::minutes(5));
        QCOMPARE(w.to, kActive + Duration::minutes(3) + Duration::nanos(1)); // not beyond now
        const TimeWindow b = liveBaseline(w);
        QCOMPARE(b.to, w.from - Duration::minutes(5));
        QCOMPARE(b.length(), Duration::minutes(30));
    }

    void firstStepsAskAggregatesAndTheSli()
    {
        const LiveTarget t = burnTarget();
        const LiveBudget budget;
        QStringList got = lines(planAlertFetches(sources(), kActive), t);
        got << lines(planSliFetches(t, sources(), budget), t) << lines(planLogCountFetches(t, sources(), budget), t);
        const QStringList expected{
            u"alert prom alerts  [240s, 300s) limit 0"_s,
            u"alert am alerts  [240s, 300s) limit 0"_s,
            u"alert aws alerts  [240s, 300s) limit 0"_s,
            u"sli prom series checkout_requests_total [-2100s, 480s) limit 0"_s,
            u"sli prom exemplars checkout_requests_total [0s, 480s) limit 0"_s,
            u"logs loki series sum by (service_name, level) (count_over_time({service_name=~\".+\"}[1m])) [-2100s, 480s) limit 0"_s,
        };
        QCOMPARE(got, expected);
        // The log counts have a one-minute step; every fetch's responses are capped at the budget.
        const auto counts = planLogCountFetches(t, sources(), budget);
        QCOMPARE(counts.at(0).request.step.value(), Duration::minutes(1));
        QCOMPARE(counts.at(0).source.options.maxResponseBytes.value(), budget.maxBytes);
    }

    void laterStepsFollowWhatEarlierOnesFound()
    {
        const LiveTarget t = burnTarget();
        LiveBudget budget;
        budget.logLines = 300;
        const TraceId exemplar = *parseTraceId("5b8efff798038103d269b633813fc60c");
        QStringList got = lines(planLogLineFetches(t, sources(), {"checkout", "payment"}, budget), t);
        got << lines(planTraceFetches(t, sources(), {"payment"}, {exemplar}, budget), t);
        got << lines(planSpanFetches(sources(), exemplar, t.window, budget), t);
        got << lines(planTraceLogFetches(sources(), exemplar, {t.window.from + Duration::seconds(100), t.window.from + Duration::seconds(102)}, budget), t);
        const QStringList expected{
            u"logs loki logs {service_name=\"checkout\", level=~\"error|warn|warning|fatal|critical\"} [0s, 480s) limit 300"_s,
            u"logs loki logs {service_name=\"payment\", level=~\"error|warn|warning|fatal|critical\"} [0s, 480s) limit 300"_s,
            u"traces jaeger traces service=payment error=true [0s, 480s) limit 20"_s,
            u"traces jaeger traces service=payment minDuration=500ms [0s, 480s) limit 20"_s,
            u"traces jaeger traces service=payment [-2100s, -300s) limit 10"_s,
            u"traces jaeger trace trace:5b8efff798038103d269b633813fc60c [0s, 480s) limit 0"_s,
            // X-Ray: the same terms, failing meaning a server fault
            u"traces aws traces service=payment fault=true [0s, 480s) limit 20"_s,
            u"traces aws traces service=payment minDuration=500ms [0s, 480s) limit 20"_s,
            u"traces aws traces service=payment [-2100s, -300s) limit 10"_s,
            u"traces aws trace trace:5b8efff798038103d269b633813fc60c [0s, 480s) limit 0"_s,
            u"span jaeger trace trace:5b8efff798038103d269b633813fc60c [0s, 480s) limit 0"_s,
            u"span aws trace trace:5b8efff798038103d269b633813fc60c [0s, 480s) limit 0"_s,
            u"trace-logs loki logs {service_name=~\".+\"} |= \"5b8efff798038103d269b633813fc60c\" [40s, 162s) limit 500"_s,
        };
        QCOMPARE(got, expected);
    }

    void confirmationOnlyAfterTheFix()
    {
        LiveTarget t = burnTarget();
        QVERIFY(planConfirmationFetches(t, sources(), kActive + Duration::minutes(30), {}).empty());
        t.confirmAfter = kActive + Duration::minutes(20);
        QVERIFY(planConfirmationFetches(t, sources(), kActive + Duration::minutes(10), {}).empty()); // still to come
        const auto c = planConfirmationFetches(t, sources(), kActive + Duration::minutes(30), {});
        QCOMPARE(c.size(), size_t(1));
        QCOMPARE(c[0].request.query, std::string("checkout_requests_total"));
        QCOMPARE(c[0].request.window.from, kActive + Duration::minutes(20));
        QCOMPARE(c[0].request.window.to, kActive + Duration::minutes(28) + Duration::nanos(1)); // the window's length
    }

    void serviceTargetHasNoSli()
    {
        LiveTarget t;
        t.service = "payment";
        t.window = {kActive, kActive + Duration::minutes(10)};
        t.baseline = liveBaseline(t.window);
        QVERIFY(planSliFetches(t, sources(), {}).empty());
        QCOMPARE(planLogCountFetches(t, sources(), {}).size(), size_t(1));
    }

    void implicatedServices()
    {
        const LiveTarget t = burnTarget(); // window 8 min, baseline 30 min
        const std::vector<LevelCount> counts{
            {"checkout", "error", 12, 0},   // the alert's own service comes first anyway
            {"payment", "error", 300, 10},  // a spike
            {"payment", "info", 5000, 9000},
            {"search", "warn", 40, 150},    // the usual: 40 in 8 min vs 150 in 30 min
            {"cart", "info", 900, 0},       // not trouble
            {"ledger", "ERROR", 30, 0},     // any case
        };
        const auto got = rootline::implicatedServices(counts, t, 3);
        QCOMPARE(got, (std::vector<std::string>{"checkout", "payment", "ledger"}));
        QCOMPARE(rootline::implicatedServices(counts, t, 1), std::vector<std::string>{"checkout"});
    }

    void alertmanagerAlerts()
    {
        const std::string body = "["
"          {\"annotations\":{\"summary\":\"checkout burning\"},\"endsAt\":\"2026-11-20T15:00:00.000Z\",\"fingerprint\":\"a1\","
"           \"receivers\":[{\"name\":\"null\"}],\"startsAt\":\"2026-11-20T14:46:05.123Z\","
"           \"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"},\"updatedAt\":\"2026-11-20T14:46:06Z\","
"           \"generatorURL\":\"http://prom:9090/graph?g0.expr=sum%28rate%28x_total%7Bcode%3D%22500%22%7D%5B1m%5D%29%29+%3E+0&g0.tab=1\","
"           \"labels\":{\"alertname\":\"CheckoutBurn\",\"service\":\"checkout\"}},"
"          {\"annotations\":{},\"startsAt\":\"2026-11-20T14:40:00Z\",\"fingerprint\":\"b2\",\"receivers\":[],"
"           \"status\":{\"inhibitedBy\":[\"a1\"],\"silencedBy\":[\"s-1\",\"s-2\"],\"state\":\"suppressed\"},"
"           \"labels\":{\"alertname\":\"PaymentSlow\"}}]";
        auto alerts = decodeAlertmanagerAlerts(body, "alertmanager am /api/v2/alerts", "alertmanager:am");
        QVERIFY2(alerts.ok(), alerts.ok() ? "" : alerts.error().message().c_str());
        QCOMPARE(alerts->size(), size_t(2));
        const Alert& burn = (*alerts)[0];
        QCOMPARE(burn.name, std::string("CheckoutBurn"));
        QCOMPARE(burn.state, AlertState::Firing);
        QCOMPARE(burn.activeSince, *parseRfc3339("2026-11-20T14:46:05.123Z"));
        QCOMPARE(burn.source, std::string("alertmanager:am"));
        QCOMPARE(alertExpression(burn), std::string("sum(rate(x_total{code=\"500\"}[1m])) > 0"));
        auto annotation = [](const Alert& a, const std::string& key) {
            for (const auto& [k, v] : a.annotations)
                if (k == key)
                    return v;
            return std::string("(none)");
        };
        QCOMPARE(annotation(burn, "alertmanager_state"), std::string("active"));
        QCOMPARE(annotation(burn, "silenced_by"), std::string("(none)"));
        const Alert& slow = (*alerts)[1];
        QCOMPARE(annotation(slow, "alertmanager_state"), std::string("suppressed"));
        QCOMPARE(annotation(slow, "silenced_by"), std::string("s-1,s-2"));
        QCOMPARE(annotation(slow, "inhibited_by"), std::string("a1"));
        QCOMPARE(alertExpression(slow), std::string());

        auto bad = decodeAlertmanagerAlerts("{\"status\":\"success\"}", "alertmanager am /api/v2/alerts", "alertmanager:am");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().where, std::string("alertmanager am /api/v2/alerts"));
    }
};

QTEST_GUILESS_MAIN(TestLivePlan)
#include "tst_live_plan.moc"
