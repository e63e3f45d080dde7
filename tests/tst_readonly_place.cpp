// Caches in places nobody can write (issue 13, item 5): a WAL-mode cache on a read-only mount used
// to fail with "unable to open database file", since SQLite would create a -shm beside it to read
// it. It now opens immutable. The read-only mount is real: `unshare --map-root-user --mount` gives
// the test its own mount namespace, where it binds the cache's folder read-only over itself.

#include "CacheTestUtil.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace rootline;

class TestReadOnlyPlace : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // Runs `rootline-cli ARGS` with m_dir mounted read-only; returns (exit code, stdout + stderr).
    std::pair<int, QString> cliInReadOnlyFolder(const QStringList& args)
    {
        QString command = QStringLiteral("mount --bind -o ro '%1' '%1' && exec '%2'").arg(m_dir.path(), QStringLiteral(ROOTLINE_CLI));
        for (const QString& a : args)
            command += QStringLiteral(" '") + a + QLatin1Char('\'');
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("unshare"), {QStringLiteral("--map-root-user"), QStringLiteral("--mount"), QStringLiteral("sh"),
                                            QStringLiteral("-c"), command});
        if (!p.waitForFinished(60000))
            return {-1, QStringLiteral("timed out")};
        return {p.exitCode(), QString::fromUtf8(p.readAll())};
    }

    // A WAL-mode cache with `logs` log lines; `keepWal` leaves its last transaction in the -wal.
    void makeCache(const std::string& path, int logs, bool keepWal)
    {
        auto writer = testutil::openWriter(path);
        QVERIFY(writer);
        auto unit = testutil::beginTestUnit(*writer);
        TelemetryBatch batch = testutil::numberedLogs(logs);
        QVERIFY(unit->append(std::move(batch)));
        QVERIFY(unit->commit());
        if (keepWal) {
            // Copy the file and its -wal while the writer still has them open (not checkpointed).
            const std::string copy = path + ".pending";
            std::filesystem::copy_file(path, copy);
            std::filesystem::copy_file(path + "-wal", copy + "-wal");
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void walCacheOnAReadOnlyMountOpens()
    {
        const std::string path = m_dir.filePath(QStringLiteral("wal.rootline")).toStdString();
        makeCache(path, 25, false);
        QVERIFY(!std::filesystem::exists(path + "-shm")); // closed cleanly: nothing beside it
        const auto [code, out] = cliInReadOnlyFolder({QStringLiteral("stats"), QStringLiteral("--cache"),
                                                      QString::fromStdString(path), QStringLiteral("--json")});
        QVERIFY2(code == 0, qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("\"logs\": 25")) || out.contains(QStringLiteral("\"logs\":25")), qPrintable(out));
    }

    void unappliedWalOnAReadOnlyMountIsAClearError()
    {
        const std::string path = m_dir.filePath(QStringLiteral("pending.rootline")).toStdString();
        makeCache(path, 5, true);
        QVERIFY(std::filesystem::file_size(path + ".pending-wal") > 0);
        const auto [code, out] = cliInReadOnlyFolder({QStringLiteral("stats"), QStringLiteral("--cache"),
                                                      QString::fromStdString(path + ".pending")});
        QCOMPARE(code, 2);
        QVERIFY2(out.contains(QStringLiteral("-wal")) && out.contains(QStringLiteral("copy the file together with its -wal")),
                 qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestReadOnlyPlace)
#include "tst_readonly_place.moc"
