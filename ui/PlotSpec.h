#pragma once

// What the timeline can draw, derived from the cache's series list: one line per spec, and a spec
// aggregates by service the way an SRE dashboard does (sum by service): a counter is drawn as the
// per-second rate summed over its pods, routes and statuses, its 5xx / error part as a second row;
// a classic histogram (`_bucket{le=...}`) as the 95th percentile of the buckets summed by service;
// a native histogram as its 95th percentile; a gauge as it is. Plain values: built on workers.

#include "cache/CacheReader.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace rootline {

enum class PlotTransform { Raw, Rate, HistogramQuantile, BucketQuantile };

struct PlotSpec {
    QString id;      // stable across loads: the series key (or the bucket group's key)
    QString row;     // the chart row it belongs to, e.g. "http_server_requests_total /s"
    QString label;   // what tells it apart within the row: service and distinguishing labels
    QString service; // for colour
    QString unit;    // as displayed ("/s", "ms", the series unit)
    PlotTransform transform = PlotTransform::Raw;
    std::vector<int64_t> seriesIds; // Rate: summed; BucketQuantile: every bucket series; else one
    std::vector<double> bounds;     // BucketQuantile: the `le` of each seriesIds entry
    double scale = 1;               // seconds → ms for latency
    double quantile = 0.95;
    QString baseName; // metric name without _bucket/_count/_sum/_total: exemplars attach by it
};

// One spec per drawable thing, ordered by row then label. `_sum`/`_count` companions of
// histograms are left out (the quantile says more); so are histogram series without buckets.
std::vector<PlotSpec> buildPlotSpecs(const std::vector<SeriesInfo>& series);

// Where a row goes on the dashboard: traffic (0), errors (1), request latency (2), other
// quantiles (3), other rates (4), the rest (5) — RED order.
int rowRank(const QString& row);

// A sensible first view: request rates, error rates and latency per service when names say so,
// otherwise the first rows; at most `maxRows` rows and `maxLinesPerRow` lines each.
QStringList defaultPlotSelection(const std::vector<PlotSpec>& specs, int maxRows = 3, int maxLinesPerRow = 10);

} // namespace rootline
