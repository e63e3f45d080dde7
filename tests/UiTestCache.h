#pragma once

// A small, readable cache for the UI tests, written through CacheWriter (the only way data enters
// a cache): three services, logs that share timestamps in groups of five, three-span traces every
// ten seconds (every fifth one failing), request counters by status class, a classic latency
// histogram with exemplars, and one firing alert.

#include "cache/CacheWriter.h"

#include <QString>
#include <QtGlobal>

namespace rootline::uitest {

inline constexpr Timestamp kT0 = Timestamp::fromSeconds(1795176000); // 2026-11-20T12:00:00Z
inline constexpr int kLogs = 1000;        // 200 distinct timestamps, 5 lines each
inline constexpr int kLogsPerSecond = 5;
inline constexpr int kTraces = 30;        // one every 10 s from kT0
inline const char* const kServices[] = {"checkout", "frontend", "payment"};

inline TraceId traceIdOf(int k) { return TraceId{0x1000 + uint64_t(k), 0xabc0000 + uint64_t(k)}; }

inline ResourcePtr serviceResource(const char* name) { return makeResource({{"service.name", std::string(name)}}); }

inline Status writeUiTestCache(const QString& path)
{
    auto writer = CacheWriter::open(path.toStdString());
    if (!writer)
        return writer.error();
    ResourcePtr resources[3];
    for (int s = 0; s < 3; ++s)
        resources[s] = serviceResource(kServices[s]);
    TelemetryBatch batch;
    for (int i = 0; i < kLogs; ++i) {
        LogRecord r;
        r.time = kT0 + Duration::seconds(i / kLogsPerSecond);
        r.observedTime = r.time;
        r.resource = resources[i % 3];
        const bool error = i % 10 == 7;
        r.severity = error ? int(Severity::Error) : int(Severity::Info);
        r.severityText = error ? "ERROR" : "INFO";
        r.body = error ? "payment gateway timeout after 5s line " + std::to_string(i) : "request handled line " + std::to_string(i);
        if (i % 4 == 0) // lines of traces that exist (one trace every 10 s)
            r.traceId = traceIdOf((i / kLogsPerSecond / 10) % kTraces);
        batch.logs.push_back(std::move(r));
    }
    for (int k = 0; k < kTraces; ++k) {
        const Timestamp start = kT0 + Duration::seconds(10 * k);
        const bool failing = k % 5 == 0;
        const char* names[] = {"GET /checkout", "POST /cart/checkout", "POST /charge"};
        for (int d = 0; d < 3; ++d) {
            Span s;
            s.traceId = traceIdOf(k);
            s.spanId = SpanId{uint64_t(k * 10 + d + 1)};
            if (d > 0)
                s.parentSpanId = SpanId{uint64_t(k * 10 + d)};
            s.name = names[d];
            s.kind = d == 0 ? SpanKind::Server : SpanKind::Client;
            s.start = start + Duration::millis(5 * d);
            s.duration = Duration::millis((failing ? 5000 : 200) - 20 * d);
            s.status = failing && d == 2 ? StatusCode::Error : StatusCode::Unset;
            s.resource = resources[(d + 1) % 3];
            batch.spans.push_back(std::move(s));
        }
    }
    // Counters by status class and classic buckets per service, scraped every 15 s for 10 min.
    const double bounds[] = {0.1, 0.5, 1, 5};
    for (int s = 0; s < 3; ++s) {
        for (const char* cls : {"2xx", "5xx"}) {
            SeriesData d;
            d.series.name = "http_server_requests_total";
            d.series.kind = MetricKind::Counter;
            d.series.labels = {{"service", kServices[s]}, {"status_class", cls}};
            d.series.resource = resources[s];
            for (int t = 0; t <= 40; ++t)
                d.samples.push_back({kT0 + Duration::seconds(15 * t), double(t * (cls[0] == '2' ? 150 : 15 * s))});
            batch.series.push_back(std::move(d));
        }
        for (int b = 0; b <= 4; ++b) {
            SeriesData d;
            d.series.name = "http_server_request_duration_seconds_bucket";
            d.series.kind = MetricKind::Histogram;
            d.series.unit = "s";
            d.series.resource = resources[s];
            d.series.labels = {{"le", b < 4 ? QString::number(bounds[b]).toStdString() : std::string("+Inf")}, {"service", kServices[s]}};
            // 100 requests per step: 50 under 0.1 s, 40 more under 0.5 s, 10 more under 1 s.
            const double cumulative[] = {50, 90, 100, 100, 100};
            for (int t = 0; t <= 40; ++t)
                d.samples.push_back({kT0 + Duration::seconds(15 * t), cumulative[b] * t});
            if (b == 2)
                for (int k = 0; k < 4; ++k) {
                    Exemplar e;
                    e.time = kT0 + Duration::seconds(15 * (k * 10 + 3));
                    e.value = 0.8;
                    e.traceId = traceIdOf(k * 5);
                    d.exemplars.push_back(e);
                }
            batch.series.push_back(std::move(d));
        }
    }
    Alert a;
    a.name = "CheckoutAvailabilityBurnRate";
    a.labels = {{"alertname", "CheckoutAvailabilityBurnRate"}, {"service", "checkout"}};
    a.state = AlertState::Firing;
    a.activeSince = kT0 + Duration::minutes(5);
    a.value = 14.4;
    a.source = "test";
    batch.alerts.push_back(a);

    FetchRecord fetch;
    fetch.source = "test";
    fetch.kind = "import";
    fetch.query = "UiTestCache.h";
    fetch.window = {kT0, kT0 + Duration::minutes(10)};
    auto unit = (*writer)->begin(fetch);
    if (auto s = unit->append(std::move(batch)); !s)
        return s;
    auto stats = unit->commit();
    if (!stats)
        return stats.error();
    return {};
}

} // namespace rootline::uitest
