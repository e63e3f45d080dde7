#pragma once

#include "core/Records.h"

#include <vector>

namespace rootline {

// Reduces time-sorted samples to at most `maxPoints` for drawing: the window is cut into
// maxPoints/2 equal buckets and each bucket keeps its minimum and maximum in time order, so spikes
// survive (a plain average would hide them). A bucket of only NaN keeps one NaN, so gaps stay gaps.
// maxPoints < 2 is treated as 2. Input already within budget is returned as it is; an empty window gives none.
std::vector<Sample> downsampleMinMax(const std::vector<Sample>& sorted, TimeWindow window, int maxPoints);

} // namespace rootline
