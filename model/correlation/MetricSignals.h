#pragma once

// Which services' error and saturation series left their baseline, and when (issue 15): the
// metric half of "who moved first". A series is about errors when its name says so (error, fail,
// refused, dropped, exception) or a status label is 5xx; about saturation when it counts waiting
// work or exhausted capacity (queue depth, consumer lag, backlog, pending, in-flight, busy,
// utilisation, throttling). Latency and traffic series are left to the trace stages.
// Service-graph series describe edges, not a service, and are read by ServiceTopology.

#include "SeriesOnset.h"
#include "core/Result.h"

#include <map>
#include <string>
#include <vector>

namespace rootline {

class CacheReader;
class ServiceDirectory;
struct SeriesInfo;

enum class SignalKind { Error, Saturation };

struct MetricSignal {
    std::string service;
    std::string seriesKey;
    SignalKind kind = SignalKind::Error;
    SeriesDeparture departure;
};

// How a series name and labels classify; nullopt for neither.
std::optional<SignalKind> classifySeries(const Series& series);

struct MetricSignals {
    // Per service, its departed series, earliest onset first.
    std::map<std::string, std::vector<MetricSignal>> byService;
    int seriesRead = 0;
    bool truncated = false; // more candidate series than `maxSeries`; the rest were not read
};

Result<MetricSignals> findMetricSignals(CacheReader& reader, const ServiceDirectory& services, const std::vector<SeriesInfo>& series,
                                        TimeWindow baseline, TimeWindow incident, int maxSeries = 400);

} // namespace rootline
