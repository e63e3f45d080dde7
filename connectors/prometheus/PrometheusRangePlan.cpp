#include "PrometheusRangePlan.h"

#include <algorithm>

namespace rootline {

namespace {

int64_t floorDiv(int64_t a, int64_t b)
{
    return a / b - ((a % b) != 0 && ((a < 0) != (b < 0)));
}

int64_t ceilDiv(int64_t a, int64_t b)
{
    return -floorDiv(-a, b);
}

std::string decimal(int64_t ns)
{
    std::string sign;
    uint64_t v = 0;
    if (ns < 0) {
        sign = "-";
        v = uint64_t(-(ns + 1)) + 1;
    } else {
        v = uint64_t(ns);
    }
    std::string out = sign + std::to_string(v / 1'000'000'000ull);
    uint64_t frac = v % 1'000'000'000ull;
    if (frac) {
        std::string f = std::to_string(frac);
        f.insert(0, 9 - f.size(), '0');
        while (!f.empty() && f.back() == '0')
            f.pop_back();
        out += "." + f;
    }
    return out;
}

} // namespace

Duration autoStep(TimeWindow window, int64_t maxPoints)
{
    static const int64_t nice[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    const int64_t length = std::max<int64_t>(0, window.length().count());
    const int64_t intervals = std::max<int64_t>(1, maxPoints - 1);
    for (int64_t s : nice) {
        const Duration step = Duration::seconds(s);
        if (length / step.count() <= intervals)
            return step;
    }
    // More than 11,000 days: whole days, as many as needed.
    return Duration::seconds(86400) * std::max<int64_t>(1, ceilDiv(length, Duration::seconds(86400).count() * intervals));
}

std::vector<RangeStep> planRange(TimeWindow window, Duration step, int64_t maxPointsPerQuery)
{
    std::vector<RangeStep> out;
    const int64_t s = step.count();
    if (s <= 0 || !window.isValid() || maxPointsPerQuery < 1)
        return out;
    const int64_t first = ceilDiv(window.from.nanos(), s);
    const int64_t last = ceilDiv(window.to.nanos(), s) - 1; // the last multiple strictly before `to`
    for (int64_t k = first; k <= last; k += maxPointsPerQuery) {
        const int64_t kEnd = std::min(last, k + maxPointsPerQuery - 1);
        out.push_back({Timestamp::fromNanos(k * s), Timestamp::fromNanos(kEnd * s), step});
    }
    return out;
}

std::vector<RangeStep> halve(const RangeStep& range)
{
    const int64_t n = range.points();
    if (n <= 1)
        return {range};
    const int64_t firstHalf = n / 2;
    RangeStep a{range.start, range.start + range.step * (firstHalf - 1), range.step};
    RangeStep b{range.start + range.step * firstHalf, range.end, range.step};
    return {a, b};
}

std::string formatSeconds(Timestamp t)
{
    return decimal(t.nanos());
}

std::string formatStepSeconds(Duration d)
{
    return decimal(d.count());
}

} // namespace rootline
