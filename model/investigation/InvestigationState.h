#pragma once

// The record of one guided investigation (design.md §1, issue 5 item 4): plain values, saved as
// JSON in the cache's `investigations` table, shown by the UI, exported as a report. Nothing here
// knows about widgets.

#include "correlation/DeployMarkers.h"
#include "correlation/RootCauseRanker.h"
#include "core/Records.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rootline {

// The eight steps, in the order an SRE walks them.
enum class StepKind { Alert = 0, Sli, Logs, Traces, Span, TraceLogs, Reproduction, Confirmation };
constexpr int kStepCount = 8;
const char* stepName(StepKind kind);  // "alert", "sli", "logs", "traces", "span", "trace-logs", "reproduction", "confirmation"
const char* stepTitle(StepKind kind); // "Alert", "Service level indicator", ...

enum class StepStatus { Pending, Done, Skipped, Waiting };
const char* stepStatusName(StepStatus status); // "pending", "done", "skipped", "waiting"

// Something a step looked at or pinned; `kind` says how to open it.
struct EvidenceRef {
    std::string kind;  // "trace", "span", "log", "series", "alert", "attribute", "template"
    std::string id;    // trace/span id in hex, log row id, series key, attribute key
    std::string label; // what it is, in words
    bool operator==(const EvidenceRef&) const = default;
};

struct StepNote {
    Timestamp at;
    std::string text;
};

struct InvestigationStep {
    StepKind kind = StepKind::Alert;
    StepStatus status = StepStatus::Pending;
    std::string summary;              // one or two sentences, plain words
    std::vector<std::string> details; // what was looked at, line by line
    std::vector<EvidenceRef> lookedAt;
    std::vector<EvidenceRef> pinned;
    std::vector<StepNote> notes;
};

struct SloBurnWindow {
    double factor = 0;
    Duration longWindow, shortWindow;
    double longBurn = 0, shortBurn = 0;
    std::string severity;
    bool firing = false;
};

struct SloSummary {
    std::string name;
    std::string service;
    bool latency = false;        // a latency SLO: "bad" = slower than the threshold
    double thresholdSeconds = 0; // latency SLOs
    std::vector<std::string> sources; // how the SLI was computed, in words
    double objective = 0;
    Duration period;
    double sli = 1;
    double budgetLeft = 1;
    Duration budgetWindow;
    bool firing = false;
    Timestamp evaluatedAt;
    std::string explanation;
    std::vector<SloBurnWindow> windows;
    std::vector<std::string> series;
    double errorRatioBaseline = 0, errorRatioIncident = 0;

    // What a bad event is, after "N% of requests": "failed", or "were slower than 0.5 s".
    std::string badEvents() const;
};

struct InvestigationState {
    int64_t id = 0; // row in `investigations`; 0 until saved
    std::string title;
    std::string cachePath;
    Timestamp createdAt;
    std::optional<Alert> alert;
    std::string service;
    TimeWindow window;
    TimeWindow baseline;
    std::optional<SloSummary> slo;
    std::vector<RootCauseCandidate> candidates;
    std::map<std::string, Duration> clockSkew; // service → correction applied
    std::vector<DeployMarker> deploys;
    std::vector<StageTiming> stages;
    std::vector<std::string> limits; // what the analysis left unread because of a cap (RootCauseRanking::limits)
    int64_t incidentTraces = 0, incidentErrorTraces = 0, baselineTraces = 0, baselineErrorTraces = 0;
    std::vector<InvestigationStep> steps; // always kStepCount, in StepKind order
    int current = 0;                      // the next step to run
    std::string focusTraceId, focusSpanId;
    std::vector<std::pair<std::string, std::string>> reproduction; // fact → value
    std::optional<Timestamp> confirmAfter;

    InvestigationStep& step(StepKind k) { return steps[size_t(k)]; }
    const InvestigationStep& step(StepKind k) const { return steps[size_t(k)]; }
};

} // namespace rootline
