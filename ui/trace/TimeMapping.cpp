#include "TimeMapping.h"

#include <algorithm>
#include <cmath>

namespace rootline {

TimeMapping::TimeMapping(TimeWindow window, double left, double right) : m_window(window), m_left(left), m_right(right)
{
    if (!m_window.isValid())
        m_window.to = m_window.from + Duration::nanos(1);
    if (!(m_right > m_left))
        m_right = m_left + 1;
}

double TimeMapping::nanosPerPixel() const { return double(m_window.length().count()) / width(); }

double TimeMapping::xOf(Timestamp t) const
{
    // In doubles from the window's start: a difference of two int64 nanoseconds is exact, the ratio
    // needs no more than a double's 53 bits for any on-screen position.
    return m_left + double((t - m_window.from).count()) / nanosPerPixel();
}

double TimeMapping::widthOf(Duration d) const { return double(d.count()) / nanosPerPixel(); }

Timestamp TimeMapping::timeAt(double x) const
{
    return m_window.from + Duration::nanos(int64_t(std::llround((x - m_left) * nanosPerPixel())));
}

TimeWindow TimeMapping::clampedTo(TimeWindow w, TimeWindow bounds)
{
    if (!bounds.isValid())
        return w;
    const Duration len = std::min(w.length(), bounds.length());
    if (w.from < bounds.from)
        w.from = bounds.from;
    if (w.from + len > bounds.to)
        w.from = bounds.to - len;
    w.to = w.from + len;
    return w;
}

TimeWindow TimeMapping::zoomed(double factor, double anchorX, TimeWindow bounds, Duration minimum) const
{
    if (!(factor > 0))
        return m_window;
    const double anchorX0 = std::clamp(anchorX, m_left, m_right);
    const Timestamp anchor = timeAt(anchorX0);
    const double fraction = (anchorX0 - m_left) / width();
    int64_t len = int64_t(std::llround(double(m_window.length().count()) / factor));
    len = std::max(len, std::max<int64_t>(minimum.count(), 1));
    if (bounds.isValid())
        len = std::min(len, bounds.length().count());
    TimeWindow w;
    w.from = anchor - Duration::nanos(int64_t(std::llround(double(len) * fraction)));
    w.to = w.from + Duration::nanos(len);
    return clampedTo(w, bounds);
}

TimeWindow TimeMapping::panned(double pixels, TimeWindow bounds) const
{
    const Duration shift = Duration::nanos(int64_t(std::llround(pixels * nanosPerPixel())));
    return clampedTo({m_window.from + shift, m_window.to + shift}, bounds);
}

} // namespace rootline
