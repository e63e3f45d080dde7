#pragma once

// Latency SLIs from histograms stored as HistogramSample rows: Prometheus native (sparse,
// exponential) histograms and OTLP explicit-bucket and exponential histograms, all flattened by the
// importers to non-cumulative (lower, upper, count) buckets.
//
// "Requests at or below T" is estimated as Prometheus' histogram_fraction(-Inf, T) does
// (promql/quantile.go, Prometheus 2.x): buckets entirely at or below T count whole; the bucket with
// lower < T < upper counts the share (T − lower) / (upper − lower) of its observations (linear
// interpolation); buckets with lower ≥ T count nothing. So a threshold on a boundary counts the
// bucket below it whole (upper bounds are inclusive for positive values). A bucket that straddles
// zero (the zero bucket, or OTLP's first explicit bucket (−Inf, b₀]) starts at 0 when the histogram
// has no negative observations, and ends at 0 when it has no positive ones. A bucket reaching +Inf
// contributes nothing from its inside; a threshold above every bucket counts all observations.
//
// Over time the rows are taken as cumulative (Prometheus native histograms always are; OTLP
// cumulative temporality, which Prometheus-compatible pipelines export): a window's events are the
// difference of two rows. A drop in the count, or in any bucket present in both rows, is a counter
// reset (the process restarted) and the new row counts whole, as for counters (CounterHistory.h).
// OTLP delta histograms are recorded as such and read as running totals (cache/DeltaTotals.h), so
// they arrive here cumulative too.

#include "CounterHistory.h"
#include "core/Records.h"

#include <vector>

namespace rootline {

// Observations in the histogram: its count when that is a number, else the sum of its buckets.
double observationCount(const HistogramSample& h);

// Estimated observations at or below `threshold` (at most `observationCount(h)`).
double observationsAtOrBelow(const HistogramSample& h, double threshold);

// The fraction of observations slower than `threshold`: 1 − at-or-below / count; NaN when empty.
double fractionAbove(const HistogramSample& h, double threshold);

// A latency SLI's counters from one histogram series: `total` and `good` (at or below the
// threshold) as reset-adjusted cumulative counts, ready for windowed increases.
struct LatencyCounters {
    CounterHistory total;
    CounterHistory good;
    int resets = 0; // counter resets seen
    int rows = 0;   // rows read
    // Resets in half the steps or more: more like OTLP delta temporality (each row its own
    // interval) than restarts — in a series stored without its temporality (before cache schema
    // 5, or from a source that does not say), so this is only said.
    bool looksDelta() const { return rows >= 4 && 2 * resets >= rows - 1; }
};

// Rows in any order.
LatencyCounters latencyCounters(std::vector<HistogramSample> rows, double threshold);

// True when `cur` is a new life of the histogram `prev` counted (its count or a bucket shrank).
bool histogramReset(const HistogramSample& prev, const HistogramSample& cur);

} // namespace rootline
