// OTLP/JSON parser: the upstream examples, every AnyValue type, id and time encodings, metrics of
// every kind, JSON lines with bad lines, wrong types, strict mode, detection.

#include "import/Format.h"
#include "import/JaegerJson.h"
#include "import/JsonSplitter.h"
#include "import/OtlpJson.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <random>

using namespace rootline;

namespace {

std::string readFixture(const char* relative)
{
    QFile f(QStringLiteral(ROOTLINE_FIXTURES "/") + QString::fromUtf8(relative));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", relative);
    return f.readAll().toStdString();
}

struct Parsed {
    Status status;
    CollectingSink sink;
};

std::unique_ptr<Parsed> parse(std::string_view json, bool strict = false, const char* origin = "in.json")
{
    auto p = std::make_unique<Parsed>();
    ParseContext ctx;
    ctx.origin = origin;
    ctx.strict = strict;
    p->status = parseOtlpJson(json, ctx, p->sink);
    return p;
}

std::string hex(const TraceId& id) { return id.toHex(); }

// A one-span document with `spanFields` spliced into the span object.
std::string spanDoc(const std::string& spanFields)
{
    return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},)"
           R"("scopeSpans":[{"scope":{"name":"lib"},"spans":[{"traceId":"0123456789abcdef0123456789abcdef","spanId":"0123456789abcdef",)"
        + spanFields + "}]}]}]}";
}

} // namespace

class TestImportOtlp : public QObject {
    Q_OBJECT
private slots:
    void traceFixture();
    void logsFixtureEveryValueType();
    void apiV3Wrapper();
    void jaegerUiUploadSample();
    void idEncodings_data();
    void idEncodings();
    void timesKeepNanoseconds_data();
    void timesKeepNanoseconds();
    void enumNamesAndLinks();
    void unicodeAndEscapes();
    void veryLongLine();
    void emptyResults_data();
    void emptyResults();
    void jsonLinesWithBadLines();
    void wrongTypesRejectTheRecordOnly_data();
    void wrongTypesRejectTheRecordOnly();
    void badIdsAreRejected();
    void strictFailsOnFirstBadRecord();
    void metricsOfEveryKind();
    void temporalityAndStream_data();
    void temporalityAndStream();
    void badTemporalityRejectsTheMetric();
    void errorResponse();
    void detection_data();
    void detection();
    void corruptedInputNeverCrashes();
    void splitterStreamingMatchesWholeScan_data();
    void splitterStreamingMatchesWholeScan();
};

void TestImportOtlp::traceFixture()
{
    auto p = parse(readFixture("otlp/otlp-proto-examples-trace.json"));
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    QVERIFY(p->sink.rejections.empty());
    const Span& s = p->sink.collected.spans[0];
    QCOMPARE(hex(s.traceId), std::string("5b8efff798038103d269b633813fc60c")); // upper-case on the wire
    QCOMPARE(s.spanId.toHex(), std::string("eee19b7ec3c1b174"));
    QVERIFY(s.parentSpanId.has_value());
    QCOMPARE(s.parentSpanId->toHex(), std::string("eee19b7ec3c1b173"));
    QCOMPARE(s.name, std::string("I'm a server span"));
    QCOMPARE(s.kind, SpanKind::Server);
    QCOMPARE(s.start.nanos(), int64_t(1544712660000000000));
    QCOMPARE(s.duration.count(), int64_t(1000000000));
    QCOMPARE(s.attributes.text("my.span.attr").value_or(""), std::string("some value"));
    QCOMPARE(s.attributes.text("otel.scope.name").value_or(""), std::string("my.library"));
    QVERIFY(s.resource);
    QCOMPARE(s.resource->serviceName, std::string("my.service"));
}

void TestImportOtlp::logsFixtureEveryValueType()
{
    auto p = parse(readFixture("otlp/otlp-proto-examples-logs.json"));
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.logs.size(), size_t(1));
    const LogRecord& l = p->sink.collected.logs[0];
    QCOMPARE(l.time.nanos(), int64_t(1544712660300000000));
    QCOMPARE(l.severity, 10);
    QCOMPARE(l.severityText, std::string("Information"));
    QCOMPARE(l.body, std::string("Example log record"));
    QVERIFY(l.traceId && l.spanId);
    QCOMPARE(l.traceId->toHex(), std::string("5b8efff798038103d269b633813fc60c"));
    const auto* str = l.attributes.find("string.attribute");
    const auto* boolean = l.attributes.find("boolean.attribute");
    const auto* integer = l.attributes.find("int.attribute");
    const auto* dbl = l.attributes.find("double.attribute");
    const auto* arr = l.attributes.find("array.attribute");
    const auto* map = l.attributes.find("map.attribute");
    QVERIFY(str && boolean && integer && dbl && arr && map);
    QCOMPARE(std::get<std::string>(*str), std::string("some string"));
    QCOMPARE(std::get<bool>(*boolean), true);
    QCOMPARE(std::get<int64_t>(*integer), int64_t(10)); // intValue arrives as a string
    QCOMPARE(std::get<double>(*dbl), 637.704);
    QCOMPARE(std::get<JsonText>(*arr).text, std::string(R"(["many","values"])"));
    QCOMPARE(std::get<JsonText>(*map).text, std::string(R"({"some.map.key":"some value"})"));
    QCOMPARE(l.resource->serviceName, std::string("my.service"));
}

void TestImportOtlp::apiV3Wrapper()
{
    auto p = parse(readFixture("jaeger/jaeger-apiv3-GetTrace-snapshot.json"));
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    const Span& s = p->sink.collected.spans[0];
    QCOMPARE(s.traceId.toHex(), std::string("00000000000000000000000000000001"));
    QCOMPARE(s.spanId.toHex(), std::string("0000000000000002"));
    QCOMPARE(s.status, StatusCode::Error);
    QCOMPARE(s.kind, SpanKind::Server);
    QVERIFY(!s.parentSpanId);
    QCOMPARE(s.resource->serviceName, std::string("unknown_service"));
}

void TestImportOtlp::jaegerUiUploadSample()
{
    auto p = parse(readFixture("jaeger/jaeger-ui-otlp2jaeger-in.json"));
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(2)); // the same span twice, both kept
    const Span& s = p->sink.collected.spans[0];
    QCOMPARE(s.duration.count(), int64_t(123000));
    QCOMPARE(s.resource->serviceName, std::string("telemetrygen"));
    QCOMPARE(s.parentSpanId->toHex(), std::string("909541b92cf05311"));
    // Both spans of one resource block share one resource.
    QCOMPARE(p->sink.collected.spans[1].resource.get(), s.resource.get());
}

void TestImportOtlp::idEncodings_data()
{
    QTest::addColumn<QString>("traceId");
    QTest::addColumn<QString>("spanId");
    QTest::newRow("lower hex") << "5b8efff798038103d269b633813fc60c" << "eee19b7ec3c1b174";
    QTest::newRow("upper hex") << "5B8EFFF798038103D269B633813FC60C" << "EEE19B7EC3C1B174";
    QTest::newRow("base64 (Tempo)") << QString::fromLatin1(QByteArray::fromHex("5b8efff798038103d269b633813fc60c").toBase64())
                                    << QString::fromLatin1(QByteArray::fromHex("eee19b7ec3c1b174").toBase64());
}
void TestImportOtlp::idEncodings()
{
    QFETCH(QString, traceId);
    QFETCH(QString, spanId);
    const std::string doc = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":")" + traceId.toStdString()
        + R"(","spanId":")" + spanId.toStdString() + R"(","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]})";
    auto p = parse(doc);
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    QCOMPARE(p->sink.collected.spans[0].traceId.toHex(), std::string("5b8efff798038103d269b633813fc60c"));
    QCOMPARE(p->sink.collected.spans[0].spanId.toHex(), std::string("eee19b7ec3c1b174"));
}

void TestImportOtlp::timesKeepNanoseconds_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("end");
    QTest::newRow("strings") << R"("1544712660123456789")" << R"("1544712660123456790")";
    QTest::newRow("numbers") << "1544712660123456789" << "1544712660123456790";
}
void TestImportOtlp::timesKeepNanoseconds()
{
    QFETCH(QString, start);
    QFETCH(QString, end);
    auto p = parse(spanDoc(R"("name":"t","startTimeUnixNano":)" + start.toStdString() + R"(,"endTimeUnixNano":)" + end.toStdString()));
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    QCOMPARE(p->sink.collected.spans[0].start.nanos(), int64_t(1544712660123456789));
    QCOMPARE(p->sink.collected.spans[0].duration.count(), int64_t(1));
}

void TestImportOtlp::enumNamesAndLinks()
{
    auto p = parse(spanDoc(R"("name":"e","kind":"SPAN_KIND_CLIENT","status":{"code":"STATUS_CODE_ERROR","message":"boom"},)"
                           R"("startTimeUnixNano":"10","endTimeUnixNano":"20","parentSpanId":"",)"
                           R"("events":[{"timeUnixNano":"15","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"E"}}]}],)"
                           R"("links":[{"traceId":"ffffffffffffffffffffffffffffffff","spanId":"00000000000000aa","traceState":"k=v"}])"));
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    const Span& s = p->sink.collected.spans[0];
    QCOMPARE(s.kind, SpanKind::Client);
    QCOMPARE(s.status, StatusCode::Error);
    QCOMPARE(s.statusMessage, std::string("boom"));
    QVERIFY(!s.parentSpanId);
    QCOMPARE(s.events.size(), size_t(1));
    QCOMPARE(s.events[0].time.nanos(), int64_t(15));
    QCOMPARE(s.events[0].attributes.text("exception.type").value_or(""), std::string("E"));
    QCOMPARE(s.links.size(), size_t(1));
    QCOMPARE(s.links[0].spanId.toHex(), std::string("00000000000000aa"));
    QCOMPARE(s.links[0].attributes.text("w3c.tracestate").value_or(""), std::string("k=v"));
}

void TestImportOtlp::unicodeAndEscapes()
{
    auto p = parse(spanDoc(R"("name":"caf\u00e9 \ud83d\ude80 日本","startTimeUnixNano":"1","endTimeUnixNano":"2",)"
                           R"("attributes":[{"key":"q\"uote","value":{"stringValue":"line\nbreak"}},{"key":"bytes","value":{"bytesValue":"AAAwOQ=="}},{"key":"empty","value":{}}])"));
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    const Span& s = p->sink.collected.spans[0];
    QCOMPARE(s.name, std::string("café \xF0\x9F\x9A\x80 日本"));
    QCOMPARE(s.attributes.text("q\"uote").value_or(""), std::string("line\nbreak"));
    QCOMPARE(s.attributes.text("bytes").value_or(""), std::string("AAAwOQ=="));
    QVERIFY(s.attributes.find("empty"));
}

void TestImportOtlp::veryLongLine()
{
    const std::string body(6 << 20, 'x');
    const std::string line = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"5","body":{"stringValue":")" + body + R"("}}]}]}]})";
    auto p = parse(line + "\n" + line + "\n");
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.logs.size(), size_t(2));
    QCOMPARE(p->sink.collected.logs[1].body.size(), body.size());
}

void TestImportOtlp::emptyResults_data()
{
    QTest::addColumn<QString>("doc");
    QTest::newRow("nothing") << "";
    QTest::newRow("whitespace") << "  \n \n";
    QTest::newRow("empty object") << "{}";
    QTest::newRow("empty spans") << R"({"resourceSpans":[]})";
    QTest::newRow("empty scope") << R"({"resourceLogs":[{"resource":{},"scopeLogs":[]}]})";
    QTest::newRow("api_v3 empty") << R"({"result":{"resourceSpans":[]}})";
}
void TestImportOtlp::emptyResults()
{
    QFETCH(QString, doc);
    auto p = parse(doc.toStdString());
    QVERIFY(p->status.ok());
    QVERIFY(p->sink.collected.empty());
    QVERIFY(p->sink.rejections.empty());
}

void TestImportOtlp::jsonLinesWithBadLines()
{
    const std::string good = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","body":{"stringValue":"a"}}]}]}]})";
    const std::string doc = good + "\n" + R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1",)" + "\n" + good
        + "\n" + R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","body":{"stringValue":"b"}}}]}]})" + "\n" + good + "\n";
    auto p = parse(doc, false, "export.jsonl");
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.logs.size(), size_t(3));
    QCOMPARE(p->sink.rejections.size(), size_t(2));
    QCOMPARE(p->sink.rejections[0].location, std::string("export.jsonl:2"));
    QCOMPARE(p->sink.rejections[1].location, std::string("export.jsonl:4"));
    QVERIFY(p->sink.rejections[1].message.find("malformed JSON") != std::string::npos);
}

void TestImportOtlp::wrongTypesRejectTheRecordOnly_data()
{
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("expected");
    QTest::newRow("start bool") << R"("startTimeUnixNano":true)" << "startTimeUnixNano";
    QTest::newRow("start text") << R"("startTimeUnixNano":"yesterday")" << "startTimeUnixNano";
    QTest::newRow("kind 9") << R"("kind":9)" << "kind";
    QTest::newRow("attributes object") << R"("attributes":{"a":1})" << "attributes";
    QTest::newRow("intValue text") << R"("attributes":[{"key":"n","value":{"intValue":"ten"}}])" << "intValue";
    QTest::newRow("name number") << R"("name":5)" << "name";
}
void TestImportOtlp::wrongTypesRejectTheRecordOnly()
{
    QFETCH(QString, fields);
    QFETCH(QString, expected);
    const std::string doc = R"({"resourceSpans":[{"scopeSpans":[{"spans":[)"
                            R"({"traceId":"01","spanId":"01","name":"ok1"},)"
                            "\n"
                            R"({"traceId":"01","spanId":"02",)" + fields.toStdString() + "},\n"
                            R"({"traceId":"01","spanId":"03","name":"ok2"}]}]}]})";
    auto p = parse(doc, false, "f.json");
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(2));
    QCOMPARE(p->sink.rejections.size(), size_t(1));
    QCOMPARE(p->sink.rejections[0].location, std::string("f.json:2"));
    QVERIFY2(p->sink.rejections[0].message.find(expected.toStdString()) != std::string::npos, p->sink.rejections[0].message.c_str());
    QVERIFY(!p->sink.rejections[0].snippet.empty());
}

void TestImportOtlp::badIdsAreRejected()
{
    auto p = parse(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz","spanId":"01"},{"traceId":"01","spanId":""},{"traceId":"01","spanId":"02"}]}]}]})");
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    QCOMPARE(p->sink.rejections.size(), size_t(2));
}

void TestImportOtlp::strictFailsOnFirstBadRecord()
{
    auto p = parse(spanDoc(R"("kind":"nope")"), true, "s.json");
    QVERIFY(!p->status.ok());
    QCOMPARE(p->status.error().where, std::string("s.json:1"));
    QVERIFY(p->status.error().what.find("kind") != std::string::npos);
}

void TestImportOtlp::metricsOfEveryKind()
{
    const std::string doc = R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"m"}}]},
 "scopeMetrics":[{"metrics":[
  {"name":"g","unit":"1","gauge":{"dataPoints":[{"timeUnixNano":"100","asDouble":1.5,"attributes":[{"key":"b","value":{"stringValue":"2"}},{"key":"a","value":{"intValue":"1"}}]},
                                            {"timeUnixNano":"200","asInt":"7","attributes":[{"key":"a","value":{"intValue":"1"}},{"key":"b","value":{"stringValue":"2"}}]}]}},
  {"name":"c","sum":{"isMonotonic":true,"aggregationTemporality":2,"dataPoints":[{"timeUnixNano":"100","asInt":3,
  "exemplars":[{"timeUnixNano":"99","asDouble":0.25,"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","filteredAttributes":[{"key":"user","value":{"stringValue":"u"}}]}]}]}},
  {"name":"h","histogram":{"dataPoints":[{"timeUnixNano":"100","count":"6","sum":12.5,"bucketCounts":["1","2","3"],"explicitBounds":[1,5],
  "exemplars":[{"asDouble":4,"traceId":"0af7651916cd43dd8448eb211c80319c"}]}]}},
  {"name":"e","exponentialHistogram":{"dataPoints":[{"timeUnixNano":"100","count":"4","sum":7,"scale":0,"zeroCount":"1","zeroThreshold":0,
  "positive":{"offset":1,"bucketCounts":["2","1"]},"negative":{"offset":0,"bucketCounts":["0"]}}]}},
  {"name":"s","summary":{"dataPoints":[{"timeUnixNano":"100","count":"10","sum":5,"quantileValues":[{"quantile":0.5,"value":0.4},{"quantile":0.99,"value":0.9}]}]}},
  {"name":"bad","gauge":{"dataPoints":[{"asDouble":1}]}}
 ]}]}]})";
    auto p = parse(doc);
    QVERIFY(p->status.ok());
    const auto& series = p->sink.collected.series;
    auto find = [&](const std::string& name) -> const SeriesData* {
        for (const auto& s : series)
            if (s.series.name == name)
                return &s;
        return nullptr;
    };
    const SeriesData* g = find("g");
    QVERIFY(g);
    QCOMPARE(g->samples.size(), size_t(2)); // same labels in another order → the same series
    QCOMPARE(g->series.labels.size(), size_t(2));
    QCOMPARE(g->series.labels[0].first, std::string("a"));
    QCOMPARE(g->series.kind, MetricKind::Gauge);
    QCOMPARE(g->series.unit, std::string("1"));
    QCOMPARE(g->samples[1].value, 7.0);
    QCOMPARE(g->series.resource->serviceName, std::string("m"));

    const SeriesData* c = find("c");
    QVERIFY(c);
    QCOMPARE(c->series.kind, MetricKind::Counter);
    QCOMPARE(c->exemplars.size(), size_t(1));
    QCOMPARE(c->exemplars[0].time.nanos(), int64_t(99));
    QCOMPARE(c->exemplars[0].traceId->toHex(), std::string("5b8efff798038103d269b633813fc60c"));
    QCOMPARE(c->exemplars[0].labels.text("user").value_or(""), std::string("u"));

    const SeriesData* h = find("h");
    QVERIFY(h);
    QCOMPARE(h->series.kind, MetricKind::Histogram);
    QCOMPARE(h->histograms.size(), size_t(1));
    const auto& hb = h->histograms[0].buckets;
    QCOMPARE(hb.size(), size_t(3));
    QVERIFY(std::isinf(hb[0].lower) && hb[0].lower < 0);
    QCOMPARE(hb[0].upper, 1.0);
    QCOMPARE(hb[1].lower, 1.0);
    QCOMPARE(hb[1].upper, 5.0);
    QCOMPARE(hb[1].count, 2.0);
    QVERIFY(std::isinf(hb[2].upper));
    QCOMPARE(h->histograms[0].count, 6.0);
    QCOMPARE(h->histograms[0].sum, 12.5);
    QCOMPARE(h->exemplars.size(), size_t(1));
    QCOMPARE(h->exemplars[0].time.nanos(), int64_t(100)); // no time: the point's

    const SeriesData* e = find("e");
    QVERIFY(e);
    const auto& eb = e->histograms[0].buckets;
    QCOMPARE(eb.size(), size_t(4)); // negative, zero, two positive
    QCOMPARE(eb[0].lower, -2.0);
    QCOMPARE(eb[0].upper, -1.0);
    QCOMPARE(eb[1].count, 1.0);
    QCOMPARE(eb[2].lower, 2.0);
    QCOMPARE(eb[2].upper, 4.0);
    QCOMPARE(eb[3].lower, 4.0);
    QCOMPARE(eb[3].upper, 8.0);

    int quantileSeries = 0;
    for (const auto& s : series)
        if (s.series.name == "s" && s.series.label("quantile"))
            ++quantileSeries;
    QCOMPARE(quantileSeries, 2);
    QVERIFY(find("s_sum") && find("s_count"));
    QCOMPARE(find("s_count")->samples[0].value, 10.0);

    QVERIFY(!find("bad"));
    QCOMPARE(p->sink.rejections.size(), size_t(1)); // the point without a time
}

void TestImportOtlp::temporalityAndStream_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("temporality");
    const QString sum = QStringLiteral(R"("sum":{"isMonotonic":true,%1"dataPoints":[{"timeUnixNano":"1","asInt":"1"}]})");
    const QString hist = QStringLiteral(R"("histogram":{%1"dataPoints":[{"timeUnixNano":"1","count":"1","bucketCounts":["1"],"explicitBounds":[]}]})");
    const QString expo = QStringLiteral(R"("exponentialHistogram":{%1"dataPoints":[{"timeUnixNano":"1","count":"1","scale":0,"positive":{"offset":0,"bucketCounts":["1"]}}]})");
    const int counter = int(MetricKind::Counter), histogram = int(MetricKind::Histogram);
    const int cumulative = int(Temporality::Cumulative), delta = int(Temporality::Delta);
    QTest::newRow("sum delta") << sum.arg(QStringLiteral(R"("aggregationTemporality":1,)")) << counter << delta;
    QTest::newRow("sum cumulative") << sum.arg(QStringLiteral(R"("aggregationTemporality":2,)")) << counter << cumulative;
    QTest::newRow("sum delta by name") << sum.arg(QStringLiteral(R"("aggregationTemporality":"AGGREGATION_TEMPORALITY_DELTA",)")) << counter << delta;
    QTest::newRow("sum unspecified") << sum.arg(QStringLiteral(R"("aggregationTemporality":0,)")) << counter << cumulative;
    QTest::newRow("sum absent") << sum.arg(QString()) << counter << cumulative;
    QTest::newRow("histogram delta") << hist.arg(QStringLiteral(R"("aggregationTemporality":1,)")) << histogram << delta;
    QTest::newRow("histogram cumulative") << hist.arg(QStringLiteral(R"("aggregationTemporality":2,)")) << histogram << cumulative;
    QTest::newRow("exponential delta") << expo.arg(QStringLiteral(R"("aggregationTemporality":1,)")) << histogram << delta;
}

void TestImportOtlp::temporalityAndStream()
{
    QFETCH(QString, data);
    QFETCH(int, kind);
    QFETCH(int, temporality);
    const std::string doc = R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"pay"}},)"
                            R"({"key":"service.version","value":{"stringValue":"1.2"}},{"key":"service.instance.id","value":{"stringValue":"i-1"}}]},)"
                            R"("scopeMetrics":[{"scope":{"name":"lib","version":"0.9"},"metrics":[{"name":"m",)"
        + data.toStdString() + "}]}]}]}";
    auto p = parse(doc);
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.rejections.size(), size_t(0));
    QCOMPARE(p->sink.collected.series.size(), size_t(1));
    const Series& s = p->sink.collected.series[0].series;
    QCOMPARE(int(s.kind), kind);
    QCOMPARE(int(s.temporality), temporality);
    // The stream names the service, its instance and the scope — not the versions.
    QCOMPARE(s.stream, std::string(R"(service="pay",service.instance.id="i-1",scope="lib")"));
    QCOMPARE(s.key(), std::string(R"(m{}@{service="pay",service.instance.id="i-1",scope="lib"})"));
}

void TestImportOtlp::badTemporalityRejectsTheMetric()
{
    const std::string doc = R"({"resourceMetrics":[{"resource":{"attributes":[]},"scopeMetrics":[{"metrics":[)"
                            R"({"name":"bad","sum":{"aggregationTemporality":7,"dataPoints":[{"timeUnixNano":"1","asInt":"1"}]}},)"
                            R"({"name":"good","sum":{"aggregationTemporality":1,"dataPoints":[{"timeUnixNano":"1","asInt":"1"}]}}]}]}]})";
    auto p = parse(doc);
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.rejections.size(), size_t(1));
    QVERIFY(p->sink.rejections[0].message.find("aggregationTemporality") != std::string::npos);
    QCOMPARE(p->sink.collected.series.size(), size_t(1));
    QCOMPARE(p->sink.collected.series[0].series.name, std::string("good"));
}

void TestImportOtlp::errorResponse()
{
    auto p = parse(R"({"error":{"httpCode":404,"message":"No traces found"}})");
    QVERIFY(!p->status.ok());
    QVERIFY(p->status.error().what.find("No traces found") != std::string::npos);
}

void TestImportOtlp::detection_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("format");
    QTest::newRow("otlp trace") << "otlp/otlp-proto-examples-trace.json" << "otlp-json";
    QTest::newRow("otlp logs") << "otlp/otlp-proto-examples-logs.json" << "otlp-json";
    QTest::newRow("api_v3") << "jaeger/jaeger-apiv3-GetTrace-snapshot.json" << "otlp-json";
    QTest::newRow("jaeger-ui upload") << "jaeger/jaeger-ui-otlp2jaeger-in.json" << "otlp-json";
    QTest::newRow("jaeger transform") << "jaeger/jaeger-ui-otlp2jaeger-out.json" << "jaeger-json";
    QTest::newRow("jaeger ui model") << "jaeger/jaeger-uimodel-ui_01.json" << "jaeger-json";
}
void TestImportOtlp::detection()
{
    QFETCH(QString, fixture);
    QFETCH(QString, format);
    const std::string doc = readFixture(fixture.toUtf8().constData());
    const Format* f = detectFormat(std::string_view(doc).substr(0, 4096));
    QVERIFY(f);
    QCOMPARE(QString::fromStdString(f->name), format);
}

void TestImportOtlp::corruptedInputNeverCrashes()
{
    // Deterministic mutations (byte flips, cuts, inserted brackets and quotes) of every fixture,
    // through both JSON parsers: each must return (ok or an error), and every record it hands over
    // must be valid. A crash or a hang fails the test run.
    const char* fixtures[] = {"otlp/otlp-proto-examples-trace.json", "otlp/otlp-proto-examples-logs.json",
                              "jaeger/jaeger-uimodel-ui_01.json", "jaeger/jaeger-ui-otlp2jaeger-out.json",
                              "jaeger/jaeger-apiv3-GetTrace-snapshot.json"};
    std::mt19937 rng(42);
    const char inserts[] = {'{', '}', '[', ']', '"', ',', ':', '\\', '\n', '\x01', '\xff'};
    int parsed = 0;
    for (const char* fixture : fixtures) {
        const std::string original = readFixture(fixture);
        for (int round = 0; round < 300; ++round) {
            std::string doc = original;
            const int edits = 1 + int(rng() % 4);
            for (int e = 0; e < edits && !doc.empty(); ++e) {
                const size_t at = rng() % doc.size();
                switch (rng() % 3) {
                case 0: doc[at] = inserts[rng() % sizeof inserts]; break;
                case 1: doc.insert(at, 1, inserts[rng() % sizeof inserts]); break;
                default: doc.resize(at); break;
                }
            }
            for (auto* parseFn : {&parseOtlpJson, &parseJaegerJson}) {
                CollectingSink sink;
                ParseContext ctx;
                ctx.origin = "fuzz";
                (void)parseFn(doc, ctx, sink);
                for (const auto& span : sink.collected.spans)
                    QVERIFY(span.traceId.isValid() && span.spanId.isValid());
                ++parsed;
            }
        }
    }
    QCOMPARE(parsed, 5 * 300 * 2);
}

void TestImportOtlp::splitterStreamingMatchesWholeScan_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("pieces");
    auto row = [](const char* name, const std::string& doc, int pieces) { QTest::newRow(name) << QByteArray::fromStdString(doc) << pieces; };
    row("split resourceSpans", readFixture("jaeger/jaeger-ui-otlp2jaeger-in.json"), 1);
    row("split data", readFixture("jaeger/jaeger-ui-otlp2jaeger-out.json"), 1);
    row("nested result", readFixture("jaeger/jaeger-apiv3-GetTrace-snapshot.json"), 1);
    row("top-level array", R"([{"a":"x\"]"},{"b":[1,2,{"c":"}"}]}, "s" , 3 ,{}])", 5);
    row("json lines", "{\"resourceLogs\":[{\"k\":\"\\\\\"},{}]}\n{\"resourceLogs\":[1]}\nnot json\n{\"x\":1}\n", 5);
    row("broken line", "{\"resourceLogs\":[{\"a\":1}]}\n{\"resourceLogs\":[{\"a\":\n{\"resourceLogs\":[{\"b\":2}]}\n", 3);
    row("truncated", R"({"data":[{"traceID":"1"},{"traceID":"2)", 2);
    // Strings longer than the scanner's 8-byte steps, with escapes at every alignment.
    std::string longStrings = "{\"resourceLogs\":[";
    for (int i = 0; i < 24; ++i)
        longStrings += std::string(i ? "," : "") + "{\"body\":\"" + std::string(size_t(i), 'a') + "\\\"]}" + std::string(size_t(i % 9), 'b')
                       + "\\\\\",\"k\":\"" + std::string(size_t(17 + i), 'c') + "\\\\\\\"{[\"}";
    longStrings += "]}\n";
    row("long strings with escapes", longStrings, 24);
}

void TestImportOtlp::splitterStreamingMatchesWholeScan()
{
    QFETCH(QByteArray, input);
    QFETCH(int, pieces);
    const std::string doc = input.toStdString();
    JsonSplitterOptions options;
    options.splitPaths = {"", "data", "resourceSpans", "resourceLogs", "result.resourceSpans"};
    struct Seen {
        std::string document;
        int64_t firstByte, firstLine, startByte, startLine;
        bool broken;
        bool operator==(const Seen&) const = default;
    };
    auto collector = [](std::vector<Seen>& out) {
        return [&out](const JsonPiece& p) -> Status {
            out.push_back({std::string(p.document), p.firstByte, p.firstLine, p.startByte, p.startLine, p.broken != nullptr});
            return {};
        };
    };
    std::vector<Seen> whole;
    QVERIFY(JsonSplitter::scan(doc, options, collector(whole)).ok());
    QCOMPARE(int(whole.size()), pieces);
    // Element pieces line up with the input: byte startByte of the input is where the element starts.
    for (const auto& p : whole)
        QCOMPARE(doc.compare(size_t(p.startByte), 1, p.document, size_t(p.startByte - p.firstByte), 1), 0);
    for (size_t chunk : {size_t(1), size_t(2), size_t(3), size_t(7), size_t(64)}) {
        std::vector<Seen> streamed;
        JsonSplitter splitter(options);
        for (size_t i = 0; i < doc.size(); i += chunk)
            QVERIFY(splitter.feed(std::string_view(doc).substr(i, chunk), collector(streamed)).ok());
        QVERIFY(splitter.finish(collector(streamed)).ok());
        QCOMPARE(streamed.size(), whole.size());
        for (size_t i = 0; i < whole.size(); ++i)
            QVERIFY2(streamed[i] == whole[i], (std::to_string(chunk) + ": " + streamed[i].document).c_str());
    }
}

QTEST_GUILESS_MAIN(TestImportOtlp)
#include "tst_import_otlp.moc"
