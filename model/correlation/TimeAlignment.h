#pragma once

// One time axis for every signal (design.md §4): windows widened by a margin and snapped to a
// step, and series resampled onto that step the way Prometheus evaluates a range query (the last
// sample within a lookback before each step), so series from different sources line up point for
// point in the timeline and in the SLI maths.

#include "core/Records.h"

#include <vector>

namespace rootline {

// [from − margin, to + margin] with both ends moved outwards to multiples of `step` (counted from
// the Unix epoch, so two panes aligning the same window get the same points).
TimeWindow alignedWindow(TimeWindow window, Duration step, Duration margin = Duration());

// The value at each step point from window.from to window.to inclusive: the last sample in
// (t − lookback, t]; NaN when there is none (a gap, shown as a gap). `samples` sorted by time.
std::vector<Sample> alignToStep(const std::vector<Sample>& samples, TimeWindow window, Duration step,
                                Duration lookback = Duration::minutes(5));

} // namespace rootline
