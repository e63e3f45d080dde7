#include "TraceLayout.h"

#include "correlation/CriticalPath.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace rootline {

namespace {
bool cancelled(const std::atomic_bool* c) { return c && c->load(std::memory_order_relaxed); }
} // namespace

std::string TraceLayout::labelOf(int node) const
{
    const int s = m_spanOf[size_t(node)];
    if (s >= 0)
        return m_spans[size_t(s)].name;
    return "missing parent " + m_missing[size_t(-1 - s)].toHex();
}

SpanId TraceLayout::spanIdOf(int node) const
{
    const int s = m_spanOf[size_t(node)];
    return s >= 0 ? m_spans[size_t(s)].spanId : m_missing[size_t(-1 - s)];
}

Duration TraceLayout::criticalSelfTime(int node, bool adjusted) const
{
    const auto& v = adjusted ? m_critSelfAdj : m_critSelfRaw;
    return Duration::nanos(v[size_t(node)]);
}

int TraceLayout::nodeOf(SpanId id) const
{
    for (int s = 0; s < int(m_spans.size()); ++s) // linear: called once per selection, not per frame
        if (m_spans[size_t(s)].spanId == id)
            return m_nodeOfSpan[size_t(s)];
    for (size_t p = 0; p < m_missing.size(); ++p)
        if (m_missing[p] == id)
            for (int n = 0; n < nodeCount(); ++n)
                if (m_spanOf[size_t(n)] == -1 - int(p))
                    return n;
    return -1;
}

std::pair<size_t, size_t> TraceLayout::rangeAtDepth(int depth, int64_t from, int64_t to) const
{
    const auto& row = m_byDepth[size_t(depth)];
    const int64_t lo = from - m_longestAtDepth[size_t(depth)] - m_maxOffset;
    const int64_t hi = to + m_maxOffset;
    auto startOf = [this](int32_t node) { return m_start[size_t(node)]; };
    const auto first = std::partition_point(row.begin(), row.end(), [&](int32_t n) { return startOf(n) < lo; });
    const auto last = std::partition_point(first, row.end(), [&](int32_t n) { return startOf(n) <= hi; });
    return {size_t(first - row.begin()), size_t(last - row.begin())};
}

std::vector<int32_t> TraceLayout::visibleRows(const std::vector<uint8_t>& collapsed) const
{
    std::vector<int32_t> rows;
    rows.reserve(m_spanOf.size());
    const int n = nodeCount();
    for (int i = 0; i < n;) {
        rows.push_back(i);
        i = (size_t(i) < collapsed.size() && collapsed[size_t(i)]) ? m_subtreeEnd[size_t(i)] : i + 1;
    }
    return rows;
}

std::vector<uint8_t> TraceLayout::hiddenNodes(const std::vector<uint8_t>& collapsed) const
{
    std::vector<uint8_t> hidden(m_spanOf.size(), 0);
    const int n = nodeCount();
    for (int i = 0; i < n;) {
        if (size_t(i) < collapsed.size() && collapsed[size_t(i)]) {
            std::fill(hidden.begin() + i + 1, hidden.begin() + m_subtreeEnd[size_t(i)], uint8_t(1));
            i = m_subtreeEnd[size_t(i)];
        } else {
            ++i;
        }
    }
    return hidden;
}

std::shared_ptr<const TraceLayout> TraceLayout::build(std::vector<Span> spans, const std::atomic_bool* cancel)
{
    auto out = std::make_shared<TraceLayout>();
    TraceLayout& L = *out;
    const int n = int(spans.size());
    if (n == 0)
        return out;
    L.m_spans = std::move(spans);
    const auto& S = L.m_spans;

    // Items 0..n-1 are spans, n.. are placeholders for missing parents (one per missing id).
    std::unordered_map<uint64_t, int32_t> byId;
    byId.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        byId.emplace(S[size_t(i)].spanId.value, i); // a duplicate id: the first wins
    std::vector<int32_t> itemParent(size_t(n), -1);
    std::unordered_map<uint64_t, int32_t> placeholderOf;
    std::vector<uint8_t> orphan(size_t(n), 0);
    for (int i = 0; i < n; ++i) {
        const Span& s = S[size_t(i)];
        if (!s.parentSpanId || s.parentSpanId->value == s.spanId.value)
            continue;
        const auto it = byId.find(s.parentSpanId->value);
        if (it != byId.end()) {
            itemParent[size_t(i)] = it->second;
            continue;
        }
        auto [p, inserted] = placeholderOf.try_emplace(s.parentSpanId->value, int32_t(n + int(L.m_missing.size())));
        if (inserted)
            L.m_missing.push_back(*s.parentSpanId);
        itemParent[size_t(i)] = p->second;
        orphan[size_t(i)] = 1;
        ++L.m_orphans;
    }
    const int items = n + int(L.m_missing.size());
    itemParent.resize(size_t(items), -1);
    if (cancelled(cancel))
        return std::make_shared<TraceLayout>();

    // Raw extent per item; a placeholder covers its children.
    std::vector<int64_t> itemStart(size_t(items), INT64_MAX), itemEnd(size_t(items), INT64_MIN);
    for (int i = 0; i < n; ++i) {
        itemStart[size_t(i)] = S[size_t(i)].start.nanos();
        itemEnd[size_t(i)] = S[size_t(i)].end().nanos();
    }
    for (int i = 0; i < n; ++i)
        if (orphan[size_t(i)]) {
            const int p = itemParent[size_t(i)];
            itemStart[size_t(p)] = std::min(itemStart[size_t(p)], itemStart[size_t(i)]);
            itemEnd[size_t(p)] = std::max(itemEnd[size_t(p)], itemEnd[size_t(i)]);
        }

    // Children as index ranges: a counting sort by parent, then each range by start.
    std::vector<int32_t> childBegin(size_t(items) + 1, 0), children(static_cast<size_t>(items));
    std::vector<int32_t> roots;
    for (int i = 0; i < items; ++i)
        if (itemParent[size_t(i)] >= 0)
            ++childBegin[size_t(itemParent[size_t(i)]) + 1];
        else
            roots.push_back(i);
    for (int i = 0; i < items; ++i)
        childBegin[size_t(i) + 1] += childBegin[size_t(i)];
    {
        std::vector<int32_t> fill(childBegin.begin(), childBegin.end() - 1);
        for (int i = 0; i < items; ++i)
            if (itemParent[size_t(i)] >= 0)
                children[size_t(fill[size_t(itemParent[size_t(i)])]++)] = i;
    }
    auto byStart = [&](int32_t a, int32_t b) {
        return itemStart[size_t(a)] != itemStart[size_t(b)] ? itemStart[size_t(a)] < itemStart[size_t(b)] : a < b;
    };
    for (int i = 0; i < items; ++i)
        std::sort(children.begin() + childBegin[size_t(i)], children.begin() + childBegin[size_t(i) + 1], byStart);
    std::sort(roots.begin(), roots.end(), byStart);
    if (cancelled(cancel))
        return std::make_shared<TraceLayout>();

    // Depth-first with an explicit stack into display order.
    std::vector<int32_t> order;
    order.reserve(size_t(items));
    std::vector<int32_t> nodeOfItem(size_t(items), -1);
    L.m_parent.reserve(size_t(items));
    L.m_depth.reserve(size_t(items));
    std::vector<uint8_t> cycle(size_t(items), 0);
    std::vector<std::pair<int32_t, int32_t>> stack; // (item, parent node)
    auto walkFrom = [&](int32_t root, bool inCycle) {
        stack.push_back({root, -1});
        while (!stack.empty()) {
            const auto [item, parentNode] = stack.back();
            stack.pop_back();
            if (nodeOfItem[size_t(item)] >= 0)
                continue; // a cycle in bad data must not loop forever
            const int32_t node = int32_t(order.size());
            nodeOfItem[size_t(item)] = node;
            order.push_back(item);
            L.m_parent.push_back(parentNode);
            L.m_depth.push_back(parentNode < 0 ? 0 : L.m_depth[size_t(parentNode)] + 1);
            cycle[size_t(item)] = inCycle;
            // Reversed, so that the earliest child is taken (and shown) first.
            for (int32_t c = childBegin[size_t(item) + 1] - 1; c >= childBegin[size_t(item)]; --c)
                stack.push_back({children[size_t(c)], node});
        }
    };
    for (int32_t r : roots)
        walkFrom(r, false);
    if (int(order.size()) < items) {
        // Spans caught in a parent cycle have no root above them: show them rather than drop them.
        std::vector<int32_t> rest;
        for (int i = 0; i < items; ++i)
            if (nodeOfItem[size_t(i)] < 0)
                rest.push_back(i);
        std::sort(rest.begin(), rest.end(), byStart);
        for (int32_t r : rest)
            walkFrom(r, true);
    }
    if (cancelled(cancel))
        return std::make_shared<TraceLayout>();

    const size_t N = order.size();
    L.m_spanOf.resize(N);
    L.m_start.resize(N);
    L.m_end.resize(N);
    L.m_flags.assign(N, 0);
    L.m_nodeOfSpan.assign(size_t(n), -1);
    for (size_t node = 0; node < N; ++node) {
        const int32_t item = order[node];
        L.m_spanOf[node] = item < n ? item : -1 - (item - n);
        L.m_start[node] = itemStart[size_t(item)];
        L.m_end[node] = itemEnd[size_t(item)];
        if (item < n) {
            L.m_nodeOfSpan[size_t(item)] = int32_t(node);
            if (S[size_t(item)].isError()) {
                L.m_flags[node] |= Error;
                ++L.m_errors;
            }
            if (orphan[size_t(item)])
                L.m_flags[node] |= Orphan;
        } else {
            L.m_flags[node] |= Placeholder;
        }
        if (cycle[size_t(item)])
            L.m_flags[node] |= InCycle;
    }

    // Subtree sizes and child counts in one reverse pass (children come after their parent).
    std::vector<int32_t> size(N, 1);
    L.m_childCount.assign(N, 0);
    for (size_t k = N; k-- > 0;) {
        const int32_t p = L.m_parent[k];
        if (p >= 0) {
            size[size_t(p)] += size[k];
            ++L.m_childCount[size_t(p)];
        }
    }
    L.m_subtreeEnd.resize(N);
    for (size_t k = 0; k < N; ++k)
        L.m_subtreeEnd[k] = int32_t(k) + size[k];

    // Services, interned per trace. Spans of one resource share its ResourcePtr (the reader and
    // the importers hand out one per resource), so the name is looked up once per resource.
    std::unordered_map<std::string, uint16_t> serviceIds;
    std::unordered_map<const Resource*, uint16_t> byResource;
    auto intern = [&](const std::string& name) {
        auto [it, inserted] = serviceIds.try_emplace(name, uint16_t(std::min<size_t>(L.m_services.size(), 65535)));
        if (inserted && L.m_services.size() < 65536)
            L.m_services.push_back(name);
        return it->second;
    };
    L.m_service.assign(N, 0);
    std::vector<std::string> serviceOfSpan(static_cast<size_t>(n));
    static const std::string kUnknown = "unknown_service", kMissing = "(missing)";
    for (size_t node = 0; node < N; ++node) {
        const int s = L.m_spanOf[node];
        if (s < 0) {
            L.m_service[node] = intern(kMissing);
            continue;
        }
        const Resource* r = S[size_t(s)].resource.get();
        auto it = byResource.find(r);
        if (it == byResource.end())
            it = byResource.emplace(r, intern(r ? r->serviceName : kUnknown)).first;
        L.m_service[node] = it->second;
        serviceOfSpan[size_t(s)] = L.m_services[it->second];
    }

    // Self time: the span minus the union of its children, each clipped to it. Children are in
    // start order, so the union is one sweep.
    L.m_self.assign(N, 0);
    for (size_t node = 0; node < N; ++node) {
        const int64_t from = L.m_start[node], to = L.m_end[node];
        int64_t covered = 0, cursor = from;
        for (int32_t c = int32_t(node) + 1; c < L.m_subtreeEnd[node]; c = L.m_subtreeEnd[size_t(c)]) {
            const int64_t cs = std::max(std::max(L.m_start[size_t(c)], cursor), from);
            const int64_t ce = std::min(L.m_end[size_t(c)], to);
            if (ce > cs) {
                covered += ce - cs;
                cursor = ce;
            }
        }
        L.m_self[node] = std::max<int64_t>(0, (to - from) - covered);
    }

    // Clock skew from this trace's own parent/child timing, and the critical path in both modes.
    ClockSkewEstimator estimator;
    estimator.addTrace(L.m_spans, serviceOfSpan);
    L.m_skew = estimator.estimate();
    L.m_offset.assign(N, 0);
    std::vector<Duration> offsets(static_cast<size_t>(n));
    for (int s = 0; s < n; ++s) {
        offsets[size_t(s)] = L.m_skew.offsetOf(serviceOfSpan[size_t(s)]);
        const size_t node = size_t(L.m_nodeOfSpan[size_t(s)]);
        L.m_offset[node] = offsets[size_t(s)].count();
        if (L.m_offset[node] != 0)
            L.m_flags[node] |= SkewAdjusted;
    }
    L.m_critSelfRaw.assign(N, 0);
    L.m_critSelfAdj.assign(N, 0);
    if (cancelled(cancel))
        return std::make_shared<TraceLayout>();
    for (int adjusted = 0; adjusted < 2; ++adjusted) {
        if (adjusted && L.m_skew.empty()) {
            L.m_critSelfAdj = L.m_critSelfRaw;
            for (size_t node = 0; node < N; ++node)
                if (L.m_flags[node] & CriticalRaw)
                    L.m_flags[node] |= CriticalAdjusted;
            break;
        }
        const CriticalPath path = computeCriticalPath(L.m_spans, adjusted ? &offsets : nullptr);
        auto& self = adjusted ? L.m_critSelfAdj : L.m_critSelfRaw;
        for (const auto& seg : path.segments) {
            const size_t node = size_t(L.m_nodeOfSpan[seg.span]);
            L.m_flags[node] |= adjusted ? CriticalAdjusted : CriticalRaw;
            self[node] += (seg.end - seg.start).count();
        }
    }

    // Bounds over raw and corrected times.
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t node = 0; node < N; ++node) {
        lo = std::min({lo, L.m_start[node], L.m_start[node] - L.m_offset[node]});
        hi = std::max({hi, L.m_end[node], L.m_end[node] - L.m_offset[node]});
    }
    L.m_bounds = {Timestamp::fromNanos(lo), Timestamp::fromNanos(std::max(hi, lo + 1))};

    // Rows of the flame graph: nodes per depth by start.
    int maxDepth = 0;
    for (int32_t d : L.m_depth)
        maxDepth = std::max(maxDepth, d);
    L.m_byDepth.assign(size_t(maxDepth) + 1, {});
    {
        std::vector<int32_t> perDepth(size_t(maxDepth) + 1, 0);
        for (int32_t d : L.m_depth)
            ++perDepth[size_t(d)];
        for (size_t d = 0; d < perDepth.size(); ++d)
            L.m_byDepth[d].reserve(size_t(perDepth[d]));
    }
    for (size_t node = 0; node < N; ++node)
        L.m_byDepth[size_t(L.m_depth[node])].push_back(int32_t(node));
    for (auto& row : L.m_byDepth)
        std::stable_sort(row.begin(), row.end(), [&](int32_t a, int32_t b) { return L.m_start[size_t(a)] < L.m_start[size_t(b)]; });
    L.m_longestAtDepth.assign(L.m_byDepth.size(), 0);
    for (size_t node = 0; node < N; ++node) {
        auto& longest = L.m_longestAtDepth[size_t(L.m_depth[node])];
        longest = std::max(longest, L.m_end[node] - L.m_start[node]);
        L.m_maxOffset = std::max(L.m_maxOffset, L.m_offset[node] < 0 ? -L.m_offset[node] : L.m_offset[node]);
    }

    // Self time per service.
    std::vector<ServiceTime> perService(L.m_services.size());
    for (size_t i = 0; i < perService.size(); ++i)
        perService[i].service = L.m_services[i];
    for (size_t node = 0; node < N; ++node) {
        if (L.m_flags[node] & Placeholder)
            continue;
        auto& st = perService[L.m_service[node]];
        st.self = st.self + Duration::nanos(L.m_self[node]);
        ++st.spans;
    }
    std::erase_if(perService, [](const ServiceTime& t) { return t.spans == 0; });
    std::sort(perService.begin(), perService.end(), [](const ServiceTime& a, const ServiceTime& b) {
        return a.self != b.self ? a.self > b.self : a.service < b.service;
    });
    L.m_serviceTimes = std::move(perService);
    return out;
}

} // namespace rootline
