// The import engine: fixtures into a real cache and queried back, containers (directory, gzip,
// zstd, tar.gz, zip), bounded-memory splitting of huge documents, malformed records at several
// offsets, truncated gzip, path traversal, decompression bombs, duplicates, strict mode, cancel.
// (Member functions are defined after the class: moc mis-lexes some raw strings inside it.)

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "import/Format.h"
#include "support/Gzip.h"
#include "import/ImportJob.h"
#include "import/Importer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <archive.h>
#include <archive_entry.h>
#include <zstd.h>

#include <fstream>
#include <thread>

using namespace rootline;

namespace {

using rootline::test::gzip;

std::string readFixture(const std::string& relative)
{
    QFile f(QStringLiteral(ROOTLINE_FIXTURES "/") + QString::fromStdString(relative));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", relative.c_str());
    return f.readAll().toStdString();
}

void writeFile(const std::string& path, std::string_view data)
{
    std::ofstream out(path, std::ios::binary);
    out.write(data.data(), std::streamsize(data.size()));
}


std::string zstd(std::string_view data)
{
    std::string out(ZSTD_compressBound(data.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
    return out;
}

// Writes a .zip (zip = true) or .tar.gz with the given members.
void writeArchive(const std::string& path, const std::vector<std::pair<std::string, std::string>>& members, bool zip)
{
    archive* a = archive_write_new();
    if (zip) {
        archive_write_set_format_zip(a);
    } else {
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
    }
    archive_write_open_filename(a, path.c_str());
    for (const auto& [name, data] : members) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_size(e, la_int64_t(data.size()));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(a, e);
        archive_write_data(a, data.data(), data.size());
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

std::string otlpLogLine(int i, const std::string& body = "hello")
{
    return R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":")"
        + std::to_string(1700000000000000000LL + i) + R"(","severityNumber":9,"body":{"stringValue":")" + body + " " + std::to_string(i) + R"("}}]}]}]})";
}

// `lines` log lines from one service, a nanosecond apart; files with another `body` hold other
// lines (the same line from two files is stored once).
std::string otlpJsonLines(int lines, const std::string& body = "hello")
{
    std::string out;
    for (int i = 0; i < lines; ++i)
        out += otlpLogLine(i, body) + "\n";
    return out;
}

// One big pretty document: {"resourceLogs":[block, block, ...]} with one block per line.
std::string otlpBigDocument(int blocks, int badBlock = -1)
{
    std::string out = "{\n  \"resourceLogs\": [\n";
    for (int i = 0; i < blocks; ++i) {
        std::string line = otlpLogLine(i);
        line = line.substr(std::string(R"({"resourceLogs":[)").size());
        line.resize(line.size() - 2); // the block itself
        if (i == badBlock)
            line.insert(line.size() / 2, "\"oops\" ::");
        out += "    " + line + (i + 1 < blocks ? ",\n" : "\n");
    }
    out += "  ]\n}\n";
    return out;
}

CacheOverview overviewOf(const std::string& cache)
{
    auto reader = CacheReader::open(cache);
    if (!reader)
        qFatal("cannot open cache: %s", reader.error().message().c_str());
    auto o = (*reader)->overview();
    if (!o)
        qFatal("overview failed");
    return *o;
}

struct Run {
    ImportSummary summary;
    std::string cache;
};

ImportSummary importInto(const std::string& cache, const std::vector<std::string>& inputs, ImportOptions options = {},
                         const std::atomic_bool* cancel = nullptr, std::function<void(const ImportProgress&)> progress = {})
{
    auto writer = CacheWriter::open(cache);
    if (!writer)
        qFatal("cannot open writer: %s", writer.error().message().c_str());
    Importer importer(**writer, options);
    importer.setCancelFlag(cancel);
    if (progress)
        importer.setProgressCallback(std::move(progress), std::chrono::milliseconds(0));
    return importer.run(inputs);
}

const ImportFileResult* resultFor(const ImportSummary& s, const std::string& suffix)
{
    for (const auto& f : s.files)
        if (f.path.size() >= suffix.size() && f.path.compare(f.path.size() - suffix.size(), suffix.size(), suffix) == 0)
            return &f;
    return nullptr;
}

} // namespace

class TestImporter : public QObject {
    Q_OBJECT
private slots:
    void init();
    void fixturesIntoCacheAndQueried();
    void nonTelemetryReportedByName();
    void jsonLinesAreStreamed();
    void hugeDocumentSplitIntoElements();
    void malformedAtSeveralOffsets_data();
    void malformedAtSeveralOffsets();
    void compressedSingleFiles();
    void archives();
    void truncatedGzipLeavesCacheUnchanged();
    void tarGzWithDamagedTrailerRefused_data();
    void tarGzWithDamagedTrailerRefused();
    void invalidUtf8KeptAsReplacementWithAWarning();
    void lokiStreamWithOneInvalidByteKeepsEveryLine();
    void zipWithPathTraversalRefused();
    void zipBombRefused();
    void gzipBombRefused();
    void duplicateImportSkipped();
    void strictFailsTheFile();
    void cancelMidFileLeavesCacheUnchanged();
    void progressReachesTotal();
    void missingInputIsFatal();
    void importJobOnWorkerThread();
    void lineOrientedFormatsGetWholeLines();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string path(const std::string& name) const { return m_dir->filePath(QString::fromStdString(name)).toStdString(); }
};

void TestImporter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestImporter::fixturesIntoCacheAndQueried()
{
    QDir().mkpath(QString::fromStdString(path("in/sub")));
    const std::vector<std::string> fixtures = {"otlp/otlp-proto-examples-trace.json", "otlp/otlp-proto-examples-logs.json",
                                               "jaeger/jaeger-uimodel-ui_01.json", "jaeger/jaeger-ui-otlp2jaeger-out.json"};
    for (const auto& f : fixtures)
        writeFile(path("in/sub/" + f.substr(f.find('/') + 1)), readFixture(f));
    const std::string cache = path("c.rootline");
    const ImportSummary s = importInto(cache, {path("in")});
    QCOMPARE(s.files.size(), size_t(4));
    QCOMPARE(s.exitCode(), 0);
    QCOMPARE(resultFor(s, "otlp-proto-examples-trace.json")->format, std::string("otlp-json"));
    QCOMPARE(resultFor(s, "jaeger-uimodel-ui_01.json")->format, std::string("jaeger-json"));
    // (trace, span id) identifies a span, so a span listed twice is stored once: ui_01 repeats span
    // 0000000000000002, otlp2jaeger-out lists its one span twice.
    QCOMPARE(resultFor(s, "jaeger-uimodel-ui_01.json")->stats.spans, int64_t(4));
    QCOMPARE(resultFor(s, "jaeger-ui-otlp2jaeger-out.json")->stats.spans, int64_t(1));
    QCOMPARE(s.totals.spans, int64_t(1 + 4 + 1));
    QCOMPARE(s.totals.logs, int64_t(1));

    const CacheOverview o = overviewOf(cache);
    QCOMPARE(o.spans, int64_t(6));
    QCOMPARE(o.logs, int64_t(1));
    QCOMPARE(o.fetches, int64_t(4));
    auto reader = CacheReader::open(cache);
    QVERIFY(reader);
    auto trace = parseTraceId("5b8efff798038103d269b633813fc60c");
    QVERIFY(trace);
    auto spans = (*reader)->traceSpans(*trace);
    QVERIFY(spans);
    QCOMPARE(spans->size(), size_t(1));
    QCOMPARE((*spans)[0].name, std::string("I'm a server span"));
    QCOMPARE((*spans)[0].resource->serviceName, std::string("my.service"));
    // The log shares the trace id: the correlation the panes rely on survives the import.
    LogQuery q;
    q.traceId = *trace;
    auto logs = (*reader)->logPage(q, std::nullopt, 10);
    QVERIFY(logs);
    QCOMPARE(logs->size(), size_t(1));
    QCOMPARE((*logs)[0].body, std::string("Example log record"));
    QCOMPARE((*logs)[0].time.nanos(), int64_t(1544712660300000000));
    auto jaeger = (*reader)->traceSpans(*parseTraceId("1"));
    QVERIFY(jaeger);
    QCOMPARE(jaeger->size(), size_t(4)); // the repeated span once
}

void TestImporter::nonTelemetryReportedByName()
{
    writeFile(path("notes.txt"), "Dear colleague,\nhere are the files.\n");
    writeFile(path("config.json"), R"({"name":"not telemetry","items":[1,2,3]})");
    writeFile(path("empty.json"), "");
    writeFile(path("good.jsonl"), otlpJsonLines(3));
    const ImportSummary s = importInto(path("c.rootline"), {path("notes.txt"), path("config.json"), path("empty.json"), path("good.jsonl")});
    QCOMPARE(s.files.size(), size_t(4));
    for (const char* name : {"notes.txt", "config.json", "empty.json"}) {
        const ImportFileResult* r = resultFor(s, name);
        QVERIFY(r);
        QCOMPARE(r->outcome, ImportFileResult::Outcome::Unrecognized);
        QCOMPARE(r->errors.size(), size_t(1));
        QCOMPARE(r->errors[0].path, path(name)); // reported by name, not guessed at
    }
    QCOMPARE(resultFor(s, "good.jsonl")->stats.logs, int64_t(3));
    QCOMPARE(s.exitCode(), 1);
}

void TestImporter::jsonLinesAreStreamed()
{
    // A 5 MiB line (longer than a read block) in the middle, with multi-byte UTF-8 across block edges.
    std::string text = otlpJsonLines(1500);
    text += otlpLogLine(424242, std::string(5 << 20, 'y') + "ünïcødé 🚀") + "\n";
    for (int i = 1500; i < 2999; ++i)
        text += otlpLogLine(i) + "\n";
    writeFile(path("a.jsonl"), text);
    ImportOptions o;
    o.batchSize = 250; // many flushes, coalesced from one-record documents
    const ImportSummary s = importInto(path("c.rootline"), {path("a.jsonl")}, o);
    QCOMPARE(s.exitCode(), 0);
    QCOMPARE(s.files[0].stats.logs, int64_t(3000));
    QCOMPARE(overviewOf(path("c.rootline")).logs, int64_t(3000));
    auto reader = CacheReader::open(path("c.rootline"));
    LogQuery q;
    q.window = {Timestamp::fromNanos(1700000000000424242LL), Timestamp::fromNanos(1700000000000424243LL)};
    auto page = (*reader)->logPage(q, std::nullopt, 10);
    QVERIFY(page);
    QCOMPARE(page->size(), size_t(1));
    QCOMPARE(page->at(0).body.size(), size_t(5 << 20) + std::string("ünïcødé 🚀 424242").size());
    QVERIFY(page->at(0).body.find("ünïcødé 🚀") != std::string::npos);
}

void TestImporter::hugeDocumentSplitIntoElements()
{
    // The document is far larger than the largest piece the importer may hold: it only imports
    // because the importer hands it over element by element.
    const std::string doc = otlpBigDocument(4000);
    QVERIFY(doc.size() > 600 * 1024);
    writeFile(path("big.json"), doc);
    std::string jaeger = R"({"data":[)";
    for (int i = 0; i < 3000; ++i)
        jaeger += std::string(i ? "," : "") + R"({"traceID":")" + std::to_string(i + 1)
            + R"(","spans":[{"spanID":"1","operationName":"op","startTime":1700000000000000,"duration":5,"processID":"p1"}],"processes":{"p1":{"serviceName":"s"}}})";
    jaeger += R"(],"total":0,"limit":0,"offset":0,"errors":null})";
    writeFile(path("traces.json"), jaeger);
    ImportOptions o;
    o.maxPieceBytes = 64 * 1024;
    const ImportSummary s = importInto(path("c.rootline"), {path("big.json"), path("traces.json")}, o);
    QCOMPARE(s.exitCode(), 0);
    QCOMPARE(s.files[0].stats.logs, int64_t(4000));
    QCOMPARE(s.files[1].stats.spans, int64_t(3000));
    QCOMPARE(overviewOf(path("c.rootline")).traces, int64_t(3000));

    // Without a split path the same document is one piece, too large for the limit: the file fails cleanly.
    writeFile(path("single.json"), R"({"traceID":"1","spans":[)" + std::string(100 * 1024, ' ') + "]}");
    const ImportSummary t = importInto(path("c.rootline"), {path("single.json")}, o);
    QCOMPARE(t.files[0].outcome, ImportFileResult::Outcome::Failed);
    QVERIFY(t.files[0].note.find("larger than") != std::string::npos);
}

void TestImporter::malformedAtSeveralOffsets_data()
{
    QTest::addColumn<int>("badBlock");
    QTest::addColumn<int>("expectedLine");
    // Blocks start on line 3 (after "{" and "  \"resourceLogs\": [").
    QTest::newRow("first") << 0 << 3;
    QTest::newRow("middle") << 50 << 53;
    QTest::newRow("last") << 99 << 102;
}

void TestImporter::malformedAtSeveralOffsets()
{
    QFETCH(int, badBlock);
    QFETCH(int, expectedLine);
    writeFile(path("m.json"), otlpBigDocument(100, badBlock));
    const ImportSummary s = importInto(path("c.rootline"), {path("m.json")});
    QCOMPARE(s.files.size(), size_t(1));
    const ImportFileResult& r = s.files[0];
    QCOMPARE(r.outcome, ImportFileResult::Outcome::Imported);
    QCOMPARE(r.stats.logs, int64_t(99)); // the others still import
    QCOMPARE(r.rejected, int64_t(1));
    QCOMPARE(r.errors.size(), size_t(1));
    QCOMPARE(r.errors[0].location, path("m.json") + ":" + std::to_string(expectedLine));
    QCOMPARE(s.exitCode(), 1);
    auto reader = CacheReader::open(path("c.rootline"));
    auto rejections = (*reader)->rejections();
    QVERIFY(rejections);
    QCOMPARE(rejections->size(), size_t(1));
    QVERIFY2(rejections->at(0).snippet.find("oops") != std::string::npos, rejections->at(0).snippet.c_str());

    // JSON lines: a broken line costs that line only.
    std::string lines = otlpJsonLines(10);
    const size_t third = [&] { size_t p = 0; for (int i = 0; i < 2; ++i) p = lines.find('\n', p) + 1; return p; }();
    lines.insert(third + 20, "\x01garbage");
    writeFile(path("l.jsonl"), lines);
    const ImportSummary t = importInto(path("c2.rootline"), {path("l.jsonl")});
    QCOMPARE(t.files[0].stats.logs, int64_t(9));
    QCOMPARE(t.files[0].errors.at(0).location, path("l.jsonl") + ":3");
}

void TestImporter::compressedSingleFiles()
{
    const std::string data = otlpJsonLines(500);
    writeFile(path("a.gz"), gzip(data));
    writeFile(path("b.zst"), zstd(otlpJsonLines(400, "zst")));
    writeFile(path("c.bin"), gzip(otlpJsonLines(7, "first member")) + gzip(otlpJsonLines(3, "second member"))); // two gzip members
    const ImportSummary s = importInto(path("c.rootline"), {path("a.gz"), path("b.zst"), path("c.bin")});
    QCOMPARE(s.exitCode(), 0);
    QCOMPARE(resultFor(s, "a.gz")->stats.logs, int64_t(500));
    QCOMPARE(resultFor(s, "a.gz")->format, std::string("otlp-json"));
    QCOMPARE(resultFor(s, "b.zst")->stats.logs, int64_t(400));
    QCOMPARE(resultFor(s, "c.bin")->stats.logs, int64_t(10));
}

void TestImporter::archives()
{
    writeArchive(path("bundle.tar.gz"), {{"otlp/logs.jsonl", otlpJsonLines(20)},
                                         {"jaeger/trace.json", readFixture("jaeger/jaeger-uimodel-ui_01.json")},
                                         {"README.txt", "not telemetry"},
                                         {"nested/more.jsonl.gz", gzip(otlpJsonLines(5, "nested"))},
                                         {"copy/logs.jsonl", otlpJsonLines(20)}},
                 false);
    writeArchive(path("bundle.zip"), {{"x/trace.json", readFixture("otlp/otlp-proto-examples-trace.json")}}, true);
    const ImportSummary s = importInto(path("c.rootline"), {path("bundle.tar.gz"), path("bundle.zip")});
    QCOMPARE(s.files.size(), size_t(6));
    QCOMPARE(resultFor(s, "bundle.tar.gz!/copy/logs.jsonl")->outcome, ImportFileResult::Outcome::Duplicate);
    QCOMPARE(resultFor(s, "bundle.tar.gz!/otlp/logs.jsonl")->stats.logs, int64_t(20));
    QCOMPARE(resultFor(s, "bundle.tar.gz!/jaeger/trace.json")->stats.spans, int64_t(4)); // one span id repeats
    QCOMPARE(resultFor(s, "bundle.tar.gz!/README.txt")->outcome, ImportFileResult::Outcome::Unrecognized);
    QCOMPARE(resultFor(s, "bundle.tar.gz!/nested/more.jsonl.gz")->stats.logs, int64_t(5));
    QCOMPARE(resultFor(s, "bundle.zip!/x/trace.json")->stats.spans, int64_t(1));
    const CacheOverview o = overviewOf(path("c.rootline"));
    QCOMPARE(o.logs, int64_t(25));
    QCOMPARE(o.spans, int64_t(5));
}

void TestImporter::truncatedGzipLeavesCacheUnchanged()
{
    writeFile(path("ok.jsonl"), otlpJsonLines(5));
    const std::string gz = gzip(otlpJsonLines(2000));
    writeFile(path("cut.jsonl.gz"), std::string_view(gz).substr(0, gz.size() / 2));
    const ImportSummary s = importInto(path("c.rootline"), {path("ok.jsonl"), path("cut.jsonl.gz")});
    const ImportFileResult* cut = resultFor(s, "cut.jsonl.gz");
    QVERIFY(cut);
    QCOMPARE(cut->outcome, ImportFileResult::Outcome::Failed);
    QVERIFY2(cut->note.find("ends early") != std::string::npos, cut->note.c_str());
    QCOMPARE(s.exitCode(), 2);
    const CacheOverview o = overviewOf(path("c.rootline"));
    QCOMPARE(o.logs, int64_t(5)); // only the good file
    QCOMPARE(o.fetches, int64_t(1));
}

// libarchive does not check the gzip trailer of a .tar.gz; Rootline does, before any member is
// imported, so a changed byte never reaches the cache as different text.
void TestImporter::tarGzWithDamagedTrailerRefused_data()
{
    QTest::addColumn<int>("fromEnd"); // which trailer byte to flip, counted from the file's end
    QTest::newRow("crc-32") << 8;
    QTest::newRow("length") << 1;
}

void TestImporter::tarGzWithDamagedTrailerRefused()
{
    QFETCH(int, fromEnd);
    writeArchive(path("b.tar.gz"), {{"logs.jsonl", otlpJsonLines(50)}}, false);
    QFile f(QString::fromStdString(path("b.tar.gz")));
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    bytes[bytes.size() - fromEnd] = char(bytes[bytes.size() - fromEnd] ^ 0x01);
    QVERIFY(f.seek(0));
    QCOMPARE(f.write(bytes), bytes.size());
    f.close();
    writeFile(path("ok.jsonl"), otlpJsonLines(3));
    const ImportSummary s = importInto(path("c.rootline"), {path("ok.jsonl"), path("b.tar.gz")});
    const ImportFileResult* damaged = resultFor(s, "b.tar.gz");
    QVERIFY(damaged);
    QCOMPARE(damaged->outcome, ImportFileResult::Outcome::Failed);
    QVERIFY2(damaged->note.find("gzip data is damaged") != std::string::npos, damaged->note.c_str());
    QCOMPARE(s.exitCode(), 2);
    QCOMPARE(overviewOf(path("c.rootline")).logs, int64_t(3)); // only the good file
}

// A Latin-1 byte is kept visible as U+FFFD, with a warning that names its line: before, the line
// pattern stopped at it ("caf\xe9 au lait" stored as "caf") and said nothing.
void TestImporter::invalidUtf8KeptAsReplacementWithAWarning()
{
    writeFile(path("app.log"), "2026-11-20T14:00:00Z INFO caf\xe9 au lait\n"
                               "2026-11-20T14:00:01Z INFO plain line\n"
                               "2026-11-20T14:00:02Z WARN bad \xff\xfe pair\n");
    const ImportSummary s = importInto(path("c.rootline"), {path("app.log")});
    const ImportFileResult* r = resultFor(s, "app.log");
    QVERIFY(r);
    QCOMPARE(r->outcome, ImportFileResult::Outcome::Imported);
    QCOMPARE(r->stats.logs, int64_t(3));
    QCOMPARE(r->rejected, int64_t(0));
    QCOMPARE(r->warnings, int64_t(2));
    QCOMPARE(s.exitCode(), 0); // kept, and said: not a rejection
    QCOMPARE(r->errors.size(), size_t(2));
    QCOMPARE(r->errors[0].location, path("app.log") + ":1");
    QVERIFY2(r->errors[0].message.find("warning: 1 byte not valid UTF-8") == 0, r->errors[0].message.c_str());
    QCOMPARE(r->errors[1].location, path("app.log") + ":3");

    auto reader = CacheReader::open(path("c.rootline"));
    QVERIFY(reader);
    auto logs = (*reader)->logPage(LogQuery{}, std::nullopt, 10);
    QVERIFY(logs);
    QCOMPARE(logs->size(), size_t(3));
    QCOMPARE((*logs)[0].body, std::string("caf\xEF\xBF\xBD au lait"));
    QCOMPARE((*logs)[2].body, std::string("bad \xEF\xBF\xBD\xEF\xBF\xBD pair"));
    // The warnings are stored with their level, beside rejections.
    auto stored = (*reader)->rejections(0);
    QVERIFY(stored);
    QCOMPARE(stored->size(), size_t(2));
    QCOMPARE((*stored)[0].level, ProblemLevel::Warning);
    // A warning does not make the import partial.
    auto fetches = (*reader)->fetches();
    QVERIFY(fetches);
    QCOMPARE(fetches->size(), size_t(1));
    QVERIFY(fetches->front().complete);
}

// One invalid byte in a Loki response used to fail the stream's whole document (5,038 lines,
// reported as "1 rejected"); now every line is kept.
void TestImporter::lokiStreamWithOneInvalidByteKeepsEveryLine()
{
    std::string body = R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"shop"},"values":[)";
    for (int i = 0; i < 100; ++i) {
        body += i ? "," : "";
        body += "[\"" + std::to_string(1795168800000000000LL + i * 1000000LL) + "\",\"line " + std::to_string(i)
                + (i == 42 ? " \xe9t\xe9" : "") + "\"]";
    }
    body += "]}]}}";
    writeFile(path("loki.json"), body);
    const ImportSummary s = importInto(path("c.rootline"), {path("loki.json")});
    const ImportFileResult* r = resultFor(s, "loki.json");
    QVERIFY(r);
    QCOMPARE(r->format, std::string("loki-api"));
    QCOMPARE(r->stats.logs, int64_t(100));
    QCOMPARE(r->rejected, int64_t(0));
    QCOMPARE(r->warnings, int64_t(1));
}

void TestImporter::zipWithPathTraversalRefused()
{
    writeArchive(path("evil.zip"), {{"good.jsonl", otlpJsonLines(3)}, {"../x.jsonl", otlpJsonLines(3)}}, true);
    writeArchive(path("abs.tar.gz"), {{"/etc/x.jsonl", otlpJsonLines(3)}}, false);
    const ImportSummary s = importInto(path("c.rootline"), {path("evil.zip"), path("abs.tar.gz")});
    QCOMPARE(s.files.size(), size_t(2));
    QCOMPARE(s.files[0].outcome, ImportFileResult::Outcome::Failed);
    QVERIFY(s.files[0].note.find("../x.jsonl") != std::string::npos);
    QCOMPARE(s.files[1].outcome, ImportFileResult::Outcome::Failed);
    QCOMPARE(overviewOf(path("c.rootline")).logs, int64_t(0)); // not even the good member
}

void TestImporter::zipBombRefused()
{
    writeArchive(path("bomb.zip"), {{"a.jsonl", otlpJsonLines(2)}, {"zeros.json", std::string(24 << 20, ' ')}}, true);
    ImportOptions o;
    o.ratioGraceBytes = 1 << 20;
    const ImportSummary s = importInto(path("c.rootline"), {path("bomb.zip")}, o);
    QCOMPARE(s.files.size(), size_t(1));
    QCOMPARE(s.files[0].outcome, ImportFileResult::Outcome::Failed);
    QVERIFY2(s.files[0].note.find("100×") != std::string::npos, s.files[0].note.c_str());
    QCOMPARE(overviewOf(path("c.rootline")).logs, int64_t(0));

    // The absolute cap holds even for data that does not compress well.
    ImportOptions cap;
    cap.maxUncompressedBytes = 100 * 1024;
    writeArchive(path("big.zip"), {{"a.jsonl", otlpJsonLines(2000)}}, true);
    const ImportSummary t = importInto(path("c.rootline"), {path("big.zip")}, cap);
    QCOMPARE(t.files[0].outcome, ImportFileResult::Outcome::Failed);
    QVERIFY(t.files[0].note.find("after decompression") != std::string::npos);
}

void TestImporter::gzipBombRefused()
{
    writeFile(path("bomb.json.gz"), gzip(std::string(24 << 20, '[')));
    ImportOptions o;
    o.ratioGraceBytes = 1 << 20;
    const ImportSummary s = importInto(path("c.rootline"), {path("bomb.json.gz")}, o);
    QCOMPARE(s.files[0].outcome, ImportFileResult::Outcome::Failed);
    QVERIFY(s.files[0].note.find("refusing") != std::string::npos);
}

void TestImporter::duplicateImportSkipped()
{
    const std::string data = otlpJsonLines(10);
    writeFile(path("a.jsonl"), data);
    writeFile(path("a-copy.jsonl.gz"), gzip(data)); // the same content, compressed
    const ImportSummary first = importInto(path("c.rootline"), {path("a.jsonl")});
    QCOMPARE(first.files[0].stats.logs, int64_t(10));
    const ImportSummary second = importInto(path("c.rootline"), {path("a.jsonl"), path("a-copy.jsonl.gz")});
    QCOMPARE(second.files[0].outcome, ImportFileResult::Outcome::Duplicate);
    QCOMPARE(second.files[1].outcome, ImportFileResult::Outcome::Duplicate);
    QVERIFY(second.files[0].note.find("already imported") != std::string::npos);
    QCOMPARE(second.exitCode(), 0);
    const CacheOverview o = overviewOf(path("c.rootline"));
    QCOMPARE(o.logs, int64_t(10));
    QCOMPARE(o.fetches, int64_t(1));
}

void TestImporter::strictFailsTheFile()
{
    std::string lines = otlpJsonLines(5);
    lines += R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":true}]}]}]})" "\n";
    lines += otlpLogLine(99) + "\n";
    writeFile(path("s.jsonl"), lines);
    ImportOptions strict;
    strict.strict = true;
    const ImportSummary s = importInto(path("c.rootline"), {path("s.jsonl")}, strict);
    QCOMPARE(s.files[0].outcome, ImportFileResult::Outcome::Failed);
    QCOMPARE(s.files[0].errors.back().location, path("s.jsonl") + ":6");
    QCOMPARE(s.exitCode(), 2);
    QCOMPARE(overviewOf(path("c.rootline")).logs, int64_t(0));

    const ImportSummary lax = importInto(path("c.rootline"), {path("s.jsonl")});
    QCOMPARE(lax.files[0].stats.logs, int64_t(6));
    QCOMPARE(lax.files[0].rejected, int64_t(1));
    QCOMPARE(lax.exitCode(), 1);
}

void TestImporter::cancelMidFileLeavesCacheUnchanged()
{
    writeFile(path("first.jsonl"), otlpJsonLines(50, "first"));
    QVERIFY(importInto(path("c.rootline"), {path("first.jsonl")}).exitCode() == 0);
    const CacheOverview before = overviewOf(path("c.rootline"));

    writeFile(path("big.jsonl"), otlpJsonLines(60000)); // ~14 MB: many read blocks
    std::atomic_bool cancel{false};
    int importingReports = 0;
    const ImportSummary s = importInto(path("c.rootline"), {path("big.jsonl")}, {}, &cancel, [&](const ImportProgress& p) {
        if (std::string_view(p.phase) == "importing" && ++importingReports == 3)
            cancel = true; // part of the file is already in the unit
    });
    QVERIFY(importingReports >= 3);
    QVERIFY(s.cancelled);
    QCOMPARE(s.files[0].outcome, ImportFileResult::Outcome::Cancelled);
    QCOMPARE(s.exitCode(), 2);
    const CacheOverview after = overviewOf(path("c.rootline"));
    QCOMPARE(after.logs, before.logs);
    QCOMPARE(after.fetches, before.fetches);
    QCOMPARE(after.services, before.services);
    auto reader = CacheReader::open(path("c.rootline"));
    auto rejections = (*reader)->rejections();
    QVERIFY(rejections && rejections->empty());

    // And the cancelled file imports whole afterwards (its hash was not recorded).
    const ImportSummary again = importInto(path("c.rootline"), {path("big.jsonl")});
    QCOMPARE(again.files[0].stats.logs, int64_t(60000));
}

void TestImporter::progressReachesTotal()
{
    writeFile(path("a.jsonl"), otlpJsonLines(3000));
    writeFile(path("b.jsonl.gz"), gzip(otlpJsonLines(3000)));
    int64_t last = -1, total = 0;
    bool monotonic = true;
    importInto(path("c.rootline"), {path("a.jsonl"), path("b.jsonl.gz")}, {}, nullptr, [&](const ImportProgress& p) {
        monotonic = monotonic && p.bytesDone >= last;
        last = p.bytesDone;
        total = p.bytesTotal;
    });
    QVERIFY(monotonic);
    QVERIFY(total > 0);
    QCOMPARE(last, total);
}

void TestImporter::missingInputIsFatal()
{
    const ImportSummary s = importInto(path("c.rootline"), {path("nope.json")});
    QCOMPARE(s.files.size(), size_t(1));
    QCOMPARE(s.files[0].outcome, ImportFileResult::Outcome::Failed);
    QCOMPARE(s.exitCode(), 2);
}

void TestImporter::importJobOnWorkerThread()
{
    writeFile(path("first.jsonl"), otlpJsonLines(20));
    writeFile(path("big.jsonl"), otlpJsonLines(150000));
    {
        ImportJob small({path("first.jsonl")});
        auto done = small.run(path("c.rootline"));
        QVERIFY2(done, done ? "" : done.error().message().c_str());
        QCOMPARE(done->totals.logs, int64_t(20));
        QVERIFY(small.finished());
        QCOMPARE(small.progress().bytesDone, small.progress().bytesTotal);
    }
    const CacheOverview before = overviewOf(path("c.rootline"));

    auto job = std::make_shared<ImportJob>(std::vector<std::string>{path("big.jsonl")});
    std::optional<Result<ImportSummary>> result;
    std::thread worker([&] { result.emplace(job->run(path("c.rootline"))); });
    // Cancel as soon as the job reports reading the file (progress is throttled to 100 ms, and the
    // whole import takes little more, so waiting for the "importing" phase would often be too late).
    while (job->progress().path.empty() && !job->finished())
        std::this_thread::yield();
    QVERIFY(!job->finished());
    job->cancel();
    worker.join();
    QVERIFY(result && result->ok());
    QVERIFY((*result)->cancelled);
    QCOMPARE((*result)->files.at(0).outcome, ImportFileResult::Outcome::Cancelled);
    QCOMPARE(overviewOf(path("c.rootline")).logs, before.logs);
    QCOMPARE(overviewOf(path("c.rootline")).fetches, before.fetches);
}

namespace {

// A line format for the test: "T <ns> <text>" per line; lines "BAD" are rejected by line number.
int sniffTestLines(std::string_view head) { return head.rfind("T ", 0) == 0 ? 50 : 0; }
Status parseTestLines(std::string_view doc, const ParseContext& ctx, RecordSink& sink)
{
    TelemetryBatch batch;
    int64_t line = 0;
    size_t pos = 0;
    while (pos < doc.size()) {
        size_t end = doc.find('\n', pos);
        if (end == std::string_view::npos)
            end = doc.size();
        const std::string_view text = doc.substr(pos, end - pos);
        ++line;
        pos = end + 1;
        if (text.empty())
            continue;
        if (text.size() < 4 || text.substr(0, 2) != "T ") {
            sink.reject(ctx.lineLocation(line), "not a T line", std::string(text.substr(0, 40)));
            continue;
        }
        LogRecord log;
        log.time = Timestamp::fromNanos(std::stoll(std::string(text.substr(2, text.find(' ', 2) - 2))));
        log.body = std::string(text);
        batch.logs.push_back(std::move(log));
    }
    return sink.batch(std::move(batch));
}

} // namespace

void TestImporter::lineOrientedFormatsGetWholeLines()
{
    Format lines;
    lines.name = "test-lines";
    lines.sniff = &sniffTestLines;
    lines.parse = &parseTestLines;
    lines.lineOriented = true;
    const std::vector<Format> formats = {lines};
    std::string text;
    for (int i = 1; i <= 20000; ++i)
        text += (i == 15000 ? std::string("BAD") : "T " + std::to_string(i) + " line with some text " + std::string(size_t(i % 50), 'x')) + "\n";
    text += "T 99999 last line without a newline";
    writeFile(path("t.log"), text);
    ImportOptions o;
    o.formats = &formats;
    o.lineChunkBytes = 64 * 1024; // many chunks: every one must end on a line boundary
    const ImportSummary s = importInto(path("c.rootline"), {path("t.log")}, o);
    QCOMPARE(s.files.at(0).format, std::string("test-lines"));
    QCOMPARE(s.files[0].stats.logs, int64_t(20000));
    QCOMPARE(s.files[0].rejected, int64_t(1));
    QCOMPARE(s.files[0].errors.at(0).location, path("t.log") + ":15000");
    auto reader = CacheReader::open(path("c.rootline"));
    LogQuery q;
    auto page = (*reader)->logPage(q, std::nullopt, 20000);
    QVERIFY(page);
    for (const auto& log : *page)
        QVERIFY2(log.body.rfind("T " + std::to_string(log.time.nanos()) + " ", 0) == 0, log.body.c_str()); // no line cut in two
}

QTEST_GUILESS_MAIN(TestImporter)
#include "tst_importer.moc"
