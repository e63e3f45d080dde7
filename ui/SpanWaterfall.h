#pragma once

// A trace's spans as a waterfall (issue 10): one row per visible node of the shared
// TraceViewState, in parent→child order, bars on the zoom window's time axis; painted with
// QPainter over the layout's flat arrays (style.md §6: no item per span), only the rows on screen.
// The name column indents by depth (any depth: past what fits, the depth is written instead) and
// has a ▸/▾ to collapse a subtree, with the collapsed node's descendant count. It scrolls itself
// (a 1M-row widget would pass Qt's 16M-pixel limit).
//
// Mouse: click selects (and focuses the span), the triangle collapses, wheel scrolls,
// Ctrl+wheel zooms, Shift+wheel or a drag on the bars pans, double-click zooms to the span.
// Keys: Up/Down select, Left/Right collapse/expand.

#include "core/Records.h"

#include <QWidget>
#include <memory>
#include <vector>

class QScrollBar;

namespace rootline {

class TraceLayout;
class TraceViewState;

class SpanWaterfall final : public QWidget {
    Q_OBJECT
public:
    // Without a state the waterfall makes its own (standalone use, tests).
    explicit SpanWaterfall(QWidget* parent = nullptr);
    SpanWaterfall(TraceViewState* state, QWidget* parent = nullptr);

    TraceViewState* state() const { return m_state; }
    // Lays out `spans` on this thread and shows them (tests, small traces); the trace view lays out
    // on a worker and sets the state's layout instead.
    void setSpans(std::vector<Span> spans);
    void clear();
    int spanCount() const;         // spans of the trace (placeholders not counted)
    int rowCount() const;          // rows shown (collapsed subtrees hidden, placeholders counted)
    // Row `row` (0 = top) of the rows shown: its span (a placeholder: the missing parent's id) and depth.
    SpanId spanAt(int row) const;
    int depthAt(int row) const;
    int nodeAt(int row) const;
    void setSelectedSpan(SpanId id);
    // Geometry, for tests that click: the row's rectangle and its collapse triangle's centre.
    QRect rowRect(int row) const;
    QPoint toggleCentre(int row) const;

    int rowHeight() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void spanClicked(rootline::TraceId traceId, rootline::SpanId spanId);
    void hoveredTime(rootline::Timestamp t);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void connectState();
    void updateScrollBar();
    void ensureRowVisible(int row);
    int rowAtY(double y) const; // -1 outside the rows
    int labelWidth() const;
    double barLeft() const;
    double barRight() const;
    int indentOf(int depth) const;

    TraceViewState* m_state;
    QScrollBar* m_scroll;
    bool m_dragging = false;
    double m_dragX = 0;
    double m_pressX = 0;
};

} // namespace rootline
