#pragma once

// From a metric point to the traces behind it (design.md §4). Exemplars are the direct link; when
// a series has none, the traces of the same service (and operation) that started in the same
// bucket stand in, marked as such so the UI and the report can say "no exemplar; nearby traces".

#include "core/Records.h"

#include <string>
#include <vector>

namespace rootline {

class CacheReader;
class ServiceDirectory;

struct TraceLink {
    TraceId traceId;
    std::optional<SpanId> spanId;
    Timestamp time;
    double value = 0;           // the exemplar's value (e.g. latency in seconds); 0 for stand-ins
    bool fromExemplar = false;  // false: a stand-in trace of the same service and bucket
    int64_t seriesRowId = 0;
    Duration duration;          // stand-ins: the trace's duration
    bool error = false;
};

// Exemplars of `seriesRowId` (0: every series of `service`) in `window`, slowest and failing
// first; when there are none, up to `limit` traces of `service` (and `operation` when given) in
// the window, failing first, then slowest.
Result<std::vector<TraceLink>> tracesForBucket(CacheReader& reader, const ServiceDirectory& services, int64_t seriesRowId,
                                               const std::string& service, const std::string& operation, TimeWindow window,
                                               int limit = 20);

} // namespace rootline
