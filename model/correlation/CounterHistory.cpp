#include "CounterHistory.h"

#include <algorithm>
#include <cmath>

namespace rootline {

CounterHistory::CounterHistory(std::vector<Sample> samples)
{
    std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
    std::vector<Sample> clean;
    clean.reserve(samples.size());
    for (const Sample& s : samples) {
        if (std::isnan(s.value) || std::isinf(s.value))
            continue;
        if (!clean.empty() && clean.back().time == s.time)
            clean.back() = s; // duplicate timestamp: last wins
        else
            clean.push_back(s);
    }
    m_times.reserve(clean.size());
    m_adjusted.reserve(clean.size());
    double total = 0;
    for (size_t i = 0; i < clean.size(); ++i) {
        if (i > 0) {
            const double prev = clean[i - 1].value, cur = clean[i].value;
            total += cur >= prev ? cur - prev : cur;
        }
        m_times.push_back(clean[i].time.nanos());
        m_adjusted.push_back(total);
    }
}

double CounterHistory::adjustedAt(Timestamp t) const
{
    auto it = std::upper_bound(m_times.begin(), m_times.end(), t.nanos());
    if (it == m_times.begin())
        return 0;
    return m_adjusted[size_t(it - m_times.begin()) - 1];
}

double CounterHistory::increase(TimeWindow window) const
{
    if (m_times.empty() || window.to <= window.from)
        return 0;
    return adjustedAt(window.to) - adjustedAt(window.from);
}

double CounterSet::increase(TimeWindow window) const
{
    double sum = 0;
    for (size_t i = 0; i < m_series.size(); ++i)
        sum += m_weights[i] * m_series[i].increase(window);
    return sum;
}

std::optional<TimeWindow> CounterSet::range() const
{
    std::optional<TimeWindow> r;
    for (const auto& s : m_series) {
        if (s.empty())
            continue;
        if (!r)
            r = TimeWindow{s.first(), s.last()};
        r->from = std::min(r->from, s.first());
        r->to = std::max(r->to, s.last());
    }
    return r;
}

} // namespace rootline
