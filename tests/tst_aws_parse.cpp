// AWS parsers (model/import/AwsJson): real fixtures (fixtures/aws), AWS CLI output variants, the
// wire-format pitfalls of wire-formats.md §5 (scientific-notation seconds, ms vs s, JSON inside a
// JSON string, X-Ray ids, repeated Ids with PartialData), bad input and format detection.

#include "import/AwsJson.h"
#include "import/Format.h"

#include <QFile>
#include <QTest>

#include <algorithm>
#include <map>

using namespace rootline;

namespace {

std::string readFixture(const char* name)
{
    QFile f(QString::fromUtf8(ROOTLINE_FIXTURES "/aws/") + QString::fromUtf8(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", name);
    return f.readAll().toStdString();
}

ParseContext context(std::string origin = "test.json")
{
    ParseContext c;
    c.origin = std::move(origin);
    return c;
}

const Span* spanById(const CollectingSink& sink, std::string_view hex)
{
    for (const auto& s : sink.collected.spans)
        if (s.spanId.toHex() == hex)
            return &s;
    return nullptr;
}

std::string text(const Attributes& a, std::string_view key)
{
    return a.text(key).value_or("<missing>");
}

std::string readTestData(const char* name)
{
    QFile f(QString::fromUtf8(ROOTLINE_TEST_DATA "/aws/") + QString::fromUtf8(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", name);
    return f.readAll().toStdString();
}

Timestamp at(std::string_view rfc3339)
{
    return *parseRfc3339(rfc3339);
}

} // namespace

class TstAwsParse : public QObject {
    Q_OBJECT

private slots:
    // ---------------------------------------------------------------- CloudWatch GetMetricData
    void metricDataFixtureScientificNotation()
    {
        CollectingSink sink;
        auto page = aws::parseMetricData(readFixture("cloudwatch-GetMetricData-awsjson-response.json"), context(), sink);
        QVERIFY2(page.ok(), page.ok() ? "" : page.error().message().c_str());
        QCOMPARE(page->results, size_t(1));
        QCOMPARE(page->samples, size_t(60));
        QVERIFY(!page->nextToken);
        QVERIFY(page->messages.empty());
        QCOMPARE(sink.collected.series.size(), size_t(1));
        const SeriesData& s = sink.collected.series[0];
        QCOMPARE(s.series.name, std::string("expr_0"));
        QCOMPARE(*s.series.label("id"), std::string("expr_0"));
        QVERIFY(!s.series.label("label")); // Label equals the name: not repeated as a label
        // Descending on the wire, ascending in the model; 1.67119002E9 … 1.67119356E9 exactly.
        QCOMPARE(s.samples.front().time.nanos(), int64_t(1'671'190'020) * 1'000'000'000);
        QCOMPARE(s.samples.back().time.nanos(), int64_t(1'671'193'560) * 1'000'000'000);
        QCOMPARE(s.samples.back().value, 8.11615297282456);
        QCOMPARE(s.samples.front().value, 8.070816578348678);
        for (size_t i = 1; i < s.samples.size(); ++i)
            QCOMPARE((s.samples[i].time - s.samples[i - 1].time).count(), int64_t(60'000'000'000));
    }

    void metricDataCliOutputIsoTimesPartialAndGroupBy()
    {
        // `aws cloudwatch get-metric-data` prints ISO-8601 with offsets; a Metrics Insights GROUP BY
        // returns one Id with several Labels; PartialData says more pages follow.
        const std::string doc = R"({
    "MetricDataResults": [
        {"Id": "q1", "Label": "checkout", "Timestamps": ["2024-09-29T22:12:00+00:00", "2024-09-29T22:11:00+00:00"],
         "Values": [3.5, 2.0], "StatusCode": "PartialData"},
        {"Id": "q1", "Label": "payment", "Timestamps": ["2024-09-29T22:12:00.250+00:00"], "Values": [1e-3], "StatusCode": "Complete"},
        {"Id": "e1", "Label": "denied", "Timestamps": [], "Values": [], "StatusCode": "Forbidden",
         "Messages": [{"Code": "Forbidden", "Value": "no access to account 1234"}]}
    ],
    "NextToken": "tok-2",
    "Messages": [{"Code": "MaxQueryTimeRangeExceeded", "Value": "range too long"}]
})";
        CollectingSink sink;
        auto page = aws::parseMetricData(doc, context(), sink);
        QVERIFY(page.ok());
        QCOMPARE(page->nextToken.value_or(""), std::string("tok-2"));
        QCOMPARE(page->partialIds, std::vector<std::string>{"q1"});
        QCOMPARE(page->failures.size(), size_t(1));
        QVERIFY(page->failures[0].find("no access to account 1234") != std::string::npos);
        QCOMPARE(page->messages.size(), size_t(1));
        QCOMPARE(page->messages[0].first, std::string("MaxQueryTimeRangeExceeded"));
        QCOMPARE(sink.collected.series.size(), size_t(3));
        const auto& a = sink.collected.series[0];
        const auto& b = sink.collected.series[1];
        QVERIFY(a.series.key() != b.series.key()); // same Id, different Label → different series
        QCOMPARE(a.samples.size(), size_t(2));
        QCOMPARE(a.samples[0].time, at("2024-09-29T22:11:00Z"));
        QCOMPARE(b.samples[0].time.nanos(), at("2024-09-29T22:12:00Z").nanos() + 250'000'000);
        QCOMPARE(b.samples[0].value, 0.001);
    }

    void metricDataTemplatesNameTheSeries()
    {
        const std::string doc = R"({"MetricDataResults":[{"Id":"m1","Label":"CPUUtilization","StatusCode":"Complete",
            "Timestamps":[1.7041104E9],"Values":[42.5]}]})";
        std::map<std::string, aws::MetricTemplate> templates;
        aws::MetricTemplate t;
        t.name = "CPUUtilization";
        t.labels = {{"namespace", "AWS/ECS"}, {"ServiceName", "checkout"}, {"stat", "Average"}};
        t.resourceAttributes.set("service.name", std::string("checkout"));
        t.unit = "Percent";
        templates["m1"] = t;
        CollectingSink sink;
        QVERIFY(aws::parseMetricData(doc, context(), sink, &templates).ok());
        const auto& s = sink.collected.series.at(0);
        QCOMPARE(s.series.name, std::string("CPUUtilization"));
        QCOMPARE(*s.series.label("ServiceName"), std::string("checkout"));
        QCOMPARE(*s.series.label("stat"), std::string("Average"));
        QCOMPARE(s.series.unit, std::string("Percent"));
        QCOMPARE(s.series.resource->serviceName, std::string("checkout"));
        QCOMPARE(s.samples.at(0).time, Timestamp::fromSeconds(1'704'110'400));
    }

    void metricDataMismatchedArraysRejected()
    {
        const std::string doc = R"({"MetricDataResults":[{"Id":"m1","Timestamps":[1,2],"Values":[1]},
                                                          {"Id":"m2","Timestamps":["yesterday"],"Values":[1]},
                                                          {"Id":"m3","Timestamps":[3],"Values":[7]}]})";
        CollectingSink sink;
        auto page = aws::parseMetricData(doc, context("m.json"), sink);
        QVERIFY(page.ok());
        QCOMPARE(page->rejected, size_t(2));
        QCOMPARE(sink.rejections.size(), size_t(2));
        QVERIFY(sink.rejections[0].location.rfind("m.json@", 0) == 0);
        QVERIFY(sink.rejections[0].message.find("2 Timestamps but 1 Values") != std::string::npos);
        QCOMPARE(sink.rejections[1].snippet, std::string("yesterday"));
        QCOMPARE(sink.collected.series.size(), size_t(1));

        ParseContext strict = context("m.json");
        strict.strict = true;
        CollectingSink strictSink;
        auto failed = aws::parseMetricData(doc, strict, strictSink);
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().what.find("Timestamps") != std::string::npos);
    }

    // ---------------------------------------------------------------- X-Ray
    void batchGetTracesFixture()
    {
        CollectingSink sink;
        auto page = aws::parseBatchGetTraces(readFixture("xray-BatchGetTraces-aws-cli-example.json"), context(), sink);
        QVERIFY2(page.ok(), page.ok() ? "" : page.error().message().c_str());
        QCOMPARE(page->traces, size_t(1));
        QCOMPARE(page->spans, size_t(3));
        QVERIFY(page->unprocessedTraceIds.empty());
        QCOMPARE(sink.collected.spans.size(), size_t(3));

        const Span* seg = spanById(sink, "54aff5735b12dd28");
        const Span* sub = spanById(sink, "2d6900034ccfe558");
        const Span* inferred = spanById(sink, "0f278b6334c34e6b");
        QVERIFY(seg && sub && inferred);
        for (const Span* s : {seg, sub, inferred})
            QCOMPARE(s->traceId.toHex(), std::string("5d82881a0a9126e92a73e971eed891b9"));
        QCOMPARE(seg->traceId.toXRay(), std::string("1-5d82881a-0a9126e92a73e971eed891b9"));

        // 1.568835610432E9 s → exactly 1568835610432000000 ns; 0.232 s duration exactly.
        QCOMPARE(seg->start.nanos(), int64_t(1'568'835'610'432'000'000));
        QCOMPARE(seg->duration.count(), int64_t(232'000'000));
        QCOMPARE(sub->start.nanos(), int64_t(1'568'835'610'658'000'000));
        QCOMPARE(sub->duration.count(), int64_t(6'000'000));

        QVERIFY(!seg->parentSpanId);
        QCOMPARE(seg->kind, SpanKind::Server);
        QCOMPARE(seg->name, std::string("Scorekeep"));
        QCOMPARE(seg->resource->serviceName, std::string("Scorekeep"));
        QCOMPARE(seg->resource->environment, std::string("Scorekeep-env-1"));
        QCOMPARE(text(seg->resource->raw, "cloud.platform"), std::string("aws_elastic_beanstalk"));
        QCOMPARE(text(seg->resource->raw, "host.id"), std::string("i-0e3cf4d2de0f3f37a"));
        QCOMPARE(text(seg->attributes, "http.request.method"), std::string("POST"));
        QCOMPARE(text(seg->attributes, "http.response.status_code"), std::string("200"));
        QVERIFY(std::holds_alternative<int64_t>(*seg->attributes.find("http.response.status_code")));
        QCOMPARE(text(seg->attributes, "client.address"), std::string("52.95.4.28"));
        QCOMPARE(text(seg->attributes, "aws.xray.sdk"), std::string("X-Ray for Java"));
        QCOMPARE(seg->status, StatusCode::Unset);

        // Subsegment nested in the document: parent = enclosing segment, same service, a client call.
        QCOMPARE(sub->parentSpanId->toHex(), std::string("54aff5735b12dd28"));
        QCOMPARE(sub->kind, SpanKind::Client);
        QCOMPARE(sub->resource->serviceName, std::string("Scorekeep"));
        QCOMPARE(text(sub->attributes, "aws.table_name"), std::string("scorekeep-user"));
        QCOMPARE(text(sub->attributes, "aws.resource_names"), std::string(R"(["scorekeep-user"])"));

        // Inferred segment: its own service, parent = the subsegment it duplicates.
        QCOMPARE(inferred->parentSpanId->toHex(), std::string("2d6900034ccfe558"));
        QCOMPARE(inferred->resource->serviceName, std::string("DynamoDB"));
        QCOMPARE(text(inferred->attributes, "aws.xray.inferred"), std::string("true"));
        QCOMPARE(text(inferred->resource->raw, "cloud.provider"), std::string("aws"));
    }

    void segmentFaultCauseInProgressAndDeepNesting()
    {
        // Microsecond float seconds, a fault with a cause, a nested subsegment two levels deep,
        // an in-progress subsegment, annotations and metadata.
        const std::string document = R"({"id":"70de5b6f19ff9a0a","name":"checkout","trace_id":"1-581cf771-a006649127e371903a2de979",
            "start_time":1.478293361271123E9,"end_time":1.478293361449E9,"fault":true,
            "annotations":{"order_id":"o-42","amount":12.5,"vip":true},
            "metadata":{"debug":{"cart":{"items":3}}},
            "cause":{"working_directory":"/app","exceptions":[{"id":"e1","message":"gateway timeout","type":"TimeoutError",
                     "stack":[{"path":"pay.py","line":12,"label":"charge"}]}]},
            "subsegments":[{"id":"1111111111111111","name":"payment-gateway","namespace":"remote","start_time":1478293361.3,
                            "end_time":1478293361.449,"fault":true,
                            "subsegments":[{"id":"2222222222222222","name":"tls","start_time":1478293361.31,"in_progress":true}]}]})";
        std::vector<Span> spans;
        QVERIFY(aws::parseSegmentDocument(document, std::nullopt, spans, "doc").ok());
        QCOMPARE(spans.size(), size_t(3));
        const Span& seg = spans[0];
        QCOMPARE(seg.start.nanos(), int64_t(1'478'293'361'271'123'000));
        QCOMPARE(seg.duration.count(), int64_t(177'877'000));
        QCOMPARE(seg.status, StatusCode::Error);
        QCOMPARE(seg.statusMessage, std::string("fault: gateway timeout"));
        QCOMPARE(seg.events.size(), size_t(1));
        QCOMPARE(text(seg.events[0].attributes, "exception.type"), std::string("TimeoutError"));
        QCOMPARE(text(seg.events[0].attributes, "exception.stacktrace"), std::string("at charge (pay.py:12)\n"));
        QCOMPARE(text(seg.attributes, "order_id"), std::string("o-42"));
        QVERIFY(std::holds_alternative<double>(*seg.attributes.find("amount")));
        QVERIFY(std::holds_alternative<bool>(*seg.attributes.find("vip")));
        QCOMPARE(text(seg.attributes, "xray.metadata.debug"), std::string(R"({"cart":{"items":3}})"));
        const Span& remote = spans[1];
        QCOMPARE(remote.kind, SpanKind::Client);
        QCOMPARE(remote.parentSpanId->toHex(), std::string("70de5b6f19ff9a0a"));
        QCOMPARE(remote.traceId, seg.traceId); // inherited: subsegments carry no trace_id
        QCOMPARE(remote.start.nanos(), int64_t(1'478'293'361'300'000'000));
        const Span& tls = spans[2];
        QCOMPARE(tls.parentSpanId->toHex(), std::string("1111111111111111"));
        QCOMPARE(tls.kind, SpanKind::Internal);
        QCOMPARE(tls.duration.count(), int64_t(0));
        QCOMPARE(text(tls.attributes, "xray.in_progress"), std::string("true"));
        QCOMPARE(tls.resource->serviceName, std::string("checkout"));
    }

    void separateSubsegmentDocumentUsesTraceHint()
    {
        const std::string doc = readTestData("xray-BatchGetTraces-subsegment-docs-and-bad-documents.json");
        CollectingSink sink;
        auto page = aws::parseBatchGetTraces(doc, context("x.json"), sink);
        QVERIFY(page.ok());
        QCOMPARE(page->spans, size_t(1));
        QCOMPARE(page->rejected, size_t(2));
        QCOMPARE(page->nextToken.value_or(""), std::string("n2"));
        QCOMPARE(page->unprocessedTraceIds.size(), size_t(1));
        const Span& s = sink.collected.spans.at(0);
        QCOMPARE(s.traceId.toHex(), std::string("5759e988bd862e3fe1be46a994272793"));
        QCOMPARE(s.parentSpanId->toHex(), std::string("0102030405060708"));
        QCOMPARE(s.status, StatusCode::Error);
        QCOMPARE(s.statusMessage, std::string("throttle"));
        QCOMPARE(s.duration.count(), int64_t(1'500'000'000));
        QCOMPARE(sink.rejections.size(), size_t(2));
        QVERIFY(sink.rejections[0].message.find("id") != std::string::npos);
        QVERIFY(sink.rejections[1].message.find("malformed segment document") != std::string::npos);
        QVERIFY(sink.rejections[1].location.rfind("x.json@", 0) == 0);
    }

    void traceSummaries()
    {
        const std::string doc = R"({"TraceSummaries":[
            {"Id":"1-5d82881a-0a9126e92a73e971eed891b9","StartTime":1.568835610432E9,"Duration":0.232,"ResponseTime":0.2,
             "HasFault":true,"HasError":false,"HasThrottle":false,"IsPartial":false,"Http":{"HttpStatus":500}},
            {"Id":"not-an-id"}],
            "ApproximateTime":1.5688356E9,"TracesProcessedCount":2,"NextToken":"p2"})";
        CollectingSink sink;
        auto page = aws::parseTraceSummaries(doc, context(), sink);
        QVERIFY(page.ok());
        QCOMPARE(page->summaries.size(), size_t(1));
        QCOMPARE(page->rejected, size_t(1));
        QCOMPARE(page->tracesProcessed, int64_t(2));
        QCOMPARE(page->nextToken.value_or(""), std::string("p2"));
        const auto& s = page->summaries[0];
        QCOMPARE(s.traceId.toHex(), std::string("5d82881a0a9126e92a73e971eed891b9"));
        QCOMPARE(s.start->nanos(), int64_t(1'568'835'610'432'000'000));
        QCOMPARE(s.duration.count(), int64_t(232'000'000));
        QVERIFY(s.hasFault);
    }

    // ---------------------------------------------------------------- CloudWatch Logs
    void filterLogEventsCliOutput()
    {
        const std::string doc = readTestData("logs-filter-log-events-cli-output.json");
        CollectingSink sink;
        aws::LogsContext lc;
        lc.logGroup = "/ecs/checkout";
        lc.region = "eu-west-1";
        auto page = aws::parseLogEvents(doc, context("logs.json"), sink, lc);
        QVERIFY(page.ok());
        QCOMPARE(page->events, size_t(3));
        QCOMPARE(page->rejected, size_t(1));
        QCOMPARE(page->nextToken.value_or(""), std::string("Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCr"));
        QCOMPARE(page->eventIds.front(), std::string("37134448277055796"));
        const auto& logs = sink.collected.logs;
        QCOMPARE(logs.size(), size_t(3));
        QCOMPARE(logs[0].time.nanos(), int64_t(1'700'000'000'123'000'000));
        QCOMPARE(logs[0].observedTime.nanos(), int64_t(1'700'000'000'456'000'000));
        QCOMPARE(logs[0].severity, int(Severity::Error));
        QCOMPARE(logs[0].traceId->toHex(), std::string("4bf92f3577b34da6a3ce929d0e0e4736"));
        QCOMPARE(logs[0].spanId->toHex(), std::string("00f067aa0ba902b7"));
        QVERIFY(logs[0].body.back() == '}'); // trailing newline dropped
        QCOMPARE(text(logs[0].attributes, "aws.log.stream.name"), std::string("ecs/checkout/8f2d"));
        QCOMPARE(text(logs[0].attributes, "aws.log.event.id"), std::string("37134448277055796"));
        QCOMPARE(logs[0].resource->serviceName, std::string("checkout"));
        QCOMPARE(text(logs[0].resource->raw, "cloud.region"), std::string("eu-west-1"));
        QCOMPARE(logs[1].severity, int(Severity::Warn));
        QCOMPARE(logs[1].traceId->toHex(), std::string("5759e988bd862e3fe1be46a994272793"));
        QCOMPARE(logs[2].body, std::string("plain line ünïcødé"));
        QCOMPARE(logs[2].severity, 0);
        QCOMPARE(sink.rejections.size(), size_t(1));
        QVERIFY(sink.rejections[0].location.rfind("logs.json@", 0) == 0);
        QVERIFY(sink.rejections[0].message.find("milliseconds") != std::string::npos);
        QCOMPARE(sink.rejections[0].snippet, std::string("soon"));
    }

    void getLogEventsTokensAndEmptyPage()
    {
        const std::string doc = R"({"events":[],"nextForwardToken":"f/3838","nextBackwardToken":"b/3838"})";
        CollectingSink sink;
        auto page = aws::parseLogEvents(doc, context(), sink);
        QVERIFY(page.ok());
        QCOMPARE(page->events, size_t(0));
        QCOMPARE(page->nextForwardToken.value_or(""), std::string("f/3838"));
        QCOMPARE(page->nextBackwardToken.value_or(""), std::string("b/3838"));
        QVERIFY(!page->nextToken);
        QCOMPARE(sink.batches, 0);
    }

    void logsBatchesFollowBatchSize()
    {
        std::string doc = "{\"events\":[";
        for (int i = 0; i < 25; ++i)
            doc += (i ? "," : "") + std::string("{\"timestamp\":") + std::to_string(1700000000000 + i) + ",\"message\":\"m\",\"eventId\":\"" + std::to_string(i) + "\"}";
        doc += "]}";
        ParseContext c = context();
        c.batchSize = 10;
        CollectingSink sink;
        QVERIFY(aws::parseLogEvents(doc, c, sink).ok());
        QCOMPARE(sink.batches, 3);
        QCOMPARE(sink.collected.logs.size(), size_t(25));
        QCOMPARE(sink.collected.logs.back().time.nanos(), int64_t(1'700'000'000'024'000'000));
    }

    // ---------------------------------------------------------------- Logs Insights
    void insightsResults()
    {
        const std::string doc = readTestData("logs-insights-get-query-results.json");
        CollectingSink sink;
        aws::LogsContext lc;
        lc.logGroup = "/ecs/fallback";
        auto page = aws::parseInsightsResults(doc, context("q.json"), sink, lc);
        QVERIFY(page.ok());
        QCOMPARE(page->status, std::string("Complete"));
        QCOMPARE(page->rows, size_t(3));
        QCOMPARE(page->records, size_t(2));
        QCOMPARE(page->rejected, size_t(1));
        QCOMPARE(page->recordsMatched, 13.0);
        QCOMPARE(page->ptrs.at(1), std::string("p2"));
        const auto& logs = sink.collected.logs;
        QCOMPARE(logs.size(), size_t(2));
        QCOMPARE(logs[0].time.nanos(), int64_t(1'658'147'671'195'000'000)); // 2022-07-18T12:34:31.195Z
        QCOMPARE(logs[0].body, std::string("ERROR payment declined"));
        QCOMPARE(logs[0].severity, int(Severity::Error));
        QCOMPARE(logs[0].resource->serviceName, std::string("payment"));
        QCOMPARE(text(logs[0].attributes, "aws.log.stream.name"), std::string("ecs/payment/1"));
        QCOMPARE(text(logs[0].attributes, "requestId"), std::string("r-1"));
        QCOMPARE(logs[1].severity, int(Severity::Warn)); // the field wins over the message
        QCOMPARE(logs[1].resource->serviceName, std::string("fallback"));
        QVERIFY(sink.rejections.at(0).message.find("@timestamp") != std::string::npos);
    }

    void insightsStatsByBinBecomeSeries()
    {
        // `stats count(*) as errors, avg(latency) by bin(5m), service`
        const std::string doc = "{\"status\":\"Complete\",\"results\":["
            "[{\"field\":\"bin(5m)\",\"value\":\"2022-07-18 12:35:00.000\"},{\"field\":\"service\",\"value\":\"checkout\"},"
            "{\"field\":\"errors\",\"value\":\"7\"},{\"field\":\"avg(latency)\",\"value\":\"0.25\"}],"
            "[{\"field\":\"bin(5m)\",\"value\":\"2022-07-18 12:30:00.000\"},{\"field\":\"service\",\"value\":\"checkout\"},"
            "{\"field\":\"errors\",\"value\":\"3\"},{\"field\":\"avg(latency)\",\"value\":\"0.125\"}],"
            "[{\"field\":\"bin(5m)\",\"value\":\"2022-07-18 12:30:00.000\"},{\"field\":\"service\",\"value\":\"payment\"},"
            "{\"field\":\"errors\",\"value\":\"1\"}]]}";
        CollectingSink sink;
        aws::LogsContext lc;
        lc.logGroup = "/ecs/all";
        auto page = aws::parseInsightsResults(doc, context(), sink, lc);
        QVERIFY(page.ok());
        QCOMPARE(page->statsRows, size_t(3));
        QCOMPARE(page->records, size_t(0));
        QCOMPARE(page->rejected, size_t(0));
        QCOMPARE(page->samples, size_t(5));
        QVERIFY(sink.collected.logs.empty());
        std::map<std::string, std::vector<Sample>> byKey;
        for (const auto& s : sink.collected.series)
            byKey[s.series.key()] = s.samples;
        QCOMPARE(byKey.size(), size_t(3));
        const auto& checkoutErrors = byKey.at("errors{service=\"checkout\"}");
        QCOMPARE(checkoutErrors.size(), size_t(2));
        QCOMPARE(checkoutErrors[0].time, at("2022-07-18T12:30:00Z")); // sorted by time
        QCOMPARE(checkoutErrors[0].value, 3.0);
        QCOMPARE(checkoutErrors[1].value, 7.0);
        QCOMPARE(byKey.at("avg(latency){service=\"checkout\"}")[1].value, 0.25);
        QCOMPARE(byKey.at("errors{service=\"payment\"}").size(), size_t(1));
    }

    void insightsRunningStatusOnly()
    {
        const std::string doc = R"({"results":[[{"field":"@timestamp","value":"2022-07-18 12:34:31.195"},{"field":"@message","value":"x"}]],"status":"Running","statistics":{"recordsMatched":1.0}})";
        CollectingSink sink;
        auto page = aws::parseInsightsResults(doc, context(), sink, {}, false);
        QVERIFY(page.ok());
        QCOMPARE(page->status, std::string("Running"));
        QCOMPARE(page->rows, size_t(1));
        QCOMPARE(page->records, size_t(0));
        QVERIFY(sink.collected.logs.empty());
    }

    // ---------------------------------------------------------------- bad input, errors, detection
    void malformedJsonNamesTheOffset_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QByteArray>("doc");
        QTest::newRow("logs truncated") << QStringLiteral("logs") << QByteArray(R"({"events":[{"timestamp":1700000000000,"message":"a")");
        QTest::newRow("logs garbage") << QStringLiteral("logs") << QByteArray(R"({"events":[{"timestamp":1700000000000,,"message":"a"}]})");
        QTest::newRow("metrics cut") << QStringLiteral("metrics") << QByteArray(R"({"MetricDataResults":[{"Id":"m1","Timestamps":[1.6E9,)");
        QTest::newRow("xray not json") << QStringLiteral("xray") << QByteArray("<html>502 Bad Gateway</html>");
        QTest::newRow("insights cut") << QStringLiteral("insights") << QByteArray(R"({"status":"Complete","results":[[{"field":"@timestamp","value":)");
        QTest::newRow("logs no events") << QStringLiteral("logs") << QByteArray(R"({"nextToken":"x"})");
    }
    void malformedJsonNamesTheOffset()
    {
        QFETCH(QString, which);
        QFETCH(QByteArray, doc);
        CollectingSink sink;
        const std::string body = doc.toStdString();
        Error e;
        if (which == QLatin1String("logs")) {
            auto r = aws::parseLogEvents(body, context("bad.json"), sink);
            QVERIFY(!r.ok());
            e = r.error();
        } else if (which == QLatin1String("metrics")) {
            auto r = aws::parseMetricData(body, context("bad.json"), sink);
            QVERIFY(!r.ok());
            e = r.error();
        } else if (which == QLatin1String("xray")) {
            auto r = aws::parseBatchGetTraces(body, context("bad.json"), sink);
            QVERIFY(!r.ok());
            e = r.error();
        } else {
            auto r = aws::parseInsightsResults(body, context("bad.json"), sink);
            QVERIFY(!r.ok());
            e = r.error();
        }
        QVERIFY2(e.where.rfind("bad.json", 0) == 0, e.where.c_str());
        QVERIFY(!e.what.empty());
    }

    void malformedJsonOffsetIsExact()
    {
        const std::string doc = R"({"events":[{"timestamp":1700000000000,,"message":"a"}]})";
        CollectingSink sink;
        auto r = aws::parseLogEvents(doc, context("f.json"), sink);
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().where), QString::fromStdString("f.json@" + std::to_string(doc.find(",,") + 1)));
        QVERIFY(r.error().what.find("malformed JSON") != std::string::npos);

        // Valid JSON of the wrong shape is not "malformed".
        auto shape = aws::parseLogEvents(R"({"events":{"timestamp":1}})", context("g.json"), sink);
        QVERIFY(!shape.ok());
        QVERIFY2(shape.error().what.find("unexpected JSON value") != std::string::npos, shape.error().what.c_str());
    }

    void errorBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<bool>("throttle");
        QTest::newRow("logs awsJson") << QByteArray("{\"__type\":\"com.amazonaws.logs#ThrottlingException\",\"message\":\"Rate exceeded\"}")
                                      << QByteArray() << QByteArray("ThrottlingException") << QByteArray("Rate exceeded") << true;
        QTest::newRow("cloudwatch query-compatible") << QByteArray("{\"__type\":\"Throttling:http://internal.amazon.com/coral/\",\"Message\":\"Rate exceeded\"}")
                                                     << QByteArray() << QByteArray("Throttling") << QByteArray("Rate exceeded") << true;
        QTest::newRow("xray header") << QByteArray("{\"message\":\"Rate exceeded\"}") << QByteArray("ThrottledException:http://internal.amazon.com/coral/com.amazon.xray/")
                                     << QByteArray("ThrottledException") << QByteArray("Rate exceeded") << true;
        QTest::newRow("not found") << QByteArray("{\"__type\":\"ResourceNotFoundException\",\"message\":\"The specified log group does not exist.\"}")
                                   << QByteArray() << QByteArray("ResourceNotFoundException") << QByteArray("The specified log group does not exist.") << false;
        QTest::newRow("html") << QByteArray("<html>oops</html>") << QByteArray() << QByteArray() << QByteArray("<html>oops</html>") << false;
    }
    void errorBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, code);
        QFETCH(QByteArray, message);
        QFETCH(bool, throttle);
        const std::string h = header.toStdString();
        const auto e = aws::parseErrorBody(body.toStdString(), header.isEmpty() ? nullptr : &h);
        QCOMPARE(QByteArray::fromStdString(e.code), code);
        QCOMPARE(QByteArray::fromStdString(e.message), message);
        QCOMPARE(aws::isThrottlingCode(e.code), throttle);
    }

    void detection_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::addColumn<QString>("format");
        QTest::newRow("metrics fixture") << QByteArray::fromStdString(readFixture("cloudwatch-GetMetricData-awsjson-response.json"))
                                         << QStringLiteral("aws-cloudwatch-metrics");
        QTest::newRow("xray fixture") << QByteArray::fromStdString(readFixture("xray-BatchGetTraces-aws-cli-example.json"))
                                      << QStringLiteral("aws-xray-traces");
        QTest::newRow("logs") << QByteArray(R"({"events":[{"logStreamName":"s","timestamp":1,"message":"m","ingestionTime":2,"eventId":"1"}],"searchedLogStreams":[]})")
                              << QStringLiteral("aws-cloudwatch-logs");
        QTest::newRow("insights") << QByteArray(R"({"results":[[{"field":"@timestamp","value":"2022-07-18 12:34:31.195"}]],"statistics":{"recordsMatched":1.0},"status":"Complete"})")
                                  << QStringLiteral("aws-logs-insights");
        QTest::newRow("summaries") << QByteArray(R"({"TraceSummaries":[],"ApproximateTime":1.5E9})") << QStringLiteral("aws-xray-traces");
    }
    void detection()
    {
        QFETCH(QByteArray, doc);
        QFETCH(QString, format);
        const Format* f = detectFormat(std::string_view(doc.constData(), size_t(std::min<qsizetype>(doc.size(), 4096))));
        QVERIFY(f);
        QCOMPARE(QString::fromStdString(f->name), format);
        CollectingSink sink;
        QVERIFY(f->parse(doc.toStdString(), context(), sink).ok());
    }

    void fileFormatsReportWhatTheyCannotImport()
    {
        const Format* x = formatByName("aws-xray-traces");
        QVERIFY(x);
        CollectingSink sink;
        QVERIFY(x->parse(R"({"TraceSummaries":[{"Id":"1-5d82881a-0a9126e92a73e971eed891b9","Duration":0.1}]})", context("s.json"), sink).ok());
        QCOMPARE(sink.rejections.size(), size_t(1));
        QVERIFY(sink.rejections[0].message.find("no spans") != std::string::npos);
        QVERIFY(sink.collected.spans.empty());
    }
};

QTEST_GUILESS_MAIN(TstAwsParse)
#include "tst_aws_parse.moc"
