#pragma once

// SLIs as good/total events from counter series, evaluated with multi-window, multi-burn-rate
// rules (Google SRE workbook ch. 5; design.md §4). burn rate = error ratio / (1 − objective):
// burning at 1× spends exactly the budget over the SLO period. A rule fires when both its long and
// short windows burn faster than its factor. Error budget left = 1 − (error ratio over the period
// so far) / (1 − objective); when the cache holds less than the period, the data available is
// used and said.

#include "CounterHistory.h"
#include "SloDefinition.h"
#include "core/Records.h"

#include <optional>
#include <string>
#include <vector>

namespace rootline {

class CacheReader;
struct CorrelationRules;

struct SloWindowResult {
    Duration window;
    double good = 0, total = 0;
    double errorRatio = 0;
    double burnRate = 0;
};

struct BurnRateResult {
    BurnRateRule rule;
    SloWindowResult longWindow, shortWindow;
    bool firing = false;
};

struct SloStatus {
    SloDefinition slo;
    Timestamp at;
    std::vector<BurnRateResult> rules;
    bool firing = false;
    double sli = 1;          // good/total over the budget window
    double budgetLeft = 1;   // 1 = untouched, 0 = spent, negative = overspent
    Duration budgetWindow;   // the part of the period the cache covers
    std::optional<Timestamp> firingSince; // first evaluation step that fired, when searched
    std::vector<std::string> series;      // keys of the series the SLI is built from
    std::vector<std::string> sources;     // how the SLI was computed, in words (LatencySli.h)

    // "14.4× page fired: burn 35.2× over 1h and 40.0× over 5m (threshold 14.4×)" for each firing
    // rule; "no burn-rate window fired" otherwise.
    std::string explanation() const;
};

class SloEvaluator {
public:
    SloEvaluator(SloDefinition slo, CounterSet total, CounterSet bad, std::vector<std::string> seriesKeys = {});

    // Finds the SLI series in the cache: availability = the counter's series (bad = those whose
    // error label matches); latency = requests at or below the threshold (good) of all (total),
    // from native/OTLP histogram rows and classic `_bucket` series (LatencySli.h).
    // A "service" match label also matches the series' resource service (canonical name).
    static Result<SloEvaluator> load(CacheReader& reader, const SloDefinition& slo, const CorrelationRules* rules = nullptr);

    SloWindowResult window(Timestamp at, Duration length) const;
    SloStatus evaluate(Timestamp at) const;
    // The first step in `within` at which any rule fires (burn-rate alert onset).
    std::optional<Timestamp> firstFiring(TimeWindow within, Duration step) const;
    // Error ratio per step over `within` (each value over the preceding `step`): the SLI chart.
    std::vector<Sample> errorRatioSeries(TimeWindow within, Duration step) const;

    const SloDefinition& definition() const { return m_slo; }
    const std::vector<std::string>& sources() const { return m_sources; }
    std::optional<TimeWindow> dataRange() const { return m_total.range(); }
    bool empty() const { return m_total.empty(); }

private:
    SloDefinition m_slo;
    CounterSet m_total, m_bad;
    std::vector<std::string> m_seriesKeys;
    std::vector<std::string> m_sources;
};

// SLOs found without rules: for every counter with a status-code label (status, code,
// status_code, http_status_code, http_response_status_code) one availability SLO per service, at
// the default 99.9% over 30 days.
Result<std::vector<SloDefinition>> detectSlos(CacheReader& reader, const CorrelationRules* rules = nullptr);

// Burn-rate alerts Rootline computes itself (source "rootline burn-rate"), evaluated at the end of
// each SLI's data; `activeSince` is the first firing step in the last `lookback`.
Result<std::vector<Alert>> burnRateAlerts(CacheReader& reader, const std::vector<SloDefinition>& slos,
                                          Duration lookback = Duration::hours(6), const CorrelationRules* rules = nullptr);

} // namespace rootline
