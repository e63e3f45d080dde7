#pragma once

// OTLP delta points (issue 12 item 5) as running totals, so that a delta series reads like a
// cumulative one: each point becomes the sum of the deltas up to it, from the first point given.
//
// Why at read time, not at ingest: a delta stream's points can arrive in any order — two files of
// one Collector imported newest first, overlapping exports — and a total computed at ingest would
// be wrong for every point stored after one that arrived late. Stored as they came, the points are
// summed in time order whenever they are read (one addition a point, or a bucket), and every
// reader of counters and histograms — rates on the timeline, SLO burn rates, latency SLIs, the
// root-cause ranker — reads one kind, cumulative, without knowing about temporality.
//
// Totals start at the first point read, not at the stream's first point ever: increases between
// points (all that counters are read for) are the same either way, and a window's read stays
// bounded by the window. As with a cumulative series, the first point read is the baseline: its
// own interval, which ended at it, is not an increase within the window.
//
// Buckets are summed by their exact bounds. An exponential histogram whose scale changed between
// rows (an SDK rescales when the range grows) keeps both scales' buckets side by side: counts at
// or below a threshold (HistogramFraction.h) stay exact sums; a quantile walks them by upper bound.

#include "core/Records.h"

#include <vector>

namespace rootline {

// Samples sorted by time; NaN values (no recorded value) stay NaN and add nothing.
void runningTotals(std::vector<Sample>& samples);

// Rows sorted by time; each row becomes the running total of every bucket seen so far (a bucket
// absent from a delta row had no observations in that interval), its count and its sum.
void runningTotals(std::vector<HistogramSample>& rows);

} // namespace rootline
