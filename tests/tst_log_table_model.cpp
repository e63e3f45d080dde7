// LogTableModel pages the log table by keyset: every row exactly once, in (time, id) order, a
// page at a time, and the query (window, service, text) decides which rows there are.
#include "LogTableModel.h"
#include "SearchText.h"
#include "UiTestCache.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace rootline;
using namespace rootline::uitest;

class TestLogTableModel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<CacheReader> m_reader;

    static void fetchAll(LogTableModel& model)
    {
        int guard = 0;
        while (model.canFetchMore({}) && ++guard < 10'000)
            model.fetchMore({});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("ui.rootline"));
        auto written = writeUiTestCache(path);
        QVERIFY2(written.ok(), written ? "" : written.error().message().c_str());
        auto reader = CacheReader::open(path.toStdString());
        QVERIFY2(reader.ok(), reader ? "" : reader.error().message().c_str());
        m_reader = std::move(*reader);
    }

    void pagesEveryRowOnceInOrder_data()
    {
        QTest::addColumn<int>("pageSize");
        QTest::newRow("page 200") << 200;
        QTest::newRow("page 7: boundaries inside a shared timestamp") << 7;
        QTest::newRow("page 5: exactly one timestamp per page") << 5;
        QTest::newRow("page 1") << 1;
    }
    void pagesEveryRowOnceInOrder()
    {
        QFETCH(int, pageSize);
        LogTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(pageSize);
        model.setReader(m_reader.get());
        model.setQuery(LogQuery{});
        // Bounded before anyone scrolls: one page, more to come.
        QCOMPARE(model.rowCount(), std::min(pageSize, kLogs));
        QVERIFY(model.canFetchMore({}));
        fetchAll(model);
        QCOMPARE(model.rowCount(), kLogs);
        QVERIFY(!model.canFetchMore({}));
        std::set<qint64> ids;
        for (int r = 0; r < model.rowCount(); ++r) {
            ids.insert(model.rowIdAt(r));
            if (r > 0) {
                const auto prev = std::make_pair(model.timeAt(r - 1), model.rowIdAt(r - 1));
                const auto cur = std::make_pair(model.timeAt(r), model.rowIdAt(r));
                QVERIFY2(prev < cur, qPrintable(QStringLiteral("row %1 is out of order").arg(r)));
            }
        }
        QCOMPARE(int(ids.size()), kLogs);
    }

    void filtersChangeTheRows_data()
    {
        QTest::addColumn<int>("fromSecond");
        QTest::addColumn<int>("toSecond"); // -1: no window
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("search");
        QTest::addColumn<int>("minSeverity");
        QTest::addColumn<int>("expected");
        QTest::newRow("everything") << 0 << -1 << QString() << QString() << 0 << kLogs;
        QTest::newRow("window of 10 s") << 20 << 30 << QString() << QString() << 0 << 10 * kLogsPerSecond;
        QTest::newRow("window is half-open") << 0 << 1 << QString() << QString() << 0 << kLogsPerSecond;
        // Lines go round-robin over three services: 1000 = 334 + 333 + 333.
        QTest::newRow("checkout") << 0 << -1 << QStringLiteral("checkout") << QString() << 0 << 334;
        QTest::newRow("payment in 10 s") << 20 << 30 << QStringLiteral("payment") << QString() << 0 << 17;
        QTest::newRow("search: gateway") << 0 << -1 << QString() << QStringLiteral("gateway") << 0 << kLogs / 10;
        QTest::newRow("search prefix: time") << 0 << -1 << QString() << QStringLiteral("gateway time") << 0 << kLogs / 10;
        QTest::newRow("search, quotes are harmless") << 0 << -1 << QString() << QStringLiteral("\"gateway") << 0 << kLogs / 10;
        QTest::newRow("search finds nothing") << 0 << -1 << QString() << QStringLiteral("nonexistentword") << 0 << 0;
        QTest::newRow("errors only") << 0 << -1 << QString() << QString() << int(Severity::Error) << kLogs / 10;
    }
    void filtersChangeTheRows()
    {
        QFETCH(int, fromSecond);
        QFETCH(int, toSecond);
        QFETCH(QString, service);
        QFETCH(QString, search);
        QFETCH(int, minSeverity);
        QFETCH(int, expected);
        LogTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(50);
        model.setReader(m_reader.get());
        LogQuery q;
        if (toSecond >= 0)
            q.window = {kT0 + Duration::seconds(fromSecond), kT0 + Duration::seconds(toSecond)};
        if (!service.isEmpty())
            q.services = {service.toStdString()};
        q.text = ftsQueryFromUserText(search);
        q.minSeverity = minSeverity;
        model.setQuery(q);
        QVERIFY2(model.errorText().isEmpty(), qPrintable(model.errorText()));
        QVERIFY(model.rowCount() <= 50);
        fetchAll(model);
        QCOMPARE(model.rowCount(), expected);
        QCOMPARE(qint64(expected), *m_reader->countLogs(q));
        for (int r = 0; r < model.rowCount(); ++r) {
            if (q.window != TimeWindow::all())
                QVERIFY(q.window.contains(model.timeAt(r)));
            if (!service.isEmpty())
                QCOMPARE(model.index(r, LogTableModel::ServiceColumn).data().toString(), service);
            if (minSeverity)
                QVERIFY(model.index(r, 0).data(LogTableModel::SeverityRole).toInt() >= minSeverity);
        }
    }

    void traceColumnAndRoles()
    {
        LogTableModel model;
        model.setReader(m_reader.get());
        model.setQuery(LogQuery{});
        // Line 0 carries trace 0; line 1 none.
        QCOMPARE(model.traceIdAt(0), traceIdOf(0));
        QCOMPARE(model.index(0, LogTableModel::TraceColumn).data(LogTableModel::TraceIdRole).toString(),
                 QString::fromStdString(traceIdOf(0).toHex()));
        QVERIFY(!model.traceIdAt(1).isValid());
        QVERIFY(model.index(1, LogTableModel::TraceColumn).data().toString().isEmpty());
        // Line 7 is an error: coloured and tinted.
        QCOMPARE(model.index(7, LogTableModel::SeverityColumn).data().toString(), QStringLiteral("ERROR"));
        QVERIFY(model.index(7, LogTableModel::BodyColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(6, LogTableModel::BodyColumn).data(Qt::BackgroundRole).isValid());
    }

    void resetOnNewQueryAndNoReader()
    {
        LogTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        model.setReader(m_reader.get());
        QCOMPARE(model.rowCount(), model.pageSize());
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 2 * model.pageSize());
        LogQuery q;
        q.window = {kT0, kT0 + Duration::seconds(2)};
        model.setQuery(q);
        QCOMPARE(model.rowCount(), 2 * kLogsPerSecond);
        QVERIFY(!model.canFetchMore({}));
        model.setReader(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestLogTableModel)
#include "tst_log_table_model.moc"
