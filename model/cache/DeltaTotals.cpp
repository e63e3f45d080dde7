#include "DeltaTotals.h"

#include <cmath>
#include <map>
#include <utility>

namespace rootline {

void runningTotals(std::vector<Sample>& samples)
{
    double total = 0;
    for (Sample& s : samples) {
        if (std::isnan(s.value))
            continue;
        total += s.value;
        s.value = total;
    }
}

void runningTotals(std::vector<HistogramSample>& rows)
{
    std::map<std::pair<double, double>, double> buckets; // (lower, upper) → total, in bound order
    double count = 0, sum = 0;
    for (HistogramSample& row : rows) {
        for (const HistogramBucket& b : row.buckets)
            buckets[{b.lower, b.upper}] += b.count;
        count += row.count; // NaN (unknown) stays NaN from here on: readers then sum the buckets
        sum += row.sum;
        row.count = count;
        row.sum = sum;
        row.buckets.clear();
        row.buckets.reserve(buckets.size());
        for (const auto& [bounds, total] : buckets)
            row.buckets.push_back({bounds.first, bounds.second, total});
    }
}

} // namespace rootline
