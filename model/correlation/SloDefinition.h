#pragma once

// What an SLO is made of (design.md §4): an SLI as good/total events counted from series, an
// objective over a period, and the multi-window, multi-burn-rate rules that page or ticket.

#include "core/Time.h"

#include <string>
#include <utility>
#include <vector>

namespace rootline {

// Fires when the burn rate exceeds `factor` over both the long and the short window: the long one
// says enough budget is gone to matter, the short one that it is still burning now.
struct BurnRateRule {
    double factor = 14.4;
    Duration longWindow = Duration::hours(1);
    Duration shortWindow = Duration::minutes(5);
    std::string severity = "page";
};

// The SRE workbook's defaults for a 30-day window: 2% of the budget in 1 h, 5% in 6 h, 10% in 3 d.
std::vector<BurnRateRule> defaultBurnRateRules();

struct SloDefinition {
    enum class Kind { Availability, Latency };
    std::string name;
    std::string service;
    Kind kind = Kind::Availability;
    // Availability: a request counter; the events whose `errorLabel` matches `errorValues` (a
    // full-match RE2 pattern, "5.." by default) are bad. Latency: a histogram's base name (or its
    // `_bucket` series), native, OTLP or classic; good = requests at or below `thresholdSeconds`,
    // total = all of them (LatencySli.h).
    std::string metric;
    std::vector<std::pair<std::string, std::string>> match; // label = value, all must hold
    std::string errorLabel = "status";
    std::string errorValues = "5..";
    double thresholdSeconds = 0;
    double objective = 0.999;
    Duration period = Duration::hours(24 * 30);
    std::vector<BurnRateRule> rules = defaultBurnRateRules();
};

} // namespace rootline
