#include "TimeAlignment.h"

#include <algorithm>
#include <cmath>

namespace rootline {
namespace {
int64_t floorTo(int64_t v, int64_t step) { return v / step * step - ((v % step) < 0 ? step : 0); }
int64_t ceilTo(int64_t v, int64_t step) { return -floorTo(-v, step); }
} // namespace

TimeWindow alignedWindow(TimeWindow window, Duration step, Duration margin)
{
    const TimeWindow wide = window.widened(margin);
    if (step.count() <= 0)
        return wide;
    return {Timestamp::fromNanos(floorTo(wide.from.nanos(), step.count())), Timestamp::fromNanos(ceilTo(wide.to.nanos(), step.count()))};
}

std::vector<Sample> alignToStep(const std::vector<Sample>& samples, TimeWindow window, Duration step, Duration lookback)
{
    std::vector<Sample> out;
    if (step.count() <= 0 || window.to < window.from)
        return out;
    out.reserve(size_t((window.to - window.from).count() / step.count() + 1));
    auto it = samples.begin();
    for (Timestamp t = window.from; t <= window.to; t = t + step) {
        // Advance to the first sample after t; the one before it is the latest at or before t.
        it = std::upper_bound(it, samples.end(), t, [](Timestamp v, const Sample& s) { return v < s.time; });
        double value = std::nan("");
        if (it != samples.begin()) {
            const Sample& last = *(it - 1);
            if (t - last.time < lookback)
                value = last.value;
        }
        out.push_back({t, value});
    }
    return out;
}

} // namespace rootline
