#pragma once

// The common interface of every live connector (Prometheus, Loki, Jaeger, CloudWatch). A connector
// turns a FetchRequest into records handed to a RecordSink; it never touches the cache itself. The
// caller (FetchService / `rootline-cli fetch`) wraps one WriteUnit per fetched window in a
// WriterSink, and commits it with commit(outcome.complete, outcome.partialReason).
//
// Contract:
//  * Hard failure (nothing trustworthy fetched: unreachable, auth, bad query) → an Error naming the
//    source and endpoint with a hint; the caller rolls the unit back.
//  * Anything fetched but incomplete (server limit hit, response too large, timeout after some
//    pages, cancelled) → a FetchOutcome with complete = false and partialReason saying why.
//  * `cancelled` is checked between requests and passed to every HttpRequest.
//  * `progress` may be called from the fetching thread; it must be cheap and thread-safe.

#include "cache/TelemetryBatch.h"
#include "core/Result.h"
#include "core/Time.h"
#include "import/RecordSink.h"
#include "sources/Source.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rootline {

namespace http { class HttpClient; }

enum class FetchKind {
    Series,    // metric query → series/samples (PromQL range, LogQL metric, GetMetricData)
    Instant,   // instant query at window.to → series with one sample each
    Logs,      // log query (LogQL, FilterLogEvents, Logs Insights)
    Traces,    // trace search (search terms) → spans of the matching traces
    Trace,     // one trace by id
    Exemplars, // exemplars of a metric selector
    Alerts,    // firing/pending alerts and rule states
};
const char* fetchKindName(FetchKind kind); // "series", "instant", "logs", "traces", "trace", "exemplars", "alerts"
std::optional<FetchKind> fetchKindFromName(std::string_view name);
// The FetchRecord::kind stored in the cache for this kind ("series", "logs", "spans", "alerts").
const char* fetchRecordKind(FetchKind kind);

struct FetchRequest {
    std::string source; // the Source's name (provenance)
    FetchKind kind = FetchKind::Series;
    std::string query;   // PromQL / LogQL / Logs Insights / CloudWatch metric spec
    std::string traceId; // FetchKind::Trace
    // FetchKind::Traces: "service", "operation", "tags" (logfmt k=v), "minDuration", "maxDuration",
    // "lookback", or any other key = a tag to match.
    std::vector<std::pair<std::string, std::string>> search;
    TimeWindow window;
    std::optional<Duration> step; // metric queries; empty = the connector chooses
    int64_t limit = 0;            // 0 = the connector's default; hitting it makes the result partial
    bool backward = true;         // logs: newest first (Loki's default direction)

    // Text stored as FetchRecord::query: the query, or "trace:<id>", or the search terms.
    std::string provenanceQuery() const;
};

struct FetchProgress {
    int requestsDone = 0;
    int requestsPlanned = 0; // 0 when unknown (pagination)
    int64_t bytes = 0;
    int64_t records = 0;
    std::string stage; // "query_range 3/8", "page 12", ...
};
using ProgressCallback = std::function<void(const FetchProgress&)>;

struct FetchOutcome {
    bool complete = true;
    std::string partialReason; // why not complete: "limit 5000 reached", "response too large", "cancelled"
    int64_t records = 0;       // records handed to the sink
    int requests = 0;
    int64_t bytes = 0;
    std::vector<std::string> warnings; // server warnings (Prometheus `warnings`, Loki, CloudWatch Messages)
};

struct ConnectionInfo {
    bool reachable = false;
    std::string version; // "2.42.0+ds", "3.1.0", "jaeger api_v3", ...
    std::string detail;  // anything else worth showing (revision, API flavour, latency)
    Duration latency;
};

// For query bars: metric names, label names, label values.
struct CompletionRequest {
    enum class What { MetricNames, LabelNames, LabelValues, Services, Operations } what = What::LabelNames;
    std::string label;   // LabelValues: which label; Operations: which service
    std::string matcher; // optional series selector narrowing the answer
    std::optional<TimeWindow> window;
};

class Connector {
public:
    virtual ~Connector() = default;

    virtual const Source& source() const = 0;
    // Reachability and version (Prometheus buildinfo, Loki buildinfo//ready, Jaeger /api/services, AWS 1-point call).
    virtual Result<ConnectionInfo> testConnection() = 0;
    // Fetches `request` into `sink`. See the contract at the top of this file.
    virtual Result<FetchOutcome> fetch(const FetchRequest& request, RecordSink& sink,
                                       const std::atomic_bool* cancelled = nullptr,
                                       const ProgressCallback& progress = {}) = 0;
    // Autocomplete values; connectors that cannot answer return an empty list.
    virtual Result<std::vector<std::string>> complete(const CompletionRequest&) { return std::vector<std::string>{}; }
    // Kinds this connector can fetch (the CLI and UI offer only these).
    virtual std::vector<FetchKind> supportedKinds() const = 0;
};

} // namespace rootline
