#pragma once

// What the timeline draws, computed on a worker and handed over whole (style.md §2). Keys are
// seconds since the epoch as doubles, which is what QCustomPlot's date-time ticker expects.

#include "PlotSpec.h"

#include <QVector>
#include <atomic>
#include <vector>

namespace rootline {

struct PlotLine {
    PlotSpec spec;
    QVector<double> keys;
    QVector<double> values; // NaN for gaps
};

struct PlotExemplar {
    int lineIndex = -1; // the line whose row it is drawn in
    double key = 0;
    double value = 0;   // scaled like its line
    TraceId traceId;
};

struct TimelineData {
    TimeWindow view;  // what was loaded
    int maxPoints = 0;
    std::vector<PlotLine> lines;
    std::vector<PlotExemplar> exemplars;
    std::vector<Alert> alerts;
    qint64 pointCount() const
    {
        qint64 n = 0;
        for (const auto& l : lines)
            n += l.keys.size();
        return n;
    }
};

// Per-second rate of a counter between consecutive samples; a drop is a counter reset (the new
// value counts from zero). The first sample has no rate and is left out.
std::vector<Sample> counterRate(const std::vector<Sample>& samples);

// The q-quantile of one distribution given as buckets (lower, upper, count), interpolating
// linearly inside the bucket (as PromQL's histogram_quantile does); NaN when it is empty.
double bucketQuantile(std::vector<HistogramBucket> buckets, double q);

// Reads and transforms `specs` over `view` with at most `maxPoints` points per line, plus the
// exemplars attached to them and the alerts. Runs on a worker; checks `cancelled` between lines.
Result<TimelineData> loadTimeline(CacheReader& reader, const std::vector<PlotSpec>& specs, TimeWindow view, int maxPoints,
                                  const std::atomic_bool& cancelled);

} // namespace rootline
