#pragma once

// A counter's increase over any window, as Prometheus `increase()` counts it minus the
// extrapolation: the sum of the rises between consecutive samples, where a drop is a reset (the
// process restarted) and the new value counts whole. Precomputed once as a reset-adjusted running
// total, so each window costs two binary searches — burn-rate evaluation asks for thousands.

#include "core/Records.h"

#include <vector>

namespace rootline {

class CounterHistory {
public:
    CounterHistory() = default;
    // Samples of one series in any order; NaN samples (staleness markers) are skipped.
    explicit CounterHistory(std::vector<Sample> samples);

    // Increase between the last sample at or before `window.from` and the last at or before
    // `window.to` (a window before the first sample starts at the first sample).
    double increase(TimeWindow window) const;
    bool empty() const { return m_times.empty(); }
    Timestamp first() const { return m_times.empty() ? Timestamp() : Timestamp::fromNanos(m_times.front()); }
    Timestamp last() const { return m_times.empty() ? Timestamp() : Timestamp::fromNanos(m_times.back()); }

private:
    double adjustedAt(Timestamp t) const;
    std::vector<int64_t> m_times;
    std::vector<double> m_adjusted; // running total of rises, resets counted from zero
};

// Several series summed (e.g. every route's 5xx counter), each with a weight: a latency threshold
// between two classic bucket bounds counts a share of each bucket's counter.
class CounterSet {
public:
    void add(CounterHistory history, double weight = 1)
    {
        m_series.push_back(std::move(history));
        m_weights.push_back(weight);
    }
    double increase(TimeWindow window) const;
    bool empty() const { return m_series.empty(); }
    size_t size() const { return m_series.size(); }
    std::optional<TimeWindow> range() const;

private:
    std::vector<CounterHistory> m_series;
    std::vector<double> m_weights;
};

} // namespace rootline
