// TraceListModel: a bounded snapshot of the traces of a window, swapped in whole, sortable in
// memory, with failing traces highlighted.
#include "TraceListModel.h"
#include "UiTestCache.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;
using namespace rootline::uitest;

class TestTraceListModel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<CacheReader> m_reader;

    std::vector<TraceSummary> traces(const TraceQuery& q)
    {
        auto t = m_reader->traces(q);
        if (!t) {
            qWarning("%s", t.error().message().c_str());
            return {};
        }
        return std::move(*t);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("ui.rootline"));
        auto written = writeUiTestCache(path);
        QVERIFY2(written.ok(), written ? "" : written.error().message().c_str());
        auto reader = CacheReader::open(path.toStdString());
        QVERIFY(reader.ok());
        m_reader = std::move(*reader);
    }

    void showsTheTracesOfAWindow_data()
    {
        QTest::addColumn<int>("fromSecond");
        QTest::addColumn<int>("toSecond");
        QTest::addColumn<bool>("errorsOnly");
        QTest::addColumn<int>("expected");
        QTest::newRow("all") << 0 << 3600 << false << kTraces;
        QTest::newRow("first minute") << 0 << 60 << false << 6;
        QTest::newRow("half-open end") << 0 << 50 << false << 5;
        QTest::newRow("failing ones") << 0 << 3600 << true << kTraces / 5;
        QTest::newRow("before any") << -60 << 0 << false << 0;
    }
    void showsTheTracesOfAWindow()
    {
        QFETCH(int, fromSecond);
        QFETCH(int, toSecond);
        QFETCH(bool, errorsOnly);
        QFETCH(int, expected);
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        TraceQuery q;
        q.window = {kT0 + Duration::seconds(fromSecond), kT0 + Duration::seconds(toSecond)};
        q.errorsOnly = errorsOnly;
        model.setTraces(traces(q));
        QCOMPARE(model.rowCount(), expected);
        for (int r = 0; r < model.rowCount(); ++r) {
            const TraceSummary* t = model.traceAt(r);
            QVERIFY(t);
            QVERIFY(q.window.contains(t->start));
            QCOMPARE(t->spanCount, 3);
            if (errorsOnly)
                QVERIFY(t->errorCount > 0);
        }
    }

    void columnsAndHighlight()
    {
        TraceListModel model;
        model.setTraces(traces(TraceQuery{}));
        QCOMPARE(model.columnCount(), int(TraceListModel::ColumnCount));
        // Trace 0 fails (every fifth does): red tint and an error count; trace 1 is fine.
        QCOMPARE(model.traceAt(0)->traceId, traceIdOf(0));
        QCOMPARE(model.index(0, TraceListModel::ServiceColumn).data().toString(), QStringLiteral("frontend"));
        QCOMPARE(model.index(0, TraceListModel::OperationColumn).data().toString(), QStringLiteral("GET /checkout"));
        QCOMPARE(model.index(0, TraceListModel::SpansColumn).data().toLongLong(), 3);
        QCOMPARE(model.index(0, TraceListModel::ErrorsColumn).data().toLongLong(), 1);
        QCOMPARE(model.index(0, TraceListModel::DurationColumn).data().toString(), QStringLiteral("5.00 s"));
        QVERIFY(model.index(0, TraceListModel::StartColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(1, TraceListModel::StartColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(model.index(1, TraceListModel::ErrorsColumn).data().toString().isEmpty());
        QCOMPARE(model.rowOf(traceIdOf(3)), 3);
        QCOMPARE(model.rowOf(TraceId{42, 42}), -1);
    }

    void sortsInMemoryAndKeepsSelection()
    {
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTraces(traces(TraceQuery{}));
        QPersistentModelIndex second(model.index(1, 0));
        const TraceId secondId = model.traceAt(1)->traceId;
        model.sort(TraceListModel::DurationColumn, Qt::DescendingOrder);
        // The slow (failing) traces come first.
        for (int r = 0; r < kTraces / 5; ++r)
            QVERIFY(model.traceAt(r)->errorCount > 0);
        QVERIFY(second.isValid());
        QCOMPARE(model.traceAt(second.row())->traceId, secondId);
        model.sort(TraceListModel::StartColumn, Qt::AscendingOrder);
        QCOMPARE(model.traceAt(0)->traceId, traceIdOf(0));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestTraceListModel)
#include "tst_trace_list_model.moc"
