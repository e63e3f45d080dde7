#include "Downsample.h"

#include <cmath>

namespace rootline {

__extension__ typedef __int128 Int128; // exact intermediate arithmetic on int64 nanoseconds

std::vector<Sample> downsampleMinMax(const std::vector<Sample>& sorted, TimeWindow window, int maxPoints)
{
    if (maxPoints < 2)
        maxPoints = 2;
    if (!window.isValid())
        return {}; // an empty window holds no points (returning the input would break the budget)
    if (sorted.size() <= size_t(maxPoints))
        return sorted;
    const int buckets = maxPoints / 2;
    const Int128 span = Int128(window.to.nanos()) - window.from.nanos();
    std::vector<Sample> out;
    out.reserve(size_t(maxPoints));
    size_t i = 0;
    // Skip anything before the window (the caller usually passes only samples inside it).
    while (i < sorted.size() && sorted[i].time < window.from)
        ++i;
    for (int b = 0; b < buckets && i < sorted.size(); ++b) {
        const Timestamp bucketEnd = Timestamp::fromNanos(int64_t(window.from.nanos() + span * (b + 1) / buckets));
        const Sample* lo = nullptr;
        const Sample* hi = nullptr;
        const Sample* nanSample = nullptr;
        for (; i < sorted.size() && (sorted[i].time < bucketEnd || b == buckets - 1) && sorted[i].time < window.to; ++i) {
            const Sample& s = sorted[i];
            if (std::isnan(s.value)) {
                if (!nanSample)
                    nanSample = &s;
                continue;
            }
            if (!lo || s.value < lo->value)
                lo = &s;
            if (!hi || s.value > hi->value)
                hi = &s;
        }
        if (!lo) {
            if (nanSample)
                out.push_back(*nanSample);
            continue;
        }
        if (lo == hi) {
            out.push_back(*lo);
        } else if (lo->time <= hi->time) {
            out.push_back(*lo);
            out.push_back(*hi);
        } else {
            out.push_back(*hi);
            out.push_back(*lo);
        }
    }
    return out;
}

} // namespace rootline
