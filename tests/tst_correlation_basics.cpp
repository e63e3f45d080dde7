// The building blocks of correlation: critical paths on hand-written traces, log templates on
// real-looking lines, and clock-skew estimation on traces with known offsets.

#include "correlation/ClockSkew.h"
#include "correlation/CriticalPath.h"
#include "correlation/LogTemplate.h"

#include <QTest>

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
};

QTEST_GUILESS_MAIN(TestCorrelationBasics)
#include "tst_correlation_basics.moc"
