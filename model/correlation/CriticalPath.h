#pragma once

// The critical path of a trace: the chain of work that decided when the root finished. Walking
// back from the root's end, the child that finished last before the cursor is on the path; time
// when no child was running is the parent's own ("self") time on the path. Children running in
// parallel with the one on the path are off it. Overlapping or overrunning children are clipped
// to their parent, as Jaeger's critical-path view does (jaeger-ui criticalPath/index.tsx).
//
// Used by the root-cause ranker (self time on the critical path of slow traces) and by the trace
// views (highlighting the path).

#include "core/Records.h"

#include <cstddef>
#include <string>
#include <vector>

namespace rootline {

struct CriticalPathSegment {
    size_t span = 0; // index into the spans passed in
    Timestamp start;
    Timestamp end;
};

struct CriticalPath {
    std::vector<CriticalPathSegment> segments; // in time order
    std::vector<Duration> selfTime;            // per span index: its time on the path (0 when off it)
    size_t root = 0;
    bool empty() const { return segments.empty(); }
};

// `spans` are one trace's spans in any order; `startOffsets` (optional, same size) shifts each
// span's start and end — the clock-skew correction — without copying the spans. The root is the
// span without a parent (or whose parent is missing) that ends last.
CriticalPath computeCriticalPath(const std::vector<Span>& spans, const std::vector<Duration>* startOffsets = nullptr);

// "A 0-10, B 10-20, C 20-50, ..." with times in ms relative to the root's start: for tests and logs.
std::string describeCriticalPath(const std::vector<Span>& spans, const CriticalPath& path);

} // namespace rootline
