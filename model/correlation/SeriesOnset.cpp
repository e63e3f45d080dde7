#include "SeriesOnset.h"

#include <algorithm>
#include <cmath>

namespace rootline {
namespace {

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + long(mid), v.end());
    return v[mid];
}

// Per-second rates between consecutive samples; a drop is a counter reset (the new value is the
// increase since it). Each rate is stamped at the later sample: that is when it became visible.
std::vector<Sample> rates(const std::vector<Sample>& samples)
{
    std::vector<Sample> out;
    for (size_t i = 1; i < samples.size(); ++i) {
        const double dt = (samples[i].time - samples[i - 1].time).toSeconds();
        if (dt <= 0 || std::isnan(samples[i].value) || std::isnan(samples[i - 1].value))
            continue;
        const double rise = samples[i].value >= samples[i - 1].value ? samples[i].value - samples[i - 1].value : samples[i].value;
        out.push_back({samples[i].time, rise / dt});
    }
    return out;
}

} // namespace

std::optional<SeriesDeparture> seriesDeparture(const std::vector<Sample>& samples, bool counter, TimeWindow baseline, TimeWindow incident)
{
    const std::vector<Sample> points = counter ? rates(samples) : samples;
    std::vector<double> base;
    std::vector<Sample> inc;
    std::vector<double> gaps;
    for (size_t i = 0; i < points.size(); ++i) {
        if (std::isnan(points[i].value) || std::isinf(points[i].value))
            continue;
        if (baseline.contains(points[i].time))
            base.push_back(points[i].value);
        else if (incident.contains(points[i].time))
            inc.push_back(points[i]);
        if (i > 0)
            gaps.push_back(double((points[i].time - points[i - 1].time).count()));
    }
    if (base.size() < 4 || inc.size() < 2)
        return std::nullopt;
    double mean = 0;
    for (double v : base)
        mean += v;
    mean /= double(base.size());
    double var = 0;
    for (double v : base)
        var += (v - mean) * (v - mean);
    const double sd = std::sqrt(var / double(base.size()));
    // Above four standard deviations and a quarter above the mean; for a flat-zero baseline (no
    // errors at all), above a small absolute floor, so a single stray event is not a departure.
    const double threshold = mean + std::max({4 * sd, 0.25 * std::fabs(mean), 1e-3});
    for (size_t i = 0; i + 1 < inc.size(); ++i) {
        if (inc[i].value <= threshold || inc[i + 1].value <= threshold)
            continue;
        std::vector<double> after;
        size_t above = 0;
        for (size_t k = i; k < inc.size(); ++k) {
            after.push_back(inc[k].value);
            above += inc[k].value > threshold;
        }
        SeriesDeparture d;
        d.onset = inc[i].time;
        d.resolution = Duration::nanos(int64_t(median(gaps)));
        d.baselineLevel = mean;
        d.incidentLevel = median(after);
        // Steadiness (the share of later points still above) times distance (how many times the
        // normal range the median moved, saturating at three: a busy ratio going from 0.4 to 1.0
        // is as clear as an error rate going from 0 to 5 per second).
        const double distance = (d.incidentLevel - mean) / (threshold - mean);
        d.strength = std::clamp(double(above) / double(after.size()), 0.0, 1.0)
            * std::clamp(std::log(std::max(1.0, distance)) / std::log(3.0), 0.0, 1.0);
        if (d.strength <= 0)
            continue;
        return d;
    }
    return std::nullopt;
}

} // namespace rootline
