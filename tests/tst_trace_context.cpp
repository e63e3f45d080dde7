// Trace ids in logs (issue 5 item 1): every field form met on the wire, JSON and logfmt bodies,
// derived fields from a rules file, and values that must not link anything.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/CorrelationRules.h"
#include "correlation/TraceContextExtractor.h"

#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

namespace {
constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kSpan = "00f067aa0ba902b7";

LogRecord logWith(Attributes attributes, std::string body = "hello")
{
    LogRecord l;
    l.body = std::move(body);
    l.attributes = std::move(attributes);
    return l;
}
} // namespace

class TestTraceContext : public QObject {
    Q_OBJECT

private slots:
    void fields_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("trace"); // expected hex, empty = none
        const QString t = QString::fromLatin1(kTrace);
        QTest::newRow("trace_id") << "trace_id" << t << t;
        QTest::newRow("traceId") << "traceId" << t << t;
        QTest::newRow("traceID") << "traceID" << t << t;
        QTest::newRow("otelTraceID") << "otelTraceID" << t << t;
        QTest::newRow("trace.id (ECS)") << "trace.id" << t << t;
        QTest::newRow("upper case hex") << "trace_id" << t.toUpper() << t;
        QTest::newRow("64-bit hex") << "traceID" << "a3ce929d0e0e4736" << "0000000000000000a3ce929d0e0e4736";
        QTest::newRow("OTLP base64") << "traceId" << "S/kvNXezTaajzpKdDg5HNg==" << t;
        QTest::newRow("dd.trace_id decimal") << "dd.trace_id" << "11803532876627986230" << "0000000000000000a3ce929d0e0e4736";
        QTest::newRow("dd.trace_id 128-bit hex") << "dd.trace_id" << t << t;
        QTest::newRow("AWS-XRAY-TRACE-ID") << "AWS-XRAY-TRACE-ID" << "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1" << t;
        QTest::newRow("xray_trace_id bare") << "xray_trace_id" << "1-4bf92f35-77b34da6a3ce929d0e0e4736" << t;
        QTest::newRow("@xrayTraceId") << "@xrayTraceId" << "1-4bf92f35-77b34da6a3ce929d0e0e4736" << t;
        QTest::newRow("traceparent") << "traceparent" << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" << t;
        QTest::newRow("not an id") << "trace_id" << "n/a" << "";
        QTest::newRow("too short") << "trace_id" << "abc123" << "";
        QTest::newRow("all zero") << "trace_id" << "00000000000000000000000000000000" << "";
        QTest::newRow("decimal in hex field") << "trace_id" << "12345" << "";
        QTest::newRow("other key") << "request_id" << t << "";
        QTest::newRow("traceparent version ff") << "traceparent" << "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" << "";
    }

    void fields()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, trace);
        const auto c = extractTraceContext(logWith({{key.toStdString(), value.toStdString()}}), nullptr);
        QCOMPARE(c.traceId ? QString::fromStdString(c.traceId->toHex()) : QString(), trace);
    }

    void spanIdsComeAlong()
    {
        auto c = extractTraceContext(logWith({{"trace_id", std::string(kTrace)}, {"span_id", std::string(kSpan)}}), nullptr);
        QVERIFY(c.spanId);
        QCOMPARE(c.spanId->toHex(), std::string(kSpan));
        c = extractTraceContext(logWith({{"dd.trace_id", int64_t(1234567890123)}, {"dd.span_id", std::string("42")}}), nullptr);
        QVERIFY(c.traceId && c.spanId);
        QCOMPARE(c.traceId->low, uint64_t(1234567890123));
        QCOMPARE(c.spanId->value, uint64_t(42));
        c = extractTraceContext(logWith({{"X-Amzn-Trace-Id", std::string("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7")}}), nullptr);
        QVERIFY(c.spanId);
        QCOMPARE(c.spanId->toHex(), std::string(kSpan));
    }

    void bodies_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<bool>("found");
        QTest::newRow("json") << QStringLiteral(R"({"level":"info","msg":"ok","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"})") << true;
        QTest::newRow("json spaced") << QStringLiteral(R"( { "traceId" : "4bf92f3577b34da6a3ce929d0e0e4736", "n": 1 })") << true;
        QTest::newRow("json nested only") << QStringLiteral(R"({"ctx":{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}})") << false;
        QTest::newRow("json value not key") << QStringLiteral(R"({"msg":"trace_id","x":"4bf92f3577b34da6a3ce929d0e0e4736"})") << false;
        QTest::newRow("json dd number") << QStringLiteral(R"({"dd.trace_id":11803532876627986230,"msg":"x"})") << true;
        QTest::newRow("logfmt") << QStringLiteral("level=info msg=\"order placed\" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7") << true;
        QTest::newRow("logfmt quoted") << QStringLiteral("level=info traceID=\"4bf92f3577b34da6a3ce929d0e0e4736\"") << true;
        QTest::newRow("logfmt prefixed key") << QStringLiteral("otel_trace_id=4bf92f3577b34da6a3ce929d0e0e4736") << false;
        QTest::newRow("plain") << QStringLiteral("GET /checkout 200 in 12ms 4bf92f3577b34da6a3ce929d0e0e4736") << false;
        QTest::newRow("nginx trace=") << QStringLiteral("10.0.0.1 - - [20/Nov/2026:14:47:01 +0000] \"POST /api/checkout HTTP/1.1\" 504 0 trace=4bf92f3577b34da6a3ce929d0e0e4736") << true;
        QTest::newRow("logback [trace=,span=]") << QStringLiteral("2026-11-20 14:47:01.123 ERROR [payment,trace=4bf92f3577b34da6a3ce929d0e0e4736,span=00f067aa0ba902b7] charge failed") << true;
        QTest::newRow("word trace, no id") << QStringLiteral("stack trace=unavailable for this request") << false;
    }

    void bodies()
    {
        QFETCH(QString, body);
        QFETCH(bool, found);
        const auto c = extractTraceContext(logWith({}, body.toStdString()), nullptr);
        QCOMPARE(c.traceId.has_value(), found);
    }

    void derivedFields()
    {
        auto rules = CorrelationRules::parse(R"(
version: 1
derived_fields:
  - name: gateway-txn
    regex: 'txn=([0-9a-f]+)'
  - name: request-span
    regex: 'span:([0-9a-f]{16})'
    target: span_id
  - name: label
    source: request
    regex: '^r-(\d+)$'
    encoding: decimal
)", "rules.yaml");
        QVERIFY2(rules, rules ? "" : rules.error().message().c_str());
        QCOMPARE(rules->derivedFields.size(), size_t(3));
        auto c = extractTraceContext(logWith({}, "charge ok txn=4bf92f3577b34da6a3ce929d0e0e4736 span:00f067aa0ba902b7"), &*rules);
        QVERIFY(c.traceId);
        QCOMPARE(c.traceId->toHex(), std::string(kTrace));
        QCOMPARE(std::string(c.via), std::string("gateway-txn"));
        QVERIFY(c.spanId);
        QCOMPARE(c.spanId->toHex(), std::string(kSpan));
        // Anchored: 40 hex digits of a commit hash are not a 32-digit trace id.
        c = extractTraceContext(logWith({}, "deploy txn=4bf92f3577b34da6a3ce929d0e0e473612345678x"), &*rules);
        QVERIFY(!c.traceId);
        // From an attribute, decimal.
        c = extractTraceContext(logWith({{"request", std::string("r-77")}}), &*rules);
        QVERIFY(c.traceId);
        QCOMPARE(c.traceId->low, uint64_t(77));
    }

    void badRules_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no group") << "derived_fields:\n  - name: x\n    regex: 'trace=\\w+'\n" << "capture group";
        QTest::newRow("bad regex") << "derived_fields:\n  - name: x\n    regex: '(unclosed'\n" << "bad regular expression";
        QTest::newRow("backreference") << "derived_fields:\n  - name: x\n    regex: '(a)\\1'\n" << "bad regular expression";
        QTest::newRow("unknown target") << "derived_fields:\n  - name: x\n    regex: '(a)'\n    target: host\n" << "unknown target";
        QTest::newRow("slo objective") << "slos:\n  - name: s\n    metric: m\n    objective: 99.9\n" << "objective";
        QTest::newRow("not yaml") << "derived_fields: [" << "not valid YAML";
    }

    void badRules()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        auto rules = CorrelationRules::parse(text.toStdString(), "rules.yaml");
        QVERIFY(!rules);
        QVERIFY2(QString::fromStdString(rules.error().message()).contains(mentions), rules.error().message().c_str());
        QVERIFY(rules.error().where.starts_with("rules.yaml"));
    }

    void aliases()
    {
        auto rules = CorrelationRules::parse(R"({"service_aliases": {"checkout": ["checkout-service", "CheckoutLambda"]}})", "rules.json");
        QVERIFY(rules);
        QCOMPARE(rules->canonicalService("checkout-service"), std::string("checkout"));
        QCOMPARE(rules->canonicalService("checkoutlambda"), std::string("checkout"));
        QCOMPARE(rules->canonicalService("shop/checkout-service"), std::string("checkout"));
        QCOMPARE(rules->canonicalService("payment"), std::string("payment"));
    }

    // The ingest path: the cache writer links logs to traces as it stores them.
    void linkedAtIngest()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        {
            WriterOptions options;
            auto rules = CorrelationRules::parse("derived_fields:\n  - name: txn\n    regex: 'txn=([0-9a-f]{32})'\n", "rules.yaml");
            QVERIFY(rules);
            options.correlationRules = std::make_shared<const CorrelationRules>(std::move(*rules));
            auto writer = CacheWriter::open(path, options);
            QVERIFY(writer);
            TelemetryBatch batch;
            batch.logs.push_back(logWith({{"trace_id", std::string(kTrace)}}, "structured"));
            batch.logs.push_back(logWith({}, "legacy line txn=4bf92f3577b34da6a3ce929d0e0e4736"));
            batch.logs.push_back(logWith({}, "no id here"));
            for (auto& l : batch.logs)
                l.time = Timestamp::fromSeconds(1795168800);
            auto stats = (*writer)->write(std::move(batch), FetchRecord{0, "test", "logs", "q"});
            QVERIFY(stats);
        }
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        LogQuery q;
        q.traceId = *parseTraceId(kTrace);
        auto count = (*reader)->countLogs(q);
        QVERIFY(count);
        QCOMPARE(*count, int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TestTraceContext)
#include "tst_trace_context.moc"
