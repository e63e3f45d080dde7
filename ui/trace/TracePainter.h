#pragma once

// What the waterfall, the flame graph and the minimap draw alike (style.md §6: one painter): a
// span's bar with its marks (service colour, error, critical path, selection, hover, search match,
// collapsed child count), a merged level-of-detail mark with its count, the time axis and the
// crosshair — all placed through one TimeMapping.

#include "LevelOfDetail.h"
#include "TimeMapping.h"

#include <QColor>
#include <QRectF>
#include <QString>

class QPainter;
class QPalette;
class QFontMetrics;

namespace rootline {

class TraceViewState;

namespace tracePainter {

// The bar of `node` in `rect` (already placed), with its label inside when it fits.
void paintBar(QPainter& p, const QRectF& rect, const TraceViewState& state, int node, const QString& label, const QPalette& pal);
// A mark standing for `count` spans narrower than a pixel.
void paintMerged(QPainter& p, const QRectF& rect, int count, const QPalette& pal);
// Ticks with times relative to the trace's start, across the header strip `rect`.
void paintAxis(QPainter& p, const QRectF& rect, const TimeMapping& map, Timestamp origin, const QPalette& pal, double gridBottom);
// The crosshair line (shared cursor time) and the hovered span's extent, if any.
void paintCursor(QPainter& p, const TimeMapping& map, const TraceViewState& state, double top, double bottom);

// The fill colour of a node: its service's (stable for the cache), red for errors, grey for a
// placeholder.
QColor fillOf(const TraceViewState& state, int node);

} // namespace tracePainter
} // namespace rootline
