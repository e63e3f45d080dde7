#include "LatencySli.h"

#include "HistogramFraction.h"
#include "cache/CacheReader.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

namespace rootline {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;
// One histogram's identity across its forms: the resource and the labels without `le`.
using HistogramKey = std::pair<const Resource*, Labels>;

std::optional<double> parseLe(const std::string& text)
{
    if (text == "+Inf" || text == "Inf" || text == "inf")
        return INFINITY;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (!end || *end != '\0' || text.empty())
        return std::nullopt;
    return v;
}

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

HistogramKey keyOf(const Series& s)
{
    Labels labels;
    for (const auto& kv : s.labels)
        if (kv.first != "le")
            labels.push_back(kv);
    return {s.resource.get(), std::move(labels)};
}

bool sameBound(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

struct ClassicGroup {
    std::vector<std::pair<double, const Series*>> buckets; // (le, series)
};

} // namespace

double secondsInUnit(double seconds, const std::string& unit)
{
    if (unit == "ms")
        return seconds * 1e3;
    if (unit == "us" || unit == "\xC2\xB5s")
        return seconds * 1e6;
    if (unit == "ns")
        return seconds * 1e9;
    return seconds;
}

Result<LatencySliCounters> loadLatencySli(CacheReader& reader, const SloDefinition& slo, const std::vector<SeriesInfo>& series,
                                          const std::function<bool(const Series&)>& matches)
{
    LatencySliCounters out;
    std::string base = slo.metric;
    if (base.ends_with("_bucket"))
        base.resize(base.size() - 7);
    const std::string bucketName = base + "_bucket";
    const std::string threshold = number(slo.thresholdSeconds) + " s";

    // Native and OTLP histograms: the HistogramSample rows of the series named after the metric.
    std::set<HistogramKey> native;
    int nativeSeries = 0, resets = 0, deltaLike = 0, delta = 0;
    for (const SeriesInfo& info : series) {
        const Series& s = info.series;
        if (s.name != base || s.kind != MetricKind::Histogram || !matches(s))
            continue;
        auto rows = reader.histograms(s.rowId, TimeWindow::all());
        if (!rows)
            return rows.error();
        if (rows->empty())
            continue;
        LatencyCounters c = latencyCounters(std::move(*rows), secondsInUnit(slo.thresholdSeconds, s.unit));
        resets += c.resets;
        // A series recorded as delta reads as running totals (CacheReader::histograms), so only
        // one whose temporality was not recorded can still look like deltas.
        delta += s.temporality == Temporality::Delta;
        deltaLike += s.temporality != Temporality::Delta && c.looksDelta();
        out.total.add(std::move(c.total));
        out.good.add(std::move(c.good));
        out.seriesKeys.push_back(s.key());
        native.insert(keyOf(s));
        ++nativeSeries;
    }
    if (nativeSeries)
        out.sources.push_back("native/OTLP histogram " + base + ": " + std::to_string(nativeSeries) + " series, requests slower than "
                              + threshold + " by interpolating in the bucket that holds it"
                              + (resets ? " (" + std::to_string(resets) + " counter resets)" : std::string())
                              + (delta ? " (" + std::to_string(delta) + " of them OTLP delta temporality, summed in time order)" : std::string()));
    if (deltaLike)
        out.sources.push_back(std::to_string(deltaLike) + " histogram series look like OTLP delta temporality (a counter reset in half"
                              " the steps or more) but were stored without it (imported before cache schema 5, or from a source"
                              " that does not say): read as cumulative, their requests are undercounted — import them again");

    // Classic buckets, one group per histogram.
    std::map<HistogramKey, ClassicGroup> groups;
    for (const SeriesInfo& info : series) {
        const Series& s = info.series;
        if (s.name != bucketName || !matches(s))
            continue;
        const std::string* le = s.label("le");
        const auto bound = le ? parseLe(*le) : std::nullopt;
        if (!bound)
            continue;
        groups[keyOf(s)].buckets.emplace_back(*bound, &s);
    }
    std::map<std::string, int> methods; // description → groups
    int duplicates = 0, noTotal = 0;
    for (const auto& [key, group] : groups) {
        if (native.count(key)) {
            ++duplicates;
            continue;
        }
        const Series* inf = nullptr;
        const Series* exact = nullptr;
        std::optional<std::pair<double, const Series*>> lo, hi;
        const double t = secondsInUnit(slo.thresholdSeconds, group.buckets.front().second->unit);
        for (const auto& [bound, s] : group.buckets) {
            if (std::isinf(bound) && bound > 0)
                inf = s;
            else if (sameBound(bound, t))
                exact = s;
            else if (bound < t && (!lo || bound > lo->first))
                lo = std::pair{bound, s};
            else if (bound > t && (!hi || bound < hi->first))
                hi = std::pair{bound, s};
        }
        if (!inf) {
            ++noTotal;
            continue;
        }
        // (series, weight) whose weighted increase is the good events.
        std::vector<std::pair<const Series*, double>> good;
        std::string how;
        if (exact) {
            good = {{exact, 1.0}};
            how = "le=" + *exact->label("le");
        } else if (lo && hi) {
            const double w = (t - lo->first) / (hi->first - lo->first);
            good = {{lo->second, 1 - w}, {hi->second, w}};
            how = "interpolated between le=" + *lo->second->label("le") + " and le=" + *hi->second->label("le");
        } else if (lo) {
            good = {{lo->second, 1.0}}; // above the last finite bound: the +Inf bucket adds nothing
            how = "le=" + *lo->second->label("le") + ", the highest finite bound below it";
        } else if (hi && hi->first > 0 && t > 0) {
            good = {{hi->second, t / hi->first}}; // the first bucket starts at 0
            how = "interpolated between 0 and le=" + *hi->second->label("le");
        } else {
            how = "no finite bucket: every request counts as slow";
        }
        auto total = reader.samples(inf->rowId, TimeWindow::all());
        if (!total)
            return total.error();
        out.total.add(CounterHistory(std::move(*total)));
        out.seriesKeys.push_back(inf->key());
        for (const auto& [s, weight] : good) {
            auto samples = reader.samples(s->rowId, TimeWindow::all());
            if (!samples)
                return samples.error();
            out.good.add(CounterHistory(std::move(*samples)), weight);
            out.seriesKeys.push_back(s->key());
        }
        ++methods[how];
    }
    for (const auto& [how, n] : methods)
        out.sources.push_back("classic buckets " + bucketName + ": " + std::to_string(n) + " histogram" + (n == 1 ? "" : "s")
                              + ", requests at or below " + threshold + " from " + how);
    if (duplicates)
        out.sources.push_back(std::to_string(duplicates) + " classic histogram" + (duplicates == 1 ? "" : "s")
                              + " also stored as native rows: counted once, from the native rows");
    if (noTotal)
        out.sources.push_back(std::to_string(noTotal) + " classic histogram" + (noTotal == 1 ? "" : "s") + " without le=\"+Inf\" left out");
    return out;
}

} // namespace rootline
