#pragma once

// Small generated incidents, one per kind of root cause the investigation must name (issue 5,
// Tests): a downstream timeout, connection-pool exhaustion, a bad deploy of one version, a
// latency-only slowdown, a clock-skewed service, and a failure visible only in logs. Each is one
// hour of a little shop (frontend → checkout → cart, inventory, payment → external gateway,
// shipping; plus a notification worker that only logs), deterministic for a seed, with traces,
// logs (trace ids carried in JSON bodies, logfmt, attributes and X-Ray headers, so the ingest
// extraction is exercised), request counters, a latency histogram with exemplars, and an alert.
// Used by the scenario tests and by `rootline-cli investigate` demos.

#include "core/Time.h"
#include "import/RecordSink.h"

#include <optional>
#include <string_view>
#include <vector>

namespace rootline {

enum class ScenarioKind { DownstreamTimeout, PoolExhaustion, BadDeploy, LatencyOnly, ClockSkew, LogOnly };

struct ScenarioSpec {
    ScenarioKind kind;
    const char* name;             // "downstream-timeout"
    const char* story;            // one sentence
    const char* focusService;     // what the alert is about
    const char* expectedService;  // the root cause
    const char* expectedOperation; // a substring of the culprit operation ("" for log-only)
    const char* failureWord;      // a word every evidence log line mentions
    TimeWindow baseline;
    TimeWindow incident;
    Timestamp faultStart;
};

const std::vector<ScenarioSpec>& scenarioSpecs();
std::optional<ScenarioSpec> scenarioByName(std::string_view name);
const ScenarioSpec& scenarioSpec(ScenarioKind kind);

// Writes the scenario's records into `sink` (a few batches).
Status generateScenario(ScenarioKind kind, RecordSink& sink, uint64_t seed = 7);

} // namespace rootline
