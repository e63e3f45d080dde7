#include "LokiWindowPlanner.h"

#include "LokiPager.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rootline {

bool LokiWindowPlanner::start(LokiPager& pager, int64_t lines, int64_t pageSize)
{
    const TimeWindow rest = pager.nextWindow();
    if (m_started || !rest.isValid() || lines <= 0)
        return false;
    // The first page covered [boundary, whole.to) backward, [whole.from, boundary] forward.
    const double covered = std::max<double>(1, double(m_backward ? (m_whole.to - pager.boundary()).count()
                                                                 : (pager.boundary() - m_whole.from).count() + 1));
    m_width = std::max(1.0, covered * double(pageSize) * kFill / double(lines));
    if (double(rest.length().count()) <= m_width * 1.5)
        return false; // about a page left: the pager alone is as quick
    m_started = true;
    m_rest = rest;
    // The pager keeps the nearest window (and its boundary state); the rest is handed out by next().
    const TimeWindow first = next();
    // That window also holds the first page, so its far edge is put a whole number of milliseconds
    // from the near end of the query (rounded outwards): its length stays countable by LogQL.
    constexpr int64_t milli = 1'000'000;
    auto roundUp = [](int64_t ns) { return (ns + milli - 1) / milli * milli; };
    const Timestamp far = m_backward ? m_whole.to - Duration::nanos(roundUp((m_whole.to - first.from).count()))
                                     : m_whole.from + Duration::nanos(roundUp((first.to - m_whole.from).count()));
    m_rest = m_backward ? TimeWindow{rest.from, far} : TimeWindow{far, rest.to};
    if (!m_rest.isValid()) {
        m_started = false;
        m_rest = {};
        return false;
    }
    pager.narrowTo(far);
    return true;
}

TimeWindow LokiWindowPlanner::next()
{
    if (!hasNext())
        return {};
    const int64_t length = m_rest.length().count();
    // Take it all when the remainder is not much more than one window (no sliver of a window last).
    // Otherwise whole milliseconds: LogQL can count lines exactly only over such windows (LokiCountQuery.h).
    constexpr int64_t milli = 1'000'000;
    const int64_t width = double(length) <= m_width * 1.5 ? length
                                                           : milli * int64_t(std::max(1.0, std::floor(m_width / double(milli))));
    if (width >= length)
        return std::exchange(m_rest, TimeWindow{}); // all that is left
    TimeWindow w;
    if (m_backward) {
        w = {m_rest.to - Duration::nanos(width), m_rest.to};
        m_rest.to = w.from;
    } else {
        w = {m_rest.from, m_rest.from + Duration::nanos(width)};
        m_rest.from = w.to;
    }
    return w;
}

void LokiWindowPlanner::observe(TimeWindow window, int64_t lines, bool whole, int64_t pageSize)
{
    const double length = std::max<double>(1, double(window.length().count()));
    double target;
    if (!whole)
        target = length * kFill * double(pageSize) / double(std::max<int64_t>(1, lines)); // denser than a page: shrink
    else if (lines == 0)
        target = length * kMaxChange; // empty: widen as fast as allowed
    else
        target = length * kFill * double(pageSize) / double(lines);
    m_width = std::clamp(target, std::max(1.0, length / kMaxChange), length * kMaxChange);
}

} // namespace rootline
