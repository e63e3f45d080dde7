#pragma once

// Finds the trace (and span) a log line belongs to, once, at ingest (design.md §4). Looks, in
// order, at: structured attributes (trace_id, traceId, traceID, otelTraceID, trace.id,
// dd.trace_id in decimal, AWS-XRAY-TRACE-ID / xray_trace_id / @xrayTraceId, traceparent,
// X-Amzn-Trace-Id "Root=1-…"), a JSON body's top-level fields of the same names, logfmt
// `trace_id=…` pairs in the body, and finally the user's derived fields (RE2, linear time).
//
// Built for the ingest hot path: nothing is allocated unless a candidate id is found, and a found
// value is validated (16 or 32 hex digits, X-Ray form, base64 of 16 bytes, decimal for Datadog)
// before it links anything — a "trace_id":"n/a" never becomes a trace.

#include "core/Records.h"

#include <memory>
#include <optional>
#include <string_view>

namespace rootline {

struct CorrelationRules;

struct TraceContext {
    std::optional<TraceId> traceId;
    std::optional<SpanId> spanId;
    std::string_view via; // which field or rule supplied the trace id (static text or the rule's name)
};

// Extracts from what the record says; rules may be null (built-in fields only).
TraceContext extractTraceContext(const LogRecord& log, const CorrelationRules* rules);

// Fills log.traceId / log.spanId when they are missing. Returns true when a trace id was set.
bool applyTraceContext(LogRecord& log, const CorrelationRules* rules);

// Validated id parsing as used for log fields (stricter than parseTraceId's Auto: no 1–31 digit
// hex, which in a log line is far more often something else).
std::optional<TraceId> traceIdFromLogValue(std::string_view text, IdEncoding encoding = IdEncoding::Auto);
std::optional<SpanId> spanIdFromLogValue(std::string_view text, IdEncoding encoding = IdEncoding::Auto);

} // namespace rootline
