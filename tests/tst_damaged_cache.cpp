// A cache that SQLite's quick_check finds damaged (issue 13, item 2): it used to be read and even
// written without a word. It can still be read, says what is wrong, and is never written.

#include "CacheTestUtil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

class TestDamagedCache : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string makeCache(const QString& name, int logs)
    {
        const std::string path = m_dir.filePath(name).toStdString();
        auto writer = testutil::openWriter(path);
        if (!writer)
            return {};
        FetchRecord fetch;
        fetch.source = "test";
        fetch.kind = "import";
        TelemetryBatch batch = testutil::numberedLogs(logs, "a log line long enough to fill pages");
        if (!writer->write(std::move(batch), fetch))
            return {};
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void soundCacheHasNoProblems()
    {
        const std::string path = makeCache(QStringLiteral("sound.rootline"), 2000);
        QVERIFY(!path.empty());
        auto reader = testutil::openReader(path);
        QVERIFY(reader);
        auto problems = reader->integrityProblems();
        QVERIFY(problems);
        QCOMPARE(*problems, std::string());
    }

    void damagedCacheIsReadButNeverWritten()
    {
        const std::string path = makeCache(QStringLiteral("damaged.rootline"), 5000);
        QVERIFY(!path.empty());
        {
            // Overwrite the header of a b-tree page in the middle of the file, as a bad disk would.
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.size() > 20 * 4096);
            QVERIFY(f.seek(9 * 4096));
            QCOMPARE(f.write(QByteArray(64, '\xff')), qint64(64));
        }
        auto reader = testutil::openReader(path);
        QVERIFY(reader); // still readable
        auto problems = reader->integrityProblems();
        QVERIFY(problems);
        QVERIFY2(!problems->empty(), "quick_check should have found the damaged page");

        auto writer = CacheWriter::open(path);
        QVERIFY(!writer);
        QVERIFY2(writer.error().what.find("damaged") != std::string::npos, writer.error().message().c_str());
        QVERIFY2(writer.error().what.find("will not write") != std::string::npos, writer.error().message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestDamagedCache)
#include "tst_damaged_cache.moc"
