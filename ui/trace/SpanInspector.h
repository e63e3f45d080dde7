#pragma once

// The selected span in detail (issue 10): timing (duration, self time, time on the critical path,
// clock correction), status, ids, attributes, events, links, resource, and how many logs carry
// this span's and this trace's id, with a link that asks for the trace's logs. Without a
// selection it shows the trace: its self time per service, errors, orphans and clock corrections.
// The counts come from whoever owns the cache reader (the trace pane counts them on a worker).

#include "core/Ids.h"

#include <QTextBrowser>
#include <optional>

namespace rootline {

class TraceViewState;

class SpanInspector final : public QTextBrowser {
    Q_OBJECT
public:
    explicit SpanInspector(TraceViewState* state, QWidget* parent = nullptr);

    // Logs that carry the trace's id, and of them the selected span's (nullopt: not counted yet).
    // `capped`: the span count is a lower bound (only the first logs of the trace were read).
    void setLogCounts(std::optional<qint64> traceLogs, std::optional<qint64> spanLogs, bool capped = false);
    QSize sizeHint() const override { return {320, 400}; }

signals:
    void showLogsOfTrace(rootline::TraceId traceId);
    void showLogsOfSpan(rootline::TraceId traceId, rootline::SpanId spanId);

private:
    void refresh();
    QString traceSummaryHtml() const;
    QString spanHtml(int node) const;

    TraceViewState* m_state;
    std::optional<qint64> m_traceLogs, m_spanLogs;
    bool m_capped = false;
};

} // namespace rootline
