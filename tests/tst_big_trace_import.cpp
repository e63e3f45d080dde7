// One trace too large for one piece (issue 10, "big traces end to end"): a Jaeger trace object or an
// OTLP resource holding more bytes than the importer holds at once is read with its spans in runs,
// each with the rest of the element (processes after the spans, resource and scope), and stores
// exactly what the same file stores when read whole. The limit is lowered for the test
// (ImportOptions::maxPieceBytes) rather than writing hundreds of megabytes.

#include "CacheTestUtil.h"
#include "import/ElementSplitter.h"
#include "import/Importer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <map>

using namespace rootline;

// Declared before the helpers: moc loses its way in raw strings with unbalanced brackets.
class TestBigTraceImport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_files = 0;
    std::string write(const std::string& content);
    std::pair<std::string, ImportSummary> import(const std::string& file, size_t maxPieceBytes);
    static std::string errorsOf(const ImportSummary& s);
    static std::vector<std::string> spansOf(const std::string& cache);

private slots:
    void jaegerTraceLargerThanAPieceImportsWhole();
    void otlpResourceLargerThanAPieceImportsWhole();
    void restOfTheTraceTooLargeFailsWithItsPlace();
    void oneSpanTooLargeFailsWithItsPlace();
    void elementSplitterKeepsTheRestInEveryPiece_data();
    void elementSplitterKeepsTheRestInEveryPiece();
};

namespace {

constexpr const char* kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

std::string hex16(uint64_t v)
{
    char b[17];
    std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
    return b;
}

// {"data":[{"traceID":…,"spans":[…],"processes":{…}}]}: `spans` spans in a chain of parents, the
// processes after the spans (as Jaeger's own UI downloads write them), `tagBytes` of tag per span.
std::string jaegerTrace(int spans, size_t tagBytes = 64)
{
    std::string out = std::string(R"({"data":[{"traceID":")") + kTraceId + R"(","spans":[)";
    const std::string filler(tagBytes, 'x');
    for (int i = 0; i < spans; ++i) {
        out += i ? ",\n" : "\n";
        out += R"({"traceID":")" + std::string(kTraceId) + R"(","spanID":")" + hex16(uint64_t(i) + 1) + R"(","operationName":"op )"
            + std::to_string(i % 7) + R"(","references":[)";
        if (i > 0)
            out += R"({"refType":"CHILD_OF","traceID":")" + std::string(kTraceId) + R"(","spanID":")" + hex16(uint64_t(i)) + R"("})";
        out += R"(],"startTime":)" + std::to_string(1795168800000000LL + i) + R"(,"duration":)" + std::to_string(10 + i % 5)
            + R"(,"tags":[{"key":"i","type":"int64","value":)" + std::to_string(i) + R"(},{"key":"pad","type":"string","value":")"
            + filler + R"("}],"logs":[],"processID":"p)" + std::to_string(1 + i % 3) + R"(","warnings":null})";
    }
    out += R"(],"processes":{"p1":{"serviceName":"frontend","tags":[]},"p2":{"serviceName":"checkout","tags":[{"key":"hostname","type":"string","value":"h2"}]},)"
           R"("p3":{"serviceName":"payment","tags":[]}},"warnings":null}]})";
    return out;
}

// One OTLP resource with two scopes of spans; the resource comes last in its object.
std::string otlpTrace(int spansPerScope)
{
    std::string out = R"({"resourceSpans":[{"scopeSpans":[)";
    for (int scope = 0; scope < 2; ++scope) {
        out += scope ? "," : "";
        out += R"({"spans":[)";
        for (int i = 0; i < spansPerScope; ++i) {
            const int n = scope * spansPerScope + i;
            out += i ? "," : "";
            out += R"({"traceId":")" + std::string(kTraceId) + R"(","spanId":")" + hex16(uint64_t(n) + 1)
                + R"(","name":"op","kind":2,"startTimeUnixNano":")" + std::to_string(1795168800000000000LL + n)
                + R"(","endTimeUnixNano":")" + std::to_string(1795168800000000000LL + n + 1000) + R"(","attributes":[{"key":"n","value":{"intValue":")"
                + std::to_string(n) + R"("}}]})";
        }
        out += R"(],"scope":{"name":"lib)" + std::to_string(scope) + R"("}})";
    }
    out += R"(],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]}}]})";
    return out;
}

} // namespace


std::string TestBigTraceImport::write(const std::string& content)
{
    const QString path = m_dir.filePath(QStringLiteral("in%1.json").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content.data(), qint64(content.size())) != qint64(content.size()))
        qFatal("cannot write %s", qPrintable(path));
    return path.toStdString();
}

std::pair<std::string, ImportSummary> TestBigTraceImport::import(const std::string& file, size_t maxPieceBytes)
{
    const std::string cache = m_dir.filePath(QStringLiteral("c%1.rootline").arg(++m_files)).toStdString();
    auto writer = testutil::openWriter(cache);
    if (!writer)
        qFatal("no writer");
    ImportOptions options;
    options.maxPieceBytes = maxPieceBytes;
    Importer importer(*writer, options);
    ImportSummary s = importer.run({file});
    return {cache, s};
}

std::string TestBigTraceImport::errorsOf(const ImportSummary& s)
{
    std::string text;
    for (const auto& f : s.files) {
        text += f.note;
        for (const auto& e : f.errors)
            text += " | " + e.location + ": " + e.message;
    }
    return text;
}

// Each span as "span id / parent / service / name / tag i", sorted by span id.
std::vector<std::string> TestBigTraceImport::spansOf(const std::string& cache)
{
    auto reader = testutil::openReader(cache);
    if (!reader)
        qFatal("no reader");
    TraceId id = *parseTraceId(kTraceId);
    auto spans = reader->traceSpans(id);
    if (!spans)
        qFatal("%s", spans.error().message().c_str());
    std::vector<std::string> out;
    for (const Span& s : *spans) {
        const auto* i = s.attributes.find("i");
        const auto* n = s.attributes.find("n");
        out.push_back(s.spanId.toHex() + "/" + (s.parentSpanId ? s.parentSpanId->toHex() : std::string("-")) + "/"
                      + (s.resource ? s.resource->serviceName + "@" + s.resource->host : std::string("?")) + "/" + s.name + "/"
                      + (i ? attributeToText(*i) : n ? attributeToText(*n) : std::string()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

void TestBigTraceImport::jaegerTraceLargerThanAPieceImportsWhole()
{
    const int kSpans = 3000;
    const std::string json = jaegerTrace(kSpans);
    const size_t limit = 64 << 10; // the trace is ~15× this
    QVERIFY(json.size() > 10 * limit);
    const std::string file = write(json);

    const auto [whole, wholeSummary] = import(file, size_t(256) << 20);
    QCOMPARE(wholeSummary.files.at(0).stats.spans, int64_t(kSpans));
    const auto [split, splitSummary] = import(file, limit);
    const ImportFileResult& r = splitSummary.files.at(0);
    QVERIFY2(r.outcome == ImportFileResult::Outcome::Imported, errorsOf(splitSummary).c_str());
    QCOMPARE(r.rejected, int64_t(0));
    QCOMPARE(r.stats.spans, int64_t(kSpans));

    // The same spans, each with its process (which came after every span) and its parent.
    const auto expected = spansOf(whole);
    const auto got = spansOf(split);
    QCOMPARE(got.size(), size_t(kSpans));
    QVERIFY(got == expected);
    QVERIFY2(got[1].find("/checkout@h2/") != std::string::npos, got[1].c_str());
    auto reader = testutil::openReader(split);
    auto summary = reader->traceSummary(*parseTraceId(kTraceId));
    QVERIFY(summary.ok() && summary->has_value());
    QCOMPARE((*summary)->spanCount, int64_t(kSpans));
    QCOMPARE(QString::fromStdString((*summary)->rootService), QStringLiteral("frontend"));
}

void TestBigTraceImport::otlpResourceLargerThanAPieceImportsWhole()
{
    const std::string json = otlpTrace(1500);
    const size_t limit = 32 << 10;
    QVERIFY(json.size() > 10 * limit);
    const std::string file = write(json);
    const auto [whole, wholeSummary] = import(file, size_t(256) << 20);
    QCOMPARE(wholeSummary.files.at(0).stats.spans, int64_t(3000));
    const auto [split, splitSummary] = import(file, limit);
    QVERIFY2(splitSummary.files.at(0).outcome == ImportFileResult::Outcome::Imported, errorsOf(splitSummary).c_str());
    QCOMPARE(splitSummary.files.at(0).stats.spans, int64_t(3000));
    const auto got = spansOf(split);
    QVERIFY(got == spansOf(whole));
    QVERIFY2(got.front().find("/gateway@/") != std::string::npos, got.front().c_str()); // the resource, which came last
}

void TestBigTraceImport::restOfTheTraceTooLargeFailsWithItsPlace()
{
    // Processes larger than half the limit: the trace cannot be cut at its spans.
    std::string json = jaegerTrace(200);
    const std::string bigTag(40 << 10, 'y');
    const std::string p3 = R"("p3":{"serviceName":"payment","tags":[)";
    json.insert(json.find(p3) + p3.size(),
                R"({"key":"huge","type":"string","value":")" + bigTag + R"("})");
    const std::string file = write(json);
    const auto [cache, s] = import(file, 64 << 10);
    const ImportFileResult& r = s.files.at(0);
    QCOMPARE(r.outcome, ImportFileResult::Outcome::Failed);
    QCOMPARE(r.stats.spans, int64_t(0)); // nothing of the file stored
    const std::string errors = errorsOf(s);
    QVERIFY2(errors.find("larger than") != std::string::npos, errors.c_str());
    QVERIFY2(errors.find(file + "@") != std::string::npos, errors.c_str()); // the file and the trace's offset
}

void TestBigTraceImport::oneSpanTooLargeFailsWithItsPlace()
{
    // One span of 40 KiB among small ones, the limit for one span half of 64 KiB: refused, not read
    // whole into memory first.
    std::string json = jaegerTrace(300);
    const std::string pad = R"("value":")" + std::string(64, 'x');
    json.insert(json.find(pad, json.size() / 2) + pad.size(), std::string(40 << 10, 'z'));
    const std::string file = write(json);
    const auto [cache, s] = import(file, 64 << 10);
    const ImportFileResult& r = s.files.at(0);
    QCOMPARE(r.outcome, ImportFileResult::Outcome::Failed);
    QCOMPARE(r.stats.spans, int64_t(0));
    const std::string errors = errorsOf(s);
    QVERIFY2(errors.find("one span or record larger than 32 KiB") != std::string::npos, errors.c_str());
    QVERIFY2(errors.find(file + "@") != std::string::npos, errors.c_str());
}

void TestBigTraceImport::elementSplitterKeepsTheRestInEveryPiece_data()
{
    QTest::addColumn<QByteArray>("element");
    QTest::addColumn<QStringList>("pieces");
    QTest::newRow("members after the spans") << QByteArray(R"({"id":1, "spans": [ {"a":"],["} , 2 ,"s\"]" ], "p":{"spans":[9]}})")
                                             << QStringList{QStringLiteral(R"({"id":1, "spans": [{"a":"],["}], "p":{"spans":[9]}})"),
                                                            QStringLiteral(R"({"id":1, "spans": [2], "p":{"spans":[9]}})"),
                                                            QStringLiteral(R"({"id":1, "spans": ["s\"]"], "p":{"spans":[9]}})")};
    QTest::newRow("through an array of scopes")
        << QByteArray(R"({"scopeSpans":[{"spans":[1,2],"scope":"a"},{"scope":"b","spans":[3]}],"resource":"r"})")
        << QStringList{QStringLiteral(R"({"scopeSpans":[{"spans":[1],"scope":"a"},{"scope":"b","spans":[]}],"resource":"r"})"),
                       QStringLiteral(R"({"scopeSpans":[{"spans":[2],"scope":"a"},{"scope":"b","spans":[]}],"resource":"r"})"),
                       QStringLiteral(R"({"scopeSpans":[{"spans":[],"scope":"a"},{"scope":"b","spans":[3]}],"resource":"r"})")};
    QTest::newRow("no spans: the element once") << QByteArray(R"({"id":1,"spans":[]})") << QStringList{QStringLiteral(R"({"id":1,"spans":[]})")};
}
void TestBigTraceImport::elementSplitterKeepsTheRestInEveryPiece()
{
    QFETCH(QByteArray, element);
    QFETCH(QStringList, pieces);
    // Fed a byte at a time: every state must survive a cut anywhere.
    ElementSplitter splitter({"spans", "scopeSpans.spans"}, 1, 1 << 20);
    for (char c : element)
        QVERIFY(splitter.feed(std::string_view(&c, 1)).ok());
    QStringList got;
    QVERIFY(splitter.finish([&](std::string_view doc) -> Status {
                        got << QString::fromUtf8(doc.data(), qsizetype(doc.size()));
                        return {};
                    }).ok());
    QCOMPARE(got, pieces);
}

QTEST_GUILESS_MAIN(TestBigTraceImport)
#include "tst_big_trace_import.moc"
