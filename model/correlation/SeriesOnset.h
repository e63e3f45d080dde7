#pragma once

// When a series leaves its baseline (issue 15, "the series that moves first"): the first point of
// the incident window above the baseline's normal range that stays above it for the next point
// too (one noisy scrape is not an onset), measured at the series' own resolution — its median
// sample spacing. A counter is read as its per-second rate between samples (a drop is a reset),
// so "errors per second" departs, not the ever-growing total.

#include "core/Records.h"

#include <optional>
#include <vector>

namespace rootline {

struct SeriesDeparture {
    Timestamp onset;           // the first point of the departure
    Duration resolution;       // the median spacing of the samples: how precise `onset` is
    double baselineLevel = 0;  // the baseline's mean (a rate for counters)
    double incidentLevel = 0;  // the incident's median from the onset on
    double strength = 0;       // 0..1: how far and how steadily it left the baseline
};

// `samples` sorted by time, spanning at least part of both windows. Empty when the series does
// not depart, or when either window has too few points to say.
std::optional<SeriesDeparture> seriesDeparture(const std::vector<Sample>& samples, bool counter, TimeWindow baseline,
                                               TimeWindow incident);

} // namespace rootline
