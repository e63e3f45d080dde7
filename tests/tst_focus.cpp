// The focus hub: each change is one history step; back and forward walk it; signals name what changed.
#include "Focus.h"

#include <QAction>
#include <QSignalSpy>
#include <QTest>

using namespace rootline;

class TestFocus : public QObject {
    Q_OBJECT
    static TimeWindow minutes(int from, int to)
    {
        const Timestamp t0 = Timestamp::fromSeconds(1795176000);
        return {t0 + Duration::minutes(from), t0 + Duration::minutes(to)};
    }

private slots:
    void startsEmpty()
    {
        Focus f;
        QCOMPARE(f.window(), TimeWindow::all());
        QVERIFY(f.service().isEmpty());
        QVERIFY(!f.traceId().isValid());
        QVERIFY(!f.canGoBack());
        QVERIFY(!f.canGoForward());
        QVERIFY(!f.backAction()->isEnabled());
    }

    void settersEmitWhatChanged()
    {
        Focus f;
        QSignalSpy window(&f, &Focus::windowChanged);
        QSignalSpy trace(&f, &Focus::traceChanged);
        QSignalSpy changed(&f, &Focus::changed);
        f.setWindow(minutes(46, 50));
        QCOMPARE(window.count(), 1);
        QCOMPARE(window.at(0).at(0).value<TimeWindow>(), minutes(46, 50));
        QCOMPARE(trace.count(), 0);
        QCOMPARE(changed.count(), 1);
        f.setWindow(minutes(46, 50)); // no change, no signal, no history
        QCOMPARE(window.count(), 1);
        QCOMPARE(changed.count(), 1);
        f.setTrace(TraceId{1, 2});
        QCOMPARE(trace.count(), 1);
        QCOMPARE(window.count(), 1);
        QCOMPARE(f.state().window, minutes(46, 50)); // the other fields stay
    }

    void newTraceClearsTheSpan()
    {
        Focus f;
        f.setSpan(TraceId{1, 2}, SpanId{7});
        QCOMPARE(f.spanId(), SpanId{7});
        QSignalSpy span(&f, &Focus::spanChanged);
        f.setTrace(TraceId{3, 4});
        QVERIFY(!f.spanId().isValid());
        QCOMPARE(span.count(), 1);
    }

    void invalidWindowMeansAll()
    {
        Focus f;
        f.setWindow(minutes(46, 50));
        f.setWindow(minutes(50, 46));
        QCOMPARE(f.window(), TimeWindow::all());
    }

    void backAndForwardWalkTheHistory()
    {
        Focus f;
        QSignalSpy history(&f, &Focus::historyChanged);
        f.setWindow(minutes(0, 60));
        f.setService(QStringLiteral("payment"));
        f.setTrace(TraceId{1, 1});
        QCOMPARE(history.count(), 3);
        QVERIFY(f.canGoBack());
        QVERIFY(f.backAction()->isEnabled());

        QSignalSpy trace(&f, &Focus::traceChanged);
        f.back();
        QVERIFY(!f.traceId().isValid());
        QCOMPARE(trace.count(), 1);
        QCOMPARE(f.service(), QStringLiteral("payment"));
        f.back();
        QVERIFY(f.service().isEmpty());
        QCOMPARE(f.window(), minutes(0, 60));
        QVERIFY(f.canGoForward());
        QVERIFY(f.forwardAction()->isEnabled());

        f.forward();
        QCOMPARE(f.service(), QStringLiteral("payment"));
        f.backAction()->trigger(); // the ready-made action does the same
        QVERIFY(f.service().isEmpty());
        f.back();
        QCOMPARE(f.window(), TimeWindow::all());
        QVERIFY(!f.canGoBack());
        f.back(); // nothing further back: harmless
        QCOMPARE(f.window(), TimeWindow::all());

        // A new change after going back drops the forward list.
        f.setWindow(minutes(10, 20));
        QVERIFY(!f.canGoForward());
        QVERIFY(!f.forwardAction()->isEnabled());
        f.back();
        QCOMPARE(f.window(), TimeWindow::all());
    }

    void resetForgetsEverything()
    {
        Focus f;
        f.setWindow(minutes(0, 10));
        f.setTrace(TraceId{5, 5});
        QSignalSpy window(&f, &Focus::windowChanged);
        f.reset();
        QCOMPARE(window.count(), 1);
        QCOMPARE(f.state(), FocusState{});
        QVERIFY(!f.canGoBack());
    }

    void setStateIsOneStep()
    {
        Focus f;
        FocusState s;
        s.window = minutes(1, 2);
        s.service = QStringLiteral("checkout");
        s.traceId = TraceId{9, 9};
        QSignalSpy changed(&f, &Focus::changed);
        f.setState(s);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(f.state(), s);
        f.back();
        QCOMPARE(f.state(), FocusState{});
    }

    void theCrosshairIsNotHistory()
    {
        Focus f;
        QSignalSpy cursor(&f, &Focus::cursorTimeChanged);
        QSignalSpy history(&f, &Focus::historyChanged);
        QSignalSpy changed(&f, &Focus::changed);
        const Timestamp t = Timestamp::fromSeconds(1795176000);
        f.setCursorTime(t);
        QCOMPARE(cursor.count(), 1);
        QCOMPARE(cursor.at(0).at(0).value<Timestamp>(), t);
        QCOMPARE(cursor.at(0).at(1).toBool(), true);
        f.setCursorTime(t); // no change, no signal
        QCOMPARE(cursor.count(), 1);
        f.clearCursorTime();
        QCOMPARE(cursor.count(), 2);
        QCOMPARE(cursor.at(1).at(1).toBool(), false);
        QVERIFY(!f.cursorTime());
        QCOMPARE(history.count(), 0);
        QCOMPARE(changed.count(), 0);
        QVERIFY(!f.canGoBack());
    }

    void theLogFilterIsPartOfTheFocus()
    {
        Focus f;
        QSignalSpy filter(&f, &Focus::logFilterChanged);
        f.setLogFilter(17, false);
        QCOMPARE(filter.count(), 1);
        f.setLogFilter(17, false); // no change, no signal
        QCOMPARE(filter.count(), 1);
        // Selecting a span narrows the logs to its trace, in the same history step.
        f.setSpan(TraceId{1, 2}, SpanId{7});
        QCOMPARE(filter.count(), 2);
        QVERIFY(f.state().logsOfTraceOnly);
        QCOMPARE(f.state().logMinSeverity, 17);
        f.back();
        QVERIFY(!f.state().logsOfTraceOnly);
        QCOMPARE(filter.count(), 3);
    }

    void startIsWhereTheHistoryBegins()
    {
        Focus f;
        f.setWindow(minutes(0, 60));
        QVERIFY(f.canGoBack());
        FocusState start;
        start.window = minutes(46, 58);
        start.service = QStringLiteral("checkout");
        QSignalSpy window(&f, &Focus::windowChanged);
        f.start(start);
        QCOMPARE(window.count(), 1);
        QCOMPARE(f.state(), start);
        QVERIFY(!f.canGoBack());
        QVERIFY(!f.canGoForward());
    }
};

QTEST_MAIN(TestFocus)
#include "tst_focus.moc"
