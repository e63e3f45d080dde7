#pragma once

// The trace view (issue 10): one trace as a waterfall and a flame graph over one shared
// TraceViewState, with a minimap of the whole trace, a search bar (name, service or attribute;
// next and previous), switches for the clock-skew correction and the critical path, and the span
// inspector. The layout comes in built (TraceLayout::build on a worker); searching runs on a
// worker too and hands the state an index set. The view owns no cache access: the trace pane
// feeds it layouts and log counts and forwards its signals to Focus.

#include "core/Records.h"

#include <QWidget>
#include <atomic>
#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTimer;
class QToolButton;

namespace rootline {

class FlameGraphView;
class SpanInspector;
class SpanWaterfall;
class TraceLayout;
class TraceMinimap;
class TraceViewState;

class TraceView final : public QWidget {
    Q_OBJECT
public:
    explicit TraceView(QWidget* parent = nullptr);
    ~TraceView() override;

    TraceViewState* state() const { return m_state; }
    SpanWaterfall* waterfall() const { return m_waterfall; }
    FlameGraphView* flameGraph() const { return m_flame; }
    TraceMinimap* minimap() const { return m_minimap; }
    SpanInspector* inspector() const { return m_inspector; }
    QLineEdit* searchField() const { return m_search; }

    void setTraceLayout(std::shared_ptr<const TraceLayout> layout);
    void clear();
    void setSelectedSpan(SpanId id);
    void setCursorTime(Timestamp t);
    // Starts a search now (the field debounces typing by 250 ms); searchFinished() when its matches
    // are in the state.
    void search(const QString& text);

signals:
    void spanClicked(rootline::TraceId traceId, rootline::SpanId spanId);
    void hoveredTime(rootline::Timestamp t);
    void showLogsOfTrace(rootline::TraceId traceId);
    void searchFinished();

private:
    void updateSearchLabel();
    void updateSkewControl();

    TraceViewState* m_state;
    TraceMinimap* m_minimap;
    SpanWaterfall* m_waterfall;
    FlameGraphView* m_flame;
    SpanInspector* m_inspector;
    QLineEdit* m_search;
    QToolButton* m_previous;
    QToolButton* m_next;
    QLabel* m_matchLabel;
    QCheckBox* m_skew;
    QCheckBox* m_critical;
    QToolButton* m_resetZoom;
    QToolButton* m_expandAll;
    QTimer* m_searchDebounce;
    QSplitter* m_views;
    std::shared_ptr<std::atomic_bool> m_searchCancel;
    quint64 m_searchGeneration = 0;
};

} // namespace rootline
