#pragma once

// Per-service clock skew estimated from parent/child spans across services (design.md §4). A
// child must lie within its parent; when a service's spans keep starting before their callers
// started or ending after they ended, that service's clock is off. Every cross-service call
// bounds the offset d = offset(child service) − offset(parent service):
//     child.end − parent.end ≤ d ≤ child.start − parent.start
// Calls consistent with d = 0 need no correction. Otherwise the estimate is the median of the
// offsets that would centre each child in its parent (symmetric network delay), clamped to the
// bounds all calls agree on. Pair offsets are then solved per service along the best-supported
// pairs from a reference service (the one with most spans), whose clock is taken as true.
//
// Raw times stay in the records; adjusted = raw − offset(service). Both are shown (the report
// says which services were corrected and by how much).

#include "core/Records.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rootline {

struct SkewPair {
    std::string parentService;
    std::string childService;
    Duration offset; // d = offset(child) − offset(parent)
    Duration lower, upper;
    int64_t calls = 0;
};

struct ClockSkewEstimate {
    std::string reference;
    std::map<std::string, Duration, std::less<>> offsets; // only services with a non-zero correction
    std::vector<SkewPair> pairs;

    Duration offsetOf(std::string_view service) const
    {
        auto it = offsets.find(service);
        return it == offsets.end() ? Duration() : it->second;
    }
    Timestamp adjust(std::string_view service, Timestamp raw) const { return raw - offsetOf(service); }
    bool empty() const { return offsets.empty(); }
};

class ClockSkewEstimator {
public:
    // `serviceOf[i]` names the service of spans[i] (canonical names); one trace per call.
    void addTrace(const std::vector<Span>& spans, const std::vector<std::string>& serviceOf);
    // Offsets smaller than `minimum` are treated as no skew (timer jitter, not a wrong clock).
    ClockSkewEstimate estimate(Duration minimum = Duration::millis(1)) const;

private:
    struct Acc {
        int64_t lower = INT64_MIN, upper = INT64_MAX;
        std::vector<int64_t> midpoints;
        int64_t calls = 0;
    };
    std::map<std::pair<std::string, std::string>, Acc> m_pairs;
    std::map<std::string, int64_t> m_spanCounts;
};

} // namespace rootline
