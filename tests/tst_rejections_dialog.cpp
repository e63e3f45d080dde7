// View → Rejected records… (issue 12 item 4), offscreen: the dialog reads every rejection of the
// open cache on a worker and shows level, file or fetch, location, reason and snippet, as
// `rootline-cli stats --json` lists them; its model passes QAbstractItemModelTester.

#include "CacheSession.h"
#include "RejectionsDialog.h"
#include "cache/CacheWriter.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

class TestRejectionsDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_caches = 0;

    // A cache with two imports: one file with an error and a warning, one fetch with a note.
    QString cacheWithRejections()
    {
        const QString path = m_dir.filePath(QStringLiteral("r%1.rootline").arg(++m_caches));
        auto writer = CacheWriter::open(path.toStdString());
        if (!writer)
            qFatal("%s", writer.error().message().c_str());
        {
            auto unit = (*writer)->begin(FetchRecord{.source = "file", .kind = "import", .query = "/data/app.log"});
            TelemetryBatch b;
            LogRecord log;
            log.time = Timestamp::fromSeconds(1'795'168'800);
            log.body = "kept";
            b.logs.push_back(log);
            if (!unit->append(b))
                qFatal("append");
            unit->reject("/data/app.log:12", "not JSON: unexpected '}'", "{\"msg\": \"half}\nsecond line", ProblemLevel::Error);
            unit->reject("/data/app.log:40", "bytes that were not UTF-8 replaced by U+FFFD", "caf\xef\xbf\xbd", ProblemLevel::Warning);
            if (!unit->commit(false))
                qFatal("commit");
        }
        {
            auto unit = (*writer)->begin(FetchRecord{.source = "loki-prod", .kind = "logs", .query = ""});
            unit->reject("", "window cut at whole milliseconds", "", ProblemLevel::Info);
            if (!unit->commit())
                qFatal("commit");
        }
        return path;
    }

private slots:
    void readsEveryRejectionWithItsInput()
    {
        const QString path = cacheWithRejections();
        auto reader = CacheReader::open(path.toStdString());
        QVERIFY(reader.ok());
        auto rows = readRejections(**reader);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(3));
        QCOMPARE((*rows)[0].level, ProblemLevel::Error);
        QCOMPARE((*rows)[0].input, QStringLiteral("/data/app.log"));
        QCOMPARE((*rows)[0].location, QStringLiteral("/data/app.log:12"));
        QCOMPARE((*rows)[1].level, ProblemLevel::Warning);
        QCOMPARE((*rows)[2].level, ProblemLevel::Info);
        QCOMPARE((*rows)[2].input, QStringLiteral("loki-prod")); // a fetch without a query: its source
    }

    void dialogShowsTheRowsOffTheUiThread()
    {
        const QString path = cacheWithRejections();
        CacheSession session;
        QVERIFY(session.open(path).ok());
        RejectionsDialog dialog(&session);
        QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&dialog, &RejectionsDialog::loaded);
        QCOMPARE(dialog.statusText(), QStringLiteral("Reading…"));
        QCOMPARE(dialog.model()->rowCount(), 0); // nothing read on the UI thread
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().first().toBool(), true);
        const RejectionsModel* m = dialog.model();
        QCOMPARE(m->rowCount(), 3);
        QCOMPARE(m->columnCount(), int(RejectionsModel::ColumnCount));
        QCOMPARE(m->headerData(RejectionsModel::Input, Qt::Horizontal).toString(), QStringLiteral("File or fetch"));
        auto cell = [&](int row, int column, int role = Qt::DisplayRole) { return m->data(m->index(row, column), role).toString(); };
        QCOMPARE(cell(0, RejectionsModel::Level), QStringLiteral("error"));
        QCOMPARE(cell(0, RejectionsModel::Input), QStringLiteral("/data/app.log"));
        QCOMPARE(cell(0, RejectionsModel::Location), QStringLiteral("/data/app.log:12"));
        QCOMPARE(cell(0, RejectionsModel::Reason), QStringLiteral("not JSON: unexpected '}'"));
        // A snippet of several lines shows its first; the tooltip holds it whole.
        QCOMPARE(cell(0, RejectionsModel::Snippet), QStringLiteral("{\"msg\": \"half} …"));
        QCOMPARE(cell(0, RejectionsModel::Snippet, Qt::ToolTipRole), QStringLiteral("{\"msg\": \"half}\nsecond line"));
        QCOMPARE(cell(1, RejectionsModel::Level), QStringLiteral("warning"));
        QCOMPARE(cell(1, RejectionsModel::Snippet), QString::fromUtf8("caf\xef\xbf\xbd"));
        QCOMPARE(cell(2, RejectionsModel::Level), QStringLiteral("info"));
        QCOMPARE(cell(2, RejectionsModel::Input), QStringLiteral("loki-prod"));
        QCOMPARE(m->data(m->index(1, RejectionsModel::Level), Qt::UserRole).toInt(), int(ProblemLevel::Warning));
        QVERIFY2(dialog.statusText().startsWith(QStringLiteral("1 rejected (errors), 1 kept with a warning, 1 notes")),
                 qPrintable(dialog.statusText()));

        // Refreshing swaps the snapshot whole (the tester checks the reset).
        dialog.reload();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(m->rowCount(), 3);
    }

    void noCacheOpen()
    {
        CacheSession session;
        RejectionsDialog dialog(&session);
        QCOMPARE(dialog.model()->rowCount(), 0);
        QCOMPARE(dialog.statusText(), QStringLiteral("No cache open."));
    }

    void aCacheWithoutRejectionsSaysSo()
    {
        const QString path = m_dir.filePath(QStringLiteral("clean.rootline"));
        QVERIFY(CacheWriter::open(path.toStdString()).ok());
        CacheSession session;
        QVERIFY(session.open(path).ok());
        RejectionsDialog dialog(&session);
        QSignalSpy loaded(&dialog, &RejectionsDialog::loaded);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(dialog.model()->rowCount(), 0);
        QVERIFY2(dialog.statusText().contains(QStringLiteral("nothing was rejected")), qPrintable(dialog.statusText()));
    }
};

QTEST_MAIN(TestRejectionsDialog)
#include "tst_rejections_dialog.moc"
