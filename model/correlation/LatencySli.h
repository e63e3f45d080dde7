#pragma once

// A latency SLO's counters found in the cache, from every histogram form the importers store:
//   - native / OTLP histograms (HistogramSample rows of the series named after the metric): good =
//     observations at or below the threshold per HistogramFraction.h, total = the count;
//   - classic Prometheus `<metric>_bucket` series, one group per label set without `le`: good = the
//     bucket with le = threshold, or — when the threshold falls between two bounds — the linear
//     share of the two around it (histogram_fraction's interpolation on cumulative counters:
//     (1 − w)·c(lo) + w·c(hi), w = (T − lo)/(hi − lo); below the first bound, T/b₀ of it);
//     total = le="+Inf". A group without le="+Inf" has no total and is left out (and said).
// When one label set is stored both ways (a Prometheus that scrapes classic and native buckets),
// the native rows win so that requests are not counted twice. The threshold is in seconds and is
// converted to the series' unit when that is ms, us or ns.

#include "CounterHistory.h"
#include "SloDefinition.h"
#include "core/Records.h"
#include "core/Result.h"

#include <functional>
#include <string>
#include <vector>

namespace rootline {

class CacheReader;
struct SeriesInfo;

struct LatencySliCounters {
    CounterSet total;
    CounterSet good;
    std::vector<std::string> seriesKeys;
    // How the SLI was computed, in words, one line per form ("native histogram
    // http_request_duration_seconds: 2 series, fraction above 0.5 s interpolated in its buckets").
    std::vector<std::string> sources;
};

Result<LatencySliCounters> loadLatencySli(CacheReader& reader, const SloDefinition& slo, const std::vector<SeriesInfo>& series,
                                          const std::function<bool(const Series&)>& matches);

// Seconds → the unit a series records in ("ms", "us", "µs", "ns"; anything else is seconds).
double secondsInUnit(double seconds, const std::string& unit);

} // namespace rootline
