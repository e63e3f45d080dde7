#include "MetricSignals.h"

#include "ServiceDirectory.h"
#include "cache/CacheReader.h"

#include <algorithm>

namespace rootline {
namespace {

bool nameHas(const std::string& name, std::initializer_list<const char*> words)
{
    return std::any_of(words.begin(), words.end(), [&](const char* w) { return name.find(w) != std::string::npos; });
}

} // namespace

std::optional<SignalKind> classifySeries(const Series& s)
{
    if (s.name.starts_with("traces_service_graph") || s.label("le") || s.name.ends_with("_bucket"))
        return std::nullopt;
    for (const char* l : {"status_class", "status", "code", "status_code", "http_status_code"})
        if (const std::string* v = s.label(l); v && !v->empty() && (*v)[0] == '5')
            return SignalKind::Error;
    if (const std::string* outcome = s.label("outcome"); outcome && (*outcome == "failure" || *outcome == "error"))
        return SignalKind::Error;
    if (nameHas(s.name, {"error", "fail", "refused", "dropped", "exception", "rejected"}))
        return SignalKind::Error;
    if (nameHas(s.name, {"queue", "_lag", "lag_", "backlog", "depth", "pending", "inflight", "in_flight", "waiting", "busy", "utilization",
                         "utilisation", "saturation", "throttl", "exhausted"}))
        return SignalKind::Saturation;
    return std::nullopt;
}

Result<MetricSignals> findMetricSignals(CacheReader& reader, const ServiceDirectory& services, const std::vector<SeriesInfo>& series,
                                        TimeWindow baseline, TimeWindow incident, int maxSeries)
{
    MetricSignals out;
    if (!baseline.isValid() || !incident.isValid())
        return out; // without a baseline nothing "departs"
    const TimeWindow span{std::min(baseline.from, incident.from), std::max(baseline.to, incident.to)};
    for (const auto& info : series) {
        const auto kind = classifySeries(info.series);
        if (!kind || info.sampleCount == 0 || (info.range && !info.range->overlaps(incident)))
            continue;
        const std::string service = services.serviceOf(info.series.resource);
        if (service.empty())
            continue;
        if (out.seriesRead >= maxSeries) {
            out.truncated = true;
            break;
        }
        ++out.seriesRead;
        auto samples = reader.samples(info.series.rowId, span);
        if (!samples)
            return samples.error();
        const bool counter = info.series.kind == MetricKind::Counter || info.series.name.ends_with("_total");
        auto departure = seriesDeparture(*samples, counter, baseline, incident);
        if (!departure)
            continue;
        out.byService[service].push_back({service, info.series.key(), *kind, *departure});
    }
    for (auto& [service, signals] : out.byService)
        std::sort(signals.begin(), signals.end(), [](const MetricSignal& a, const MetricSignal& b) {
            return a.departure.onset != b.departure.onset ? a.departure.onset < b.departure.onset : a.seriesKey < b.seriesKey;
        });
    return out;
}

} // namespace rootline
