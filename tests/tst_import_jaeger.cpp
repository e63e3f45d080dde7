// Jaeger JSON parser: the upstream fixtures (ui model with duplicate span ids, every tag type,
// references to absent spans; the /api/transform response), envelopes, bad spans, strict mode.
// (Member functions are defined after the class: moc mis-lexes some raw strings inside it.)

#include "import/JaegerJson.h"

#include <QFile>
#include <QTest>

#include <algorithm>

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

std::unique_ptr<Parsed> parse(std::string_view json, bool strict = false, const char* origin = "t.json")
{
    auto p = std::make_unique<Parsed>();
    ParseContext ctx;
    ctx.origin = origin;
    ctx.strict = strict;
    p->status = parseJaegerJson(json, ctx, p->sink);
    return p;
}

const Span* spanNamed(const std::vector<Span>& spans, const std::string& name)
{
    for (const auto& s : spans)
        if (s.name == name)
            return &s;
    return nullptr;
}

const char* kTrace = R"({"traceID":"abc","spans":[
 {"traceID":"abc","spanID":"1","operationName":"root","references":[],"startTime":1700000000000001,"duration":1500,"tags":[{"key":"span.kind","type":"string","value":"server"}],"processID":"p1"},
 {"traceID":"abc","spanID":"2","operationName":"child","references":[{"refType":"CHILD_OF","traceID":"abc","spanID":"1"}],"startTime":1700000000000100,"duration":10,"tags":[{"key":"error","type":"bool","value":true},{"key":"otel.status_description","type":"string","value":"bad"}],"processID":"p2"}
],"processes":{"p1":{"serviceName":"front","tags":[{"key":"hostname","type":"string","value":"h1"}]},"p2":{"serviceName":"back","tags":[]}}})";

} // namespace

class TestImportJaeger : public QObject {
    Q_OBJECT
private slots:
    void uiModelFixture();
    void transformResponseFixture();
    void envelopes_data();
    void envelopes();
    void kindStatusAndProcesses();
    void processesAfterSpans();
    void embeddedProcessAndParentSpanId();
    void badSpansAreRejected();
    void strict();
    void errorEnvelope();
    void emptyResults();
};

void TestImportJaeger::uiModelFixture()
{
    auto p = parse(readFixture("jaeger/jaeger-uimodel-ui_01.json"));
    QVERIFY(p->status.ok());
    QVERIFY(p->sink.rejections.empty());
    const auto& spans = p->sink.collected.spans;
    QCOMPARE(spans.size(), size_t(5)); // the duplicate span id is kept twice
    for (const auto& s : spans)
        QCOMPARE(s.traceId.toHex(), std::string("00000000000000000000000000000001"));

    const Span* first = spanNamed(spans, "test-general-conversion");
    QVERIFY(first);
    QCOMPARE(first->start.nanos(), int64_t(1485467191639875000)); // µs → ns
    QCOMPARE(first->duration.count(), int64_t(5000));
    QCOMPARE(first->events.size(), size_t(2));
    QCOMPARE(first->events[0].name, std::string("some-event"));
    QCOMPARE(first->events[1].name, std::string("log"));
    QCOMPARE(first->events[1].attributes.text("x").value_or(""), std::string("y"));
    QCOMPARE(first->resource->serviceName, std::string("service-x"));
    QVERIFY(!first->parentSpanId);

    const Span* tagged = nullptr;
    for (const auto& s : spans)
        if (s.name == "some-operation" && s.spanId.value == 2)
            tagged = &s;
    QVERIFY(tagged);
    const Attributes& a = tagged->attributes;
    QCOMPARE(std::get<std::string>(*a.find("peer.service")), std::string("service-y"));
    QCOMPARE(std::get<int64_t>(*a.find("peer.ipv4")), int64_t(23456));
    QCOMPARE(std::get<bool>(*a.find("error")), true);
    QCOMPARE(std::get<double>(*a.find("temperature")), 72.5);
    QCOMPARE(std::get<int64_t>(*a.find("javascript_limit")), int64_t(9223372036854775222LL)); // beyond 2^53, exact
    QCOMPARE(std::get<std::string>(*a.find("blob")), std::string("AAAwOQ==")); // binary stays base64
    QCOMPARE(tagged->status, StatusCode::Error);

    const Span* ref = spanNamed(spans, "reference-test");
    QVERIFY(ref);
    QVERIFY(ref->parentSpanId);
    QCOMPARE(ref->parentSpanId->value, uint64_t(2)); // the CHILD_OF whose span is in the trace
    QCOMPARE(ref->links.size(), size_t(2));          // CHILD_OF to another trace, FOLLOWS_FROM
    QCOMPARE(ref->links[0].relation, std::string("CHILD_OF"));
    QCOMPARE(ref->links[0].traceId.toHex(), std::string("000000000000000000000000000000ff"));
    QCOMPARE(ref->links[1].relation, std::string("FOLLOWS_FROM"));
    QCOMPARE(ref->resource->serviceName, std::string("service-y"));
    QCOMPARE(std::get<JsonText>(*ref->attributes.find("jaeger.warnings")).text, std::string(R"(["some span warning"])"));

    const Span* preserve = spanNamed(spans, "preserveParentID-test");
    QVERIFY(preserve && preserve->parentSpanId);
    QCOMPARE(preserve->parentSpanId->value, uint64_t(4));
}

void TestImportJaeger::transformResponseFixture()
{
    auto p = parse(readFixture("jaeger/jaeger-ui-otlp2jaeger-out.json"));
    QVERIFY(p->status.ok());
    const auto& spans = p->sink.collected.spans;
    QCOMPARE(spans.size(), size_t(2));
    const Span& s = spans[0];
    QCOMPARE(s.traceId.toHex(), std::string("83a9efd15c1c98a977e0711cc93ee28b"));
    QCOMPARE(s.kind, SpanKind::Server);
    QCOMPARE(s.start.nanos(), int64_t(1706678909209712000));
    QCOMPARE(s.duration.count(), int64_t(123000));
    // The parent is not in the file: the span still records it (the trace summary sees an orphan).
    QVERIFY(s.parentSpanId);
    QCOMPARE(s.parentSpanId->toHex(), std::string("909541b92cf05311"));
    QVERIFY(s.links.empty());
    QCOMPARE(s.resource->serviceName, std::string("telemetrygen"));
}

void TestImportJaeger::envelopes_data()
{
    QTest::addColumn<QByteArray>("doc");
    QTest::addColumn<int>("spans");
    const std::string trace = kTrace;
    std::string oneLine = trace;
    std::replace(oneLine.begin(), oneLine.end(), '\n', ' ');
    auto row = [](const char* name, const std::string& doc, int spans) { QTest::newRow(name) << QByteArray::fromStdString(doc) << spans; };
    row("bare trace", trace, 2);
    row("array of traces", "[" + trace + "," + trace + "]", 4);
    row("data array", R"({"data":[)" + trace + "," + trace + R"(],"total":0,"limit":0,"offset":0,"errors":null})", 4);
    row("data object", R"({"data":)" + trace + "}", 2);
    row("json lines", oneLine + "\n" + oneLine + "\n", 4);
}

void TestImportJaeger::envelopes()
{
    QFETCH(QByteArray, doc);
    QFETCH(int, spans);
    auto p = parse(doc.toStdString());
    QVERIFY(p->status.ok());
    QVERIFY(p->sink.rejections.empty());
    QCOMPARE(int(p->sink.collected.spans.size()), spans);
}

void TestImportJaeger::kindStatusAndProcesses()
{
    auto p = parse(kTrace);
    QVERIFY(p->status.ok());
    const auto& spans = p->sink.collected.spans;
    const Span* root = spanNamed(spans, "root");
    const Span* child = spanNamed(spans, "child");
    QVERIFY(root && child);
    QCOMPARE(root->traceId.toHex(), std::string("00000000000000000000000000000abc")); // stripped zeros padded
    QCOMPARE(root->kind, SpanKind::Server);
    QCOMPARE(root->start.nanos(), int64_t(1700000000000001000));
    QCOMPARE(root->resource->serviceName, std::string("front"));
    QCOMPARE(root->resource->raw.text("hostname").value_or(""), std::string("h1"));
    QCOMPARE(child->resource->serviceName, std::string("back"));
    QCOMPARE(child->status, StatusCode::Error);
    QCOMPARE(child->statusMessage, std::string("bad"));
    QCOMPARE(child->parentSpanId->value, uint64_t(1));
}

void TestImportJaeger::processesAfterSpans()
{
    // Key order is not guaranteed: processes before spans must work as well as after.
    auto p = parse(R"({"processes":{"p1":{"serviceName":"early"}},"spans":[{"traceID":"1","spanID":"1","operationName":"x","startTime":1,"duration":1,"processID":"p1"}],"traceID":"1"})");
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    QCOMPARE(p->sink.collected.spans[0].resource->serviceName, std::string("early"));
}

void TestImportJaeger::embeddedProcessAndParentSpanId()
{
    auto p = parse(R"({"traceID":"1","spans":[{"spanID":"5","parentSpanID":"4","operationName":"x","startTime":"1700000000000000","duration":2,"process":{"serviceName":"inline","tags":[{"key":"v","value":3}]}}]})");
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(1));
    const Span& s = p->sink.collected.spans[0];
    QCOMPARE(s.traceId.toHex(), std::string("00000000000000000000000000000001")); // from the trace
    QCOMPARE(s.resource->serviceName, std::string("inline"));
    QCOMPARE(std::get<int64_t>(*s.resource->raw.find("v")), int64_t(3)); // untyped tag inferred
    QCOMPARE(s.parentSpanId->value, uint64_t(4));
}

void TestImportJaeger::badSpansAreRejected()
{
    auto p = parse("{\"traceID\":\"1\",\"spans\":[\n"
                   R"({"spanID":"1","operationName":"ok","startTime":1,"duration":1},)"
                   "\n"
                   R"({"spanID":"zz","operationName":"bad id"},)"
                   "\n"
                   R"({"spanID":"3","operationName":"bad tag","tags":[{"key":"n","type":"int64","value":"many"}]},)"
                   "\n"
                   R"({"spanID":"4","operationName":"bad time","startTime":true},)"
                   "\n"
                   R"({"spanID":"5","operationName":"bad ref","references":[{"refType":"SIBLING_OF","spanID":"1"}]},)"
                   "\n"
                   R"({"spanID":"6","operationName":"ok2","startTime":1,"duration":1}]})",
                   false, "bad.json");
    QVERIFY(p->status.ok());
    QCOMPARE(p->sink.collected.spans.size(), size_t(2));
    QCOMPARE(p->sink.rejections.size(), size_t(4));
    QCOMPARE(p->sink.rejections[0].location, std::string("bad.json:3"));
    QCOMPARE(p->sink.rejections[1].location, std::string("bad.json:4"));
    QVERIFY(p->sink.rejections[1].message.find("int64") != std::string::npos);
    QCOMPARE(p->sink.rejections[2].location, std::string("bad.json:5"));
    QVERIFY(p->sink.rejections[2].message.find("startTime") != std::string::npos);
    QVERIFY(p->sink.rejections[3].message.find("SIBLING_OF") != std::string::npos);
}

void TestImportJaeger::strict()
{
    auto p = parse(R"({"traceID":"1","spans":[{"spanID":"zz"}]})", true, "s.json");
    QVERIFY(!p->status.ok());
    QCOMPARE(p->status.error().where, std::string("s.json:1"));
}

void TestImportJaeger::errorEnvelope()
{
    auto p = parse(R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]})");
    QVERIFY(p->status.ok());
    QVERIFY(p->sink.collected.empty());
    QCOMPARE(p->sink.rejections.size(), size_t(1));
    QVERIFY(p->sink.rejections[0].message.find("trace not found") != std::string::npos);
}

void TestImportJaeger::emptyResults()
{
    for (const char* doc : {"", "[]", R"({"data":[]})", R"({"data":[],"errors":null})", R"({"traceID":"1","spans":[],"processes":{}})"}) {
        auto p = parse(doc);
        QVERIFY2(p->status.ok(), doc);
        QVERIFY2(p->sink.collected.empty(), doc);
        QVERIFY2(p->sink.rejections.empty(), doc);
    }
}

QTEST_GUILESS_MAIN(TestImportJaeger)
#include "tst_import_jaeger.moc"
