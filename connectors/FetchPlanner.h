#pragma once

// Cache reuse (design.md §2): a fetch records its provenance (source, kind, query, window,
// complete). Given that history, the planner says which parts of a requested window still have to
// be fetched; a window covered by complete fetches of the same query is answered from the cache.
// Partial fetches never count as coverage, so a limit hit or a timeout is fetched again next time.

#include "core/Records.h"
#include "core/Time.h"

#include <string>
#include <vector>

namespace rootline {

struct FetchKey {
    std::string source; // FetchRecord::source
    std::string kind;   // FetchRecord::kind ("series", "logs", "spans", "alerts", "exemplars")
    std::string query;  // FetchRecord::query (FetchRequest::provenanceQuery())
};

struct FetchPlan {
    std::vector<TimeWindow> missing; // to fetch, in time order, disjoint
    std::vector<TimeWindow> covered; // answered from the cache, in time order, disjoint
    bool fromCache() const { return missing.empty(); }
};

struct PlannerOptions {
    // Missing pieces shorter than this are ignored (e.g. less than one step of a metric query).
    Duration minGap = Duration::nanos(1);
    // Any complete fetch of the key covers every window (a trace by id).
    bool windowless = false;
    // Nothing is ever covered (alerts are the server's present state).
    bool alwaysFetch = false;
};

FetchPlan planFetch(const std::vector<FetchRecord>& history, const FetchKey& key, TimeWindow wanted, PlannerOptions options = {});

// Merges overlapping or touching windows; the result is sorted and disjoint.
std::vector<TimeWindow> mergeWindows(std::vector<TimeWindow> windows);

} // namespace rootline
