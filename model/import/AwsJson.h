#pragma once

// Parsers for AWS telemetry JSON (wire-formats.md §5): the awsJson/restJson response bodies the
// CloudWatch connector receives, and the AWS CLI output of the same operations (which differs only
// in rendering CloudWatch timestamps as ISO-8601 strings). One parser serves both:
//   * CloudWatch Logs `FilterLogEvents` / `GetLogEvents`   (`aws logs filter-log-events`, `get-log-events`)
//   * Logs Insights `GetQueryResults`                     (`aws logs get-query-results`)
//   * CloudWatch `GetMetricData`                           (`aws cloudwatch get-metric-data`)
//   * X-Ray `BatchGetTraces` and `GetTraceSummaries`       (`aws xray batch-get-traces`, `get-trace-summaries`)
// Times are read from the number's text, never through a double, so `1.568835610432E9` is exact.

#include "Format.h"
#include "RecordSink.h"
#include "core/Attributes.h"
#include "core/Ids.h"
#include "core/Records.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline::aws {

// What the request knew that a Logs response body does not say.
struct LogsContext {
    std::string logGroup; // FilterLogEvents/GetLogEvents: the group asked for (Insights rows carry @log)
    std::string region;
};

struct LogEventsPage {
    size_t events = 0;   // log records handed to the sink
    size_t rejected = 0; // events that could not be read
    std::optional<std::string> nextToken;         // FilterLogEvents: more pages (a page may be empty)
    std::optional<std::string> nextForwardToken;  // GetLogEvents
    std::optional<std::string> nextBackwardToken; // GetLogEvents
    std::vector<std::string> eventIds;            // in order, for de-duplication across pages
};
Result<LogEventsPage> parseLogEvents(std::string_view body, const ParseContext& ctx, RecordSink& sink,
                                     const LogsContext& logs = {});

struct InsightsPage {
    std::string status; // Scheduled, Running, Complete, Failed, Cancelled, Timeout, Unknown ("" when absent)
    size_t rows = 0;     // result rows in the body (records + statsRows + rejected)
    size_t records = 0;  // log records handed to the sink
    size_t statsRows = 0; // `stats … by bin()` rows, turned into samples
    size_t samples = 0;
    size_t rejected = 0;
    std::optional<std::string> nextToken;
    double recordsMatched = 0;
    double recordsScanned = 0;
    std::vector<std::string> ptrs; // @ptr of each row handed over, for de-duplication across split ranges
};
// `emit` false parses the status and statistics only (polling a Running query without storing partial rows).
Result<InsightsPage> parseInsightsResults(std::string_view body, const ParseContext& ctx, RecordSink& sink,
                                          const LogsContext& logs = {}, bool emit = true);

// What the connector knows about a MetricDataQuery, to name the series its results become.
struct MetricTemplate {
    std::string name;                                        // metric name, or the expression's label
    std::vector<std::pair<std::string, std::string>> labels; // namespace, dimensions, stat, ...
    Attributes resourceAttributes;                           // cloud.provider, aws.namespace, dimensions
    std::string unit;
};

struct MetricDataPage {
    size_t results = 0;
    size_t samples = 0;
    size_t rejected = 0;
    std::optional<std::string> nextToken;
    std::vector<std::string> partialIds;                       // StatusCode PartialData
    std::vector<std::string> failures;                          // "m1: Forbidden (message)" for InternalError/Forbidden
    std::vector<std::pair<std::string, std::string>> messages;  // global Messages: (Code, Value)
};
Result<MetricDataPage> parseMetricData(std::string_view body, const ParseContext& ctx, RecordSink& sink,
                                       const std::map<std::string, MetricTemplate>* templates = nullptr);

struct TraceSummary {
    std::string xrayId; // "1-5f84c7a1-…" as X-Ray wrote it
    TraceId traceId;
    std::optional<Timestamp> start;
    Duration duration;
    Duration responseTime;
    bool hasFault = false, hasError = false, hasThrottle = false, isPartial = false;
};
struct TraceSummariesPage {
    std::vector<TraceSummary> summaries;
    std::optional<std::string> nextToken;
    int64_t tracesProcessed = 0;
    size_t rejected = 0;
};
Result<TraceSummariesPage> parseTraceSummaries(std::string_view body, const ParseContext& ctx, RecordSink& sink);

struct BatchTracesPage {
    size_t traces = 0;
    size_t spans = 0;
    size_t rejected = 0;
    std::vector<std::string> unprocessedTraceIds;
    std::optional<std::string> nextToken;
    std::vector<std::string> limitExceeded; // traces X-Ray truncated (LimitExceeded: true)
};
Result<BatchTracesPage> parseBatchGetTraces(std::string_view body, const ParseContext& ctx, RecordSink& sink);

// Spans of one X-Ray segment document (the JSON inside `Document`), subsegments included.
// `traceIdHint` is used when the document carries no trace_id (separate subsegment documents).
Status parseSegmentDocument(std::string_view document, const std::optional<TraceId>& traceIdHint,
                            std::vector<Span>& out, std::string_view where);

// An AWS error answer: code from `x-amzn-ErrorType` (restJson) or the body's `__type`/`code`,
// with "com.amazonaws.logs#" prefixes and ":http://…" suffixes removed; message from the body.
struct ErrorBody {
    std::string code;
    std::string message;
};
ErrorBody parseErrorBody(std::string_view body, const std::string* errorTypeHeader = nullptr);
bool isThrottlingCode(std::string_view code);

// File-import formats (model/import/FormatRegistry.cpp).
Format cloudWatchLogsFormat();    // "aws-cloudwatch-logs"
Format logsInsightsFormat();      // "aws-logs-insights"
Format cloudWatchMetricsFormat(); // "aws-cloudwatch-metrics"
Format xrayTracesFormat();        // "aws-xray-traces"

} // namespace rootline::aws
