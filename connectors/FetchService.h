#pragma once

// Runs one FetchRequest against a connector into a cache, reusing what the cache already holds:
// plans the missing sub-windows (FetchPlanner), fetches each into its own write unit (one
// transaction, its own provenance row), and commits it complete or partial. Used by
// `rootline-cli fetch` and by the GUI's fetch jobs (call it off the UI thread).

#include "Connector.h"
#include "FetchPlanner.h"
#include "cache/TelemetryBatch.h"

#include <atomic>
#include <string>
#include <vector>

namespace rootline {

class CacheWriter;

struct FetchReport {
    FetchRequest request;
    std::vector<TimeWindow> fetched; // windows fetched over the network
    std::vector<TimeWindow> cached;  // windows answered from the cache
    WriteStats stored;               // rows this run added
    bool complete = true;
    std::string partialReason;
    std::vector<std::string> warnings;
    int requests = 0;
    int64_t bytes = 0;

    bool fromCache() const { return fetched.empty(); }
};

// `history` is the cache's provenance (CacheReader::fetches()); pass {} to fetch everything.
Result<FetchReport> runFetch(Connector& connector, CacheWriter& writer, const std::vector<FetchRecord>& history,
                             const FetchRequest& request, const std::atomic_bool* cancelled = nullptr,
                             const ProgressCallback& progress = {});

// The planner options that fit a request's kind (a trace by id is windowless, alerts always fetch,
// metric queries ignore gaps shorter than one step).
PlannerOptions plannerOptionsFor(const FetchRequest& request);

} // namespace rootline
