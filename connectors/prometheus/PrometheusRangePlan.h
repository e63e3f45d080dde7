#pragma once

// The arithmetic of Prometheus range queries (wire-formats.md §2.4): a query_range with
// floor((end−start)/step) > 11000 is rejected, so a sub-query may hold 11,001 points. Points sit on
// multiples of the step since the Unix epoch, so sub-ranges (and later fetches of neighbouring
// windows) never share or double-count a boundary point.

#include "core/Time.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rootline {

// One query_range call: points at start, start+step, ..., end (inclusive, end − start a multiple of step).
struct RangeStep {
    Timestamp start;
    Timestamp end;
    Duration step;

    int64_t points() const { return (end - start).count() / step.count() + 1; }
    bool operator==(const RangeStep&) const = default;
};

constexpr int64_t kPrometheusMaxPoints = 11001; // floor((end-start)/step) <= 11000

// The smallest "nice" step (1s, 2s, 5s, 10s, 15s, 30s, 1m, ...) that fits the window in maxPoints.
Duration autoStep(TimeWindow window, int64_t maxPoints = kPrometheusMaxPoints);

// The points of [from, to) on the step grid, in sub-ranges of at most maxPointsPerQuery points.
// Empty when no multiple of the step falls inside the window.
std::vector<RangeStep> planRange(TimeWindow window, Duration step, int64_t maxPointsPerQuery = kPrometheusMaxPoints);

// Splits a range in two halves by points (for a response that was too large); {range} when it has one point.
std::vector<RangeStep> halve(const RangeStep& range);

// Exact decimal seconds: "1795343319", "1795343321.5", "0.000000001".
std::string formatSeconds(Timestamp t);
std::string formatStepSeconds(Duration d);

} // namespace rootline
