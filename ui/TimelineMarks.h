#pragma once

// What the timeline draws behind the series to tell the incident's story (issue 10 §2): deploys
// (a service's version changed), the SLO burn-rate windows that made the alert fire, and the
// alert's firing band. Plain values built from the finished investigation, so the timeline needs
// no investigation of its own and tests can write them by hand.

#include "core/Time.h"

#include <QString>
#include <vector>

namespace rootline {

struct InvestigationState;

struct TimelineMarks {
    struct Deploy {
        Timestamp time;
        QString label; // "payment 1.4.2 → 1.5.0"
    };
    struct Band {
        TimeWindow window;
        QString label; // "14.4× burn: 42.6× over 1h, 250× over 5m" (on the long window; "" on the short)
        bool firing = false;
    };
    std::vector<Deploy> deploys;
    std::vector<Band> burnWindows;
    std::vector<Band> firing; // the alert's firing band (at most one today)

    bool empty() const { return deploys.empty() && burnWindows.empty() && firing.empty(); }
};

// The marks of an investigation: its deploys, the long and short burn-rate windows of the fastest
// rule that fired (of the fastest rule when none fired), and the band from the alert's start to the end of the window.
TimelineMarks timelineMarksOf(const InvestigationState& state);

} // namespace rootline
