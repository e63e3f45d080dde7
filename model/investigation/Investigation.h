#pragma once

// The guided investigation as a state machine over one InvestigationState (design.md §1):
// alert → SLI → logs in the window → failed and slow traces (exemplars first) → the span that
// explains it and its critical path → the logs of that trace (widening the window, and saying so,
// when the span has none) → reproduction facts → confirmation (the SLI after a given time).
// `start` fixes the window and ranks the candidates; `advance` runs the next step; each step
// records what it looked at and pins its evidence. Notes attach to steps. The state saves to the
// cache and exports as a report (InvestigationReport.h).

#include "InvestigationState.h"
#include "core/Clock.h"

#include <optional>
#include <string>

namespace rootline {

class CacheReader;
class CacheWriter;
struct CorrelationRules;

struct InvestigationOptions {
    std::optional<Alert> alert;          // start from this alert, or
    std::string service;                 // from a service and
    std::optional<TimeWindow> window;    // a window (required without an alert)
    std::optional<TimeWindow> baseline;  // default: the 30–60 min before the window
    std::optional<Timestamp> confirmAfter;
    const CorrelationRules* rules = nullptr;
    std::string title;
    int maxLogLines = 200000; // per window, for the log-template stage (RankerOptions::maxLogLines)
};

class Investigation {
public:
    // Fixes the window, evaluates the SLO and ranks root-cause candidates; no step has run yet.
    static Result<Investigation> start(CacheReader& reader, const InvestigationOptions& options);
    static Result<Investigation> fromJson(std::string_view json);

    bool finished() const { return m_state.current >= kStepCount; }
    // Runs the current step and moves to the next.
    Status advance(CacheReader& reader);
    // Runs every remaining step.
    Status runAll(CacheReader& reader);

    void pin(StepKind step, EvidenceRef ref);
    void unpin(StepKind step, const EvidenceRef& ref);
    void addNote(StepKind step, std::string text, Timestamp at = Clock::current().now());
    // Sets the time after which the SLI should have recovered, and re-runs the confirmation step.
    Status confirmAfter(CacheReader& reader, Timestamp t);

    const InvestigationState& state() const { return m_state; }
    std::string toJson() const;
    // The `rootline-cli investigate --json` document (issue 5 item 5).
    std::string resultJson() const;
    // Stores (or updates) the record in the cache; returns its row id.
    Result<int64_t> save(CacheWriter& writer);

private:
    Investigation() = default;
    Status runStep(CacheReader& reader, StepKind kind);
    Status stepAlert(CacheReader& reader);
    Status stepSli(CacheReader& reader);
    Status stepLogs(CacheReader& reader);
    Status stepTraces(CacheReader& reader);
    Status stepSpan(CacheReader& reader);
    Status stepTraceLogs(CacheReader& reader);
    Status stepReproduction(CacheReader& reader);
    Status stepConfirmation(CacheReader& reader);

    InvestigationState m_state;
    const CorrelationRules* m_rules = nullptr;
};

// Picks the alert to investigate: by name, or — without a name — the one firing alert (cache
// alerts first, then Rootline's own burn-rate alerts). An error lists the candidates when there
// are several or none.
Result<Alert> chooseAlert(CacheReader& reader, const std::string& name, const CorrelationRules* rules);

// The service an alert is about: its service / service_name / job / app label, canonical.
std::string alertService(const Alert& alert, const CorrelationRules* rules);

} // namespace rootline
