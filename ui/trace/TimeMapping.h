#pragma once

// Time ↔ pixel for the trace views (style.md §6): one small value type shared by the waterfall,
// the flame graph and the minimap, so that a span sits at the same x in every view. A window of
// time [from, to) maps linearly onto the pixel interval [left, right). Zooming keeps the time under
// the anchor pixel where it is; panning moves by pixels; both stay within `bounds` (the whole trace)
// and never zoom in below a minimum width, so the maths cannot divide by zero. Widgets-free.

#include "core/Time.h"

namespace rootline {

class TimeMapping {
public:
    TimeMapping() = default;
    TimeMapping(TimeWindow window, double left, double right);

    TimeWindow window() const { return m_window; }
    double left() const { return m_left; }
    double right() const { return m_right; }
    double width() const { return m_right - m_left; }
    bool isValid() const { return m_window.isValid() && m_right > m_left; }

    // Nanoseconds per pixel (≥ 1 pixel wide, so never zero for a valid mapping).
    double nanosPerPixel() const;
    double xOf(Timestamp t) const;
    double xOf(int64_t nanos) const { return xOf(Timestamp::fromNanos(nanos)); }
    // The width in pixels of a duration.
    double widthOf(Duration d) const;
    // The time at pixel x (not clamped: x left of `left` gives a time before the window).
    Timestamp timeAt(double x) const;

    // The window zoomed by `factor` (> 1 zooms in) about the time at pixel `anchorX`, then kept in
    // `bounds` and at least `minimum` long.
    TimeWindow zoomed(double factor, double anchorX, TimeWindow bounds, Duration minimum = Duration::nanos(100)) const;
    // The window moved by `pixels` (positive: later), kept in `bounds`.
    TimeWindow panned(double pixels, TimeWindow bounds) const;

    // `w` shifted (not resized) to lie in `bounds`; shrunk to `bounds` when longer.
    static TimeWindow clampedTo(TimeWindow w, TimeWindow bounds);

private:
    TimeWindow m_window{Timestamp::fromNanos(0), Timestamp::fromNanos(1)};
    double m_left = 0;
    double m_right = 1;
};

} // namespace rootline
