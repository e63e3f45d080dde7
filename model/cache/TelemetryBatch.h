#pragma once

#include "core/Records.h"

#include <vector>

namespace rootline {

// Everything a series brings in one batch: the series itself and its points.
struct SeriesData {
    Series series;
    std::vector<Sample> samples;
    std::vector<HistogramSample> histograms;
    std::vector<Exemplar> exemplars;
};

// One batch of records on its way to the cache writer. Importers and connectors fill batches of a
// few thousand records and hand them over; the writer stores each within its unit's transaction.
struct TelemetryBatch {
    std::vector<LogRecord> logs;
    std::vector<Span> spans;
    std::vector<SeriesData> series;
    std::vector<Alert> alerts;

    size_t recordCount() const
    {
        size_t n = logs.size() + spans.size() + alerts.size();
        for (const auto& s : series)
            n += s.samples.size() + s.histograms.size() + s.exemplars.size();
        return n;
    }
    bool empty() const { return logs.empty() && spans.empty() && series.empty() && alerts.empty(); }
};

// What a unit (or a whole import) stored.
struct WriteStats {
    int64_t logs = 0;
    int64_t spans = 0;
    int64_t series = 0; // series touched
    int64_t samples = 0;
    int64_t histograms = 0;
    int64_t exemplars = 0;
    int64_t alerts = 0;
    int64_t rejected = 0;
    int64_t warnings = 0;   // records kept with a warning (e.g. bytes that were not UTF-8 replaced)
    int64_t duplicates = 0; // spans, exemplars and log lines already stored (spans and exemplars: or twice in the unit), skipped

    int64_t total() const { return logs + spans + samples + histograms + exemplars + alerts; }
    WriteStats& operator+=(const WriteStats& o)
    {
        logs += o.logs; spans += o.spans; series += o.series; samples += o.samples;
        histograms += o.histograms; exemplars += o.exemplars; alerts += o.alerts; rejected += o.rejected; warnings += o.warnings;
        duplicates += o.duplicates;
        return *this;
    }
};

} // namespace rootline
