#include "ClockSkew.h"

#include <algorithm>
#include <climits>
#include <set>
#include <unordered_map>

namespace rootline {

void ClockSkewEstimator::addTrace(const std::vector<Span>& spans, const std::vector<std::string>& serviceOf)
{
    if (serviceOf.size() != spans.size())
        return;
    std::unordered_map<uint64_t, size_t> byId;
    byId.reserve(spans.size());
    for (size_t i = 0; i < spans.size(); ++i) {
        byId.emplace(spans[i].spanId.value, i);
        ++m_spanCounts[serviceOf[i]];
    }
    for (size_t i = 0; i < spans.size(); ++i) {
        const Span& c = spans[i];
        if (!c.parentSpanId)
            continue;
        auto it = byId.find(c.parentSpanId->value);
        if (it == byId.end() || serviceOf[it->second] == serviceOf[i])
            continue;
        const Span& p = spans[it->second];
        // Messaging children legitimately outlive their producers: no timing constraint there.
        if (c.kind == SpanKind::Consumer || c.kind == SpanKind::Producer || p.kind == SpanKind::Producer)
            continue;
        if (c.duration > p.duration)
            continue; // cannot fit whatever the offset: not a clock question
        Acc& a = m_pairs[{serviceOf[it->second], serviceOf[i]}];
        const int64_t lo = (c.end() - p.end()).count();
        const int64_t hi = (c.start - p.start).count();
        a.lower = std::max(a.lower, lo);
        a.upper = std::min(a.upper, hi);
        if (a.midpoints.size() < 4096)
            a.midpoints.push_back(lo + (hi - lo) / 2);
        ++a.calls;
    }
}

ClockSkewEstimate ClockSkewEstimator::estimate(Duration minimum) const
{
    ClockSkewEstimate out;
    struct Edge {
        std::string a, b;
        int64_t d; // offset(b) − offset(a)
        int64_t weight;
    };
    std::vector<Edge> edges;
    for (const auto& [key, acc] : m_pairs) {
        int64_t d = 0;
        const bool consistentWithZero = acc.lower <= 0 && 0 <= acc.upper;
        if (!consistentWithZero) {
            std::vector<int64_t> mids = acc.midpoints;
            std::nth_element(mids.begin(), mids.begin() + long(mids.size() / 2), mids.end());
            d = mids[mids.size() / 2];
            if (acc.lower <= acc.upper)
                d = std::clamp(d, acc.lower, acc.upper);
        }
        if (std::llabs(d) < minimum.count())
            d = 0;
        out.pairs.push_back({key.first, key.second, Duration::nanos(d), Duration::nanos(acc.lower == INT64_MIN ? 0 : acc.lower),
                             Duration::nanos(acc.upper == INT64_MAX ? 0 : acc.upper), acc.calls});
        edges.push_back({key.first, key.second, d, acc.calls});
    }
    if (m_spanCounts.empty())
        return out;
    out.reference = std::max_element(m_spanCounts.begin(), m_spanCounts.end(),
                                     [](const auto& x, const auto& y) { return x.second < y.second; })
                        ->first;
    // Prim's algorithm over the best-supported pairs: each service's offset comes from the
    // strongest path of evidence to the reference.
    std::map<std::string, int64_t> solved{{out.reference, 0}};
    for (;;) {
        const Edge* best = nullptr;
        bool forward = true;
        for (const auto& e : edges) {
            const bool hasA = solved.count(e.a) > 0, hasB = solved.count(e.b) > 0;
            if (hasA == hasB)
                continue;
            if (!best || e.weight > best->weight) {
                best = &e;
                forward = hasA;
            }
        }
        if (!best)
            break;
        if (forward)
            solved[best->b] = solved[best->a] + best->d;
        else
            solved[best->a] = solved[best->b] - best->d;
    }
    for (const auto& [service, offset] : solved)
        if (offset != 0 && std::llabs(offset) >= minimum.count())
            out.offsets[service] = Duration::nanos(offset);
    return out;
}

} // namespace rootline
