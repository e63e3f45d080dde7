#include "HistogramFraction.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rootline {

double observationCount(const HistogramSample& h)
{
    if (std::isfinite(h.count) && h.count >= 0)
        return h.count;
    double sum = 0;
    for (const auto& b : h.buckets)
        if (std::isfinite(b.count) && b.count > 0)
            sum += b.count;
    return sum;
}

double observationsAtOrBelow(const HistogramSample& h, double threshold)
{
    const double total = observationCount(h);
    if (!(total > 0) || std::isnan(threshold))
        return 0;
    std::vector<HistogramBucket> buckets = h.buckets;
    std::sort(buckets.begin(), buckets.end(), [](const HistogramBucket& a, const HistogramBucket& b) {
        return a.lower != b.lower ? a.lower < b.lower : a.upper < b.upper;
    });
    // Which sides of zero hold observations, not counting a bucket that straddles zero.
    bool negative = false, positive = false;
    for (const auto& b : buckets) {
        if (!(b.count > 0) || !(b.lower < b.upper) || (b.lower < 0 && b.upper > 0))
            continue;
        negative |= b.upper <= 0;
        positive |= b.lower >= 0;
    }
    double rank = 0;
    for (HistogramBucket b : buckets) {
        if (b.lower < 0 && b.upper > 0) {
            // Prometheus: the zero bucket of a histogram with only positive buckets starts at 0. An
            // OTLP first bucket (−Inf, b₀] is the same case when nothing is negative.
            if (!negative && (positive || std::isinf(b.lower)))
                b.lower = 0;
            else if (negative && !positive)
                b.upper = 0;
        }
        if (b.lower >= threshold)
            return std::clamp(rank, 0.0, total);
        if (b.upper > threshold) {
            // The bucket holding the threshold: linear interpolation. An infinite bucket has no
            // inside to interpolate in and contributes nothing, as in Prometheus.
            const double width = b.upper - b.lower;
            if (std::isfinite(width) && width > 0 && b.count > 0)
                rank += b.count * (threshold - b.lower) / width;
            return std::clamp(rank, 0.0, total);
        }
        if (b.count > 0)
            rank += b.count;
    }
    return total; // above every bucket: all of them (Prometheus counts NaN observations here too)
}

double fractionAbove(const HistogramSample& h, double threshold)
{
    const double total = observationCount(h);
    if (!(total > 0))
        return std::nan("");
    return 1 - observationsAtOrBelow(h, threshold) / total;
}

bool histogramReset(const HistogramSample& prev, const HistogramSample& cur)
{
    if (observationCount(cur) < observationCount(prev))
        return true;
    std::map<std::pair<double, double>, double> before;
    for (const auto& b : prev.buckets)
        before[{b.lower, b.upper}] += b.count;
    std::map<std::pair<double, double>, double> after;
    for (const auto& b : cur.buckets)
        after[{b.lower, b.upper}] += b.count;
    for (const auto& [bounds, count] : after)
        if (auto it = before.find(bounds); it != before.end() && count < it->second)
            return true;
    return false;
}

LatencyCounters latencyCounters(std::vector<HistogramSample> rows, double threshold)
{
    std::stable_sort(rows.begin(), rows.end(), [](const HistogramSample& a, const HistogramSample& b) { return a.time < b.time; });
    LatencyCounters out;
    std::vector<Sample> total, good;
    total.reserve(rows.size());
    good.reserve(rows.size());
    const HistogramSample* prev = nullptr;
    double prevTotal = 0, prevGood = 0, adjTotal = 0, adjGood = 0;
    for (const auto& row : rows) {
        const double t = observationCount(row);
        if (!std::isfinite(t))
            continue;
        const double g = observationsAtOrBelow(row, threshold);
        if (!prev) {
            adjTotal = t;
            adjGood = g;
        } else if (histogramReset(*prev, row)) {
            ++out.resets;
            adjTotal += t;
            adjGood += g;
        } else {
            // Interpolation can move a little backwards when the bucket layout changes (a lower
            // exponential scale): never count fewer than zero good events, nor more than all.
            const double dt = std::max(0.0, t - prevTotal);
            adjTotal += dt;
            adjGood += std::clamp(g - prevGood, 0.0, dt);
        }
        ++out.rows;
        total.push_back({row.time, adjTotal});
        good.push_back({row.time, adjGood});
        prev = &row;
        prevTotal = t;
        prevGood = g;
    }
    out.total = CounterHistory(std::move(total));
    out.good = CounterHistory(std::move(good));
    return out;
}

} // namespace rootline
