// One cache, many writers (issue 13, item 3). Two `rootline-cli import` processes into one cache
// used to store a file twice (both passed the content-hash check before either committed), lose
// a whole file ("database is locked" after SQLite's 5 s), or refuse a cache the other had just
// created as "empty" or, caught mid-creation, as "not a Rootline cache". Writers now take turns, the hash check sits inside the write transaction,
// and a writer that waits says for whom.

#include "CacheTestUtil.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace rootline;

class TestConcurrentWriters : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string path(const QString& name) const { return m_dir.filePath(name).toStdString(); }

    // JSON-lines logs, `lines` of them, each body tagged with `tag` (so files differ in content).
    std::string writeLogs(const QString& name, int lines, const std::string& tag)
    {
        std::string text;
        for (int i = 0; i < lines; ++i)
            text += "{\"time\":\"" + Timestamp::fromSeconds(1'795'168'800 + i).toRfc3339() + "\",\"level\":\"info\",\"msg\":\""
                    + tag + " " + std::to_string(i) + "\"}\n";
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write");
        f.write(text.data(), qint64(text.size()));
        return path(name);
    }

    static QProcess* startImport(const std::string& cache, const std::string& input)
    {
        auto* p = new QProcess;
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->start(QStringLiteral(ROOTLINE_CLI), {QStringLiteral("import"), QStringLiteral("--cache"), QString::fromStdString(cache),
                                                QString::fromStdString(input)});
        return p;
    }

    static int64_t logsIn(const std::string& cache)
    {
        auto reader = testutil::openReader(cache);
        if (!reader)
            return -1;
        auto o = reader->overview();
        return o ? o->logs : -1;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Each run: a fresh cache, two different files and one file twice, all at once. The result
    // must be what running them one after the other gives: each file's lines exactly once.
    void importsAtOnceGiveTheSequentialResult()
    {
        const std::string a = writeLogs(QStringLiteral("a.jsonl"), 40000, "alpha");
        const std::string b = writeLogs(QStringLiteral("b.jsonl"), 40000, "beta");
        for (int run = 0; run < 3; ++run) {
            const std::string cache = path(QStringLiteral("run%1.rootline").arg(run));
            std::vector<std::unique_ptr<QProcess>> procs;
            procs.emplace_back(startImport(cache, a));
            procs.emplace_back(startImport(cache, b));
            procs.emplace_back(startImport(cache, a));
            for (auto& p : procs) {
                QVERIFY(p->waitForFinished(120000));
                QVERIFY2(p->exitCode() == 0, p->readAll().constData());
            }
            QCOMPARE(logsIn(cache), int64_t(80000));
        }
    }

    // Six writers creating one new cache at once. A writer that found the file already there used
    // to check it in three separate reads; another's schema commit between them made a cache with
    // tables but no application id, refused as "not a Rootline cache" (about one round in ten).
    void firstOpensAtOnceAllSucceed()
    {
        std::vector<std::string> inputs;
        for (int i = 0; i < 6; ++i)
            inputs.push_back(writeLogs(QStringLiteral("small%1.jsonl").arg(i), 50, "tag" + std::to_string(i)));
        for (int round = 0; round < 15; ++round) {
            const std::string cache = path(QStringLiteral("first%1.rootline").arg(round));
            std::vector<std::unique_ptr<QProcess>> procs;
            for (const auto& input : inputs)
                procs.emplace_back(startImport(cache, input));
            for (auto& p : procs) {
                QVERIFY(p->waitForFinished(60000));
                QVERIFY2(p->exitCode() == 0, p->readAll().constData());
            }
            QCOMPARE(logsIn(cache), int64_t(300));
        }
    }

    // A writer holding a unit open (here, this process) makes a CLI import wait — and say so,
    // naming this process — instead of failing after five seconds; it finishes once the unit has.
    void aWaitingWriterSaysForWhomAndFinishes()
    {
        const std::string cache = path(QStringLiteral("held.rootline"));
        const std::string input = writeLogs(QStringLiteral("c.jsonl"), 100, "gamma");
        auto writer = testutil::openWriter(cache);
        QVERIFY(writer);
        auto unit = testutil::beginTestUnit(*writer);
        TelemetryBatch batch = testutil::numberedLogs(1, "held");
        QVERIFY(unit->append(std::move(batch)));
        // The unit's transaction begins when its first batch is stored: give the writer thread that.
        QTest::qWait(300);

        std::unique_ptr<QProcess> import(startImport(cache, input));
        QByteArray said;
        QTRY_VERIFY_WITH_TIMEOUT((said += import->readAll()).contains("waiting for another Rootline writing this cache"), 15000);
        const QByteArray pid = "PID " + QByteArray::number(qint64(getpid()));
        QVERIFY2(said.contains(pid), said.constData());
        QTest::qWait(6000); // longer than SQLite's old 5 s busy timeout: still waiting, not failed
        QCOMPARE(import->state(), QProcess::Running);
        QVERIFY(unit->commit());
        QVERIFY(import->waitForFinished(60000));
        said += import->readAll();
        QVERIFY2(import->exitCode() == 0, said.constData());
        writer.reset();
        QCOMPARE(logsIn(cache), int64_t(101));
    }
};

QTEST_GUILESS_MAIN(TestConcurrentWriters)
#include "tst_concurrent_writers.moc"
