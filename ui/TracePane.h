#pragma once

// The trace list of the focus window (read on a worker, swapped in whole) and, below it with most
// of the height, the selected trace's view (trace/TraceView.h: waterfall, flame graph, minimap,
// inspector), its spans read and laid out on a worker. Selecting a trace sets the Focus trace; a
// trace or span chosen elsewhere (exemplar, log line, guided step) is shown and selected here in
// both views; selecting a span in either view sets the Focus span. setCursorTime() marks the
// shared crosshair time in both views; hoveredTime() says which time the mouse is over.

#include "cache/CacheReader.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QSplitter;
class QTableView;
class QVBoxLayout;

namespace rootline {

class CacheSession;
class QueryBar;
class Focus;
class SpanWaterfall;
class TraceListModel;
class TraceView;
class TraceCompareView;

class TracePane final : public QWidget {
    Q_OBJECT
public:
    TracePane(CacheSession* session, Focus* focus, QWidget* parent = nullptr);
    ~TracePane() override;

    TraceListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    SpanWaterfall* waterfall() const;
    TraceView* traceView() const { return m_traceView; }
    // True while a trace's spans are being read and laid out.
    bool isTraceLoading() const { return m_traceJob != nullptr; }
    const TraceQuery& query() const { return m_query; }
    void setErrorsOnly(bool on);
    void setSlowestFirst(bool on);
    bool isLoaded() const { return m_loaded; }
    // The bar that fetches traces from a source, under the pane's title row (the window makes it).
    void setQueryBar(QueryBar* bar);
    // Opens a window comparing trace `a` (before, fast) with `b` (after, slow): a differential
    // flame graph and the per-operation table (also on the trace list's context menu).
    void compareTraces(TraceId a, TraceId b);
    // The comparison last opened (tests); nullptr when none or closed.
    TraceCompareView* compareView() const;
    QueryBar* queryBar() const { return m_queryBar; }

public slots:
    // The shared crosshair: a vertical line at `t` in both trace views.
    void setCursorTime(rootline::Timestamp t);

signals:
    void loaded();
    // The mouse is over this time (a span or the time axis) in either trace view.
    void hoveredTime(rootline::Timestamp t);
    // The inspector's "show logs" link: the window may bring the log pane forward (the pane
    // itself already asked Focus for the trace's logs).
    void showLogsOfTrace(rootline::TraceId traceId);
    // A trace's layout has been shown (or failed): for tests and the screenshot.
    void traceShown(rootline::TraceId traceId);

private:
    void requery();
    void showTrace(TraceId id);
    void setListRoom(bool traceOpen);
    void selectRowOf(TraceId id);
    void countLogs(TraceId trace, SpanId span);

    CacheSession* m_session;
    Focus* m_focus;
    TraceListModel* m_model;
    QTableView* m_view;
    TraceView* m_traceView;
    QSplitter* m_split;
    QLabel* m_traceTitle;
    QCheckBox* m_errorsOnly;
    QCheckBox* m_slowest;
    QLabel* m_countLabel;
    TraceQuery m_query;
    std::shared_ptr<std::atomic_bool> m_job;
    std::shared_ptr<std::atomic_bool> m_traceJob;
    std::shared_ptr<std::atomic_bool> m_countJob;
    TraceId m_shownTrace;
    std::optional<qint64> m_traceLogCount;
    QPointer<TraceCompareView> m_compareView;
    bool m_loaded = false;
    QueryBar* m_queryBar = nullptr;
    QVBoxLayout* m_upperLayout = nullptr;
    bool m_selecting = false;
};

} // namespace rootline
