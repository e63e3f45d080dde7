// The main window offscreen over a generated cache (the sample incident at 5 % when the generator
// is in the tree): it loads, every pane holds data, and the panes follow each other through the
// Focus — a timeline range filters logs and traces, an exemplar or a log's trace id opens a trace.
#include "CacheSession.h"
#include "Focus.h"
#include "LogPane.h"
#include "LogTableModel.h"
#include "MainWindow.h"
#include "SpanWaterfall.h"
#include "TimelinePane.h"
#include "TraceListModel.h"
#include "TracePane.h"
#include "UiTestCache.h"

#include <QFile>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#if __has_include("sample/SampleCache.h")
#include "sample/SampleCache.h"
#define ROOTLINE_HAVE_SAMPLE 1
#endif

using namespace rootline;

class TestGuiSmoke : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("smoke.rootline"));
#ifdef ROOTLINE_HAVE_SAMPLE
        SampleOptions options;
        options.seed = 7;
        options.scale = 0.05;
        auto stats = writeSampleCache(m_path.toStdString(), options);
        QVERIFY2(stats.ok(), stats ? "" : stats.error().message().c_str());
#else
        auto written = uitest::writeUiTestCache(m_path);
        QVERIFY2(written.ok(), written ? "" : written.error().message().c_str());
#endif
    }

    void loadsAndFollowsTheFocus()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::loaded);
        auto opened = window.openCache(m_path);
        QVERIFY2(opened.ok(), opened ? "" : opened.error().message().c_str());
        QVERIFY(loaded.wait(120'000));
        QVERIFY(window.isLoaded());

        // Timeline: graphs with data, on one date-time axis.
        TimelinePane* timeline = window.timelinePane();
        QVERIFY(timeline->lineCount() > 0);
        QVERIFY(timeline->pointCount() > 0);
        QVERIFY(timeline->rowCount() > 0);
        QCustomPlot* plot = timeline->plotWidget();
        QVERIFY(plot->graphCount() >= timeline->lineCount());
        QVERIFY(plot->graph(0)->dataCount() > 0);
        QVERIFY(timeline->fullRange().isValid());

        // The panes open on the firing alert's window (tst_workbench checks it); this test starts from
        // the whole cache.
        window.focus()->setState(FocusState{});

        // Logs: a first page, bounded, and the count from the worker.
        LogTableModel* logs = window.logPane()->model();
        QVERIFY(logs->rowCount() > 0);
        QVERIFY(logs->rowCount() <= logs->pageSize());
        QTRY_VERIFY(window.logPane()->matchCount() > 0);
        const qint64 allLogs = window.logPane()->matchCount();

        // Traces.
        TraceListModel* traces = window.tracePane()->model();
        QVERIFY(traces->rowCount() > 0);

        // A range selected on the timeline filters the logs and the traces.
        const TimeWindow full = timeline->fullRange();
        const Duration tenth = full.length() / 10;
        const TimeWindow w{full.from + tenth * 4, full.from + tenth * 5};
        timeline->selectWindow(w);
        QCOMPARE(window.focus()->window(), w);
        QCOMPARE(window.logPane()->query().window, w);
        QVERIFY(logs->rowCount() > 0);
        for (int r = 0; r < logs->rowCount(); ++r)
            QVERIFY(w.contains(logs->timeAt(r)));
        QTRY_VERIFY(window.logPane()->matchCount() >= 0);
        QVERIFY(window.logPane()->matchCount() < allLogs);
        QTRY_COMPARE(window.tracePane()->query().window, w);
        QTRY_VERIFY(traces->rowCount() > 0 && w.contains(traces->traceAt(0)->start));
        for (int r = 0; r < traces->rowCount(); ++r)
            QVERIFY(w.contains(traces->traceAt(r)->start));

        // A service narrows the logs to it.
        window.focus()->setService(logs->index(0, LogTableModel::ServiceColumn).data().toString());
        const QString service = window.focus()->service();
        QVERIFY(!service.isEmpty());
        for (int r = 0; r < logs->rowCount(); ++r)
            QCOMPARE(logs->index(r, LogTableModel::ServiceColumn).data().toString(), service);

        // Back restores the window without the service; back again, the whole cache.
        window.focus()->back();
        QVERIFY(window.focus()->service().isEmpty());
        QCOMPARE(window.logPane()->query().window, w);
        window.focus()->back();
        QCOMPARE(window.logPane()->query().window, TimeWindow::all());

        // Clicking a log line's trace id opens that trace: selected in the list, spans drawn.
        QTableView* logView = window.logPane()->view();
        int withTrace = -1;
        for (int r = 0; r < logs->rowCount() && withTrace < 0; ++r)
            if (logs->traceIdAt(r).isValid())
                withTrace = r;
        if (withTrace >= 0) {
            const QModelIndex cell = logs->index(withTrace, LogTableModel::TraceColumn);
            logView->scrollTo(cell);
            QTest::mouseClick(logView->viewport(), Qt::LeftButton, {}, logView->visualRect(cell).center());
            QCOMPARE(window.focus()->traceId(), logs->traceIdAt(withTrace));
            QTRY_VERIFY(window.tracePane()->waterfall()->spanCount() > 0); // laid out on a worker
        }

        // Clicking an exemplar on the timeline opens its trace.
        if (timeline->exemplarCount() > 0) {
            window.focus()->setTrace({});
            std::optional<QPoint> at;
            for (int i = 0; i < timeline->exemplarCount() && !at; ++i) {
                auto p = timeline->exemplarPosition(i);
                if (p && plot->rect().contains(*p) && timeline->exemplarAt(*p))
                    at = p;
            }
            QVERIFY(at);
            const TraceId expected = timeline->exemplarAt(*at)->traceId;
            QTest::mouseClick(plot, Qt::LeftButton, {}, *at);
            QCOMPARE(window.focus()->traceId(), expected);
        }
    }

    void badFileIsAnErrorNotACrash()
    {
        const QString bad = m_dir.filePath(QStringLiteral("not-a-cache.rootline"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not SQLite at all\n");
        f.close();
        MainWindow window;
        window.show();
        auto status = window.openCache(bad);
        QVERIFY(!status.ok());
        QVERIFY(!status.error().what.empty());
        QVERIFY(!window.session()->isOpen());
        // Still usable afterwards.
        QSignalSpy loaded(&window, &MainWindow::loaded);
        QVERIFY(window.openCache(m_path).ok());
        QVERIFY(loaded.wait(120'000));
        QVERIFY(window.logPane()->model()->rowCount() > 0);
    }
};

QTEST_MAIN(TestGuiSmoke)
#include "tst_gui_smoke.moc"
