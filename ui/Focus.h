#pragma once

// The one focus hub (style.md §3, design.md §5): owns the time window, the selected service,
// trace, span and log record, and the back/forward history. Panes change the focus through it
// and follow its signals; they never call each other.
// Beside the focus, and outside its history: the crosshair time (cursorTime), which hovering a
// chart, a log row or a span moves, so every pane marks the same instant. Hover never creates a
// history entry.

#include "FocusState.h"

#include <QObject>
#include <optional>
#include <vector>

class QAction;

namespace rootline {

class Focus final : public QObject {
    Q_OBJECT
public:
    explicit Focus(QObject* parent = nullptr);

    const FocusState& state() const { return m_state; }
    TimeWindow window() const { return m_state.window; }
    const QString& service() const { return m_state.service; }
    TraceId traceId() const { return m_state.traceId; }
    SpanId spanId() const { return m_state.spanId; }
    qint64 logRowId() const { return m_state.logRowId; }

    // Each setter that changes something records the previous state in the history (and clears
    // the forward list), then emits the specific signal(s) and changed().
    void setWindow(TimeWindow window);
    void clearWindow() { setWindow(TimeWindow::all()); }
    void setService(const QString& service);
    // Selecting a trace clears the span (it belonged to the old trace).
    void setTrace(TraceId traceId);
    // Selecting a span also narrows the logs to its trace (logsOfTraceOnly), in the same step.
    void setSpan(TraceId traceId, SpanId spanId);
    void setLogRow(qint64 rowId);
    // Replaces the whole state at once (one history entry); for restoring saved investigations.
    void setState(const FocusState& state);
    // Sets the log pane's filter (minimum severity, only the focus trace's lines).
    void setLogFilter(int minSeverity, bool traceOnly);
    // Sets the trace list's filter (only traces with a failed span).
    void setTraceErrorsOnly(bool on);
    // Forgets everything, history included — when another cache is opened.
    void reset();
    // Where a newly opened cache starts (the firing alert's window): replaces the state without a
    // history entry, so Back never leads to a state the user has not seen.
    void start(const FocusState& state);

    // The crosshair: the time every pane marks now; nullopt when nothing is hovered. No history.
    std::optional<Timestamp> cursorTime() const { return m_cursor; }
    void setCursorTime(std::optional<Timestamp> t);
    void clearCursorTime() { setCursorTime(std::nullopt); }

    bool canGoBack() const { return !m_back.empty(); }
    bool canGoForward() const { return !m_forward.empty(); }
    void back();
    void forward();

    // Ready-made actions (Alt+Left / Alt+Right), enabled with the history; owned by the Focus.
    QAction* backAction() const { return m_backAction; }
    QAction* forwardAction() const { return m_forwardAction; }

signals:
    void windowChanged(rootline::TimeWindow window);
    void serviceChanged(const QString& service);
    void traceChanged(rootline::TraceId traceId);
    void spanChanged(rootline::SpanId spanId);
    void logRowChanged(qint64 rowId);
    void logFilterChanged(int minSeverity, bool traceOnly);
    void traceFilterChanged(bool errorsOnly);
    void changed(const rootline::FocusState& state);
    void historyChanged();
    // The crosshair moved; `hasTime` false: it left the panes (`time` is then meaningless).
    void cursorTimeChanged(rootline::Timestamp time, bool hasTime);

private:
    void apply(FocusState next, bool record);
    void updateActions();

    FocusState m_state;
    std::optional<Timestamp> m_cursor;
    std::vector<FocusState> m_back;
    std::vector<FocusState> m_forward;
    QAction* m_backAction;
    QAction* m_forwardAction;
    static constexpr size_t kMaxHistory = 200;
};

} // namespace rootline
