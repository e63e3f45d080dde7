#pragma once

// The canonical telemetry records (design.md §3). Plain values: they cross threads, fill batches,
// and come back out of the cache unchanged. Times are nanoseconds UTC; ids are normalised.

#include "Attributes.h"
#include "Ids.h"
#include "Resource.h"
#include "Time.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rootline {

// OpenTelemetry severity numbers: 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL; 0 unset.
enum class Severity : int { Unset = 0, Trace = 1, Debug = 5, Info = 9, Warn = 13, Error = 17, Fatal = 21 };

// "ERROR", "err", "warning", "E", "5" (syslog), "critical" ... → a severity number; 0 when unknown.
int severityFromText(std::string_view text);
// The short name of a severity number's range: "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "".
const char* severityName(int severityNumber);

struct LogRecord {
    int64_t rowId = 0; // assigned by the cache; 0 before storing
    Timestamp time;
    Timestamp observedTime;
    int severity = 0; // OTel severity number
    std::string severityText;
    std::string body;
    Attributes attributes;
    std::optional<TraceId> traceId;
    std::optional<SpanId> spanId;
    ResourcePtr resource;
};

enum class SpanKind : int { Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 };
enum class StatusCode : int { Unset = 0, Ok = 1, Error = 2 };
const char* spanKindName(SpanKind kind);

struct SpanEvent {
    Timestamp time;
    std::string name;
    Attributes attributes;
};

struct SpanLink {
    TraceId traceId;
    SpanId spanId;
    std::string relation; // "FOLLOWS_FROM", "link", ...
    Attributes attributes;
};

struct Span {
    int64_t rowId = 0;
    TraceId traceId;
    SpanId spanId;
    std::optional<SpanId> parentSpanId;
    std::string name;
    SpanKind kind = SpanKind::Unspecified;
    Timestamp start;
    Duration duration;
    StatusCode status = StatusCode::Unset;
    std::string statusMessage;
    Attributes attributes;
    std::vector<SpanEvent> events;
    std::vector<SpanLink> links;
    ResourcePtr resource;

    Timestamp end() const { return start + duration; }
    bool isError() const { return status == StatusCode::Error; }
};

enum class MetricKind : int { Gauge = 0, Counter = 1, Histogram = 2, Summary = 3, Unknown = 4 };

// How a counter or histogram's points count (OTLP `aggregationTemporality`): Cumulative points
// count since a start and only grow (Prometheus always, OTLP 2); Delta points each count only
// their own interval (OTLP 1). The cache stores a delta stream's points as they came and its
// reader hands them out as running totals (CacheReader::samples), so every consumer reads one kind.
enum class Temporality : int { Cumulative = 0, Delta = 1 };

// A time series: a metric name and its labels (sorted by name), attributed to a resource.
struct Series {
    int64_t rowId = 0;
    std::string name;
    std::vector<std::pair<std::string, std::string>> labels; // sorted by key
    MetricKind kind = MetricKind::Unknown;
    std::string unit;
    ResourcePtr resource;
    // What else tells this stream from another of the same name and labels, as text: for OTLP the
    // resource's identifying attributes and the scope (import/OtlpStreamIdentity.h). Empty where
    // the labels already say whose the series is (Prometheus' job and instance).
    std::string stream;
    Temporality temporality = Temporality::Cumulative;

    // name{k="v",...}, then @{stream} when there is one — stable, and the series' identity in the
    // cache.
    std::string key() const;
    const std::string* label(std::string_view key) const;
    void setLabel(std::string key, std::string value); // keeps the labels sorted
};

// NaN, +Inf and -Inf are kept (the cache stores NaN as NULL and reads it back as NaN).
struct Sample {
    Timestamp time;
    double value = 0;
    bool operator==(const Sample& o) const
    {
        return time == o.time && (value == o.value || (std::isnan(value) && std::isnan(o.value)));
    }
};

// A native / OTLP histogram observation: explicit buckets as (upper bound, cumulative or not),
// or exponential buckets flattened to (lower, upper, count).
struct HistogramBucket {
    double lower = 0;
    double upper = 0;
    double count = 0;
};

struct HistogramSample {
    Timestamp time;
    double count = 0;
    double sum = 0;
    std::vector<HistogramBucket> buckets;
};

struct Exemplar {
    int64_t rowId = 0;
    int64_t seriesRowId = 0; // filled by the cache on read
    Timestamp time;
    double value = 0;
    std::optional<TraceId> traceId;
    std::optional<SpanId> spanId;
    Attributes labels;
};

enum class AlertState : int { Inactive = 0, Pending = 1, Firing = 2, Resolved = 3 };
const char* alertStateName(AlertState state);

struct Alert {
    int64_t rowId = 0;
    std::string name;
    std::vector<std::pair<std::string, std::string>> labels;
    std::vector<std::pair<std::string, std::string>> annotations;
    AlertState state = AlertState::Firing;
    Timestamp activeSince;
    double value = 0;
    std::string source; // "prometheus:prod", "bundle", "rootline burn-rate"
};

// Provenance of one fetch or import: what was asked of whom, for which range, and how it went.
struct FetchRecord {
    int64_t rowId = 0;
    std::string source; // data-source name, or "file"
    std::string kind;   // "logs", "spans", "series", "alerts", "import"
    std::string query;  // the query text, or the file path
    TimeWindow window;
    Timestamp fetchedAt;
    int64_t rows = 0;
    bool complete = true;
    std::string message;     // why partial, what was rejected
    std::string contentHash; // for imports: the input's hash, so the same file is not imported twice
};

} // namespace rootline
