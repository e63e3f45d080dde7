// Opening files that are not (or not quite) Rootline caches: each is refused with an error naming
// the file and what is wrong, and its bytes are the same afterwards. And migration of old schemas.

#include "CacheTestUtil.h"
#include "cache/Schema.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <sys/stat.h>

using namespace rootline;
using namespace rootline::testutil;

namespace {

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

bool execSql(const QString& path, const char* sql)
{
    sqlite3* db = nullptr;
    bool ok = sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK;
    char* err = nullptr;
    ok = ok && sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK;
    if (err) {
        qWarning("%s", err);
        sqlite3_free(err);
    }
    sqlite3_close(db);
    return ok;
}

LogRecord logAt(int64_t seconds, std::string body)
{
    LogRecord l;
    l.time = Timestamp::fromSeconds(seconds);
    l.body = std::move(body);
    return l;
}

// A real cache with enough rows to span many pages, writer closed (WAL checkpointed away).
bool makeRealCache(const QString& path, int rows = 3000)
{
    auto w = openWriter(path.toStdString());
    if (!w)
        return false;
    TelemetryBatch b;
    for (int i = 0; i < rows; ++i)
        b.logs.push_back(logAt(1000 + i, "line " + std::to_string(i) + " with some text to fill pages"));
    FetchRecord f;
    f.source = "file";
    f.kind = "import";
    return w->write(b, f).ok();
}

} // namespace

class TestCacheOpen : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString file(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // An empty file is what a writer's first open leaves until its schema commits: another writer
    // (another process, at the same moment) takes it over instead of refusing it; a reader, with
    // nothing to read, still refuses it.
    void emptyFileIsTakenOverByAWriter()
    {
        const QString path = file(QStringLiteral("empty.rootline"));
        QVERIFY(writeFile(path, QByteArray()));
        auto r = CacheReader::open(path.toStdString());
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error().message()).contains(QStringLiteral("empty")), r.error().message().c_str());
        auto w = CacheWriter::open(path.toStdString());
        QVERIFY2(w.ok(), w.ok() ? "" : w.error().message().c_str());
        w->reset();
        QVERIFY(CacheReader::open(path.toStdString()).ok());
    }

    void refused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("why");    // a piece of the error, the same for reader and writer
        QTest::addColumn<bool>("readerToo"); // false: only a writer must refuse it

        // Each row's file is made in refused() from its name.
        QTest::newRow("text file") << "notes.txt" << "not a SQLite database" << true;
        QTest::newRow("png") << "picture.png" << "not a SQLite database" << true;
        QTest::newRow("shorter than a header") << "short.rootline" << "shorter than a SQLite header" << true;
        QTest::newRow("other app's database") << "other.sqlite" << "not a Rootline cache (application id differs)" << true;
        QTest::newRow("other app's database, open in WAL") << "otherwal.sqlite" << "application id differs" << true;
        QTest::newRow("newer schema") << "newer.rootline" << "newer Rootline (schema 99" << true;
        QTest::newRow("truncated") << "truncated.rootline" << "truncated" << true;
        QTest::newRow("read-only file") << "readonly.rootline" << "read-only" << false;
        QTest::newRow("directory") << "adir.rootline" << "is a directory" << true;
    }

    void refused()
    {
        QFETCH(QString, name);
        QFETCH(QString, why);
        QFETCH(bool, readerToo);
        const QString path = file(name);
        sqlite3* holder = nullptr; // keeps "otherwal" open, as another program would
        if (name == QLatin1String("notes.txt")) {
            QVERIFY(writeFile(path, QByteArray("just some notes\nnot a database at all\n").repeated(20)));
        } else if (name == QLatin1String("empty.rootline")) {
            QVERIFY(writeFile(path, QByteArray()));
        } else if (name == QLatin1String("picture.png")) {
            QByteArray png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
            for (int i = 0; i < 500; ++i)
                png.append(char(i * 37 % 256));
            QVERIFY(writeFile(path, png));
        } else if (name == QLatin1String("short.rootline")) {
            QVERIFY(writeFile(path, QByteArray("SQLite format 3\0\x10\0", 19)));
        } else if (name == QLatin1String("other.sqlite")) {
            QVERIFY(execSql(path, "CREATE TABLE contacts(name TEXT, phone TEXT); INSERT INTO contacts VALUES('Ada', '123');"));
        } else if (name == QLatin1String("otherwal.sqlite")) {
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &holder), SQLITE_OK);
            QCOMPARE(sqlite3_exec(holder,
                                  "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x);"
                                  " INSERT INTO t VALUES(1),(2),(3);",
                                  nullptr, nullptr, nullptr),
                     SQLITE_OK);
            QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        } else if (name == QLatin1String("newer.rootline")) {
            QVERIFY(execSql(path, "CREATE TABLE future(x); PRAGMA application_id = 1383034740; PRAGMA user_version = 99;"));
        } else if (name == QLatin1String("truncated.rootline")) {
            const QString whole = file(QStringLiteral("whole.rootline"));
            QVERIFY(makeRealCache(whole));
            QFile in(whole);
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QByteArray bytes = in.readAll();
            QVERIFY(bytes.size() > 64 * 1024);
            QVERIFY(writeFile(path, bytes.left(bytes.size() / 2)));
        } else if (name == QLatin1String("readonly.rootline")) {
            QVERIFY(makeRealCache(path, 100));
            QVERIFY(::chmod(path.toUtf8().constData(), 0444) == 0);
        } else if (name == QLatin1String("adir.rootline")) {
            QVERIFY(QDir(m_dir.path()).mkdir(name));
        }
        const QByteArray before = fileChecksum(path);
        const auto walBefore = QFileInfo(path + QStringLiteral("-wal")).size();

        auto w = CacheWriter::open(path.toStdString());
        QVERIFY2(!w.ok(), "the writer opened it");
        const QString message = QString::fromStdString(w.error().message());
        QVERIFY2(message.contains(why), qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable(message)); // names the file

        auto r = CacheReader::open(path.toStdString());
        if (readerToo) {
            QVERIFY2(!r.ok(), "the reader opened it");
            const QString readerMessage = QString::fromStdString(r.error().message());
            QVERIFY2(readerMessage.contains(why), qPrintable(readerMessage));
            QVERIFY2(readerMessage.contains(path), qPrintable(readerMessage));
        } else {
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
            QCOMPARE(*(*r)->countLogs({}), int64_t(100));
            r = Error{}; // close before comparing bytes
        }
        // Nothing was written: not the file, nor a WAL beside it.
        QCOMPARE(fileChecksum(path), before);
        if (holder) {
            QCOMPARE(QFileInfo(path + QStringLiteral("-wal")).size(), walBefore);
            sqlite3_close(holder);
        } else if (!QFileInfo(path).isDir()) {
            QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")) || QFileInfo(path + QStringLiteral("-wal")).size() == 0);
        }
    }

    void missingFile()
    {
        const QString path = file(QStringLiteral("nothing-here.rootline"));
        auto r = CacheReader::open(path.toStdString());
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error().message()).contains(QLatin1String("no such file")));
        QVERIFY(!QFileInfo::exists(path)); // a reader never creates one
        auto w = CacheWriter::open(path.toStdString());
        QVERIFY(w.ok()); // a writer does
        QVERIFY(QFileInfo::exists(path));
    }

    void readerWhileWriterHoldsUncheckpointedWal()
    {
        // A new cache whose schema is still only in the WAL: its main file's header says nothing yet.
        const QString path = file(QStringLiteral("live.rootline"));
        auto w = openWriter(path.toStdString());
        QVERIFY(w);
        TelemetryBatch b;
        b.logs.push_back(logAt(1, "hello"));
        QVERIFY(w->write(b, FetchRecord{}).ok());
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        auto r = CacheReader::open(path.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(*(*r)->countLogs({}), int64_t(1));
        // A second writer on the same file (another window) also opens it.
        auto w2 = CacheWriter::open(path.toStdString());
        QVERIFY2(w2.ok(), w2.ok() ? "" : w2.error().message().c_str());
    }

    void migrationFromSchema1()
    {
        const QString path = file(QStringLiteral("v1.rootline"));
        const std::string v1 = cache::schemaAtVersion(1);
        QVERIFY(execSql(path, v1.c_str()));
        QVERIFY(execSql(path,
                        "INSERT INTO resources VALUES(1, 'k', 'legacy', '', '', '', '', '', '', '{}');"
                        "INSERT INTO fetches(id, source, kind, query, fetched_at, rows, complete) VALUES(1, 'file', 'import', 'old.json', 5, 2, 1);"
                        "INSERT INTO logs VALUES(1, 1000000000, 1000000000, 9, 'INFO', 'old line one', '{}', NULL, NULL, 1, 1);"
                        "INSERT INTO logs VALUES(2, 2000000000, 2000000000, 17, 'ERROR', 'old line two', '{\"a\":1}', NULL, NULL, 1, 1);"
                        "INSERT INTO logs_fts(rowid, body) VALUES(1, 'old line one'), (2, 'old line two');"
                        "INSERT INTO series VALUES(1, 'up{}', 'up', '{}', 0, '', 1);"));
        {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
            sqlite3_stmt* st = nullptr;
            sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
            QCOMPARE(sqlite3_step(st), SQLITE_ROW);
            QCOMPARE(sqlite3_column_int(st, 0), 1);
            sqlite3_finalize(st);
            sqlite3_close(db);
        }
        // A reader refuses an old schema without touching it.
        const QByteArray before = fileChecksum(path);
        auto old = CacheReader::open(path.toStdString());
        QVERIFY(!old.ok());
        QVERIFY2(QString::fromStdString(old.error().message()).contains(QLatin1String("older schema (1)")), old.error().message().c_str());
        QCOMPARE(fileChecksum(path), before);

        // A writer migrates it in place; the old rows are all still there.
        {
            auto w = openWriter(path.toStdString());
            QVERIFY(w);
            auto unit = w->begin(FetchRecord{});
            TelemetryBatch b;
            b.logs.push_back(logAt(3, "new line three"));
            QVERIFY(unit->append(b).ok());
            unit->reject("x.json:1", "bad", "{"); // needs the version-2 table
            QVERIFY(unit->commit().ok());
        }
        auto r = openReader(path.toStdString());
        QVERIFY(r);
        QCOMPARE(*r->database().queryInt("PRAGMA user_version"), int64_t(cache::kSchemaVersion));
        QCOMPARE(*r->database().queryInt("PRAGMA application_id"), int64_t(cache::kApplicationId));
        auto logs = r->logPage({}, std::nullopt, 10);
        QVERIFY(logs.ok());
        QCOMPARE(logs->size(), size_t(3));
        QCOMPARE(QString::fromStdString((*logs)[0].body), QStringLiteral("old line one"));
        QCOMPARE((*logs)[1].severity, 17);
        QCOMPARE(QString::fromStdString((*logs)[1].resource->serviceName), QStringLiteral("legacy"));
        LogQuery search;
        search.text = "old";
        QCOMPARE(*r->countLogs(search), int64_t(2));
        QCOMPARE(r->listSeries()->size(), size_t(1));
        QCOMPARE(r->fetches()->size(), size_t(2));
        QCOMPARE(r->rejections()->size(), size_t(1));
    }

    void migrationFromSchema2()
    {
        // Version 3 keys spans by (trace, span_id), exemplars and alerts by their content: copies a
        // version-2 file already holds are removed (first span and exemplar kept, newest alert),
        // and the full-text index is rebuilt without its size table.
        const QString path = file(QStringLiteral("v2.rootline"));
        QVERIFY(execSql(path, cache::schemaAtVersion(2).c_str()));
        QVERIFY(execSql(path,
                        "INSERT INTO logs VALUES(1, 1000000000, 1000000000, 9, 'INFO', 'old line one', '{}', 1, NULL, NULL, NULL);"
                        "INSERT INTO logs VALUES(2, 2000000000, 2000000000, 17, 'ERROR', 'old line two', '{}', NULL, NULL, NULL, NULL);"
                        // Only the first log was indexed (a bulk load that never rebuilt): the migration indexes both.
                        "INSERT INTO logs_fts(rowid, body) VALUES(1, 'old line one');"
                        "INSERT INTO traces VALUES(1, x'00000000000000010000000000000002', 5, 9, 4, 2, 'front', 'GET /');"
                        "INSERT INTO traces VALUES(2, x'00000000000000010000000000000003', 5, 9, 1, 0, 'front', 'GET /b');"
                        "INSERT INTO spans(id, trace, span_id, name, kind, start_ts, duration, status, status_message, attributes, events, links)"
                        " VALUES(1, 1, 10, 'GET /', 2, 5, 4, 2, '', '{}', '[]', '[]'),"
                        "       (2, 1, 11, 'db', 3, 6, 1, 0, '', '{}', '[]', '[]'),"
                        "       (3, 1, 10, 'GET / copy', 2, 5, 4, 2, '', '{}', '[]', '[]'),"
                        "       (4, 1, 11, 'db copy', 3, 6, 1, 0, '', '{}', '[]', '[]'),"
                        "       (5, 2, 10, 'GET /b', 2, 5, 4, 0, '', '{}', '[]', '[]');"
                        "INSERT INTO series VALUES(1, 'lat{}', 'lat', '{}', 2, '', NULL);"
                        "INSERT INTO exemplars VALUES(1, 1, 100, 0.5, 1, 10, '{}'), (2, 1, 100, 0.5, 1, 10, '{}'),"
                        " (3, 1, 100, NULL, NULL, NULL, '{}'), (4, 1, 100, NULL, NULL, NULL, '{}'), (5, 1, 100, 0.6, 1, 10, '{}');"
                        "INSERT INTO alerts VALUES(1, 'A', '{\"service\":\"x\",\"env\":\"prod\"}', '{}', 1, NULL, 1, 'prom'),"
                        " (2, 'A', '{\"env\":\"prod\",\"service\":\"x\"}', '{}', 2, NULL, 2, 'prom'),"
                        " (3, 'A', '{\"env\":\"dev\",\"service\":\"x\"}', '{}', 1, NULL, 3, 'prom');"));
        {
            auto w = openWriter(path.toStdString());
            QVERIFY(w);
            // The writer's span identity holds against the migrated rows too.
            Span again;
            again.traceId = TraceId{1, 2};
            again.spanId = SpanId{10};
            again.name = "GET / third copy";
            TelemetryBatch b;
            b.spans.push_back(again);
            auto stats = w->write(b, FetchRecord{});
            QVERIFY(stats.ok());
            QCOMPARE(stats->duplicates, int64_t(1));
        }
        auto r = openReader(path.toStdString());
        QVERIFY(r);
        QCOMPARE(*r->database().queryInt("PRAGMA user_version"), int64_t(cache::kSchemaVersion));
        auto spans = r->traceSpans(TraceId{1, 2});
        QVERIFY(spans.ok());
        QCOMPARE(spans->size(), size_t(2));
        QCOMPARE(QString::fromStdString((*spans)[0].name), QStringLiteral("GET /"));
        auto summary = r->traceSummary(TraceId{1, 2});
        QVERIFY(summary.ok() && summary->has_value());
        QCOMPARE((*summary)->spanCount, int64_t(2));
        QCOMPARE((*summary)->errorCount, int64_t(1));
        QCOMPARE((**r->traceSummary(TraceId{1, 3})).spanCount, int64_t(1)); // untouched
        QCOMPARE(*r->database().queryInt("SELECT count(*) FROM exemplars"), int64_t(3));
        QCOMPARE(*r->database().queryInt("SELECT count(*) FROM exemplars WHERE id IN (1, 3, 5)"), int64_t(3));
        auto alerts = r->alerts();
        QVERIFY(alerts.ok());
        QCOMPARE(alerts->size(), size_t(2));
        for (const Alert& a : *alerts) {
            QCOMPARE(a.labels.front().first, std::string("env")); // sorted now
            if (a.labels.front().second == "prod")
                QCOMPARE(a.value, 2.0); // the newer of the two copies
        }
        LogQuery search;
        search.text = "old";
        auto found = r->countLogs(search);
        QVERIFY2(found.ok(), found.ok() ? "" : found.error().message().c_str());
        QCOMPARE(*found, int64_t(2));
        QCOMPARE(*r->database().queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'logs_fts_docsize'"), int64_t(0));
    }

    void migrationFromSchema4()
    {
        // Version 5 gives series a stream and a temporality (issue 12): series stored before have
        // neither, and read as they always did — cumulative, their key unchanged.
        const QString path = file(QStringLiteral("v4.rootline"));
        QVERIFY(execSql(path, cache::schemaAtVersion(4).c_str()));
        QVERIFY(execSql(path, "INSERT INTO series VALUES(1, 'reqs{}', 'reqs', '{}', 1, '', NULL);"
                              "INSERT INTO histogram_samples VALUES(1, 60, 10, 1, '[]'), (1, 120, 30, 3, '[]');"));
        {
            auto w = openWriter(path.toStdString());
            QVERIFY(w);
        }
        auto r = openReader(path.toStdString());
        QVERIFY(r);
        QCOMPARE(*r->database().queryInt("PRAGMA user_version"), int64_t(cache::kSchemaVersion));
        auto list = r->listSeries();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(1));
        const Series& s = list->front().series;
        QCOMPARE(s.temporality, Temporality::Cumulative);
        QCOMPARE(s.key(), std::string("reqs{}"));
        auto rows = r->histograms(s.rowId, TimeWindow::all());
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(2));
        QCOMPARE(rows->back().count, 30.0); // as stored, not summed
    }

    void migrationFromSchema5()
    {
        // Version 6 gives each log line an identity (resource, time, body, attributes): copies a
        // version-5 file holds from a later file or fetch are removed, from the full-text index
        // too; copies one fetch said twice stay; the writer's identity then holds against them.
        const QString path = file(QStringLiteral("v5.rootline"));
        QVERIFY(execSql(path, cache::schemaAtVersion(5).c_str()));
        QVERIFY(execSql(path,
                        "INSERT INTO resources VALUES(1, 'checkout\x1f\x1f\x1f\x1f\x1f\x1f\x1f', 'checkout', '', '', '', '', '', '', '{}');"
                        "INSERT INTO fetches(id, source, kind, query, fetched_at, rows, complete) VALUES(1, 'file', 'import', 'a.json', 5, 4, 1),"
                        " (2, 'loki', 'logs', '{}', 6, 3, 1);"
                        "INSERT INTO logs VALUES(1, 1000, 1000, 9, 'INFO', 'twice', '{}', NULL, NULL, 1, 1),"
                        " (2, 1000, 1000, 9, 'INFO', 'twice', '{}', NULL, NULL, 1, 1),"
                        " (3, 2000, 2000, 9, 'INFO', 'shared', '{}', NULL, NULL, 1, 1),"
                        " (4, 2000, 2000, 9, 'INFO', 'shared', '{\"a\":1}', NULL, NULL, 1, 1),"
                        " (5, 2000, 2000, 9, 'INFO', 'shared', '{}', NULL, NULL, 1, 2),"
                        " (6, 1000, 1000, 9, 'INFO', 'twice', '{}', NULL, NULL, 1, 2),"
                        " (7, 3000, 3000, 9, 'INFO', 'shared', '{}', NULL, NULL, NULL, 2);"
                        "INSERT INTO logs_fts(rowid, body) SELECT id, body FROM logs;"));
        {
            auto w = openWriter(path.toStdString());
            QVERIFY(w);
            TelemetryBatch b;
            LogRecord again;
            again.time = Timestamp::fromNanos(2000);
            again.body = "shared";
            again.resource = makeResource(Attributes{{"service.name", std::string("checkout")}});
            b.logs.push_back(again);
            auto stats = w->write(b, FetchRecord{});
            QVERIFY(stats.ok());
            QCOMPARE(stats->logs, int64_t(0));
            QCOMPARE(stats->duplicates, int64_t(1));
        }
        auto r = openReader(path.toStdString());
        QVERIFY(r);
        QCOMPARE(*r->database().queryInt("PRAGMA user_version"), int64_t(cache::kSchemaVersion));
        auto page = r->logPage({}, std::nullopt, 10);
        QVERIFY(page.ok());
        std::vector<int64_t> ids;
        for (const auto& l : *page)
            ids.push_back(l.rowId);
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, (std::vector<int64_t>{1, 2, 3, 4, 7})); // 5 and 6 were the loki fetch's copies
        LogQuery search;
        search.text = "shared";
        QCOMPARE(*r->countLogs(search), int64_t(3));
        search.text = "twice";
        QCOMPARE(*r->countLogs(search), int64_t(2));
    }

    void schemaAtVersionMatchesMigration()
    {
        // A file made fresh and a file migrated from version 1 end with the same schema.
        const QString fresh = file(QStringLiteral("fresh.rootline"));
        const QString migrated = file(QStringLiteral("migrated.rootline"));
        QVERIFY(openWriter(fresh.toStdString()));
        QVERIFY(execSql(migrated, cache::schemaAtVersion(1).c_str()));
        QVERIFY(openWriter(migrated.toStdString()));
        auto schemaOf = [](const QString& path) {
            std::vector<std::string> lines;
            for (const auto& line : contentDump(path.toStdString()))
                if (line.rfind("schema ", 0) == 0 || line.rfind("PRAGMA", 0) == 0)
                    lines.push_back(line);
            return lines;
        };
        QCOMPARE(schemaOf(migrated), schemaOf(fresh));
        QVERIFY(!schemaOf(fresh).empty());
    }

    void unreadableGarbageAfterHeader()
    {
        // A valid header followed by garbage pages: refused with an error, never a crash.
        const QString whole = file(QStringLiteral("whole2.rootline"));
        QVERIFY(makeRealCache(whole, 500));
        QFile in(whole);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        for (qsizetype i = 4096; i < bytes.size(); ++i)
            bytes[i] = char(i * 31 % 251);
        const QString path = file(QStringLiteral("garbage.rootline"));
        QVERIFY(writeFile(path, bytes));
        const QByteArray before = fileChecksum(path);
        auto r = CacheReader::open(path.toStdString());
        if (r.ok()) {
            auto count = (*r)->countLogs({});
            QVERIFY(!count.ok());
            QVERIFY(QString::fromStdString(count.error().message()).contains(path));
        }
        QCOMPARE(fileChecksum(path), before);
    }
};

QTEST_GUILESS_MAIN(TestCacheOpen)
#include "tst_cache_open.moc"
