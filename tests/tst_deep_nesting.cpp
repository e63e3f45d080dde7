// Depth is never the stack's business (issue 13, item 1): every place where the input decides how
// deep a JSON value nests refuses more than kMaxJsonDepth levels with the record's place, and the
// rest of the file still imports. Each case nests 10× the limit; before the limit, these inputs
// crashed the importers (stack overflow), or imported and then crashed every reader of the cache.

#include "CacheTestUtil.h"
#include "cache/RecordCodec.h"
#include "core/Attributes.h"
#include "core/JsonDepth.h"
#include "import/Importer.h"
#include "import/NestedJson.h"

#include <QTemporaryDir>
#include <QTest>

#include <string>

using namespace rootline;

// Declared before the helpers: moc loses its way in raw strings with unbalanced braces.
class TestDeepNesting : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void depthScan_data();
    void depthScan();
    void depthScanAtTheLimit();
    void otlpAnyValueTooDeepIsRejectedWithItsLine();
    void otlpAnyValueWithinTheLimitIsKept();
    void jsonLinesFieldTooDeepIsRejectedWithItsLine();
    void xraySegmentWithDeepAwsObjectIsRejected();
    void apiResponsesTooDeepFailWithAReason_data();
    void apiResponsesTooDeepFailWithAReason();
    void storedValuesTooDeepReadAsANote();
    void otlpAnyValueWriterIsIterative();
    void otlpAnyValueWriterKeepsItsShapes_data();
    void otlpAnyValueWriterKeepsItsShapes();
    void xrayFlattenIsIterative();

private:
    QTemporaryDir m_dir;
    int m_files = 0;
    std::string write(const std::string& name, const std::string& content);
    // Imports `files` into a new cache; returns its path and the summary.
    std::pair<std::string, ImportSummary> import(const std::vector<std::string>& files);
    static std::string allErrors(const ImportFileResult& r);
};

namespace {

constexpr size_t kTenTimes = 10 * kMaxJsonDepth;

std::string nestedArrays(size_t depth)
{
    return std::string(depth, '[') + std::string(depth, ']');
}

// {"a":{"a":…{"a":1}…}}
std::string nestedObjects(size_t depth)
{
    std::string out;
    for (size_t i = 0; i < depth; ++i)
        out += "{\"a\":";
    out += '1';
    out += std::string(depth, '}');
    return out;
}

// An OTLP AnyValue whose kvlistValue holds itself `levels` times (four JSON levels per level).
std::string nestedKvlist(size_t levels)
{
    std::string out;
    for (size_t i = 0; i < levels; ++i)
        out += R"({"kvlistValue":{"values":[{"key":"k","value":)";
    out += R"({"stringValue":"bottom"})";
    for (size_t i = 0; i < levels; ++i)
        out += "}]}}";
    return out;
}

std::string otlpLogLine(const std::string& body, const char* time)
{
    return std::string(R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"deep"}}]},)")
        + R"("scopeLogs":[{"logRecords":[{"timeUnixNano":")" + time + R"(","severityNumber":9,"body":)" + body + "}]}]}]}";
}

} // namespace

std::string TestDeepNesting::write(const std::string& name, const std::string& content)
{
    const QString path = m_dir.filePath(QString::number(++m_files) + QLatin1Char('-') + QString::fromStdString(name));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content.data(), qint64(content.size()));
    return path.toStdString();
}

std::pair<std::string, ImportSummary> TestDeepNesting::import(const std::vector<std::string>& files)
{
    const std::string cache = m_dir.filePath(QStringLiteral("c%1.rootline").arg(++m_files)).toStdString();
    auto writer = testutil::openWriter(cache);
    if (!writer)
        qFatal("no writer");
    Importer importer(*writer);
    ImportSummary s = importer.run(files);
    return {cache, s};
}

std::string TestDeepNesting::allErrors(const ImportFileResult& r)
{
    std::string text = r.note;
    for (const auto& e : r.errors)
        text += " | " + e.location + ": " + e.message;
    return text;
}

void TestDeepNesting::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestDeepNesting::depthScan_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("at"); // -1: within the limit
    QTest::newRow("flat") << QByteArray(R"({"a":[1,2,{"b":3}]})") << 3 << -1;
    QTest::newRow("one too deep") << QByteArray(R"({"a":[1,2,{"b":3}]})") << 2 << 10;
    QTest::newRow("brackets in strings do not count") << QByteArray(R"(["[[[{{{", "]]]"])") << 1 << -1;
    QTest::newRow("escaped quote stays in the string") << QByteArray("[\"\\\"[[[\", [1]]") << 1 << 10;
    QTest::newRow("escaped backslash ends the string") << QByteArray("[\"\\\\\", [1]]") << 1 << 7;
    QTest::newRow("siblings do not add up") << QByteArray("[[],[],[[]]]") << 3 << -1;
    QTest::newRow("empty") << QByteArray() << 1 << -1;
}
void TestDeepNesting::depthScan()
{
    QFETCH(QByteArray, json);
    QFETCH(int, limit);
    QFETCH(int, at);
    const auto found = jsonTooDeepAt(std::string_view(json.constData(), size_t(json.size())), size_t(limit));
    if (at < 0)
        QVERIFY(!found);
    else {
        QVERIFY(found);
        QCOMPARE(int(*found), at);
    }
}

void TestDeepNesting::depthScanAtTheLimit()
{
    QVERIFY(!jsonTooDeepAt(nestedArrays(kMaxJsonDepth)));
    QCOMPARE(jsonTooDeepAt(nestedArrays(kMaxJsonDepth + 1)).value_or(0), kMaxJsonDepth);
    QCOMPARE(jsonTooDeepAt(nestedArrays(kTenTimes * 10)).value_or(0), kMaxJsonDepth); // 102,400 deep: no stack
}

void TestDeepNesting::otlpAnyValueTooDeepIsRejectedWithItsLine()
{
    const std::string file = write("logs.jsonl", otlpLogLine(R"({"stringValue":"fine"})", "1795168800000000000") + "\n"
                                                     + otlpLogLine(nestedKvlist(kTenTimes / 4), "1795168801000000000") + "\n"
                                                     + otlpLogLine(R"({"stringValue":"also fine"})", "1795168802000000000") + "\n");
    const auto [cache, s] = import({file});
    QCOMPARE(s.files.size(), size_t(1));
    const ImportFileResult& r = s.files[0];
    QCOMPARE(r.outcome, ImportFileResult::Outcome::Imported);
    QCOMPARE(r.stats.logs, int64_t(2));
    QCOMPARE(r.rejected, int64_t(1));
    QVERIFY2(allErrors(r).find("nested deeper than 1024") != std::string::npos, allErrors(r).c_str());
    QVERIFY2(allErrors(r).find(":2") != std::string::npos, allErrors(r).c_str()); // the line
}

void TestDeepNesting::otlpAnyValueWithinTheLimitIsKept()
{
    // 200 kvlist levels = 800 JSON levels: deep, but legal; written back as nested JSON.
    const std::string file = write("ok.jsonl", otlpLogLine(nestedKvlist(200), "1795168800000000000") + "\n");
    const auto [cache, s] = import({file});
    QCOMPARE(s.files.at(0).stats.logs, int64_t(1));
    QCOMPARE(s.files.at(0).rejected, int64_t(0));
}

void TestDeepNesting::jsonLinesFieldTooDeepIsRejectedWithItsLine()
{
    const std::string file = write("app.log", R"({"time":"2026-11-20T14:00:00Z","level":"info","msg":"one"})" "\n"
                                              R"({"time":"2026-11-20T14:00:01Z","level":"info","msg":"two","deep":)"
                                                  + nestedObjects(kTenTimes) + "}\n"
                                                  R"({"time":"2026-11-20T14:00:02Z","level":"info","msg":"three"})" "\n");
    const auto [cache, s] = import({file});
    const ImportFileResult& r = s.files.at(0);
    QVERIFY2(r.outcome == ImportFileResult::Outcome::Imported, allErrors(r).c_str());
    QCOMPARE(r.stats.logs, int64_t(2));
    QCOMPARE(r.rejected, int64_t(1));
    QVERIFY2(allErrors(r).find(":2") != std::string::npos, allErrors(r).c_str());
    // What was stored reads back (the poisoned-cache case: every reader crashed afterwards).
    auto reader = testutil::openReader(cache);
    QVERIFY(reader);
}

void TestDeepNesting::xraySegmentWithDeepAwsObjectIsRejected()
{
    // A segment document is JSON inside a JSON string: the inner parse meets the depth.
    std::string deepAws = nestedObjects(kTenTimes);
    std::string doc = R"({"id":"54aff5735b12dd28","name":"api","start_time":1.7951688E9,"end_time":1.7951688010E9,)"
                      R"("trace_id":"1-5d82881a-0a9126e92a73e971eed891b9","aws":)" + deepAws + "}";
    std::string escaped;
    for (char c : doc)
        escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
    const std::string body = R"({"Traces":[{"Id":"1-5d82881a-0a9126e92a73e971eed891b9","Duration":1.0,"Segments":[{"Id":"54aff5735b12dd28","Document":")"
                             + escaped + R"("}]}],"UnprocessedTraceIds":[]})";
    const std::string file = write("xray.json", body);
    const auto [cache, s] = import({file});
    const ImportFileResult& r = s.files.at(0);
    QCOMPARE(r.stats.spans, int64_t(0));
    QVERIFY2(r.rejected > 0 || r.outcome == ImportFileResult::Outcome::Failed, allErrors(r).c_str());
    QVERIFY2(allErrors(r).find("deep") != std::string::npos, allErrors(r).c_str());
}

void TestDeepNesting::apiResponsesTooDeepFailWithAReason_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArray>("suffix");
    // The deep value sits inside a record (a stream's labels, a series' metric), where the parser
    // has to read it.
    QTest::newRow("loki") << QByteArray(R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"x","deep":)")
                          << QByteArray(R"(},"values":[["1795168800000000000","hi"]]}]}})");
    QTest::newRow("prometheus") << QByteArray(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","deep":)")
                                << QByteArray(R"(},"values":[[1795168800,"1"]]}]}})");
    QTest::newRow("jaeger") << QByteArray(R"({"data":[{"traceID":"5b8efff798038103d269b633813fc60c","spans":[{"traceID":"5b8efff798038103d269b633813fc60c","spanID":"eee19b7ec3c1b174","operationName":"op","startTime":1795168800000000,"duration":5,"references":[],"tags":[],"processID":"p1","deep":)")
                            << QByteArray(R"(}],"processes":{"p1":{"serviceName":"svc","tags":[]}}}]})");
}
void TestDeepNesting::apiResponsesTooDeepFailWithAReason()
{
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, suffix);
    const std::string file = write("response.json", prefix.toStdString() + nestedArrays(kTenTimes) + suffix.toStdString());
    const auto [cache, s] = import({file});
    QCOMPARE(s.files.size(), size_t(1));
    const ImportFileResult& r = s.files.at(0);
    // Refused, never half-read: nothing stored, and the reason names the depth.
    QVERIFY2(r.rejected > 0 || r.outcome != ImportFileResult::Outcome::Imported, allErrors(r).c_str());
    QCOMPARE(r.stats.logs + r.stats.spans + r.stats.samples, int64_t(0));
    QVERIFY2(allErrors(r).find("deep") != std::string::npos, allErrors(r).c_str());
}

// Values stored before the limit existed are read as a note, never walked.
void TestDeepNesting::storedValuesTooDeepReadAsANote()
{
    const Attributes attrs = Attributes::fromJson("{\"k\":" + nestedObjects(kTenTimes) + "}");
    QCOMPARE(attrs.size(), size_t(1));
    const auto* note = attrs.find(std::string(Attributes::kTooDeepAttribute));
    QVERIFY(note);
    QCOMPARE(attributeToText(*note), std::string(Attributes::kTooDeepNote));

    const codec::Labels labels = codec::labelsFromJson("{\"k\":" + nestedArrays(kTenTimes) + "}");
    QCOMPARE(labels.size(), size_t(1));
    QCOMPARE(labels[0].first, std::string(Attributes::kTooDeepAttribute));
    QVERIFY(codec::eventsFromJson("[" + nestedArrays(kTenTimes) + "]").empty());
    QVERIFY(codec::linksFromJson("[" + nestedArrays(kTenTimes) + "]").empty());

    // Within the limit, nested values still come back whole.
    const Attributes ok = Attributes::fromJson(R"({"k":{"a":[1,{"b":2}]}})");
    QCOMPARE(attributeToText(*ok.find("k")), std::string(R"({"a":[1,{"b":2}]})"));
}

// The writers themselves, past the importers' limit (which refuses such values before they get
// there): 10× the limit in JSON levels, and 100×, where the recursive writers overflowed the stack.
void TestDeepNesting::otlpAnyValueWriterIsIterative()
{
    for (size_t jsonLevels : {kTenTimes, 10 * kTenTimes}) {
        const size_t levels = jsonLevels / 4; // four JSON levels per kvlist level
        const auto json = nested::otlpAnyValueJson(nestedKvlist(levels));
        QVERIFY2(json.ok(), json.ok() ? "" : json.error().message().c_str());
        std::string expected;
        for (size_t i = 0; i < levels; ++i)
            expected += "{\"k\":";
        expected += "\"bottom\"" + std::string(levels, '}');
        QCOMPARE(json->size(), expected.size());
        QVERIFY(*json == expected);

        std::string arrays;
        for (size_t i = 0; i < jsonLevels / 3; ++i) // {"arrayValue":{"values":[ … ]}}: three levels
            arrays += R"({"arrayValue":{"values":[)";
        arrays += R"({"intValue":"7"})";
        for (size_t i = 0; i < jsonLevels / 3; ++i)
            arrays += "]}}";
        const auto nestedArraysJson = nested::otlpAnyValueJson(arrays);
        QVERIFY(nestedArraysJson.ok());
        QVERIFY(*nestedArraysJson == std::string(jsonLevels / 3, '[') + "7" + std::string(jsonLevels / 3, ']'));
    }
}

void TestDeepNesting::otlpAnyValueWriterKeepsItsShapes_data()
{
    QTest::addColumn<QByteArray>("anyValue");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("scalars") << QByteArray(R"({"arrayValue":{"values":[{"stringValue":"a\"b"},{"intValue":"-3"},{"doubleValue":0.5},)"
                                           R"({"boolValue":true},{"bytesValue":"AQI="},{}]}})")
                             << QByteArray(R"(["a\"b",-3,0.5,true,"AQI=",null])");
    QTest::newRow("empty containers") << QByteArray(R"({"arrayValue":{}})") << QByteArray("[]");
    QTest::newRow("empty kvlist") << QByteArray(R"({"kvlistValue":{"values":[]}})") << QByteArray("{}");
    QTest::newRow("value before key") << QByteArray(R"({"kvlistValue":{"values":[{"value":{"kvlistValue":{"values":[{"key":"x","value":{"intValue":1}}]}},"key":"a"},{"key":"b","value":{"boolValue":false}}]}})")
                                      << QByteArray(R"({"a":{"x":1},"b":false})");
    QTest::newRow("no value, no key") << QByteArray(R"({"kvlistValue":{"values":[{"key":"a"},{"value":{"intValue":2}}]}})")
                                      << QByteArray(R"({"a":null,"":2})");
    QTest::newRow("last key and value win") << QByteArray(R"({"kvlistValue":{"values":[{"key":"a","value":{"intValue":1},"key":"bb","value":{"arrayValue":{"values":[{"intValue":2}]}}}]}})")
                                            << QByteArray(R"({"bb":[2]})");
    QTest::newRow("unknown fields skipped") << QByteArray(R"({"other":{"deep":[1,[2]]},"arrayValue":{"x":[{"y":1}],"values":[{"stringValue":"s","more":1}]}})")
                                            << QByteArray(R"(["s"])");
}
void TestDeepNesting::otlpAnyValueWriterKeepsItsShapes()
{
    QFETCH(QByteArray, anyValue);
    QFETCH(QByteArray, json);
    const auto out = nested::otlpAnyValueJson(anyValue.toStdString());
    QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
    QCOMPARE(QByteArray::fromStdString(*out), json);
}

void TestDeepNesting::xrayFlattenIsIterative()
{
    for (size_t depth : {kTenTimes, 10 * kTenTimes}) {
        const auto attrs = nested::flattenedObject(nestedObjects(depth), "aws");
        QVERIFY2(attrs.ok(), attrs.ok() ? "" : attrs.error().message().c_str());
        QCOMPARE(attrs->size(), size_t(1));
        std::string key = "aws";
        for (size_t i = 0; i < depth; ++i)
            key += ".a";
        const auto* value = attrs->find(key);
        QVERIFY(value);
        QCOMPARE(attributeToText(*value), std::string("1"));
    }
    // Siblings after a nested object, arrays kept as text, nulls left out.
    const auto attrs = nested::flattenedObject(R"({"ec2":{"id":"i-1","az":{"name":"eu-1a"}},"n":2,"list":[1,{"a":2}],"nil":null})", "aws");
    QVERIFY(attrs.ok());
    QCOMPARE(attrs->size(), size_t(4));
    QCOMPARE(attributeToText(*attrs->find("aws.ec2.id")), std::string("i-1"));
    QCOMPARE(attributeToText(*attrs->find("aws.ec2.az.name")), std::string("eu-1a"));
    QCOMPARE(attributeToText(*attrs->find("aws.n")), std::string("2"));
    QCOMPARE(attributeToText(*attrs->find("aws.list")), std::string(R"([1,{"a":2}])"));
}

QTEST_GUILESS_MAIN(TestDeepNesting)
#include "tst_deep_nesting.moc"
