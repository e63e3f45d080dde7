#pragma once

// One trace laid out for the trace views (design.md §9): flat arrays, one entry per node, built
// once off the UI thread and then shared read-only (std::shared_ptr<const TraceLayout>) by the
// waterfall, the flame graph, the minimap and the inspector. No widget, no item per span.
//
// Nodes are in display order: depth-first from the roots, children by start time. A node is a
// span, or a placeholder standing for a parent that is not in the cache: the spans that name it
// sit under the placeholder, flagged Orphan, never silently re-rooted. Spans caught in a parent
// cycle (bad data) are shown as extra roots, never dropped.
//
// Everything is linear passes over arrays with explicit stacks (style.md §14): a 100,000-deep
// parent chain is a test case. The critical path and the clock-skew estimate are the model's
// (correlation/CriticalPath.h, correlation/ClockSkew.h), computed here for both clock modes.

#include "core/Records.h"
#include "correlation/ClockSkew.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rootline {

class TraceLayout {
public:
    enum Flag : uint8_t {
        Error = 1,            // status error
        CriticalRaw = 2,      // on the critical path with raw times
        CriticalAdjusted = 4, // on the critical path with clock-skew corrected times
        Placeholder = 8,      // stands for a missing parent
        Orphan = 16,          // its parent is missing: it sits under a placeholder
        SkewAdjusted = 32,    // its service's clock was corrected
        InCycle = 64,         // reached only by breaking a parent cycle
    };

    // Lays out one trace's spans (any order). `cancel`, when set meanwhile, makes it return early
    // with an empty layout (the result is dropped anyway).
    static std::shared_ptr<const TraceLayout> build(std::vector<Span> spans, const std::atomic_bool* cancel = nullptr);

    int nodeCount() const { return int(m_spanOf.size()); }
    int spanCount() const { return int(m_spans.size()); }
    bool empty() const { return m_spanOf.empty(); }
    const std::vector<Span>& spans() const { return m_spans; }

    // Per node.
    int spanOf(int node) const { return m_spanOf[size_t(node)]; } // -1 for a placeholder
    const Span* span(int node) const { return m_spanOf[size_t(node)] >= 0 ? &m_spans[size_t(m_spanOf[size_t(node)])] : nullptr; }
    int parent(int node) const { return m_parent[size_t(node)]; }
    int depth(int node) const { return m_depth[size_t(node)]; }
    // One past the node's last descendant: its subtree is [node, subtreeEnd).
    int subtreeEnd(int node) const { return m_subtreeEnd[size_t(node)]; }
    int descendantCount(int node) const { return m_subtreeEnd[size_t(node)] - node - 1; }
    int childCount(int node) const { return m_childCount[size_t(node)]; }
    uint8_t flags(int node) const { return m_flags[size_t(node)]; }
    bool has(int node, Flag f) const { return (m_flags[size_t(node)] & f) != 0; }
    bool isCritical(int node, bool adjusted) const { return has(node, adjusted ? CriticalAdjusted : CriticalRaw); }
    int serviceIndex(int node) const { return m_service[size_t(node)]; }
    const std::string& serviceOf(int node) const { return m_services[size_t(m_service[size_t(node)])]; }
    // The span's name, or "missing parent <id>" for a placeholder.
    std::string labelOf(int node) const;
    SpanId spanIdOf(int node) const; // a placeholder: the missing parent's id
    int64_t startNanos(int node, bool adjusted) const { return m_start[size_t(node)] - (adjusted ? m_offset[size_t(node)] : 0); }
    int64_t endNanos(int node, bool adjusted) const { return m_end[size_t(node)] - (adjusted ? m_offset[size_t(node)] : 0); }
    Duration skewOffset(int node) const { return Duration::nanos(m_offset[size_t(node)]); }
    // Duration minus the time covered by its children (clipped to it).
    Duration selfTime(int node) const { return Duration::nanos(m_self[size_t(node)]); }
    Duration criticalSelfTime(int node, bool adjusted) const;
    int nodeOfSpan(int span) const { return m_nodeOfSpan[size_t(span)]; }
    int nodeOf(SpanId id) const; // -1 when not in the trace

    // Nodes at each depth, sorted by raw start: the rows of the flame graph.
    int maxDepth() const { return int(m_byDepth.size()) - 1; }
    const std::vector<int32_t>& nodesAtDepth(int depth) const { return m_byDepth[size_t(depth)]; }
    // The part of nodesAtDepth(depth) that can overlap [from, to] in either clock mode: found by
    // binary search on the raw starts, widened by the depth's longest span and the largest clock
    // correction, so a frame touches only what is near the screen.
    std::pair<size_t, size_t> rangeAtDepth(int depth, int64_t from, int64_t to) const;

    // The trace's extent, raw and corrected times together (so that switching does not move the axis).
    TimeWindow bounds() const { return m_bounds; }
    const std::vector<std::string>& services() const { return m_services; }
    const ClockSkewEstimate& skew() const { return m_skew; }
    int placeholderCount() const { return int(m_missing.size()); }
    int orphanCount() const { return m_orphans; }
    int errorCount() const { return m_errors; }
    // Self time summed per service, largest first.
    struct ServiceTime {
        std::string service;
        Duration self;
        int spans = 0;
    };
    const std::vector<ServiceTime>& serviceSelfTimes() const { return m_serviceTimes; }

    // Nodes shown when `collapsed` (per node, may be empty) hides subtrees: display order, the
    // collapsed node itself shown, its descendants skipped.
    std::vector<int32_t> visibleRows(const std::vector<uint8_t>& collapsed) const;
    // Per node: 1 when an ancestor is collapsed.
    std::vector<uint8_t> hiddenNodes(const std::vector<uint8_t>& collapsed) const;

private:
    std::vector<Span> m_spans;
    std::vector<int32_t> m_spanOf, m_parent, m_depth, m_subtreeEnd, m_childCount, m_nodeOfSpan;
    std::vector<int64_t> m_start, m_end, m_offset, m_self, m_critSelfRaw, m_critSelfAdj;
    std::vector<uint16_t> m_service;
    std::vector<uint8_t> m_flags;
    std::vector<std::vector<int32_t>> m_byDepth;
    std::vector<int64_t> m_longestAtDepth;
    int64_t m_maxOffset = 0;
    std::vector<std::string> m_services;
    std::vector<SpanId> m_missing;
    std::vector<ServiceTime> m_serviceTimes;
    ClockSkewEstimate m_skew;
    TimeWindow m_bounds;
    int m_orphans = 0;
    int m_errors = 0;
};

} // namespace rootline
