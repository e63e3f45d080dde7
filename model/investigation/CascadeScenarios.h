#pragma once

// The generators of the issue-15 scenarios (Scenarios.h): incidents with no trace in the window,
// where logs, metrics and the known topology must tell the cause from its symptoms.

#include "Scenarios.h"

namespace rootline {

// For LogsCascade, RetryCascade, UnrelatedFaults and QueueSaturation.
Status generateCascadeScenario(ScenarioKind kind, RecordSink& sink, uint64_t seed);

} // namespace rootline
