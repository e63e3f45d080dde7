// Importing a `.rootline` bundle: recognised by content, copied in one unit, deduplicated by the
// bundle's content hash, and the round trip sample → export → import keeps the content hash.

#include "bundle/BundleExporter.h"
#include "bundle/ContentHash.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "cache/Schema.h"
#include "import/Importer.h"
#include "sample/SampleCache.h"

#include <QFile>
#include <sqlite3.h>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

namespace {

std::string hashOf(const QString& path)
{
    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        return "cannot open: " + reader.error().message();
    auto h = contentHash(**reader);
    return h ? *h : h.error().message();
}

CacheOverview overviewOf(const QString& path)
{
    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        return {};
    auto o = (*reader)->overview();
    return o ? *o : CacheOverview{};
}

ImportSummary importInto(const QString& cache, const QString& input, ImportOptions options = {})
{
    auto writer = CacheWriter::open(cache.toStdString());
    if (!writer) {
        qWarning("%s", writer.error().message().c_str());
        return {};
    }
    Importer importer(**writer, options);
    return importer.run({input.toStdString()});
}

bool sameCounts(const CacheOverview& a, const CacheOverview& b)
{
    return a.logs == b.logs && a.spans == b.spans && a.traces == b.traces && a.series == b.series && a.samples == b.samples
           && a.exemplars == b.exemplars && a.alerts == b.alerts && a.fetches == b.fetches;
}

} // namespace

class TestBundleImport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_sample, m_bundle, m_target;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sample = path(QStringLiteral("sample.rootline"));
        auto s = writeSampleCache(m_sample.toStdString(), SampleOptions{20261123, 0.05});
        QVERIFY2(s.ok(), s ? "" : s.error().message().c_str());
        m_bundle = path(QStringLiteral("bundle.rootline"));
        auto e = exportBundle(m_sample.toStdString(), m_bundle.toStdString(), {});
        QVERIFY2(e.ok(), e ? "" : e.error().message().c_str());
        m_target = path(QStringLiteral("target.rootline"));
    }

    // Runs first (Qt runs slots in order): the later cases need the imported target.
    void importIntoEmptyCacheKeepsContentHash()
    {
        const std::string sourceHash = hashOf(m_sample);
        QCOMPARE(hashOf(m_bundle), sourceHash);

        const ImportSummary summary = importInto(m_target, m_bundle);
        QCOMPARE(summary.files.size(), size_t(1));
        const ImportFileResult& r = summary.files.front();
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Imported, r.note.c_str());
        QCOMPARE(r.format, std::string("rootline-bundle"));
        QCOMPARE(summary.exitCode(), 0);
        QVERIFY(r.stats.logs > 0);

        QCOMPARE(hashOf(m_target), sourceHash);
        const CacheOverview source = overviewOf(m_sample), target = overviewOf(m_target);
        QVERIFY(source.logs > 0 && source.spans > 0 && source.series > 0 && source.alerts > 0);
        QCOMPARE(target.logs, source.logs);
        QCOMPARE(target.spans, source.spans);
        QCOMPARE(target.traces, source.traces);
        QCOMPARE(target.series, source.series);
        QCOMPARE(target.samples, source.samples);
        QCOMPARE(target.exemplars, source.exemplars);
        QCOMPARE(target.alerts, source.alerts);
        QCOMPARE(target.fetches, int64_t(1)); // one unit, one fetch record

        // The unit is deduplicated by the bundle's content hash and carries its provenance.
        auto reader = CacheReader::open(m_target.toStdString());
        QVERIFY(reader.ok());
        auto fetches = (*reader)->fetches();
        QVERIFY(fetches.ok());
        QCOMPARE(fetches->size(), size_t(1));
        QCOMPARE(fetches->front().contentHash, sourceHash);
        QCOMPARE(fetches->front().kind, std::string("import"));
        QVERIFY2(fetches->front().message.find("rootline-bundle; bundle provenance: export") == 0, fetches->front().message.c_str());

        // The round trip continues: export the imported cache, and the hash is still the same.
        const QString again = path(QStringLiteral("again.rootline"));
        auto e = exportBundle(m_target.toStdString(), again.toStdString(), {});
        QVERIFY2(e.ok(), e ? "" : e.error().message().c_str());
        QCOMPARE(e->contentHash, sourceHash);
    }

    void secondImportIsSkipped()
    {
        const CacheOverview before = overviewOf(m_target);
        const ImportSummary summary = importInto(m_target, m_bundle);
        QCOMPARE(summary.files.size(), size_t(1));
        QVERIFY2(summary.files.front().outcome == ImportFileResult::Outcome::Duplicate, summary.files.front().note.c_str());
        QCOMPARE(summary.exitCode(), 0);
        QVERIFY(sameCounts(overviewOf(m_target), before));
        QCOMPARE(hashOf(m_target), hashOf(m_sample));
    }

    void truncatedBundleIsRefused()
    {
        const QString cut = path(QStringLiteral("cut.rootline"));
        QVERIFY(QFile::copy(m_bundle, cut));
        QFile file(cut);
        QVERIFY(file.resize(file.size() / 2));

        // Into a fresh cache, so the content is new and nothing could be skipped as a duplicate.
        const QString fresh = path(QStringLiteral("fresh.rootline"));
        const ImportSummary summary = importInto(fresh, cut);
        QCOMPARE(summary.files.size(), size_t(1));
        const ImportFileResult& r = summary.files.front();
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Failed, r.note.c_str());
        QCOMPARE(r.format, std::string("rootline-bundle"));
        QVERIFY2(r.note.find("cut.rootline") != std::string::npos, r.note.c_str());
        QVERIFY2(r.note.find("truncated") != std::string::npos, r.note.c_str());
        QCOMPARE(summary.exitCode(), 2);
        QVERIFY(sameCounts(overviewOf(fresh), CacheOverview{}));

        // And into the populated target: unchanged.
        const CacheOverview before = overviewOf(m_target);
        QCOMPARE(importInto(m_target, cut).files.front().outcome, ImportFileResult::Outcome::Failed);
        QVERIFY(sameCounts(overviewOf(m_target), before));
    }

    // A bundle edited after export (here with SQLite, as a person would with sqlite3) no longer
    // matches the content hash in its manifest: refused, unless the user says --trust.
    void editedBundleIsRefusedUnlessTrusted()
    {
        const QString edited = path(QStringLiteral("edited.rootline"));
        QVERIFY(QFile::copy(m_bundle, edited));
        QFile::setPermissions(edited, QFile::ReadOwner | QFile::WriteOwner);
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(edited.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "UPDATE logs SET body = 'nothing to see here' WHERE id = (SELECT min(id) FROM logs)",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        QCOMPARE(sqlite3_changes(db), 1);
        sqlite3_close(db);

        const QString fresh = path(QStringLiteral("fresh-edited.rootline"));
        const ImportSummary refused = importInto(fresh, edited);
        QCOMPARE(refused.files.size(), size_t(1));
        QVERIFY2(refused.files.front().outcome == ImportFileResult::Outcome::Failed, refused.files.front().note.c_str());
        QVERIFY2(refused.files.front().note.find("does not match its manifest") != std::string::npos,
                 refused.files.front().note.c_str());
        QVERIFY(sameCounts(overviewOf(fresh), CacheOverview{}));

        ImportOptions trusting;
        trusting.trust = true;
        const ImportSummary trusted = importInto(fresh, edited, trusting);
        QVERIFY2(trusted.files.front().outcome == ImportFileResult::Outcome::Imported, trusted.files.front().note.c_str());
        QCOMPARE(overviewOf(fresh).logs, overviewOf(m_bundle).logs);
    }

    void bundleFromAnOlderSchemaIsReadFromAMigratedCopy()
    {
        // A cache written by the Rootline before schema 6 (here: made with its schema by hand),
        // received from a colleague: read from a migrated copy, the file itself left untouched.
        const QString old = path(QStringLiteral("schema5.rootline"));
        {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(old.toUtf8().constData(), &db), SQLITE_OK);
            const std::string sql = cache::schemaAtVersion(5)
                + "INSERT INTO resources VALUES(1, 'checkout\x1f\x1f\x1f\x1f\x1f\x1f\x1f', 'checkout', '', '', '', '', '', '', '{}');"
                  "INSERT INTO fetches(id, source, kind, query, fetched_at, rows, complete) VALUES(1, 'export', 'import', 'x', 5, 3, 1);"
                  "INSERT INTO logs VALUES(1, 1000, 1000, 9, 'INFO', 'twice', '{}', NULL, NULL, 1, 1),"
                  " (2, 1000, 1000, 9, 'INFO', 'twice', '{}', NULL, NULL, 1, 1), (3, 2000, 2000, 17, 'ERROR', 'once', '{}', NULL, NULL, 1, 1);"
                  "INSERT INTO logs_fts(rowid, body) SELECT id, body FROM logs;";
            char* error = nullptr;
            const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
            QVERIFY2(rc == SQLITE_OK, error ? error : "");
            sqlite3_close(db);
        }
        QFile in(old);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray before = in.readAll();
        in.close();
        const QString fresh = path(QStringLiteral("from-schema5.rootline"));
        const ImportSummary summary = importInto(fresh, old);
        QCOMPARE(summary.files.size(), size_t(1));
        const ImportFileResult& r = summary.files.front();
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Imported, r.note.c_str());
        QCOMPARE(r.stats.logs, int64_t(3)); // the line said twice in one fetch stays twice
        QVERIFY(in.open(QIODevice::ReadOnly));
        QVERIFY(in.readAll() == before);
    }

    void foreignSqliteIsUnrecognised()
    {
        // A real SQLite database whose application id is not Rootline's (another program's file).
        const QString foreign = path(QStringLiteral("other.db"));
        QVERIFY(QFile::copy(m_bundle, foreign));
        QFile file(foreign);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(68));
        QCOMPARE(file.write(QByteArray(4, '\0')), qint64(4));
        file.close();

        const CacheOverview before = overviewOf(m_target);
        const ImportSummary summary = importInto(m_target, foreign);
        QCOMPARE(summary.files.size(), size_t(1));
        const ImportFileResult& r = summary.files.front();
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Unrecognized, r.note.c_str());
        QVERIFY(r.format.empty());
        QVERIFY2(r.note.find("not a Rootline cache") != std::string::npos, r.note.c_str());
        QCOMPARE(summary.exitCode(), 1);
        QVERIFY(sameCounts(overviewOf(m_target), before));
    }
};

QTEST_GUILESS_MAIN(TestBundleImport)
#include "tst_bundle_import.moc"
