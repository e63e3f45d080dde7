// Cause or symptom without a connecting trace (issue 15), piece by piece: the pairwise evidence of
// CausalOrder on hand-written signals, when a series departs from its baseline, when a log
// template's trouble starts and how precisely, which messages name which service, and the
// topology's paths. The whole ranking on generated incidents is tst_rootcause_traceless.

#include "correlation/CausalOrder.h"
#include "correlation/SeriesOnset.h"
#include "correlation/ServiceMentions.h"
#include "correlation/ServiceTopology.h"
#include "correlation/TemplateOnset.h"

#include <QTest>

#include <cmath>

using namespace rootline;

namespace {
constexpr Timestamp kT0 = Timestamp::fromSeconds(1795168800); // 2026-11-20T10:00:00Z
constexpr Timestamp kFault = kT0 + Duration::minutes(45);

// A signal whose log trouble starts `afterMs` after the fault, known to within `resolutionMs`.
ServiceSignal logSignal(const char* service, int64_t afterMs, int64_t resolutionMs, const char* message)
{
    ServiceSignal s;
    s.service = service;
    s.logOnset = ServiceOnset{kFault + Duration::millis(afterMs), Duration::millis(resolutionMs), "a new error template"};
    s.messages = {message};
    return s;
}

ServiceMentions namesOf(std::initializer_list<const char*> services)
{
    ServiceMentions m;
    for (const char* s : services)
        m.addName(s, s);
    return m;
}

// Samples every 15 s over [10:00, 11:00): `before` until the fault, `after` from it on. A counter
// grows at that rate per second; its sample at t counts the 15 s that end at t.
std::vector<Sample> stepSeries(double before, double after, double noise = 0, bool counter = false)
{
    std::vector<Sample> out;
    double total = 0;
    int k = 0;
    for (Timestamp t = kT0; t < kT0 + Duration::minutes(60); t = t + Duration::seconds(15), ++k) {
        const Timestamp from = counter ? t - Duration::seconds(15) : t;
        const double v = (from >= kFault ? after : before) + noise * ((k % 3) - 1);
        total += v * 15;
        out.push_back({t, counter ? total : v});
    }
    return out;
}
const TimeWindow kBaseline{kT0, kT0 + Duration::minutes(40)};
const TimeWindow kIncident{kFault, kT0 + Duration::minutes(60)};
} // namespace

class TestCausalOrder : public QObject {
    Q_OBJECT

private slots:
    // The worker fails first and the API names it: the API is the symptom, fully.
    void wordsAndPrecedenceSettleIt()
    {
        const auto order = CausalOrder::order({logSignal("notification", 0, 2000, "SMTP connection refused by 10.0.3.7:25"),
                                               logSignal("accounts", 30000, 2000, "could not confirm email: no acknowledgement from notification")},
                                              ServiceTopology(), namesOf({"notification", "accounts"}));
        QCOMPARE(order.strength("accounts", "notification"), 1.0);
        QCOMPARE(order.strength("notification", "accounts"), 0.0);
        QCOMPARE(order.role("accounts").symptomOf, std::string("notification"));
        QCOMPARE(order.role("notification").explains, std::vector<std::string>{"accounts"});
        QCOMPARE(order.role("notification").asSymptom, 0.0);
        QVERIFY(order.role("notification").first);
        const auto& reasons = order.role("accounts").symptomReasons;
        QCOMPARE(reasons.size(), size_t(2));
        QVERIFY2(reasons[0].find("name notification") != std::string::npos, reasons[0].c_str());
        QVERIFY2(reasons[1].find("30 s before") != std::string::npos, reasons[1].c_str());
    }

    // Timing alone links nothing: two faults a minute apart may be unrelated. The earlier one is
    // said to be first, and neither is made the other's symptom.
    void precedenceAloneIsNoLink()
    {
        const auto order = CausalOrder::order({logSignal("search", 0, 2000, "index read-only"), logSignal("notification", 60000, 2000, "SMTP refused")},
                                              ServiceTopology(), namesOf({"notification", "search"}));
        QCOMPARE(order.strength("notification", "search"), 0.0);
        QCOMPARE(order.strength("search", "notification"), 0.0);
        QVERIFY(order.role("search").first);
        QVERIFY(!order.role("notification").first);
        // The later one says it started after, unlinked: not a symptom, not hidden.
        QVERIFY2(order.role("notification").afterText.find("notification's trouble started 60 s after search's, with nothing linking the two") == 0,
                 order.role("notification").afterText.c_str());
        QVERIFY(order.role("search").afterText.empty());
        QVERIFY2(order.role("search").firstText.find("1.0 min") != std::string::npos
                     || order.role("search").firstText.find("60 s") != std::string::npos,
                 order.role("search").firstText.c_str());
    }

    // A lead inside what the data can resolve orders nothing; the link stays half settled by the
    // words alone, and the tie text says why timing did not help.
    void leadInsideResolutionIsNeutral()
    {
        const auto order = CausalOrder::order({logSignal("ledger", 0, 2000, "No space left on device"),
                                               logSignal("billing", 300, 2000, "giving up on ledger after 3 attempts")},
                                              ServiceTopology(), namesOf({"ledger", "billing"}));
        QCOMPARE(order.strength("billing", "ledger"), 0.5);
        for (const auto& r : order.role("billing").symptomReasons)
            QVERIFY2(r.find("before") == std::string::npos, r.c_str());
        QVERIFY(!order.role("ledger").first);
    }

    // Evidence that points the other way cancels: the named service started 30 s later.
    void counterEvidenceCancels()
    {
        const auto order = CausalOrder::order({logSignal("accounts", 0, 2000, "no acknowledgement from notification"),
                                               logSignal("notification", 30000, 2000, "SMTP connection refused")},
                                              ServiceTopology(), namesOf({"notification", "accounts"}));
        QCOMPARE(order.strength("accounts", "notification"), 0.0);
        QCOMPARE(order.strength("notification", "accounts"), 0.0); // words against, precedence for: net 0
    }

    // Topology: a caller failing with its callee is the symptom, directly or through others;
    // a dependency learned only through others counts less.
    void topologyDirectAndTransitive()
    {
        ServiceTopology topology;
        topology.addEdge("storefront", "billing", "traces (40 calls)");
        topology.addEdge("billing", "ledger", "traces (40 calls)");
        const auto order = CausalOrder::order({logSignal("storefront", 0, 1000, "GET /invoice 502"), logSignal("billing", 0, 2000, "503"),
                                               logSignal("ledger", 0, 2000, "No space left on device")},
                                              topology, ServiceMentions());
        QCOMPARE(order.strength("billing", "ledger"), 0.5);
        QCOMPARE(order.strength("ledger", "billing"), 0.0);
        QCOMPARE(order.strength("storefront", "billing"), 0.5);
        QVERIFY(std::fabs(order.strength("storefront", "ledger") - 0.4) < 1e-9);
        QVERIFY2(order.role("billing").symptomReasons.front().find("billing calls ledger (known from traces") == 0,
                 order.role("billing").symptomReasons.front().c_str());
    }

    // A message that blames a dependency without naming it counts beside a known edge.
    void blamingADependencyAddsToTopology()
    {
        ServiceTopology topology;
        topology.addEdge("api", "worker", "the service-graph metric traces_service_graph_request_total");
        const auto order = CausalOrder::order({logSignal("api", 0, 2000, "upstream returned 503"), logSignal("worker", 0, 2000, "disk full")},
                                              topology, ServiceMentions());
        QCOMPARE(order.strength("api", "worker"), 0.75);
    }

    // Metrics: the series that moved a scrape or more earlier, alone, adds half a vote.
    void metricsMoveFirst()
    {
        ServiceTopology topology;
        topology.addEdge("orders", "fulfillment", "the service-graph metric traces_service_graph_request_total");
        ServiceSignal orders{"orders", std::nullopt, ServiceOnset{kFault + Duration::seconds(30), Duration::seconds(15), "orders_pending"}, {}};
        ServiceSignal fulfillment{"fulfillment", std::nullopt, ServiceOnset{kFault, Duration::seconds(15), "busy_ratio"}, {}};
        const auto order = CausalOrder::order({orders, fulfillment}, topology, ServiceMentions());
        // topology +1, metrics +0.5; the 30 s lead is only one tolerance (2 × 15 s): precedence 0.
        QCOMPARE(order.strength("orders", "fulfillment"), 0.75);
        bool metricReason = false;
        for (const auto& r : order.role("orders").symptomReasons)
            metricReason |= r.find("busy_ratio moved first, alone for 30 s") != std::string::npos;
        QVERIFY(metricReason);
    }

    // Nothing separates two simultaneous, unlinked faults: the tie text says what was looked at
    // and what would separate them.
    void tieTextNamesWhatWouldSeparate()
    {
        const auto order = CausalOrder::order({logSignal("notification", 0, 2000, "SMTP refused"), logSignal("search", 800, 2000, "read-only index")},
                                              ServiceTopology(), namesOf({"notification", "search"}));
        const std::string text = order.tieText("notification", "search");
        QVERIFY2(text.find("equally likely as search") == 0, text.c_str());
        for (const char* part : {"neither names the other", "no known dependency links them", "within 800 ms", "trace", "longer window"})
            QVERIFY2(text.find(part) != std::string::npos, part);
    }

    void seriesDeparture_data()
    {
        QTest::addColumn<double>("before");
        QTest::addColumn<double>("after");
        QTest::addColumn<double>("noise");
        QTest::addColumn<bool>("counter");
        QTest::addColumn<bool>("departs");
        QTest::addColumn<int>("onsetSecondsAfterFault");
        QTest::newRow("errors from none") << 0.0 << 2.0 << 0.0 << true << true << 15; // a rate shows at the next sample
        QTest::newRow("busy ratio saturates") << 0.35 << 1.0 << 0.02 << false << true << 0;
        QTest::newRow("queue depth grows") << 40.0 << 2000.0 << 5.0 << false << true << 0;
        QTest::newRow("within the noise") << 40.0 << 48.0 << 10.0 << false << false << 0;
        QTest::newRow("a little more traffic") << 10.0 << 11.0 << 0.5 << true << false << 0;
    }
    void seriesDeparture()
    {
        QFETCH(double, before);
        QFETCH(double, after);
        QFETCH(double, noise);
        QFETCH(bool, counter);
        QFETCH(bool, departs);
        QFETCH(int, onsetSecondsAfterFault);
        const auto d = rootline::seriesDeparture(stepSeries(before, after, noise, counter), counter, kBaseline, kIncident);
        QCOMPARE(d.has_value(), departs);
        if (!d)
            return;
        QCOMPARE(d->onset, kFault + Duration::seconds(onsetSecondsAfterFault));
        QCOMPARE(d->resolution, Duration::seconds(15));
        QVERIFY(d->strength >= 0.5);
    }

    // One high scrape is not an onset; a counter reset in the baseline is not a departure.
    void seriesDepartureIgnoresBlipsAndResets()
    {
        auto blip = stepSeries(40, 40, 1);
        blip[size_t((kFault - kT0).count() / Duration::seconds(15).count()) + 4].value = 5000;
        QVERIFY(!rootline::seriesDeparture(blip, false, kBaseline, kIncident));
        auto reset = stepSeries(1, 1, 0, true);
        for (size_t i = 40; i < reset.size(); ++i)
            reset[i].value -= reset[39].value; // the process restarted at sample 40
        QVERIFY(!rootline::seriesDeparture(reset, true, kBaseline, kIncident));
    }

    void templateOnset_data()
    {
        QTest::addColumn<QList<qint64>>("msAfterFault");
        QTest::addColumn<double>("baselinePerMinute");
        QTest::addColumn<qint64>("onsetMs");
        QTest::addColumn<qint64>("resolutionMs");
        // A stray line ten minutes early has no company within a minute: the onset is the run's start.
        QTest::newRow("stray line first") << QList<qint64>{-600000, 412, 2412, 4412, 6412} << 0.0 << qint64(412) << qint64(2000);
        // Whole-second timestamps: known to a second at best, even if lines come faster.
        QTest::newRow("whole seconds") << QList<qint64>{1000, 1000, 2000, 2000, 3000} << 0.0 << qint64(1000) << qint64(1000);
        // A template already seen twice a minute starts when a minute holds clearly more.
        QTest::newRow("spike over a baseline") << QList<qint64>{-50000, -20000, 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000}
                                                << 2.0 << qint64(0) << qint64(1000);
    }
    void templateOnset()
    {
        QFETCH(QList<qint64>, msAfterFault);
        QFETCH(double, baselinePerMinute);
        QFETCH(qint64, onsetMs);
        QFETCH(qint64, resolutionMs);
        std::vector<int64_t> times;
        for (qint64 ms : msAfterFault)
            times.push_back((kFault + Duration::millis(ms)).nanos());
        const auto onset = rootline::templateOnset(times, baselinePerMinute, "t");
        QVERIFY(onset);
        QCOMPARE(onset->time, kFault + Duration::millis(onsetMs));
        QCOMPARE(onset->resolution, Duration::millis(resolutionMs));
        QVERIFY(!rootline::templateOnset({kFault.nanos()}, 0, "t")); // one line is no onset
    }

    void mentions_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("named");
        QTest::newRow("service name") << "no acknowledgement from notification within 30s" << "notification";
        QTest::newRow("a longer name is another thing") << "POST payment-gateway /v1/charges timed out" << "";
        QTest::newRow("pod and port") << "retrying AppendEntry on ledger-6c9-1:7001 after 503" << "ledger";
        QTest::newRow("case and punctuation") << "Upstream BILLING returned 503." << "billing";
        QTest::newRow("its own name") << "accounts: signup failed" << "";
        QTest::newRow("a shared node names nobody") << "connection reset by node-1" << "";
        QTest::newRow("a port only one service listens on") << "dial tcp 10.9.9.9:7001: connect: connection refused" << "ledger";
    }
    void mentions()
    {
        QFETCH(QString, message);
        QFETCH(QString, named);
        ServiceMentions m = namesOf({"notification", "payment", "billing", "accounts"});
        m.addName("ledger", "ledger-6c9-1");
        m.addName("ledger", ":7001");
        m.addName("api", "api"); // too short to be evidence: never matches
        const auto found = m.named(message.toStdString(), "accounts");
        if (named.isEmpty()) {
            QVERIFY2(found.empty(), found.empty() ? "" : found.front().first.c_str());
        } else {
            QCOMPARE(found.size(), size_t(1));
            QCOMPARE(QString::fromStdString(found.front().first), named);
        }
    }

    void pointsAwayWords()
    {
        QVERIFY(pointsAway("upstream billing returned 503"));
        QVERIFY(pointsAway("could not confirm welcome email"));
        QVERIFY(!pointsAway("No space left on device"));
    }

    // The path is found breadth first with a queue: a 100,000-service chain is data, not stack.
    void topologyPathIsIterative()
    {
        ServiceTopology topology;
        const int n = 100000;
        for (int i = 0; i + 1 < n; ++i)
            topology.addEdge("s" + std::to_string(i), "s" + std::to_string(i + 1), "traces");
        topology.addEdge("s0", "s50", "a shortcut");
        const auto path = topology.path("s0", "s" + std::to_string(n - 1));
        QCOMPARE(path.size(), size_t(n - 49)); // through the shortcut
        QCOMPARE(path.front(), std::string("s0"));
        QVERIFY(topology.path("s5", "s0").empty());
        QCOMPARE(topology.sourceOf("s0", "s50"), std::string("a shortcut"));
        QCOMPARE(topology.edgeCount(), size_t(n));
    }
};

QTEST_GUILESS_MAIN(TestCausalOrder)
#include "tst_causal_order.moc"
