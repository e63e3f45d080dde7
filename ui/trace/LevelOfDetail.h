#pragma once

// Level of detail for the trace views (Tracy; style.md §6): along one row (a flame-graph depth, a
// minimap band), spans narrower than `minWidth` pixels that touch or nearly touch are folded into
// one mark that carries how many spans it stands for — never silently dropped. Wide spans pass
// through as they are. Feed spans in increasing start order; call finish() at the end of the row.
// Widgets-free, shared by the flame graph, the waterfall and the minimap.

#include <cstdint>
#include <vector>

namespace rootline {

struct SpanMark {
    double x0 = 0, x1 = 0;
    int32_t node = -1; // the first span of the mark
    int32_t count = 1; // > 1: a merged mark
    bool merged() const { return count > 1; }
};

class MarkMerger {
public:
    explicit MarkMerger(std::vector<SpanMark>& out, double minWidth = 1.0) : m_out(out), m_min(minWidth) {}
    void add(double x0, double x1, int32_t node);
    void finish();

private:
    std::vector<SpanMark>& m_out;
    double m_min;
    SpanMark m_pending;
    bool m_hasPending = false;
};

} // namespace rootline
