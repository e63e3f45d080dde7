// Compressed bundles (".rootline.gz", ".rootline.zst"): recognised by their decompressed content
// (SQLite header + Rootline application id), imported as bundles through a temporary file that is
// removed afterwards, under the decompression bomb guards; the round trip keeps the content hash.

#include "bundle/BundleExporter.h"
#include "bundle/ContentHash.h"
#include "cache/CacheReader.h"
#include "support/Gzip.h"
#include "cache/CacheWriter.h"
#include "import/Importer.h"
#include "sample/SampleCache.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <zstd.h>

using namespace rootline;

namespace {

std::string gzip(const QByteArray& data)
{
    return rootline::test::gzip(std::string_view(data.constData(), size_t(data.size())));
}

std::string zstd(const QByteArray& data) {
    std::string out(ZSTD_compressBound(size_t(data.size())), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), data.data(), size_t(data.size()), 3));
    return out;
}

bool writeBytes(const QString& path, std::string_view data) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) &&
           f.write(data.data(), qint64(data.size())) == qint64(data.size());
}

std::string hashOf(const QString& path) {
    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        return "cannot open: " + reader.error().message();
    auto h = contentHash(**reader);
    return h ? *h : h.error().message();
}

int64_t logsIn(const QString& path) {
    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        return -1;
    auto o = (*reader)->overview();
    return o ? o->logs : -1;
}

ImportSummary importInto(const QString& cache, const QString& input, ImportOptions options = {}) {
    auto writer = CacheWriter::open(cache.toStdString());
    if (!writer) {
        qWarning("%s", writer.error().message().c_str());
        return {};
    }
    Importer importer(**writer, options);
    return importer.run({input.toStdString()});
}

} // namespace

class TestImportBundleCompressed : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_sample, m_bundle, m_tmp;
    QByteArray m_bundleBytes;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    // The importer's temporary copies go to TMPDIR, set to a directory of our own: it must be
    // empty after every import, whatever the outcome.
    bool noTemporaryLeft() const {
        return QDir(m_tmp).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_tmp = path(QStringLiteral("tmp"));
        QVERIFY(QDir().mkpath(m_tmp));
        qputenv("TMPDIR", m_tmp.toLocal8Bit());
        m_sample = path(QStringLiteral("sample.rootline"));
        auto s = writeSampleCache(m_sample.toStdString(), SampleOptions{20261123, 0.02});
        QVERIFY2(s.ok(), s ? "" : s.error().message().c_str());
        m_bundle = path(QStringLiteral("bundle.rootline"));
        auto e = exportBundle(m_sample.toStdString(), m_bundle.toStdString(), {});
        QVERIFY2(e.ok(), e ? "" : e.error().message().c_str());
        QFile f(m_bundle);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_bundleBytes = f.readAll();
        QVERIFY(m_bundleBytes.size() > 4096);
        QVERIFY(writeBytes(path(QStringLiteral("bundle.rootline.gz")), gzip(m_bundleBytes)));
        QVERIFY(writeBytes(path(QStringLiteral("bundle.rootline.zst")), zstd(m_bundleBytes)));
        // Named for nothing in particular: detection is by content.
        QVERIFY(writeBytes(path(QStringLiteral("export.bin")), gzip(m_bundleBytes)));
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("input");
        QTest::newRow("gzip") << QStringLiteral("bundle.rootline.gz");
        QTest::newRow("zstd") << QStringLiteral("bundle.rootline.zst");
        QTest::newRow("any name") << QStringLiteral("export.bin");
    }
    void roundTrip() {
        QFETCH(QString, input);
        const QString target =
            path(QStringLiteral("target-") + input + QStringLiteral(".rootline"));
        const ImportSummary summary = importInto(target, path(input));
        QCOMPARE(summary.files.size(), size_t(1));
        const ImportFileResult& r = summary.files.front();
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Imported, r.note.c_str());
        QCOMPARE(r.format, std::string("rootline-bundle"));
        QCOMPARE(r.path, path(input).toStdString());
        QCOMPARE(summary.exitCode(), 0);
        QVERIFY(r.stats.logs > 0);
        QCOMPARE(hashOf(target), hashOf(m_sample));
        QCOMPARE(logsIn(target), logsIn(m_sample));
        QVERIFY(noTemporaryLeft());

        // The same bundle again, compressed the other way or not at all: a duplicate.
        for (const char* again : {"bundle.rootline", "bundle.rootline.gz", "bundle.rootline.zst"}) {
            const ImportSummary second = importInto(target, path(QString::fromLatin1(again)));
            QVERIFY2(second.files.at(0).outcome == ImportFileResult::Outcome::Duplicate,
                     second.files[0].note.c_str());
        }
        QCOMPARE(logsIn(target), logsIn(m_sample));
        QVERIFY(noTemporaryLeft());
    }

    void truncatedIsRefused() {
        const std::string gz = gzip(m_bundleBytes);
        const QString cut = path(QStringLiteral("cut.rootline.gz"));
        QVERIFY(writeBytes(cut, std::string_view(gz).substr(0, gz.size() / 2)));
        const QString fresh = path(QStringLiteral("fresh.rootline"));
        const ImportSummary summary = importInto(fresh, cut);
        const ImportFileResult& r = summary.files.at(0);
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Failed, r.note.c_str());
        QCOMPARE(r.format, std::string("rootline-bundle"));
        QVERIFY2(r.note.find("cut.rootline.gz") != std::string::npos, r.note.c_str());
        QVERIFY2(r.note.find("ends early") != std::string::npos, r.note.c_str());
        QCOMPARE(summary.exitCode(), 2);
        QCOMPARE(logsIn(fresh), int64_t(0));
        QVERIFY(noTemporaryLeft());
    }

    void bombGuardsApply() {
        ImportOptions options;
        options.maxUncompressedBytes = m_bundleBytes.size() / 2;
        const QString fresh = path(QStringLiteral("guarded.rootline"));
        const ImportSummary summary =
            importInto(fresh, path(QStringLiteral("bundle.rootline.zst")), options);
        const ImportFileResult& r = summary.files.at(0);
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Failed, r.note.c_str());
        QVERIFY2(r.note.find("refusing") != std::string::npos, r.note.c_str());
        QCOMPARE(logsIn(fresh), int64_t(0));
        QVERIFY(noTemporaryLeft());
    }

    void compressedForeignSqliteIsUnrecognised() {
        QByteArray foreign = m_bundleBytes;
        foreign.replace(68, 4, QByteArray(4, '\0')); // another application's id
        const QString in = path(QStringLiteral("other.db.gz"));
        QVERIFY(writeBytes(in, gzip(foreign)));
        const ImportSummary summary = importInto(path(QStringLiteral("other-target.rootline")), in);
        const ImportFileResult& r = summary.files.at(0);
        QVERIFY2(r.outcome == ImportFileResult::Outcome::Unrecognized, r.note.c_str());
        QVERIFY2(r.note.find("not a Rootline cache") != std::string::npos, r.note.c_str());
        QVERIFY(noTemporaryLeft());
    }
};

QTEST_GUILESS_MAIN(TestImportBundleCompressed)
#include "tst_import_bundle_compressed.moc"
