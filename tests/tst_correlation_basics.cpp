// The building blocks of correlation: critical paths on hand-written traces, log templates on
// real-looking lines, and clock-skew estimation on traces with known offsets.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/ClockSkew.h"
#include "correlation/CorrelationRules.h"
#include "correlation/ServiceDirectory.h"
#include "correlation/CriticalPath.h"
#include "correlation/LogTemplate.h"
#include "correlation/TimeAlignment.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <sstream>

using namespace rootline;

namespace {
constexpr Timestamp kT0 = Timestamp::fromSeconds(1795168800);

// "A 0 100; A>B 10 80; B>C 20 50": span B, child of A, from 10 ms to 80 ms. Names are unique
// within a trace; each span's service is its name.
std::vector<Span> trace(const std::string& text)
{
    std::vector<Span> spans;
    std::map<std::string, SpanId> ids;
    std::stringstream in(text);
    std::string item;
    uint64_t next = 1;
    while (std::getline(in, item, ';')) {
        std::stringstream line(item);
        std::string who;
        int64_t from = 0, to = 0;
        line >> who >> from >> to;
        Span s;
        s.traceId = TraceId{1, 1};
        const auto arrow = who.find('>');
        const std::string name = arrow == std::string::npos ? who : who.substr(arrow + 1);
        if (arrow != std::string::npos) {
            const std::string parent = who.substr(0, arrow);
            s.parentSpanId = ids.count(parent) ? ids[parent] : SpanId{999999};
        }
        s.spanId = SpanId{next++};
        ids[name] = s.spanId;
        s.name = name;
        s.start = kT0 + Duration::millis(from);
        s.duration = Duration::millis(to - from);
        spans.push_back(s);
    }
    return spans;
}
} // namespace

class TestCorrelationBasics : public QObject {
    Q_OBJECT

private slots:
    void criticalPath_data()
    {
        QTest::addColumn<QString>("trace");
        QTest::addColumn<QString>("path");
        QTest::newRow("nested") << "A 0 100; A>B 10 80; B>C 20 50" << "A 0-10, B 10-20, C 20-50, B 50-80, A 80-100";
        QTest::newRow("sequential") << "A 0 100; A>B 0 30; A>C 40 70" << "B 0-30, A 30-40, C 40-70, A 70-100";
        QTest::newRow("parallel: the later one wins") << "A 0 100; A>B 10 60; A>C 20 90" << "A 0-10, B 10-20, C 20-90, A 90-100";
        QTest::newRow("child overruns parent") << "A 0 100; A>B 50 150" << "A 0-50, B 50-100";
        QTest::newRow("orphan is not the root") << "A 0 100; X>Y 10 20" << "A 0-100";
        QTest::newRow("fan-out of equal calls") << "A 0 100; A>B 10 50; A>C 10 50; A>D 10 90" << "A 0-10, D 10-90, A 90-100";
        QTest::newRow("deep chain") << "A 0 100; A>B 0 100; B>C 0 100; C>D 40 60" << "C 0-40, D 40-60, C 60-100";
    }

    void criticalPath()
    {
        QFETCH(QString, trace);
        QFETCH(QString, path);
        const auto spans = ::trace(trace.toStdString());
        const auto cp = computeCriticalPath(spans);
        QCOMPARE(QString::fromStdString(describeCriticalPath(spans, cp)), path);
        // Self time on the path adds up to the root's duration.
        Duration sum;
        for (auto d : cp.selfTime)
            sum = sum + d;
        QCOMPARE(sum, spans[cp.root].duration);
    }

    void criticalPathWithSkewCorrection()
    {
        // B's clock runs 200 ms ahead: recorded at 210-280 it really ran 10-80.
        auto spans = trace("A 0 100; A>B 210 280");
        QCOMPARE(QString::fromStdString(describeCriticalPath(spans, computeCriticalPath(spans))), QStringLiteral("A 0-100"));
        const std::vector<Duration> offsets = {Duration(), Duration::millis(200)};
        const auto cp = computeCriticalPath(spans, &offsets);
        QCOMPARE(cp.selfTime[1], Duration::millis(70));
        QCOMPARE(cp.selfTime[0], Duration::millis(30));
    }

    // A parent chain 100,000 deep (ten times what the old recursive walk stopped at): walked with
    // an explicit stack, the whole chain is on the path and the deepest span holds the self time.
    void criticalPathOfAVeryDeepChain()
    {
        constexpr size_t kDepth = 100'000;
        std::vector<Span> spans(kDepth);
        for (size_t i = 0; i < kDepth; ++i) {
            spans[i].traceId = TraceId{1, 1};
            spans[i].spanId = SpanId{i + 1};
            if (i > 0)
                spans[i].parentSpanId = SpanId{i};
            spans[i].name = "s" + std::to_string(i);
            // Each child starts 1 µs later and ends 1 µs earlier than its parent.
            spans[i].start = kT0 + Duration::micros(int64_t(i));
            spans[i].duration = Duration::micros(int64_t(2 * (kDepth - i)));
        }
        const auto cp = computeCriticalPath(spans);
        QCOMPARE(cp.root, size_t(0));
        QCOMPARE(cp.segments.size(), 2 * kDepth - 1); // each span's two ends, the deepest whole
        QCOMPARE(cp.selfTime[kDepth - 1], Duration::micros(2));
        QCOMPARE(cp.selfTime[0], Duration::micros(2));
        Duration sum;
        for (auto d : cp.selfTime)
            sum = sum + d;
        QCOMPARE(sum, spans[0].duration);
    }

    // Bad data: two spans each other's parent under a real root. The walk ends, and every span
    // is entered at most once.
    void criticalPathWithAParentCycle()
    {
        auto spans = trace("A 0 100; A>B 10 90; B>C 20 80");
        spans[1].parentSpanId = spans[2].spanId; // B's parent is C, C's parent is B
        spans[0].duration = Duration::millis(100);
        const auto cp = computeCriticalPath(spans);
        QCOMPARE(QString::fromStdString(describeCriticalPath(spans, cp)), QStringLiteral("A 0-100"));
        auto cyclic = trace("B 10 90; B>C 20 80");
        cyclic[0].parentSpanId = cyclic[1].spanId; // no root at all: the first span is taken
        const auto cycle = computeCriticalPath(cyclic);
        Duration sum;
        for (auto d : cycle.selfTime)
            sum = sum + d;
        QCOMPARE(sum, cyclic[cycle.root].duration);
    }

    void templates_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("timeout") << "payment gateway timeout after 5000ms calling 10.0.3.7:443 (order 81723)"
                                 << "payment gateway timeout after <num> calling <ip> (order <num>)";
        QTest::newRow("uuid") << "user 3f2b6c1e-8a4d-4c2b-9e1f-0a1b2c3d4e5f logged in from 192.168.1.20" << "user <uuid> logged in from <ip>";
        QTest::newRow("quoted") << "failed to parse \"abc def\" at line 3, column 17" << "failed to parse <str> at line <num>, column <num>";
        QTest::newRow("json msg") << R"({"level":"error","msg":"db error: connection reset by peer","conn":17})" << "db error: connection reset by peer";
        QTest::newRow("route") << "GET /api/v1/orders/12345/items 200 12.5ms" << "GET /api/v1/orders/<num>/items <num> <num>";
        QTest::newRow("hex key") << "cache miss for key 8f14e45fceea167a, loading" << "cache miss for key <hex>, loading";
        QTest::newRow("logfmt") << "pool=orders-primary active=20 idle=0 waiting=37" << "pool=orders-primary active=<num> idle=<num> waiting=<num>";
        QTest::newRow("java") << "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30004ms."
                              << "java.sql.SQLTransientConnectionException: <*> - Connection is not available, request timed out after <num>.";
        QTest::newRow("padding") << "INFO    started   in 3.2s" << "INFO started in <num>";
        QTest::newRow("percent") << "disk usage at 93% on /dev/sda1" << "disk usage at <num> on /dev/<*>";
    }

    void templates()
    {
        QFETCH(QString, line);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(logTemplate(line.toStdString())), expected);
    }

    void templatesGroupVariants()
    {
        QCOMPARE(logTemplate("could not acquire connection from pool inventory-primary within 2000ms (active=20 idle=0 waiting=31)"),
                 logTemplate("could not acquire connection from pool inventory-primary within 2000ms (active=20 idle=0 waiting=36)"));
        QVERIFY(logTemplate("card declined by issuer (order 41)") != logTemplate("payment gateway timeout (order 41)"));
    }

    void skew_data()
    {
        QTest::addColumn<int>("apiMs"); // api's clock offset
        QTest::addColumn<int>("dbMs");  // db's clock offset
        QTest::newRow("api ahead, db behind") << 3000 << -1500;
        QTest::newRow("only db ahead") << 0 << 800;
        QTest::newRow("no skew") << 0 << 0;
    }

    void skew()
    {
        QFETCH(int, apiMs);
        QFETCH(int, dbMs);
        ClockSkewEstimator estimator;
        for (int i = 0; i < 50; ++i) {
            // Network delay differs per call and per direction (0.4–1.4 ms).
            const int64_t out = 400 + (i * 37) % 1000, back = 400 + (i * 53) % 1000;
            const Timestamp t = kT0 + Duration::seconds(i);
            auto make = [&](uint64_t id, std::optional<uint64_t> parent, SpanKind kind, Timestamp start, Duration d) {
                Span s;
                s.traceId = TraceId{1, uint64_t(i + 1)};
                s.spanId = SpanId{id};
                if (parent)
                    s.parentSpanId = SpanId{*parent};
                s.kind = kind;
                s.start = start;
                s.duration = d;
                return s;
            };
            const Duration apiSkew = Duration::millis(apiMs), dbSkew = Duration::millis(dbMs);
            std::vector<Span> spans = {
                make(1, {}, SpanKind::Server, t, Duration::millis(100)),
                make(2, 1, SpanKind::Internal, t + Duration::millis(1), Duration::millis(2)),
                make(3, 1, SpanKind::Internal, t + Duration::millis(3), Duration::millis(2)),
                make(4, 1, SpanKind::Client, t + Duration::millis(10), Duration::millis(80)),
                // api server: inside the front's client span, shifted by api's clock
                make(5, 4, SpanKind::Server, t + Duration::millis(10) + Duration::micros(out) + apiSkew,
                     Duration::millis(80) - Duration::micros(out + back)),
                make(6, 5, SpanKind::Client, t + Duration::millis(20) + apiSkew, Duration::millis(50)),
                make(7, 6, SpanKind::Server, t + Duration::millis(20) + Duration::micros(out) + dbSkew,
                     Duration::millis(50) - Duration::micros(out + back)),
            };
            estimator.addTrace(spans, {"front", "front", "front", "front", "api", "api", "db"});
        }
        const auto e = estimator.estimate();
        QCOMPARE(e.reference, std::string("front"));
        QVERIFY2(std::abs(e.offsetOf("api").toMillis() - apiMs) < 0.5, std::to_string(e.offsetOf("api").toMillis()).c_str());
        QVERIFY2(std::abs(e.offsetOf("db").toMillis() - dbMs) < 1.0, std::to_string(e.offsetOf("db").toMillis()).c_str());
        QCOMPARE(e.empty(), apiMs == 0 && dbMs == 0);
        QCOMPARE(e.offsetOf("front"), Duration());
        // Adjusted times put every child back inside its parent; raw stays available.
        QCOMPARE(e.adjust("api", kT0 + Duration::millis(apiMs)), kT0 + Duration::millis(apiMs) - e.offsetOf("api"));
    }

    void alignment()
    {
        const Duration step = Duration::seconds(15);
        // 10:00:07–10:01:02 with a 10 s margin → 09:59:45–10:01:15 on the 15 s grid.
        const TimeWindow w{kT0 + Duration::seconds(7), kT0 + Duration::seconds(62)};
        const TimeWindow a = alignedWindow(w, step, Duration::seconds(10));
        QCOMPARE(a.from, kT0 - Duration::seconds(15));
        QCOMPARE(a.to, kT0 + Duration::seconds(75));
        QCOMPARE(alignedWindow({kT0, kT0 + step}, step), (TimeWindow{kT0, kT0 + step})); // already aligned: unchanged
        // Resampling: the latest sample within the lookback, NaN across a gap.
        const std::vector<Sample> samples = {{kT0 + Duration::seconds(3), 1}, {kT0 + Duration::seconds(14), 2}, {kT0 + Duration::seconds(31), 3}};
        const auto r = alignToStep(samples, {kT0, kT0 + Duration::seconds(90)}, step, Duration::seconds(30));
        QCOMPARE(r.size(), size_t(7));
        QVERIFY(std::isnan(r[0].value)); // 10:00:00, nothing yet
        QCOMPARE(r[1].value, 2.0);       // 10:00:15 ← 10:00:14
        QCOMPARE(r[2].value, 2.0);       // 10:00:30 ← 10:00:14 (16 s old)
        QCOMPARE(r[3].value, 3.0);       // 10:00:45 ← 10:00:31
        QCOMPARE(r[4].value, 3.0);       // 10:01:00 ← 10:00:31 (29 s old)
        QVERIFY(std::isnan(r[5].value)); // 10:01:15: 44 s old, beyond the lookback
        QCOMPARE(r[6].time, kT0 + Duration::seconds(90));
    }

    // A Loki service_name, a Prometheus job, a Jaeger process and an X-Ray segment name that mean
    // the same service are one service once the rules file says so.
    void serviceIdentity()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ids.rootline")).toStdString();
        {
            auto writer = CacheWriter::open(path);
            QVERIFY(writer);
            TelemetryBatch batch;
            LogRecord log;
            log.time = kT0;
            log.body = "x";
            log.resource = makeResource({{"service_name", std::string("checkout")}}, SourceKind::Loki);
            batch.logs.push_back(log);
            Series series;
            series.name = "up";
            series.resource = makeResource({{"job", std::string("shop/checkout-svc")}, {"instance", std::string("10.0.0.1:9090")}},
                                           SourceKind::Prometheus);
            batch.series.push_back({series, {{kT0, 1}}, {}, {}});
            Span span;
            span.traceId = TraceId{1, 2};
            span.spanId = SpanId{3};
            span.name = "PlaceOrder";
            span.start = kT0;
            span.duration = Duration::millis(5);
            span.resource = makeResource({{"serviceName", std::string("Checkout")}, {"hostname", std::string("node-1")}}, SourceKind::Jaeger);
            batch.spans.push_back(span);
            span.spanId = SpanId{4};
            span.resource = makeResource({{"service.name", std::string("CheckoutLambda")}}, SourceKind::XRay);
            batch.spans.push_back(span);
            span.spanId = SpanId{5};
            span.resource = makeResource({{"service.name", std::string("payment")}});
            batch.spans.push_back(span);
            QVERIFY((*writer)->write(std::move(batch), FetchRecord{0, "test", "mixed", "q"}));
        }
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        auto plain = ServiceDirectory::load(**reader, nullptr);
        QVERIFY(plain);
        QVERIFY(plain->services().size() > 2); // without aliases the names stay apart
        auto rules = CorrelationRules::parse("service_aliases:\n  checkout: [checkout-svc, CheckoutLambda, Checkout]\n", "rules.yaml");
        QVERIFY(rules);
        auto dirWithRules = ServiceDirectory::load(**reader, &*rules);
        QVERIFY(dirWithRules);
        QCOMPARE(dirWithRules->services(), (std::vector<std::string>{"checkout", "payment"}));
        QCOMPARE(dirWithRules->resourcesOf("checkout").size(), size_t(4));
        QCOMPARE(dirWithRules->resourcesOf("CheckoutLambda").size(), size_t(4)); // an alias finds them too
        QCOMPARE(dirWithRules->resourceList("nothing"), std::string("-1"));
    }
};

QTEST_GUILESS_MAIN(TestCorrelationBasics)
#include "tst_correlation_basics.moc"
