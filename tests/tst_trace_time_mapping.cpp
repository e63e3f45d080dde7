// Time ↔ pixel for the trace views (ui/trace/TimeMapping.h), as tables: where a time lands, which
// time a pixel stands for, and how zooming and panning stay inside the trace.

#include "trace/TimeMapping.h"

#include <QTest>

using namespace rootline;

namespace {
TimeWindow ns(int64_t from, int64_t to) { return {Timestamp::fromNanos(from), Timestamp::fromNanos(to)}; }
} // namespace

Q_DECLARE_METATYPE(rootline::TimeWindow)

class TestTraceTimeMapping : public QObject {
    Q_OBJECT
private slots:
    void xOf_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<double>("left");
        QTest::addColumn<double>("right");
        QTest::addColumn<qint64>("t");
        QTest::addColumn<double>("x");
        QTest::newRow("start maps to left") << qint64(1000) << qint64(2000) << 10.0 << 110.0 << qint64(1000) << 10.0;
        QTest::newRow("end maps to right") << qint64(1000) << qint64(2000) << 10.0 << 110.0 << qint64(2000) << 110.0;
        QTest::newRow("middle") << qint64(1000) << qint64(2000) << 10.0 << 110.0 << qint64(1500) << 60.0;
        QTest::newRow("before the window: left of it") << qint64(1000) << qint64(2000) << 0.0 << 100.0 << qint64(900) << -10.0;
        QTest::newRow("after the window: right of it") << qint64(1000) << qint64(2000) << 0.0 << 100.0 << qint64(2500) << 150.0;
        QTest::newRow("epoch nanoseconds keep precision") << qint64(1'795'000'000'000'000'000) << qint64(1'795'000'000'000'001'000)
                                                          << 0.0 << 1000.0 << qint64(1'795'000'000'000'000'001) << 1.0;
        QTest::newRow("a one-second trace on 1000 px") << qint64(0) << qint64(1'000'000'000) << 0.0 << 1000.0 << qint64(250'000'000) << 250.0;
    }
    void xOf()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(double, left);
        QFETCH(double, right);
        QFETCH(qint64, t);
        QFETCH(double, x);
        const TimeMapping map(ns(from, to), left, right);
        QCOMPARE(map.xOf(Timestamp::fromNanos(t)), x);
        // And back: the pixel stands for that time (to the nanosecond here).
        QCOMPARE(map.timeAt(x).nanos(), t);
    }

    void widthOf_data()
    {
        QTest::addColumn<qint64>("window");
        QTest::addColumn<double>("pixels");
        QTest::addColumn<qint64>("duration");
        QTest::addColumn<double>("width");
        QTest::newRow("a tenth") << qint64(1000) << 100.0 << qint64(100) << 10.0;
        QTest::newRow("sub-pixel") << qint64(1'000'000) << 100.0 << qint64(1000) << 0.1;
        QTest::newRow("zero") << qint64(1000) << 100.0 << qint64(0) << 0.0;
    }
    void widthOf()
    {
        QFETCH(qint64, window);
        QFETCH(double, pixels);
        QFETCH(qint64, duration);
        QFETCH(double, width);
        const TimeMapping map(ns(0, window), 0, pixels);
        QCOMPARE(map.widthOf(Duration::nanos(duration)), width);
    }

    void degenerateInputsStayFinite()
    {
        const TimeMapping empty(ns(5, 5), 10, 10); // an empty window on a zero-width strip
        QVERIFY(empty.isValid());
        QVERIFY(std::isfinite(empty.xOf(Timestamp::fromNanos(7))));
        QVERIFY(empty.nanosPerPixel() > 0);
    }

    void zoomed_data()
    {
        QTest::addColumn<TimeWindow>("window");
        QTest::addColumn<double>("factor");
        QTest::addColumn<double>("anchorX");
        QTest::addColumn<TimeWindow>("bounds");
        QTest::addColumn<TimeWindow>("expected");
        // 1000 ns on 100 px (0..100).
        QTest::newRow("2x about the middle") << ns(0, 1000) << 2.0 << 50.0 << ns(0, 1000) << ns(250, 750);
        QTest::newRow("2x about the left edge") << ns(0, 1000) << 2.0 << 0.0 << ns(0, 1000) << ns(0, 500);
        QTest::newRow("2x about the right edge") << ns(0, 1000) << 2.0 << 100.0 << ns(0, 1000) << ns(500, 1000);
        QTest::newRow("zoom out stops at the bounds") << ns(250, 750) << 0.25 << 50.0 << ns(0, 1000) << ns(0, 1000);
        QTest::newRow("zoom out about the left edge") << ns(0, 200) << 0.5 << 0.0 << ns(0, 1000) << ns(0, 400);
        QTest::newRow("zoom out near the end shifts inside") << ns(800, 1000) << 0.5 << 50.0 << ns(0, 1000) << ns(600, 1000);
        QTest::newRow("zoom in stops at the minimum") << ns(0, 1000) << 1000.0 << 50.0 << ns(0, 1000) << ns(450, 550);
        QTest::newRow("anchor left of the strip counts as its edge") << ns(0, 1000) << 2.0 << -40.0 << ns(0, 1000) << ns(0, 500);
    }
    void zoomed()
    {
        QFETCH(TimeWindow, window);
        QFETCH(double, factor);
        QFETCH(double, anchorX);
        QFETCH(TimeWindow, bounds);
        QFETCH(TimeWindow, expected);
        const TimeMapping map(window, 0, 100);
        QCOMPARE(map.zoomed(factor, anchorX, bounds), expected);
    }

    void panned_data()
    {
        QTest::addColumn<TimeWindow>("window");
        QTest::addColumn<double>("pixels");
        QTest::addColumn<TimeWindow>("expected");
        // 500 ns on 100 px: 5 ns a pixel; bounds 0..1000.
        QTest::newRow("later") << ns(0, 500) << 20.0 << ns(100, 600);
        QTest::newRow("earlier") << ns(400, 900) << -20.0 << ns(300, 800);
        QTest::newRow("stops at the start") << ns(100, 600) << -100.0 << ns(0, 500);
        QTest::newRow("stops at the end") << ns(400, 900) << 100.0 << ns(500, 1000);
    }
    void panned()
    {
        QFETCH(TimeWindow, window);
        QFETCH(double, pixels);
        QFETCH(TimeWindow, expected);
        const TimeMapping map(window, 0, 100);
        QCOMPARE(map.panned(pixels, ns(0, 1000)), expected);
    }
};

QTEST_GUILESS_MAIN(TestTraceTimeMapping)
#include "tst_trace_time_mapping.moc"
