// Loki HTTP API JSON: the three real fixtures (streams with duplicate entries and emoji labels,
// matrix with every ±Inf spelling, categorize-labels 3-element entries), logcli JSON lines, and the
// errors and rejections for what cannot be read.

#include "import/Format.h"
#include "import/LokiApi.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace rootline;

namespace {

std::string fixture(const char* name)
{
    QFile f(QStringLiteral(ROOTLINE_FIXTURES "/loki/") + QString::fromUtf8(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    const QByteArray data = f.readAll();
    return std::string(data.constData(), size_t(data.size()));
}

const std::string* label(const LokiLabels& labels, std::string_view key)
{
    for (const auto& [k, v] : labels)
        if (k == key)
            return &v;
    return nullptr;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

} // namespace

class TestLokiParse : public QObject {
    Q_OBJECT

private slots:
    // A fetched page with one byte that is not UTF-8 keeps every entry (the byte as U+FFFD) and
    // says so among the warnings the fetch reports; before, the whole page was an error.
    void invalidUtf8KeepsThePageWithAWarning()
    {
        const std::string body = "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[{\"stream\":{\"job\":\"x\"},"
                                 "\"values\":[[\"1795168800000000000\",\"caf\xe9\"],[\"1795168801000000000\",\"ok\"]]}]}}";
        auto r = decodeLokiResponse(body, "loki GET /loki/api/v1/query_range");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->entryCount(), size_t(2));
        QCOMPARE(r->streams.at(0).entries.at(0).line, std::string("caf\xEF\xBF\xBD"));
        QCOMPARE(r->warnings.size(), size_t(1));
        QVERIFY2(r->warnings[0].find("1 byte not valid UTF-8") != std::string::npos, r->warnings[0].c_str());
    }

    void streamsSimple()
    {
        auto r = decodeLokiResponse(fixture("grafana-loki-streams_simple.json"), "streams_simple.json");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(q(r->resultType), QStringLiteral("streams"));
        QCOMPARE(r->streams.size(), size_t(2));
        QCOMPARE(r->entryCount(), size_t(6));
        QVERIFY(!r->categorized());
        QVERIFY(r->rejections.empty());
        QVERIFY(r->statsJson.find("\"totalLinesProcessed\"") != std::string::npos);

        // Label values with quotes, commas and an emoji survive unchanged.
        QCOMPARE(q(*label(r->streams[0].labels, "code")), QStringLiteral("one\","));
        QCOMPARE(q(*label(r->streams[1].labels, "code")), QStringLiteral("\",two"));
        QCOMPARE(q(*label(r->streams[0].labels, "location")), QString::fromUtf8("moon\xF0\x9F\x8C\x99"));

        // Two identical entries at the same nanosecond are both kept, in the server's order.
        const auto& e = r->streams[1].entries;
        QCOMPARE(e.size(), size_t(5));
        QCOMPARE(e[1].time.nanos(), qint64(1645030246277587968));
        QCOMPARE(e[2].time.nanos(), qint64(1645030246277587968));
        QCOMPARE(q(e[1].line), QStringLiteral("log line info 2"));
        QCOMPARE(q(e[2].line), QStringLiteral("log line info 2"));
        QCOMPARE(e[4].time.nanos(), qint64(1645030244091700992));
    }

    void streamsThroughFormat()
    {
        const Format* f = formatByName("loki-api");
        QVERIFY(f);
        const std::string doc = fixture("grafana-loki-streams_simple.json");
        QCOMPARE(detectFormat(doc.substr(0, 4096)), f);
        CollectingSink sink;
        ParseContext ctx;
        ctx.origin = "streams_simple.json";
        ctx.batchSize = 4; // forces several batches
        const Status st = f->parse(doc, ctx, sink);
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message().c_str());
        QCOMPARE(sink.collected.logs.size(), size_t(6));
        QCOMPARE(sink.batches, 2);
        QVERIFY(sink.rejections.empty());
        // Stream labels are the resource; the two streams differ, the entries of one share it.
        const auto& logs = sink.collected.logs;
        QVERIFY(logs[0].resource && logs[1].resource);
        QVERIFY(logs[1].resource == logs[2].resource);
        QVERIFY(logs[0].resource->key() != logs[1].resource->key() || logs[0].resource->raw != logs[1].resource->raw);
        QCOMPARE(q(*logs[0].resource->raw.text("location")), QString::fromUtf8("moon\xF0\x9F\x8C\x99"));
        QCOMPARE(q(logs[2].body), QStringLiteral("log line info 2"));
        QCOMPARE(q(logs[3].body), QStringLiteral("log line info 2"));
        QCOMPARE(logs[2].time, logs[3].time);
    }

    void matrixInf()
    {
        auto r = decodeLokiResponse(fixture("grafana-loki-matrix_inf.json"), "matrix_inf.json");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(q(r->resultType), QStringLiteral("matrix"));
        QVERIFY(r->streams.empty());
        QCOMPARE(r->series.size(), size_t(1));
        const auto& s = r->series[0].samples;
        QCOMPARE(s.size(), size_t(8));
        // Float seconds are read exactly from their text, not through a double.
        QCOMPARE(s[0].time.nanos(), qint64(1643021611100000000));
        QCOMPARE(s[7].time.nanos(), qint64(1643021911800000000));
        for (size_t i = 0; i < s.size(); ++i) {
            QVERIFY(std::isinf(s[i].value));
            QCOMPARE(s[i].value > 0, i % 2 == 0); // +Inf, -Inf, +Infinity, -Infinity, +inf, ...
        }
        const SeriesData data = lokiSeriesData(r->series[0], "rate({job=\"x\"}[1m])");
        QCOMPARE(q(data.series.name), QStringLiteral("rate({job=\"x\"}[1m])"));
        QCOMPARE(data.series.labels.size(), size_t(3));
        QCOMPARE(q(*data.series.label("location")), QStringLiteral("moon"));
        QVERIFY(data.series.resource);
    }

    void categorizeLabels()
    {
        auto r = decodeLokiResponse(fixture("loki-marshal-test-categorize-labels.json"), "categorize.json");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QVERIFY(r->categorized());
        QCOMPARE(r->warnings.size(), size_t(1));
        QCOMPARE(q(r->warnings[0]), QStringLiteral("this is a warning"));
        QCOMPARE(r->entryCount(), size_t(3));
        const auto& e = r->streams[0].entries;
        QVERIFY(e[0].structuredMetadata.empty() && e[0].parsed.empty());
        QCOMPARE(e[0].time.nanos(), qint64(123456789012345));
        QCOMPARE(e[1].structuredMetadata.size(), size_t(2));
        QCOMPARE(q(*label(e[1].structuredMetadata, "foo")), QStringLiteral("a"));
        QVERIFY(e[1].parsed.empty());
        QCOMPARE(q(*label(e[2].parsed, "msg")), QStringLiteral("text"));

        // Structured metadata and parsed labels become attributes; the stream label the resource.
        const ResourcePtr res = lokiResource(r->streams[0].labels);
        const LogRecord rec = lokiLogRecord(e[2], r->streams[0].labels, res);
        QCOMPARE(q(*rec.attributes.text("foo")), QStringLiteral("a"));
        QCOMPARE(q(*rec.attributes.text("bar")), QStringLiteral("b"));
        QCOMPARE(q(*rec.attributes.text("msg")), QStringLiteral("text"));
        QVERIFY(!rec.attributes.find("test"));
        QCOMPARE(q(*rec.resource->raw.text("test")), QStringLiteral("test"));
    }

    void severityAndTraceFromLabels_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("traceId");
        QTest::newRow("stream level") << QByteArray(R"({"status":"success","data":{"resultType":"streams","result":[
            {"stream":{"app":"pay","level":"error"},"values":[["1700000000000000001","boom"]]}]}})")
                                      << 17 << QString();
        QTest::newRow("detected_level in structured metadata, OTLP trace id")
            << QByteArray(R"({"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],"result":[
            {"stream":{"service_name":"pay"},"values":[["1700000000000000001","x",{"structuredMetadata":
            {"detected_level":"warn","trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","span_id":"00f067aa0ba902b7"}}]]}]}})")
            << 13 << QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("parsed level beats stream level")
            << QByteArray(R"({"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],"result":[
            {"stream":{"level":"info"},"values":[["1700000000000000001","x",{"parsed":{"level":"debug"}}]]}]}})")
            << 5 << QString();
    }

    void severityAndTraceFromLabels()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, severity);
        QFETCH(QString, traceId);
        auto r = decodeLokiResponse(json.toStdString(), "inline");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->entryCount(), size_t(1));
        const auto& stream = r->streams[0];
        const LogRecord rec = lokiLogRecord(stream.entries[0], stream.labels, lokiResource(stream.labels));
        QCOMPARE(rec.severity, severity);
        QCOMPARE(rec.traceId ? q(rec.traceId->toHex()) : QString(), traceId);
        if (!traceId.isEmpty()) {
            QVERIFY(rec.spanId);
            QCOMPARE(q(rec.spanId->toHex()), QStringLiteral("00f067aa0ba902b7"));
        }
    }

    void vectorAndScalar()
    {
        auto v = decodeLokiResponse(R"({"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"job":"a"},"value":[1588889221.123,"37.69"]},{"metric":{},"value":[1588889221,"NaN"]}]}})",
                                    "vector");
        QVERIFY(v.ok());
        QCOMPARE(v->series.size(), size_t(2));
        QCOMPARE(v->series[0].samples[0].time.nanos(), qint64(1588889221123000000));
        QCOMPARE(v->series[0].samples[0].value, 37.69);
        QVERIFY(std::isnan(v->series[1].samples[0].value));

        auto s = decodeLokiResponse(R"({"status":"success","data":{"resultType":"scalar","result":[1588889221.5,"1e+21"]}})",
                                    "scalar");
        QVERIFY(s.ok());
        QCOMPARE(s->series.size(), size_t(1));
        QCOMPARE(s->series[0].samples[0].value, 1e21);
        QCOMPARE(s->series[0].samples[0].time.nanos(), qint64(1588889221500000000));
    }

    void sampleValues_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<double>("value");
        QTest::newRow("int") << QByteArray("1") << 1.0;
        QTest::newRow("small") << QByteArray("0.0000012345678") << 0.0000012345678;
        QTest::newRow("exp") << QByteArray("1.2345678e-67") << 1.2345678e-67;
        QTest::newRow("big") << QByteArray("1e+21") << 1e21;
        QTest::newRow("neg") << QByteArray("-3.5") << -3.5;
        QTest::newRow("+Inf") << QByteArray("+Inf") << std::numeric_limits<double>::infinity();
        QTest::newRow("-INfInItY") << QByteArray("-INfInItY") << -std::numeric_limits<double>::infinity();
        QTest::newRow("Infinity") << QByteArray("Infinity") << std::numeric_limits<double>::infinity();
    }

    void sampleValues()
    {
        QFETCH(QByteArray, text);
        QFETCH(double, value);
        auto r = parseLokiSampleValue(text.toStdString());
        QVERIFY(r.ok());
        QCOMPARE(*r, value);
        QVERIFY(std::isnan(*parseLokiSampleValue("NaN")));
        QVERIFY(!parseLokiSampleValue("1,5").ok());
        QVERIFY(!parseLokiSampleValue("").ok());
        QVERIFY(!parseLokiSampleValue("12abc").ok());
    }

    void jsonLines()
    {
        const std::string doc =
            "{\"labels\":{\"job\":\"api\",\"level\":\"warn\"},\"line\":\"slow \\u003cquery\\u003e\",\"timestamp\":\"2026-11-23T14:46:00.123456789Z\"}\n"
            "{\"labels\":{\"job\":\"api\",\"level\":\"warn\"},\"line\":\"again\",\"timestamp\":\"2026-11-23T16:46:01+02:00\"}\n"
            "\n"
            "{\"labels\":{},\"line\":\"bad time\",\"timestamp\":\"yesterday\"}\n"
            "{\"line\":\"no labels\",\"timestamp\":\"2026-11-23T14:46:02Z\"}\n";
        const Format* f = formatByName("loki-api");
        QVERIFY(f);
        QCOMPARE(detectFormat(doc.substr(0, 4096)), f);
        CollectingSink sink;
        ParseContext ctx;
        ctx.origin = "out.jsonl";
        QVERIFY(f->parse(doc, ctx, sink).ok());
        const auto& logs = sink.collected.logs;
        QCOMPARE(logs.size(), size_t(3));
        QCOMPARE(q(logs[0].body), QStringLiteral("slow <query>"));
        QCOMPARE(logs[0].time, *parseRfc3339("2026-11-23T14:46:00.123456789Z"));
        QCOMPARE(logs[1].time, *parseRfc3339("2026-11-23T14:46:01Z"));
        QCOMPARE(logs[0].severity, 13);
        QVERIFY(logs[0].resource == logs[1].resource); // same labels, one shared resource
        QCOMPARE(sink.rejections.size(), size_t(1));
        QCOMPARE(q(sink.rejections[0].location), QStringLiteral("out.jsonl:4"));

        // Strict mode: the bad line is an error naming its place.
        CollectingSink strictSink;
        ctx.strict = true;
        const Status st = f->parse(doc, ctx, strictSink);
        QVERIFY(!st.ok());
        QVERIFY(st.error().where.find("out.jsonl:4") != std::string::npos);
    }

    void badEntriesRejectedWithPlace()
    {
        auto r = decodeLokiResponse(R"({"status":"success","data":{"resultType":"streams","result":[
            {"stream":{"a":"b"},"values":[["12x","bad ts"],["1700000000000000001","good"],["1700000000000000002"],"junk"]}]}})",
                                    "loki GET /q");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->entryCount(), size_t(1));
        QCOMPARE(q(r->streams[0].entries[0].line), QStringLiteral("good"));
        QCOMPARE(r->rejections.size(), size_t(3));
        QCOMPARE(q(r->rejections[0].location), QStringLiteral("loki GET /q#result[0].values[0]"));
        QCOMPARE(q(r->rejections[2].location), QStringLiteral("loki GET /q#result[0].values[3]"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[{\"stream\":{},\"values\":[[\"1\",\"x")
                                   << QStringLiteral("malformed JSON");
        QTest::newRow("html") << QByteArray("<html><body>502 Bad Gateway</body></html>") << QStringLiteral("malformed JSON");
        QTest::newRow("plain text") << QByteArray("parse error at line 1, col 18: syntax error") << QStringLiteral("malformed JSON");
        QTest::newRow("error status") << QByteArray(R"({"status":"error","errorType":"bad_data","error":"invalid parameter"})")
                                      << QStringLiteral("bad_data: invalid parameter");
        QTest::newRow("no data") << QByteArray(R"({"status":"success"})") << QStringLiteral("no \"data\"");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("expected a JSON object");
        QTest::newRow("trailing") << QByteArray(R"({"status":"success","data":{"result":[]}} {"x":1})") << QStringLiteral("trailing");
    }

    void errors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        auto r = decodeLokiResponse(body.toStdString(), "loki GET /loki/api/v1/query_range");
        QVERIFY(!r.ok());
        const QString msg = q(r.error().message());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY(msg.startsWith(QStringLiteral("loki GET /loki/api/v1/query_range")));
    }

    void stringLists()
    {
        auto r = decodeLokiStringList(R"({"status":"success","data":["app","level","location"]})", "labels");
        QVERIFY(r.ok());
        QCOMPARE(r->size(), size_t(3));
        QCOMPARE(q((*r)[2]), QStringLiteral("location"));
        auto empty = decodeLokiStringList(R"({"status":"success"})", "labels");
        QVERIFY(empty.ok());
        QVERIFY(empty->empty());
        QVERIFY(!decodeLokiStringList("not json", "labels").ok());
    }
};

QTEST_GUILESS_MAIN(TestLokiParse)
#include "tst_loki_parse.moc"
