#include "TemplateOnset.h"

#include <algorithm>
#include <cmath>

namespace rootline {

std::optional<ServiceOnset> templateOnset(const std::vector<int64_t>& times, double baselinePerMinute, std::string what)
{
    const int64_t minute = Duration::minutes(1).count();
    const double needed = std::max(2.0, std::ceil(3 * baselinePerMinute + 1));
    size_t end = 0;
    for (size_t i = 0; i < times.size(); ++i) {
        end = std::max(end, i);
        while (end < times.size() && times[end] < times[i] + minute)
            ++end;
        if (double(end - i) < needed)
            continue;
        // The minute from a straggler can hold the burst that follows it: step over leading lines
        // much further apart than the burst's own spacing.
        std::vector<int64_t> burst;
        for (size_t k = i + 1; k < end; ++k)
            burst.push_back(times[k] - times[k - 1]);
        std::nth_element(burst.begin(), burst.begin() + long(burst.size() / 2), burst.end());
        const int64_t typical = burst[burst.size() / 2];
        while (i + 2 < end && times[i + 1] - times[i] > 3 * std::max<int64_t>(typical, 1'000'000))
            ++i;
        // The grain: the coarsest unit every timestamp is a whole multiple of.
        int64_t grain = 1'000'000'000;
        for (size_t k = i; k < end && grain > 1; ++k)
            while (grain > 1 && times[k] % grain != 0)
                grain /= 1000;
        // The spacing: the median gap over the first few lines from the onset.
        std::vector<int64_t> gaps;
        for (size_t k = i + 1; k < end && gaps.size() < 9; ++k)
            gaps.push_back(times[k] - times[k - 1]);
        std::nth_element(gaps.begin(), gaps.begin() + long(gaps.size() / 2), gaps.end());
        const int64_t spacing = gaps.empty() ? 0 : gaps[gaps.size() / 2];
        return ServiceOnset{Timestamp::fromNanos(times[i]), Duration::nanos(std::max(grain, spacing)), std::move(what)};
    }
    return std::nullopt;
}

} // namespace rootline
