#pragma once

// How each service of the sample shop writes its log lines. Every real fleet mixes styles, and the
// correlation engine must find trace ids in all of them: pino (`traceId`), zap and slog exported
// over OTLP (`trace_id`, and the id in the record itself), Serilog (`traceID`), Python's
// OpenTelemetry logging (`otelTraceID`), Datadog's injection (`dd.trace_id`, decimal for 64-bit
// ids), Ruby lograge (`trace_id`), and two legacy plain-text formats: an nginx access log
// (`trace=<hex>` or `trace=-`) and a Spring Boot logback line (`[trace=<hex>,span=<hex>]` or none).

#include "core/Attributes.h"
#include "core/Ids.h"
#include "core/Time.h"

#include <string>
#include <vector>

namespace rootline::sample {

enum class LogStyle { Nginx, Pino, Zap, Slog, Serilog, PythonJson, DatadogJson, Logback, Lograge };

// Lines exported through an OpenTelemetry log pipeline carry the trace id in the record as well;
// the others carry it only in their text, where ingest must find it.
inline bool isOtlpStyle(LogStyle style) { return style == LogStyle::Zap || style == LogStyle::Slog; }

struct LogField {
    std::string key;
    std::string value;
    bool number = false; // written without quotes
};

// A log line before its body is written: a request's lines are collected while it is simulated
// and written once it is known whether its trace was sampled (only then do they carry its id).
struct PendingLog {
    Timestamp time;
    int pod = 0;
    LogStyle style = LogStyle::Zap;
    int severity = 9;
    std::string message; // for Nginx: the whole line without its trace field
    std::vector<LogField> fields;
    const char* logger = ""; // zap caller, logback/Serilog/Python logger name
    const char* thread = ""; // logback thread
    int hop = -1;            // the span this line belongs to, if any
    Attributes attributes;
};

struct TraceRef {
    TraceId trace;
    SpanId span;
};

// The line's body as the service would have written it. `trace` is null for lines outside a
// sampled trace. `service`/`version` are for Datadog's and Python's own fields.
std::string formatLogBody(const PendingLog& log, const TraceRef* trace, const char* service, const std::string& version);

// An nginx "combined" access line with request time, without the trailing trace field.
std::string nginxLine(Timestamp t, const std::string& clientIp, const char* method, const std::string& path, int status,
                      int bytes, const char* userAgent, Duration requestTime);

// Civil-time formatting (UTC) without the C library's locale and time-zone state.
void appendRfc3339Millis(std::string& out, Timestamp t); // 2026-11-20T14:47:03.123Z

} // namespace rootline::sample
