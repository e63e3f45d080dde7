#pragma once

// The shop's Prometheus metrics, scraped every 15 s from every pod: request counters by status
// class (`http_server_requests_total`), classic latency histograms
// (`http_server_request_duration_seconds_bucket{le=...}`, `_sum`, `_count`) with exemplars that
// point at sampled traces, and checkout's availability SLI as recording rules would compute it.
// Every request of the simulation is counted, sampled or not, so metrics, logs and traces agree.

#include "ServiceCatalog.h"
#include "import/RecordSink.h"

#include <array>
#include <vector>

namespace rootline::sample {

enum StatusClass : int { k2xx = 0, k4xx = 1, k5xx = 2 };

class MetricsRecorder {
public:
    static constexpr std::array<double, 11> kBucketBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static constexpr Duration kStep = Duration::seconds(15);

    explicit MetricsRecorder(const ServiceCatalog& catalog);

    // A server request on `pod`'s `route` that ended with `statusClass` after `duration`.
    void observe(int pod, int route, StatusClass statusClass, Duration duration);
    // A sampled request that may become the exemplar of its latency bucket in this step: failing
    // ones win over good ones, slower ones over faster ones.
    void offerExemplar(int pod, int route, Timestamp end, Duration duration, bool error, const TraceId& trace, const SpanId& span);
    // The scrape at the start of step `step` (time `t`): every live series gets a sample, and the
    // previous step's exemplars are attached. Call for steps 0..N in order.
    void scrape(int step, Timestamp t);
    // Hands the buffered points to `sink` as series batches and empties the buffers.
    Status flush(RecordSink& sink);

    // The burn-rate alert as Prometheus reports it: firing since 14:48, with its value then.
    Alert burnRateAlert() const;

private:
    struct SeriesBuffer {
        Series series;
        std::vector<Sample> samples;
        std::vector<Exemplar> exemplars;
    };
    struct Slot { // one pod × route
        int pod = 0;
        int route = 0;
        std::array<int64_t, 3> requests = {};
        std::array<int64_t, 12> buckets = {}; // cumulative per bound; the last is +Inf
        double sum = 0;
        int64_t count = 0;
        size_t firstSeries = 0; // 3 counters, 12 buckets, sum, count
        struct Candidate {
            bool valid = false;
            bool error = false;
            Duration duration;
            Timestamp end;
            TraceId trace;
            SpanId span;
        } candidate;
    };
    double errorRatio(int steps) const; // checkout 5xx share over the last `steps` steps; NaN when idle

    const ServiceCatalog& m_catalog;
    std::vector<Slot> m_slots;
    std::vector<SeriesBuffer> m_series;
    size_t m_sliSeries = 0; // ratio_rate5m, ratio_rate30m, ratio_rate1h
    int m_step = 0;
    // Checkout requests and failures per step, cumulative (index k = before step k).
    std::vector<int64_t> m_checkoutTotal{0}, m_checkoutBad{0};
    int64_t m_stepTotal = 0, m_stepBad = 0;
    double m_alertValue = 0;
};

} // namespace rootline::sample
