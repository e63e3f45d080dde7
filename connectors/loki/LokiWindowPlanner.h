#pragma once

// Keeps several Loki query_range requests in flight for one log query. Loki has no cursor, so the
// pages of one window come one after the other; but once the first page has shown how dense the
// lines are, the rest of the query's window can be cut into windows of about a page each, whose
// first pages are fetched ahead while the current window is paged through. Lines are not spread
// evenly (bursts, quiet spells), so each window is sized from the density its predecessors showed,
// growing or shrinking at most fourfold per window: a burst in the first page cannot turn into
// thousands of near-empty requests, nor a quiet start into one huge window. Windows are cut at whole
// milliseconds from the near end, so each one's length can be counted exactly by LogQL.

#include "core/Time.h"

#include <cstdint>

namespace rootline {

class LokiPager;

class LokiWindowPlanner {
public:
    LokiWindowPlanner(TimeWindow whole, bool backward) : m_whole(whole), m_backward(backward) {}

    // After the query's first page (`lines` lines, the whole page fresh, more to come): plans the
    // rest of the window and narrows `pager` to the first of its windows. False when what is left
    // holds about a page or less, so there is nothing worth cutting.
    bool start(LokiPager& pager, int64_t lines, int64_t pageSize);
    bool started() const { return m_started; }

    bool hasNext() const { return m_started && m_rest.isValid(); }
    // The next window, nearest first in the query's direction.
    TimeWindow next();
    // What the first page of `window` held: `lines`, and whether that was everything in it.
    void observe(TimeWindow window, int64_t lines, bool whole, int64_t pageSize);

    static constexpr double kFill = 0.75;  // a window is sized to hold this fraction of a page
    static constexpr double kMaxChange = 4; // per window, the width grows or shrinks at most this much

private:
    TimeWindow m_whole;
    bool m_backward;
    bool m_started = false;
    TimeWindow m_rest;   // not yet handed out
    double m_width = 0;  // ns per window
};

} // namespace rootline
