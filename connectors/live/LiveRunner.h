#pragma once

// Runs the live investigation's plan (LivePlan.h) into a cache, step by step, through the one
// fetch-into-cache path (FetchIntoCache.h): each fetch asks only for what the cache does not
// already hold (FetchPlanner), so a second run over the same window fetches nothing new.
//
//   alert → sli → logs (counts, then lines of the implicated services) → traces → span →
//   trace-logs → confirmation
//
// Later steps are planned from what the cache holds after the earlier ones: the implicated
// services from the log counts, the exemplars' trace ids from the SLI, the candidate trace from
// an investigation (Investigation.h) over what has arrived so far. A fetch that fails or ends
// PARTIAL is recorded with its reason and the plan goes on; only what makes the plan impossible
// (no alert of that name, an unreadable cache) is an Error. Cancel stops between fetches and
// keeps what arrived. Plain values throughout; call it off the UI thread.

#include "FetchIntoCache.h"
#include "LivePlan.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rootline {

struct CorrelationRules;

struct LiveFetchResult {
    LiveFetch fetch;
    std::optional<FetchReport> report; // set when the fetch ran
    std::optional<Error> error;        // set when it failed
    double seconds = 0;

    bool complete() const { return report && report->complete && !error; }
    int64_t rows() const { return report ? report->stored.total() : 0; }
    int64_t bytes() const { return report ? report->bytes : 0; }
    // "complete", "cached", "PARTIAL: <reason>" or "error: <what>".
    std::string statusText() const;
};

struct LiveRunOptions {
    std::string cachePath;
    std::vector<Source> sources;
    LiveBudget budget;
    const CorrelationRules* rules = nullptr;
    const std::atomic_bool* cancelled = nullptr;
    FetchIntoCacheOptions fetch;
    // Called after every fetch (on the running thread): for progress lines and the GUI's table.
    std::function<void(const LiveFetchResult&)> onFetch;
    // Called as each step begins.
    std::function<void(StepKind)> onStep;
};

struct LiveStart {
    std::string alertName;              // an alert by name (firing now, or — with `window` — a past one)
    std::string service;                // or a service with `window`
    std::optional<TimeWindow> window;
    std::optional<Timestamp> confirmAfter;
};

struct LiveRun {
    LiveTarget target;
    std::vector<LiveFetchResult> fetches; // in the order they ran
    std::vector<std::string> services;    // the services the log counts implicated
    std::vector<TraceId> exemplarTraces;
    std::optional<TraceId> candidateTrace;
    bool cancelled = false;

    bool complete() const;
};

Result<LiveRun> runLiveInvestigation(const LiveStart& start, const LiveRunOptions& options);

// One fetch of a plan, on its own: what the runner does for each, and what re-running one step's
// fetch (its query edited) does. Never throws; the failure is in the result.
LiveFetchResult runLiveFetch(const LiveFetch& fetch, const LiveRunOptions& options);

// A fetch with its query text replaced, as the user edited it in the fetch table: a trace search
// takes `k=v` terms separated by spaces, a trace by id `trace:<id>` or the bare id, anything else
// the text as the query.
LiveFetch withEditedQuery(LiveFetch fetch, const std::string& text);

} // namespace rootline
