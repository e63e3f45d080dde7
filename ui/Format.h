#pragma once

// Display text for model values, in one place so every pane formats times, durations and counts
// alike. Times are shown in UTC (the cache's time and the incident's time zone).

#include "core/Records.h"

#include <QColor>
#include <QString>

namespace rootline::fmt {

QString time(Timestamp t);            // "14:46:03.120"
QString dateTime(Timestamp t);        // "2026-11-23 14:46:03.120"
QString window(const TimeWindow& w);  // "2026-11-23 14:40:00 – 14:50:00 UTC (10m)", "all"
QString duration(Duration d);         // "312 ms", "1.52 s", "4m 10s"
QString count(qint64 n);              // "12,345"
QString shortTraceId(const TraceId& id); // first 12 hex digits + '…'
// Severity colours that read on light and dark palettes alike.
QColor severityColor(int severity);   // invalid for INFO and unset (use the palette)
QColor errorTint();                   // translucent red for error rows

} // namespace rootline::fmt
