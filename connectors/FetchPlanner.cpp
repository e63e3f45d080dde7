#include "FetchPlanner.h"

#include <algorithm>

namespace rootline {

std::vector<TimeWindow> mergeWindows(std::vector<TimeWindow> windows)
{
    windows.erase(std::remove_if(windows.begin(), windows.end(), [](const TimeWindow& w) { return !w.isValid(); }), windows.end());
    std::sort(windows.begin(), windows.end(), [](const TimeWindow& a, const TimeWindow& b) { return a.from < b.from; });
    std::vector<TimeWindow> out;
    for (const auto& w : windows) {
        if (!out.empty() && w.from <= out.back().to)
            out.back().to = std::max(out.back().to, w.to);
        else
            out.push_back(w);
    }
    return out;
}

FetchPlan planFetch(const std::vector<FetchRecord>& history, const FetchKey& key, TimeWindow wanted, PlannerOptions options)
{
    FetchPlan plan;
    if (!wanted.isValid())
        return plan;
    if (options.alwaysFetch) {
        plan.missing.push_back(wanted);
        return plan;
    }
    std::vector<TimeWindow> done;
    for (const auto& f : history) {
        if (!f.complete || f.source != key.source || f.kind != key.kind || f.query != key.query)
            continue;
        if (options.windowless) {
            plan.covered.push_back(wanted);
            return plan;
        }
        if (f.window.overlaps(wanted))
            done.push_back({std::max(f.window.from, wanted.from), std::min(f.window.to, wanted.to)});
    }
    plan.covered = mergeWindows(std::move(done));
    Timestamp cursor = wanted.from;
    auto addMissing = [&](Timestamp from, Timestamp to) {
        if (to - from >= options.minGap && from < to)
            plan.missing.push_back({from, to});
    };
    for (const auto& c : plan.covered) {
        addMissing(cursor, c.from);
        cursor = std::max(cursor, c.to);
    }
    addMissing(cursor, wanted.to);
    return plan;
}

} // namespace rootline
