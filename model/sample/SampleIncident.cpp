#include "SampleIncident.h"

#include "MetricsRecorder.h"
#include "Prng.h"
#include "RequestSimulator.h"
#include "ServiceCatalog.h"
#include "TrafficModel.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rootline {

using namespace sample;

namespace {
constexpr size_t kBatchRecords = 5000;
constexpr int kSteps = 720;           // 3 h of 15 s scrapes
constexpr int kStepsPerMetricsFlush = 60; // series are handed over every 15 minutes
} // namespace

Status generateSampleIncident(const SampleOptions& options, RecordSink& sink, const std::atomic_bool* cancelled)
{
    if (!(options.scale > 0) || options.scale > 10000)
        return Error{"sample generator", "scale must be above 0 and at most 10000 (got " + std::to_string(options.scale) + ")",
                     "1 is the bundled sample; 100 gives about 10 million log lines"};
    Prng rng(options.seed);
    const int podsPerService = std::max(1, int(std::lround(2.0 * std::sqrt(options.scale))));
    ServiceCatalog catalog(podsPerService);
    TrafficModel traffic(options.scale);
    MetricsRecorder metrics(catalog);
    RequestSimulator simulator(catalog, traffic, metrics, rng);

    TelemetryBatch batch;
    auto handOver = [&]() -> Status {
        if (batch.empty())
            return {};
        TelemetryBatch full = std::move(batch);
        batch = {};
        return sink.batch(std::move(full));
    };
    struct Arrival {
        Timestamp time;
        int route;
    };
    std::vector<Arrival> arrivals;
    const Duration step = MetricsRecorder::kStep;
    // No request starts in the last 10 s, so even a timed-out one ends inside the window.
    const Timestamp lastArrival = sample_story::kWindowEnd - Duration::seconds(10);
    for (int k = 0; k < kSteps; ++k) {
        if (cancelled && cancelled->load(std::memory_order_relaxed))
            return Error{"sample generator", "cancelled", {}};
        const Timestamp t = sample_story::kWindowStart + step * k;
        metrics.scrape(k, t);
        simulator.backgroundWork(k, t, batch);

        arrivals.clear();
        for (int route = 0; route < 5; ++route) {
            const int64_t n = rng.roundedCount(traffic.frontendRate(route, t + step / 2) * step.toSeconds());
            for (int64_t i = 0; i < n; ++i) {
                const Timestamp at = t + Duration::nanos(int64_t(rng.uniform() * double(step.count())));
                if (at < lastArrival)
                    arrivals.push_back({at, route});
            }
        }
        std::stable_sort(arrivals.begin(), arrivals.end(), [](const Arrival& a, const Arrival& b) { return a.time < b.time; });
        for (const Arrival& a : arrivals) {
            simulator.frontendRequest(a.route, a.time, batch);
            if (batch.logs.size() + batch.spans.size() >= kBatchRecords) {
                if (auto s = handOver(); !s)
                    return s;
            }
        }
        if ((k + 1) % kStepsPerMetricsFlush == 0) {
            if (auto s = handOver(); !s)
                return s;
            if (auto s = metrics.flush(sink); !s)
                return s;
        }
    }
    if (auto s = handOver(); !s)
        return s;
    if (auto s = metrics.flush(sink); !s)
        return s;
    batch.alerts.push_back(metrics.burnRateAlert());
    return handOver();
}

} // namespace rootline
