#pragma once

// Writes the metrics as three Prometheus HTTP API responses (wire-formats.md §2):
//  * `/api/v1/query_range` over the whole window at the scrape interval: a matrix with every
//    series (counters, classic histogram `_bucket{le}` / `_sum` / `_count`, recording-rule
//    gauges) as {"metric":{"__name__":…,labels},"values":[[<seconds>,"<value>"],…]}, series
//    sorted by their labels, values as Go prints them ("NaN" where a ratio had no requests);
//  * `/api/v1/query_exemplars`: [{"seriesLabels":{…},"exemplars":[{"labels":{"trace_id","span_id"},
//    "value":"<v>","timestamp":<seconds.mmm>}]}] — Prometheus keeps exemplar times in milliseconds;
//  * `/api/v1/alerts`: the alerts with labels, annotations, state, activeAt (RFC 3339) and value
//    ("1.44e+01").
// Points are spooled per series as they are flushed (ForeignSpool): memory holds the series'
// labels, not their points. What the API cannot say is not written: a series' type and unit
// (that is `/api/v1/metadata`), and the resource beyond the labels.

#include "ForeignFile.h"
#include "ForeignSpool.h"
#include "cache/TelemetryBatch.h"

#include <map>
#include <string>
#include <vector>

namespace rootline::sample {

class ForeignPrometheusWriter {
public:
    explicit ForeignPrometheusWriter(const std::string& spoolDirectory)
        : m_samplesSpool(spoolDirectory)
        , m_exemplarsSpool(spoolDirectory) {}

    Status add(const SeriesData& data);
    void addAlert(const Alert& alert) { m_alerts.push_back(alert); }

    Status finishMatrix(ForeignFile& out);
    Status finishExemplars(ForeignFile& out);
    void finishAlerts(ForeignFile& out) const;

    int64_t series() const { return int64_t(m_series.size()); }
    int64_t samples() const { return m_samples; }
    int64_t exemplars() const { return m_exemplars; }
    int64_t alerts() const { return int64_t(m_alerts.size()); }

private:
    struct SeriesEntry {
        std::vector<std::pair<std::string, std::string>> labels; // __name__ first, then sorted
        std::string labelsJson;
        size_t samplesGroup = 0;   // in m_samplesSpool
        size_t exemplarsGroup = 0; // in m_exemplarsSpool
    };
    std::map<std::string, size_t> m_byKey; // Series::key() → index
    std::vector<SeriesEntry> m_series;
    ForeignSpool m_samplesSpool, m_exemplarsSpool;
    std::vector<Alert> m_alerts;
    std::string m_chunk;
    int64_t m_samples = 0;
    int64_t m_exemplars = 0;

    std::vector<size_t> sortedSeries() const;
};

} // namespace rootline::sample
