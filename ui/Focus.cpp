#include "Focus.h"

#include <QAction>
#include <QKeySequence>

namespace rootline {

Focus::Focus(QObject* parent)
    : QObject(parent)
    , m_backAction(new QAction(tr("Back"), this))
    , m_forwardAction(new QAction(tr("Forward"), this))
{
    m_backAction->setShortcut(QKeySequence::Back);
    m_backAction->setToolTip(tr("Back to the previous focus (window, trace, service)"));
    m_forwardAction->setShortcut(QKeySequence::Forward);
    m_forwardAction->setToolTip(tr("Forward again"));
    connect(m_backAction, &QAction::triggered, this, &Focus::back);
    connect(m_forwardAction, &QAction::triggered, this, &Focus::forward);
    updateActions();
}

void Focus::setWindow(TimeWindow window)
{
    if (!window.isValid())
        window = TimeWindow::all();
    FocusState next = m_state;
    next.window = window;
    apply(next, true);
}

void Focus::setService(const QString& service)
{
    FocusState next = m_state;
    next.service = service;
    apply(next, true);
}

void Focus::setTrace(TraceId traceId)
{
    FocusState next = m_state;
    if (next.traceId != traceId)
        next.spanId = {};
    next.traceId = traceId;
    apply(next, true);
}

void Focus::setSpan(TraceId traceId, SpanId spanId)
{
    FocusState next = m_state;
    next.traceId = traceId;
    next.spanId = spanId;
    // A span is looked at with its trace's logs (design.md §5: "click a span → its logs").
    if (spanId.isValid() && traceId.isValid())
        next.logsOfTraceOnly = true;
    apply(next, true);
}

void Focus::setLogRow(qint64 rowId)
{
    FocusState next = m_state;
    next.logRowId = rowId;
    apply(next, true);
}

void Focus::setLogFilter(int minSeverity, bool traceOnly)
{
    FocusState next = m_state;
    next.logMinSeverity = minSeverity;
    next.logsOfTraceOnly = traceOnly;
    apply(next, true);
}

void Focus::setTraceErrorsOnly(bool on)
{
    FocusState next = m_state;
    next.tracesErrorsOnly = on;
    apply(next, true);
}

void Focus::setState(const FocusState& state) { apply(state, true); }

void Focus::start(const FocusState& state)
{
    m_back.clear();
    m_forward.clear();
    apply(state, false);
    updateActions();
    emit historyChanged();
}

void Focus::setCursorTime(std::optional<Timestamp> t)
{
    if (t == m_cursor)
        return;
    m_cursor = t;
    emit cursorTimeChanged(t.value_or(Timestamp()), t.has_value());
}

void Focus::reset()
{
    setCursorTime(std::nullopt);
    m_back.clear();
    m_forward.clear();
    apply(FocusState{}, false);
    updateActions();
    emit historyChanged();
}

void Focus::back()
{
    if (m_back.empty())
        return;
    FocusState previous = m_back.back();
    m_back.pop_back();
    m_forward.push_back(m_state);
    apply(previous, false);
    updateActions();
    emit historyChanged();
}

void Focus::forward()
{
    if (m_forward.empty())
        return;
    FocusState next = m_forward.back();
    m_forward.pop_back();
    m_back.push_back(m_state);
    apply(next, false);
    updateActions();
    emit historyChanged();
}

void Focus::apply(FocusState next, bool record)
{
    if (next == m_state)
        return;
    const FocusState old = m_state;
    if (record) {
        m_back.push_back(old);
        if (m_back.size() > kMaxHistory)
            m_back.erase(m_back.begin());
        m_forward.clear();
    }
    m_state = std::move(next);
    // Specific signals first, so a pane that listens to one field sees the whole new state.
    if (old.window != m_state.window)
        emit windowChanged(m_state.window);
    if (old.service != m_state.service)
        emit serviceChanged(m_state.service);
    if (old.traceId != m_state.traceId)
        emit traceChanged(m_state.traceId);
    if (old.spanId != m_state.spanId)
        emit spanChanged(m_state.spanId);
    if (old.logRowId != m_state.logRowId)
        emit logRowChanged(m_state.logRowId);
    if (old.logMinSeverity != m_state.logMinSeverity || old.logsOfTraceOnly != m_state.logsOfTraceOnly)
        emit logFilterChanged(m_state.logMinSeverity, m_state.logsOfTraceOnly);
    if (old.tracesErrorsOnly != m_state.tracesErrorsOnly)
        emit traceFilterChanged(m_state.tracesErrorsOnly);
    emit changed(m_state);
    if (record) {
        updateActions();
        emit historyChanged();
    }
}

void Focus::updateActions()
{
    m_backAction->setEnabled(canGoBack());
    m_forwardAction->setEnabled(canGoForward());
}

} // namespace rootline
