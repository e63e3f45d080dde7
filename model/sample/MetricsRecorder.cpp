#include "MetricsRecorder.h"

#include "SampleIncident.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rootline::sample {
namespace {

constexpr const char* kStatusClasses[] = {"2xx", "4xx", "5xx"};
constexpr const char* kBucketLabels[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
constexpr double kObjective = 0.999;
constexpr const char* kSloName = "checkout-availability";

Series makeSeries(std::string name, std::vector<std::pair<std::string, std::string>> labels, MetricKind kind, const char* unit,
                  ResourcePtr resource)
{
    Series s;
    s.name = std::move(name);
    std::sort(labels.begin(), labels.end());
    s.labels = std::move(labels);
    s.kind = kind;
    s.unit = unit;
    s.resource = std::move(resource);
    return s;
}

} // namespace

MetricsRecorder::MetricsRecorder(const ServiceCatalog& catalog) : m_catalog(catalog)
{
    for (int p = 0; p < catalog.podCount(); ++p) {
        const Pod& pod = catalog.pods()[size_t(p)];
        const ServiceDef& def = ServiceCatalog::service(pod.service);
        for (int r = 0; r < int(def.routes.size()); ++r) {
            Slot slot;
            slot.pod = p;
            slot.route = r;
            slot.firstSeries = m_series.size();
            const std::vector<std::pair<std::string, std::string>> base = {
                {"instance", pod.ip + ":9464"}, {"job", std::string("shop/") + def.name}, {"method", def.routes[size_t(r)].method},
                {"namespace", "shop"}, {"pod", pod.name}, {"route", def.routes[size_t(r)].route}, {"service", def.name}};
            for (const char* statusClass : kStatusClasses) {
                auto labels = base;
                labels.emplace_back("status_class", statusClass);
                m_series.push_back({makeSeries("http_server_requests_total", std::move(labels), MetricKind::Counter, "", pod.resource), {}, {}});
            }
            for (const char* le : kBucketLabels) {
                auto labels = base;
                labels.emplace_back("le", le);
                m_series.push_back({makeSeries("http_server_request_duration_seconds_bucket", std::move(labels), MetricKind::Histogram, "s",
                                               pod.resource),
                                    {},
                                    {}});
            }
            m_series.push_back({makeSeries("http_server_request_duration_seconds_sum", base, MetricKind::Histogram, "s", pod.resource), {}, {}});
            m_series.push_back({makeSeries("http_server_request_duration_seconds_count", base, MetricKind::Histogram, "s", pod.resource), {}, {}});
            m_slots.push_back(slot);
        }
    }
    // Recording rules of the SLO (as Sloth or Pyrra would write them), attributed to the service.
    auto sloResource = makeResource({{"service.name", std::string("checkout")},
                                     {"service.namespace", std::string("shop")},
                                     {"deployment.environment", std::string("prod")}});
    m_sliSeries = m_series.size();
    for (const char* window : {"5m", "30m", "1h"}) {
        m_series.push_back({makeSeries(std::string("slo:sli_error:ratio_rate") + window, {{"service", "checkout"}, {"slo", kSloName}},
                                       MetricKind::Gauge, "", sloResource),
                            {},
                            {}});
    }
}

void MetricsRecorder::observe(int pod, int route, StatusClass statusClass, Duration duration)
{
    const Pod& p = m_catalog.pods()[size_t(pod)];
    Slot& slot = m_slots[size_t(p.firstSeries + route)];
    ++slot.requests[size_t(statusClass)];
    const double seconds = duration.toSeconds();
    for (size_t b = 0; b < kBucketBounds.size(); ++b) {
        if (seconds <= kBucketBounds[b])
            ++slot.buckets[b];
    }
    ++slot.buckets[11];
    // Prometheus sums are floats; keep them at microsecond resolution so they print cleanly.
    slot.sum = std::round((slot.sum + seconds) * 1e6) / 1e6;
    ++slot.count;
    if (p.service == Checkout) {
        ++m_stepTotal;
        m_stepBad += statusClass == k5xx;
    }
}

void MetricsRecorder::offerExemplar(int pod, int route, Timestamp end, Duration duration, bool error, const TraceId& trace,
                                    const SpanId& span)
{
    Slot& slot = m_slots[size_t(m_catalog.pods()[size_t(pod)].firstSeries + route)];
    auto& c = slot.candidate;
    if (c.valid && (c.error > error || (c.error == error && c.duration >= duration)))
        return;
    c = {true, error, duration, end, trace, span};
}

double MetricsRecorder::errorRatio(int steps) const
{
    const size_t k = m_checkoutTotal.size() - 1;
    const size_t from = k >= size_t(steps) ? k - size_t(steps) : 0;
    const int64_t total = m_checkoutTotal[k] - m_checkoutTotal[from];
    const int64_t bad = m_checkoutBad[k] - m_checkoutBad[from];
    if (total == 0)
        return std::nan(""); // 0/0, as PromQL gives for a window without requests
    return std::round(double(bad) / double(total) * 1e9) / 1e9;
}

void MetricsRecorder::scrape(int step, Timestamp t)
{
    m_step = step;
    if (step > 0) {
        m_checkoutTotal.push_back(m_checkoutTotal.back() + m_stepTotal);
        m_checkoutBad.push_back(m_checkoutBad.back() + m_stepBad);
        m_stepTotal = m_stepBad = 0;
    }
    for (Slot& slot : m_slots) {
        const Pod& pod = m_catalog.pods()[size_t(slot.pod)];
        if (slot.candidate.valid) {
            const auto& c = slot.candidate;
            const double seconds = c.duration.toSeconds();
            size_t bucket = 11;
            for (size_t b = 0; b < kBucketBounds.size(); ++b) {
                if (seconds <= kBucketBounds[b]) {
                    bucket = b;
                    break;
                }
            }
            Exemplar e;
            e.time = c.end;
            e.value = std::round(seconds * 1e6) / 1e6;
            e.traceId = c.trace;
            e.spanId = c.span;
            e.labels = Attributes{{"trace_id", c.trace.toHex()}, {"span_id", c.span.toHex()}};
            m_series[slot.firstSeries + 3 + bucket].exemplars.push_back(std::move(e));
            slot.candidate = {};
        }
        if (!pod.alive.contains(t))
            continue;
        size_t i = slot.firstSeries;
        for (int64_t n : slot.requests)
            m_series[i++].samples.push_back({t, double(n)});
        for (int64_t n : slot.buckets)
            m_series[i++].samples.push_back({t, double(n)});
        m_series[i++].samples.push_back({t, slot.sum});
        m_series[i++].samples.push_back({t, double(slot.count)});
    }
    const double r5m = errorRatio(20), r30m = errorRatio(120), r1h = errorRatio(240);
    m_series[m_sliSeries].samples.push_back({t, r5m});
    m_series[m_sliSeries + 1].samples.push_back({t, r30m});
    m_series[m_sliSeries + 2].samples.push_back({t, r1h});
    if (t == sample_story::kAlertActiveSince)
        m_alertValue = std::isnan(r5m) ? 0 : std::round(r5m / (1 - kObjective) * 100) / 100;
}

Status MetricsRecorder::flush(RecordSink& sink)
{
    TelemetryBatch batch;
    size_t points = 0;
    for (SeriesBuffer& buffer : m_series) {
        if (buffer.samples.empty() && buffer.exemplars.empty())
            continue;
        points += buffer.samples.size() + buffer.exemplars.size();
        batch.series.push_back({buffer.series, std::move(buffer.samples), {}, std::move(buffer.exemplars)});
        buffer.samples = {};
        buffer.exemplars = {};
        if (points >= 20000) {
            if (auto s = sink.batch(std::move(batch)); !s)
                return s;
            batch = {};
            points = 0;
        }
    }
    if (!batch.empty())
        return sink.batch(std::move(batch));
    return {};
}

Alert MetricsRecorder::burnRateAlert() const
{
    Alert a;
    a.name = sample_story::kAlertName;
    a.labels = {{"alertname", sample_story::kAlertName}, {"service", "checkout"}, {"severity", "page"}, {"slo", kSloName}};
    char value[32];
    std::snprintf(value, sizeof value, "%.1f", m_alertValue);
    a.annotations = {
        {"description", std::string("checkout is burning its 30-day error budget ") + value
                            + "x faster than sustainable (5m and 1h windows above 14.4x; objective 99.9% of PlaceOrder requests without a 5xx)."},
        {"runbook_url", "https://runbooks.example.com/shop/checkout/availability-burn-rate"},
        {"summary", "Checkout availability SLO is burning error budget fast"},
    };
    a.state = AlertState::Firing;
    a.activeSince = sample_story::kAlertActiveSince;
    a.value = m_alertValue;
    a.source = "prometheus";
    return a;
}

} // namespace rootline::sample
