#pragma once

// When a log template's trouble started, at the resolution the lines allow (issue 15). A new
// template starts at its first line that has company (a second line within a minute: one stray
// line long before is not an onset); a spiking one at the first line from which a minute holds
// clearly more than the baseline's rate. The resolution is the coarser of the timestamps' grain
// (a source that writes whole seconds cannot order events inside a second) and the spacing of
// the first lines (an error logged every 10 s places its start only to within 10 s).

#include "CausalOrder.h"

#include <optional>
#include <vector>

namespace rootline {

// `times` in nanoseconds, sorted; `baselinePerMinute` the template's rate before the incident.
std::optional<ServiceOnset> templateOnset(const std::vector<int64_t>& times, double baselinePerMinute, std::string what);

} // namespace rootline
