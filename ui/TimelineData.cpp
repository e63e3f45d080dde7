#include "TimelineData.h"

#include "cache/Downsample.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace rootline {

std::vector<Sample> counterRate(const std::vector<Sample>& samples)
{
    std::vector<Sample> out;
    if (samples.size() < 2)
        return out;
    out.reserve(samples.size() - 1);
    for (size_t i = 1; i < samples.size(); ++i) {
        const double dt = (samples[i].time - samples[i - 1].time).toSeconds();
        const double a = samples[i - 1].value, b = samples[i].value;
        if (dt <= 0 || std::isnan(a) || std::isnan(b)) {
            out.push_back({samples[i].time, std::nan("")});
            continue;
        }
        const double increase = b >= a ? b - a : b; // reset: counted from zero again
        out.push_back({samples[i].time, increase / dt});
    }
    return out;
}

double bucketQuantile(std::vector<HistogramBucket> buckets, double q)
{
    std::sort(buckets.begin(), buckets.end(), [](const auto& a, const auto& b) { return a.upper < b.upper; });
    double total = 0;
    for (const auto& b : buckets)
        total += std::max(0.0, b.count);
    if (!(total > 0))
        return std::nan("");
    const double rank = q * total;
    double seen = 0;
    for (const auto& b : buckets) {
        const double c = std::max(0.0, b.count);
        if (seen + c >= rank && c > 0) {
            if (std::isinf(b.upper))
                return b.lower; // PromQL: the highest finite bound
            const double lower = std::isinf(b.lower) ? std::min(0.0, b.upper) : b.lower;
            return lower + (b.upper - lower) * ((rank - seen) / c);
        }
        seen += c;
    }
    return buckets.back().upper;
}

namespace {

// Native histograms are usually cumulative over time (counts only grow): the distribution of an
// interval is the difference of two samples. Otherwise each sample is its own interval.
std::vector<Sample> histogramQuantiles(const std::vector<HistogramSample>& hs, double q)
{
    std::vector<Sample> out;
    bool cumulative = hs.size() > 1;
    for (size_t i = 1; i < hs.size() && cumulative; ++i)
        if (hs[i].count < hs[i - 1].count)
            cumulative = false;
    for (size_t i = 0; i < hs.size(); ++i) {
        if (!cumulative) {
            out.push_back({hs[i].time, bucketQuantile(hs[i].buckets, q)});
            continue;
        }
        if (i == 0)
            continue;
        std::map<std::pair<double, double>, double> before;
        for (const auto& b : hs[i - 1].buckets)
            before[{b.lower, b.upper}] += b.count;
        std::vector<HistogramBucket> delta;
        for (const auto& b : hs[i].buckets)
            delta.push_back({b.lower, b.upper, b.count - before[{b.lower, b.upper}]});
        out.push_back({hs[i].time, bucketQuantile(std::move(delta), q)});
    }
    return out;
}

// The scrape step of a series: the smallest gap between its samples (at least a second).
int64_t stepOf(const std::vector<Sample>& samples)
{
    int64_t step = std::numeric_limits<int64_t>::max();
    for (size_t i = 1; i < samples.size(); ++i)
        if (const int64_t d = (samples[i].time - samples[i - 1].time).count(); d > 0)
            step = std::min(step, d);
    return step == std::numeric_limits<int64_t>::max() ? Duration::seconds(15).count() : std::max(step, Duration::seconds(1).count());
}

// Adds per-second rates into bins of one scrape step, so pods scraped a little apart still sum
// into one point (PromQL's sum by (service) (rate(...))).
void addRates(std::map<int64_t, double>& bins, const std::vector<Sample>& rates, int64_t step)
{
    for (const auto& r : rates) {
        if (std::isnan(r.value))
            continue;
        const int64_t t = r.time.nanos();
        const int64_t bin = t - ((t % step) + step) % step;
        bins[bin] += r.value;
    }
}

// Sum of the rates of every series of the spec.
Result<std::vector<Sample>> summedRates(CacheReader& reader, const PlotSpec& spec, TimeWindow view, const std::atomic_bool& cancelled)
{
    std::map<int64_t, double> bins;
    int64_t step = 0;
    for (int64_t id : spec.seriesIds) {
        if (cancelled.load())
            return Error{"timeline", "cancelled", {}};
        auto s = reader.samples(id, view);
        if (!s)
            return s.error();
        if (step == 0 && s->size() > 1)
            step = stepOf(*s);
        addRates(bins, counterRate(*s), step ? step : Duration::seconds(15).count());
    }
    std::vector<Sample> out;
    out.reserve(bins.size());
    for (const auto& [t, v] : bins)
        out.push_back({Timestamp::fromNanos(t), v});
    return out;
}

// Classic Prometheus buckets: one counter per `le`, cumulative over bounds. The rates of each bound
// are summed over the group's series, then differenced into per-bucket counts for the quantile.
Result<std::vector<Sample>> classicQuantiles(CacheReader& reader, const PlotSpec& spec, TimeWindow view, const std::atomic_bool& cancelled)
{
    std::map<double, std::map<int64_t, double>> byBound; // bound → bin → summed rate
    int64_t step = 0;
    for (size_t k = 0; k < spec.seriesIds.size(); ++k) {
        if (cancelled.load())
            return Error{"timeline", "cancelled", {}};
        auto s = reader.samples(spec.seriesIds[k], view);
        if (!s)
            return s.error();
        if (step == 0 && s->size() > 1)
            step = stepOf(*s);
        addRates(byBound[spec.bounds[k]], counterRate(*s), step ? step : Duration::seconds(15).count());
    }
    std::map<int64_t, std::vector<std::pair<double, double>>> byTime; // bin → (bound, cumulative rate)
    for (const auto& [bound, bins] : byBound)
        for (const auto& [t, v] : bins)
            byTime[t].emplace_back(bound, v); // bounds arrive in ascending order
    std::vector<Sample> out;
    out.reserve(byTime.size());
    for (const auto& [t, cumulative] : byTime) {
        std::vector<HistogramBucket> buckets;
        double lower = 0, previous = 0;
        for (const auto& [bound, v] : cumulative) {
            buckets.push_back({lower, bound, std::max(0.0, v - previous)});
            lower = bound;
            previous = std::max(previous, v);
        }
        out.push_back({Timestamp::fromNanos(t), bucketQuantile(std::move(buckets), spec.quantile)});
    }
    return out;
}

// Level of detail (style.md §6): thousands of exemplars over hours would be a purple smear, so
// each row keeps its slowest exemplar per column of about twelve pixels.
void thinExemplars(TimelineData& data, int columns)
{
    if (data.exemplars.size() <= size_t(std::max(columns, 1)) || columns < 1)
        return;
    double lo = data.exemplars.front().key, hi = lo;
    for (const auto& e : data.exemplars) {
        lo = std::min(lo, e.key);
        hi = std::max(hi, e.key);
    }
    if (data.view.from != Timestamp::min())
        lo = data.view.from.toSecondsDouble();
    if (data.view.to != Timestamp::max())
        hi = data.view.to.toSecondsDouble();
    const double width = std::max(1e-9, (hi - lo) / columns);
    std::map<std::pair<QString, int64_t>, size_t> best;
    for (size_t i = 0; i < data.exemplars.size(); ++i) {
        const auto& e = data.exemplars[i];
        const auto key = std::make_pair(data.lines[size_t(e.lineIndex)].spec.row, int64_t(std::floor((e.key - lo) / width)));
        auto [it, fresh] = best.try_emplace(key, i);
        if (!fresh && e.value > data.exemplars[it->second].value)
            it->second = i;
    }
    std::vector<PlotExemplar> kept;
    kept.reserve(best.size());
    for (const auto& [key, i] : best)
        kept.push_back(data.exemplars[i]);
    std::sort(kept.begin(), kept.end(), [](const PlotExemplar& a, const PlotExemplar& b) { return a.key < b.key; });
    data.exemplars = std::move(kept);
}

// A PromQL expression's result (histogram_quantile over rate(x_bucket[5m])) has no metric name:
// the connector names it by the query's text. The exemplars query_exemplars returns for that query
// belong to the raw series the expression reads, so they go to the line whose query mentions that
// metric as a whole word — of the same service when there is one. -1 when none does.
int lineReadingMetric(const std::vector<PlotLine>& lines, const QString& metric, const QString& service)
{
    auto isNameChar = [](QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char(':'); };
    int fallback = -1;
    for (size_t i = 0; i < lines.size(); ++i) {
        const QString& text = lines[i].spec.baseName;
        if (text.size() <= metric.size())
            continue; // a plain metric name matched by its base above, or not at all
        bool mentions = false;
        for (qsizetype at = text.indexOf(metric); at >= 0 && !mentions; at = text.indexOf(metric, at + 1)) {
            const qsizetype end = at + metric.size();
            mentions = (at == 0 || !isNameChar(text[at - 1])) && (end == text.size() || !isNameChar(text[end]));
        }
        if (!mentions)
            continue;
        if (lines[i].spec.service == service)
            return int(i);
        if (fallback < 0 && (service.isEmpty() || lines[i].spec.service.isEmpty()))
            fallback = int(i);
    }
    return fallback;
}

} // namespace

Result<TimelineData> loadTimeline(CacheReader& reader, const std::vector<PlotSpec>& specs, TimeWindow view, int maxPoints,
                                  const std::atomic_bool& cancelled)
{
    TimelineData data;
    data.view = view;
    data.maxPoints = maxPoints;
    for (const PlotSpec& spec : specs) {
        if (cancelled.load())
            return Error{"timeline", "cancelled", {}};
        std::vector<Sample> points;
        switch (spec.transform) {
        case PlotTransform::Raw: {
            auto s = reader.downsampled(spec.seriesIds.front(), view, maxPoints);
            if (!s)
                return s.error();
            points = std::move(*s);
            break;
        }
        case PlotTransform::Rate: {
            auto s = summedRates(reader, spec, view, cancelled);
            if (!s)
                return s.error();
            points = std::move(*s);
            break;
        }
        case PlotTransform::HistogramQuantile: {
            auto h = reader.histograms(spec.seriesIds.front(), view);
            if (!h)
                return h.error();
            points = histogramQuantiles(*h, spec.quantile);
            break;
        }
        case PlotTransform::BucketQuantile: {
            auto s = classicQuantiles(reader, spec, view, cancelled);
            if (!s)
                return s.error();
            points = std::move(*s);
            break;
        }
        }
        if (spec.transform != PlotTransform::Raw && !points.empty()) {
            TimeWindow effective = view;
            if (effective.from == Timestamp::min())
                effective.from = points.front().time;
            if (effective.to == Timestamp::max())
                effective.to = points.back().time + Duration::nanos(1);
            points = downsampleMinMax(points, effective, maxPoints);
        }
        PlotLine line;
        line.spec = spec;
        line.keys.reserve(qsizetype(points.size()));
        line.values.reserve(qsizetype(points.size()));
        for (const auto& p : points) {
            line.keys.push_back(p.time.toSecondsDouble());
            line.values.push_back(p.value * spec.scale);
        }
        data.lines.push_back(std::move(line));
    }

    // Exemplars go to the line of their series, or else to a line of the same metric family.
    std::map<int64_t, int> lineOfSeries;
    std::map<QString, int> lineOfBase;
    for (size_t i = 0; i < data.lines.size(); ++i) {
        for (auto id : data.lines[i].spec.seriesIds)
            lineOfSeries.emplace(id, int(i));
        lineOfBase.emplace(data.lines[i].spec.baseName + QLatin1Char('|') + data.lines[i].spec.service, int(i));
        lineOfBase.emplace(data.lines[i].spec.baseName, int(i));
    }
    if (!data.lines.empty()) {
        auto exemplars = reader.exemplars(0, view);
        if (!exemplars)
            return exemplars.error();
        std::map<int64_t, int> lineOfExemplarSeries; // memo: series row → line (or -1)
        for (const auto& e : *exemplars) {
            if (!e.traceId)
                continue;
            auto memo = lineOfExemplarSeries.find(e.seriesRowId);
            if (memo == lineOfExemplarSeries.end()) {
                int line = -1;
                if (auto it = lineOfSeries.find(e.seriesRowId); it != lineOfSeries.end())
                    line = it->second;
                else if (auto series = reader.seriesById(e.seriesRowId); series && *series) {
                    std::string base = (*series)->name;
                    for (std::string_view suffix : {"_bucket", "_count", "_sum", "_total"})
                        if (base.size() > suffix.size() && base.ends_with(suffix))
                            base.resize(base.size() - suffix.size());
                    const QString service = (*series)->resource ? QString::fromStdString((*series)->resource->serviceName) : QString();
                    if (auto same = lineOfBase.find(QString::fromStdString(base) + QLatin1Char('|') + service); same != lineOfBase.end())
                        line = same->second;
                    else if (auto any = lineOfBase.find(QString::fromStdString(base)); any != lineOfBase.end())
                        line = any->second;
                    else
                        line = lineReadingMetric(data.lines, QString::fromStdString((*series)->name), service);
                }
                memo = lineOfExemplarSeries.emplace(e.seriesRowId, line).first;
            }
            if (memo->second < 0)
                continue;
            const auto& spec = data.lines[size_t(memo->second)].spec;
            data.exemplars.push_back({memo->second, e.time.toSecondsDouble(), e.value * spec.scale, *e.traceId});
        }
    }
    thinExemplars(data, maxPoints / 12);
    auto alerts = reader.alerts();
    if (!alerts)
        return alerts.error();
    data.alerts = std::move(*alerts);
    return data;
}

} // namespace rootline
