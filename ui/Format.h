#pragma once

// Display text for model values, in one place so every pane formats times, durations and counts
// alike. Times are shown in one zone for the whole window, UTC (the default: the cache's time and
// the incident's) or the machine's local zone (View → Local time); every place that shows a time
// also names the zone (zoneName(): in the window text, the log table's header, the time axis).

#include "core/Records.h"

#include <QColor>
#include <QDateTime>
#include <QString>

namespace rootline::fmt {

enum class Zone { Utc, Local };
void setZone(Zone zone);              // the one setting every function below follows
Zone zone();
QString zoneName();                   // "UTC", or the local zone's abbreviation ("CET")
QDateTime toDateTime(Timestamp t);    // in the chosen zone

QString time(Timestamp t);            // "14:46:03.120"
QString dateTime(Timestamp t);        // "2026-11-23 14:46:03.120"
QString timeWithZone(Timestamp t);    // "14:46:03.120 UTC"
QString window(const TimeWindow& w);  // "2026-11-23 14:40:00 – 14:50:00 UTC (10m)", "all"
QString duration(Duration d);         // "312 ms", "1.52 s", "4m 10s"
QString count(qint64 n);              // "12,345"
QString shortTraceId(const TraceId& id); // first 12 hex digits + '…'
// Severity colours that read on light and dark palettes alike.
QColor severityColor(int severity);   // invalid for INFO and unset (use the palette)
QColor errorTint();                   // translucent red for error rows

} // namespace rootline::fmt
