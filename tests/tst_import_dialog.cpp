// File → Import (issue 3 item 4) through the dialog's job API, offscreen: importing a fixture
// adds its records to the cache and reports them per file; cancelling leaves the cache unchanged.

#include "ImportDialog.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace rootline;

namespace {

CacheOverview overviewOf(const QString& path)
{
    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        qFatal("%s", reader.error().message().c_str());
    auto o = (*reader)->overview();
    if (!o)
        qFatal("%s", o.error().message().c_str());
    return *o;
}

} // namespace

class TestImportDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString newCache(const QString& name)
    {
        const QString path = m_dir.filePath(name);
        auto writer = CacheWriter::open(path.toStdString()); // creates the empty cache
        if (!writer)
            qFatal("%s", writer.error().message().c_str());
        return path;
    }

private slots:
    void importsAFixture()
    {
        const QString cache = newCache(QStringLiteral("a.rootline"));
        QCOMPARE(overviewOf(cache).logs, int64_t(0));
        ImportDialog dialog(cache);
        QVERIFY(!dialog.start()); // nothing to import yet
        dialog.addInputs({QStringLiteral(ROOTLINE_FIXTURES "/otlp/otlp-proto-examples-logs.json")});
        QCOMPARE(dialog.inputs().size(), 1);
        QSignalSpy finished(&dialog, &ImportDialog::finished);
        QSignalSpy imported(&dialog, &ImportDialog::imported);
        QVERIFY(dialog.start());
        QVERIFY(dialog.isRunning());
        QVERIFY(!dialog.start()); // one job at a time
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(imported.size(), 1);
        QVERIFY2(dialog.summary().has_value(), qPrintable(dialog.errorText()));
        const ImportSummary s = *dialog.summary(); // a copy: the next import replaces it
        QVERIFY(!s.cancelled);
        QCOMPARE(int(s.files.size()), 1);
        QCOMPARE(s.files.front().outcome, ImportFileResult::Outcome::Imported);
        QVERIFY(s.totals.logs > 0);
        QCOMPARE(overviewOf(cache).logs, s.totals.logs);
        // The summary view lists the file with its format and counts.
        QCOMPARE(dialog.resultView()->topLevelItemCount(), 1);
        QVERIFY(!dialog.resultView()->topLevelItem(0)->text(1).isEmpty());
        QVERIFY(dialog.resultView()->topLevelItem(0)->text(3).contains(QStringLiteral("logs")));
        // For looking at it: ROOTLINE_TEST_SHOTS=DIR writes the dialog as it stands.
        if (const QString dir = qEnvironmentVariable("ROOTLINE_TEST_SHOTS"); !dir.isEmpty())
            QVERIFY(dialog.grab().save(dir + QStringLiteral("/import-dialog.png")));

        // The same content again: recognised as a duplicate, nothing stored, no reload asked.
        QVERIFY(dialog.start());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.last().first().toBool(), false);
        QCOMPARE(imported.size(), 1);
        QCOMPARE(dialog.summary()->files.front().outcome, ImportFileResult::Outcome::Duplicate);
        QCOMPARE(overviewOf(cache).logs, s.totals.logs);
    }

    void cancelLeavesTheCacheUnchanged()
    {
        const QString cache = newCache(QStringLiteral("b.rootline"));
        // A plain log file big enough that the import is still running when Cancel arrives.
        const QString big = m_dir.filePath(QStringLiteral("big.log"));
        {
            QFile f(big);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray chunk;
            for (int i = 0; i < 400000; ++i)
                chunk += "2026-11-20T12:00:00.000Z INFO checkout request handled in 12 ms order=" + QByteArray::number(i) + "\n";
            QVERIFY(f.write(chunk) == chunk.size());
        }
        const CacheOverview before = overviewOf(cache);
        ImportDialog dialog(cache);
        dialog.addInputs({big});
        QSignalSpy finished(&dialog, &ImportDialog::finished);
        QSignalSpy imported(&dialog, &ImportDialog::imported);
        QVERIFY(dialog.start());
        dialog.cancel();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(imported.size(), 0);
        QVERIFY(dialog.summary().has_value());
        QVERIFY(dialog.summary()->cancelled);
        const CacheOverview after = overviewOf(cache);
        QCOMPARE(after.logs, before.logs);
        QCOMPARE(after.spans, before.spans);
        QCOMPARE(after.samples, before.samples);
    }
};

QTEST_MAIN(TestImportDialog)
#include "tst_import_dialog.moc"
