#pragma once

// The live investigation's plan (issue 11 items 2 and 3; design.md §8): from an alert (its labels
// and its rule's expression) or a service, a window and the configured sources, the fetches each
// step of the guided investigation needs — aggregates before raw data:
//
//   alert         the firing and pending alerts of every source that serves them (Prometheus,
//                 Alertmanager, CloudWatch alarms in ALARM state)
//   sli           the counters and histograms behind the alert's expression, window + baseline,
//                 and their exemplars (Prometheus)
//   logs          first per-service, per-level counts computed by Loki
//                   sum by (service_name, level) (count_over_time({service_name=~".+"}[1m]))
//                 then raw error and warning lines of the implicated services only, capped
//                   {service_name="S", level=~"error|warn|warning|fatal|critical"}
//   traces        failing (error=true) and slow (minDuration) traces of the implicated services,
//                 a baseline sample, and the exemplars' traces by id (Jaeger; CloudWatch sources
//                 search X-Ray with the same terms, failing = `fault = true`)
//   span          the candidate trace, whole, by id (Jaeger, X-Ray)
//   trace-logs    the lines that carry the candidate trace's id, over its window ± a margin
//                   {service_name=~".+"} |= "<trace id>"
//   confirmation  the SLI again, after the fix time
//
// Later steps take what earlier ones found (implicated services, exemplar trace ids, the
// candidate trace) as arguments: the builders here are pure functions, tested without servers
// (tst_live_plan); LiveRunner.h runs them against a cache. Every fetch carries its budget: a row
// limit (FetchRequest::limit, which makes the fetch PARTIAL when reached) and a byte cap per
// response (the source's maxResponseBytes).

#include "Connector.h"
#include "core/Ids.h"
#include "core/Records.h"
#include "investigation/InvestigationState.h"
#include "sources/Source.h"

#include <optional>
#include <string>
#include <vector>

namespace rootline {

struct LiveBudget {
    int64_t logLines = 1000;        // raw lines per implicated service
    int64_t traces = 20;            // traces per search (failing, slow)
    int64_t baselineTraces = 10;    // the baseline sample per service
    int64_t exemplarTraces = 5;     // exemplar traces fetched by id
    int64_t traceLogLines = 500;    // lines of the candidate trace
    int64_t maxBytes = 16ll << 20;  // per response
    int maxServices = 3;            // implicated services whose raw data is fetched
    Duration slowTrace = Duration::millis(500); // minDuration of the slow-trace search
    Duration traceLogMargin = Duration::minutes(1);
    Duration logCountStep = Duration::minutes(1);
};

struct LiveFetch {
    StepKind step = StepKind::Alert;
    Source source;        // its secrets unresolved: fetchIntoCache resolves them
    FetchRequest request; // request.source == source.name; request.limit is the row budget
    std::string purpose;  // "error and warning lines of payment", in words
};

// What the plan starts from: an alert, or a service; the window and the baseline.
struct LiveTarget {
    std::optional<Alert> alert;
    std::string service;
    TimeWindow window;
    TimeWindow baseline;
    std::optional<Timestamp> confirmAfter;
};

// The window and baseline the investigation uses (Investigation::start): an alert's window is
// 5 minutes before it became active to 10 minutes after (not beyond `now`); the baseline ends 5
// minutes before the window and is twice its length, at least 30 minutes.
TimeWindow liveAlertWindow(const Alert& alert, Timestamp now);
TimeWindow liveBaseline(TimeWindow window);

// The alert's rule expression (annotation rule_expr), empty when unknown.
std::string alertExpression(const Alert& alert);
// The series selectors behind a PromQL expression, one per metric name, with the label matchers
// every use of that name shares: `(sum(rate(x{code="500"}[1m])) / sum(rate(x[1m])))` → `x`;
// `histogram_quantile(0.95, sum by (le) (rate(d_bucket{svc="a"}[5m])))` → `d_bucket{svc="a"}`.
std::vector<std::string> metricSelectors(std::string_view promql);

const char* liveLogCountQuery(); // the LogQL of the log-count fetch (above)
std::string liveLogLinesQuery(const std::string& service);
std::string liveTraceLogsQuery(const std::string& traceIdHex);

std::vector<LiveFetch> planAlertFetches(const std::vector<Source>& sources, Timestamp now);
std::vector<LiveFetch> planSliFetches(const LiveTarget& target, const std::vector<Source>& sources, const LiveBudget& budget);
std::vector<LiveFetch> planLogCountFetches(const LiveTarget& target, const std::vector<Source>& sources, const LiveBudget& budget);
std::vector<LiveFetch> planLogLineFetches(const LiveTarget& target, const std::vector<Source>& sources,
                                          const std::vector<std::string>& services, const LiveBudget& budget);
std::vector<LiveFetch> planTraceFetches(const LiveTarget& target, const std::vector<Source>& sources,
                                        const std::vector<std::string>& services, const std::vector<TraceId>& exemplarTraces,
                                        const LiveBudget& budget);
// `window` only narrows where a backend looks for the trace (Jaeger ignores it; X-Ray needs it).
std::vector<LiveFetch> planSpanFetches(const std::vector<Source>& sources, const TraceId& trace, TimeWindow window,
                                       const LiveBudget& budget);
std::vector<LiveFetch> planTraceLogFetches(const std::vector<Source>& sources, const TraceId& trace, TimeWindow traceWindow,
                                           const LiveBudget& budget);
std::vector<LiveFetch> planConfirmationFetches(const LiveTarget& target, const std::vector<Source>& sources, Timestamp now,
                                               const LiveBudget& budget);

// Which services the log counts implicate: those whose error and warning lines in the window
// exceed twice the baseline's (scaled to the window's length), most lines first, at most
// `max`; the alert's service always first. `counts` are (service, level, lines in window, lines
// in baseline).
struct LevelCount {
    std::string service, level;
    double window = 0, baseline = 0;
};
std::vector<std::string> implicatedServices(const std::vector<LevelCount>& counts, const LiveTarget& target, int max);

} // namespace rootline
