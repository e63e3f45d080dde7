// What pods do between requests: health checks, pool statistics, scheduled jobs (the currency
// rates job with its own 64-bit Datadog traces), and catalog's 13:30 deploy.

#include "RequestSimulator.h"

#include "SampleIncident.h"
#include "SimulatorDetail.h"
#include "core/Records.h"

#include <algorithm>
#include <cmath>

namespace rootline::sample {

using namespace detail;

// ---- background ------------------------------------------------------------------------------

void RequestSimulator::backgroundWork(int step, Timestamp t, TelemetryBatch& out)
{
    auto line = [&](int pod, Timestamp at, LogStyle style, int severity, std::string message, std::vector<LogField> fields = {},
                    const char* logger = "", const char* thread = "") {
        PendingLog l;
        l.time = at;
        l.pod = pod;
        l.style = style;
        l.severity = severity;
        l.message = std::move(message);
        l.fields = std::move(fields);
        l.logger = logger;
        l.thread = thread;
        emitLog(l, nullptr, out);
    };
    auto jitter = [&] { return Duration::millis(m_rng.below(14000)); };
    for (int svc = 0; svc < kServiceCount; ++svc) {
        const auto& pods = m_catalog.podsOf(svc, t);
        for (size_t i = 0; i < pods.size(); ++i) {
            const int pod = pods[i];
            const Timestamp at = t + jitter();
            const bool every30s = (step + int(i)) % 2 == 0;
            const bool everyMinute = (step + int(i)) % 4 == 0;
            switch (svc) {
            case Frontend: {
                PendingLog probe;
                probe.time = at;
                probe.pod = pod;
                probe.style = LogStyle::Nginx;
                probe.severity = kInfo;
                probe.message = nginxLine(at, std::string("10.0.0.1"), "GET", "/healthz", 200, 2, "kube-probe/1.31",
                                          Duration::micros(400));
                probe.attributes = Attributes{{"log.file.path", std::string("/var/log/nginx/access.log")}};
                emitLog(probe, nullptr, out);
                break;
            }
            case Cart:
                if (every30s)
                    line(pod, at, LogStyle::Serilog, kDebug, "Redis connection pool: " + std::to_string(4 + m_rng.below(12)) + " active, "
                                                               + std::to_string(2 + m_rng.below(6)) + " idle",
                         {}, "CartService.Store");
                break;
            case Payment:
                if (every30s) {
                    // The gateway's health endpoint degrades with it; errors only once calls time out.
                    if (at >= sample_story::kGatewayTimeouts && m_rng.chance(TrafficModel::timeoutShare(at)))
                        line(pod, at, LogStyle::Slog, kError, "gateway health check failed",
                             {field("gateway", "payment-gateway"), field("error", "context deadline exceeded"), field("timeout", "5s")});
                    else if (at >= sample_story::kGatewaySlow)
                        line(pod, at, LogStyle::Slog, kWarn, "gateway health check slow",
                             {field("gateway", "payment-gateway"), number("latency_ms", std::to_string(1500 + m_rng.below(2500)))});
                    else
                        line(pod, at, LogStyle::Slog, kDebug, "gateway health check ok",
                             {field("gateway", "payment-gateway"), number("latency_ms", std::to_string(90 + m_rng.below(120)))});
                }
                break;
            case Catalog:
                if (everyMinute)
                    line(pod, at, LogStyle::PythonJson, kInfo, "product cache refreshed", {number("items", "1024")}, "catalog.cache");
                break;
            case Checkout:
                if (everyMinute)
                    line(pod, at, LogStyle::Zap, kDebug, "order queue depth", {number("depth", std::to_string(m_rng.below(6)))},
                         "checkout/queue.go:57");
                break;
            case Email:
                if (everyMinute)
                    line(pod, at, LogStyle::Lograge, kInfo, "smtp pool healthy", {number("connections", std::to_string(2 + m_rng.below(3)))});
                break;
            case Shipping:
                if (everyMinute)
                    line(pod, at, LogStyle::Logback, kInfo, "Carrier rates refreshed (3 carriers)", {}, "c.e.shipping.RateCache", "scheduling-1");
                break;
            case Currency:
                if ((step + int(i) * 3) % 8 == 0) {
                    // The rates job runs under the Datadog tracer, whose trace ids are 64-bit.
                    Request rq;
                    rq.trace = TraceId{0, m_rng.nonZero()};
                    Hop job;
                    job.type = HopType::Internal;
                    job.service = Currency;
                    job.pod = pod;
                    job.name = "currency.refresh_rates";
                    job.start = at;
                    const int j = addHop(rq, std::move(job));
                    Hop fetch;
                    fetch.type = HopType::HttpClient;
                    fetch.service = Currency;
                    fetch.pod = pod;
                    fetch.name = "GET";
                    fetch.parent = j;
                    fetch.start = at + Duration::micros(300);
                    fetch.duration = TrafficModel::latency(m_rng, 60, 0.3);
                    fetch.code = 200;
                    fetch.callee = -2;
                    fetch.path = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml";
                    const int f = addHop(rq, std::move(fetch));
                    const Timestamp done = rq.hops[size_t(f)].end() + Duration::micros(700);
                    rq.hops[size_t(j)].duration = done - at;
                    log(rq, j, done, LogStyle::DatadogJson, kInfo, "refreshed exchange rates", {number("rates", "32"), field("source", "ecb")});
                    ++m_sampled;
                    for (const Hop& hop : rq.hops) {
                        Span s = materialize(rq, hop);
                        if (hop.type == HopType::HttpClient) {
                            s.attributes = Attributes{{"http.request.method", std::string("GET")}, {"url.full", hop.path},
                                                      {"server.address", std::string("www.ecb.europa.eu")}, {"server.port", int64_t(443)},
                                                      {"http.response.status_code", int64_t(200)}};
                        }
                        out.spans.push_back(std::move(s));
                    }
                    for (const PendingLog& l : rq.logs) {
                        TraceRef ref{rq.trace, rq.hops[size_t(l.hop)].spanId};
                        emitLog(l, &ref, out);
                    }
                }
                break;
            default:
                break;
            }
        }
    }
    // The red herring: catalog rolls out 1.9.0 at 13:30 — old pods stop, new pods start.
    if (t == sample_story::kCatalogDeploy) {
        for (int pod : m_catalog.podsOf(Catalog, t - Duration::seconds(1)))
            line(pod, t - Duration::millis(800), LogStyle::PythonJson, kInfo, "received SIGTERM, shutting down gracefully", {}, "catalog.server");
        for (int pod : m_catalog.podsOf(Catalog, t)) {
            const std::string& version = m_catalog.pods()[size_t(pod)].version;
            line(pod, t + Duration::millis(200), LogStyle::PythonJson, kInfo, "starting catalog " + version, {field("version", version)},
                 "catalog.server");
            line(pod, t + Duration::millis(900), LogStyle::PythonJson, kInfo, "connected to postgres", {field("host", "catalog-db.shop.svc.cluster.local")},
                 "catalog.db");
            line(pod, t + Duration::millis(1100), LogStyle::PythonJson, kInfo, "listening on 0.0.0.0:50051", {}, "catalog.server");
        }
    }
}

} // namespace rootline::sample
