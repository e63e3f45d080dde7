#pragma once

// Small generated incidents, one per kind of root cause the investigation must name (issue 5,
// Tests): a downstream timeout, connection-pool exhaustion, a bad deploy of one version, a
// latency-only slowdown, a clock-skewed service, and a failure visible only in logs. Each is one
// hour of a little shop (frontend → checkout → cart, inventory, payment → external gateway,
// shipping; plus a notification worker that only logs), deterministic for a seed, with traces,
// logs (trace ids carried in JSON bodies, logfmt, attributes and X-Ray headers, so the ingest
// extraction is exercised), request counters, a latency histogram with exemplars, and an alert.
// Used by the scenario tests and by `rootline-cli investigate` demos.
//
// Four more (issue 15) have no trace in the incident window at all — batch jobs, queues, legacy
// services, CloudWatch log groups without X-Ray — so only logs, metrics and what is known of the
// topology can tell the cause from its symptoms (CascadeScenarios.cpp): a two-service cascade in
// logs and metrics, a three-tier cascade of retries, two simultaneous unrelated faults, and a
// queue that saturates with no error anywhere.

#include "core/Time.h"
#include "import/RecordSink.h"

#include <optional>
#include <string_view>
#include <vector>

namespace rootline {

enum class ScenarioKind {
    DownstreamTimeout,
    PoolExhaustion,
    BadDeploy,
    LatencyOnly,
    ClockSkew,
    LogOnly,
    LogsCascade,     // issue 15: a worker's SMTP relay refuses; the API that waits for it returns 500
    RetryCascade,    // issue 15: a disk fills under ledger; billing retries; storefront returns 502
    UnrelatedFaults, // issue 15: notification and search fail at once, for reasons of their own
    QueueSaturation, // issue 15: fulfillment's workers saturate; its lag and the orders waiting grow
};

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
    const char* alsoExpected = ""; // a second, independent root cause (UnrelatedFaults)
    bool traced = true;            // false: no trace in the incident window (issue 15)
};

// Every scenario, the traced ones (issue 5) first.
const std::vector<ScenarioSpec>& scenarioSpecs();
std::optional<ScenarioSpec> scenarioByName(std::string_view name);
const ScenarioSpec& scenarioSpec(ScenarioKind kind);

// Writes the scenario's records into `sink` (a few batches).
Status generateScenario(ScenarioKind kind, RecordSink& sink, uint64_t seed = 7);

} // namespace rootline
