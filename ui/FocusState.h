#pragma once

// What the user is looking at: a plain value, so history, tests and (later) saved investigations
// can hold it. Unset ids are invalid ids (TraceId{}, SpanId{}), an unset log row is 0, an unset
// window is TimeWindow::all(), no service is "". The log filter is part of it because a step of the
// guided walk means "this service's errors" or "this trace's logs", and Back must restore that too.

#include "core/Ids.h"
#include "core/Time.h"

#include <QMetaType>
#include <QString>

namespace rootline {

struct FocusState {
    TimeWindow window = TimeWindow::all();
    QString service;
    TraceId traceId;
    SpanId spanId;
    qint64 logRowId = 0;
    int logMinSeverity = 0;      // the log pane's level filter (0: all levels)
    bool logsOfTraceOnly = false; // the log pane shows only the lines of traceId
    bool tracesErrorsOnly = false; // the trace list shows only traces with a failed span

    bool hasWindow() const { return window != TimeWindow::all(); }
    bool operator==(const FocusState&) const = default;
};

} // namespace rootline

Q_DECLARE_METATYPE(rootline::FocusState)
Q_DECLARE_METATYPE(rootline::TimeWindow)
Q_DECLARE_METATYPE(rootline::TraceId)
Q_DECLARE_METATYPE(rootline::SpanId)
