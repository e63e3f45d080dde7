#pragma once

// The flame graph of one trace (issue 10): an icicle with time on x and depth going down, over the
// same TraceViewState as the waterfall, so selection, hover, zoom, search and collapse act on
// both. Per depth the nodes come sorted by start from the layout; spans narrower than a pixel are
// merged into one counted mark (LevelOfDetail.h); labels are drawn only where they fit. A collapsed
// node shows its descendant count and hides its subtree. No item per span.
//
// Mouse: click selects (a merged mark: zooms into it), wheel scrolls depth, Ctrl+wheel zooms,
// Shift+wheel or a drag pans, double-click zooms to the span.

#include "LevelOfDetail.h"
#include "core/Records.h"

#include <QWidget>
#include <vector>

class QScrollBar;

namespace rootline {

class TraceViewState;

class FlameGraphView final : public QWidget {
    Q_OBJECT
public:
    explicit FlameGraphView(TraceViewState* state, QWidget* parent = nullptr);

    // The marks of depth `depth` as the view lays them out at its current size (tests, hit tests).
    std::vector<SpanMark> marksAtDepth(int depth) const;
    // Nodes drawn (visible, not merged) across all depths at the current size: for tests.
    int drawnNodeCount() const;
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
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateScrollBar();
    int depthAtY(double y) const;
    const SpanMark* markAt(QPointF pos, std::vector<SpanMark>& scratch) const;
    double left() const { return 6; }
    double right() const;

    TraceViewState* m_state;
    QScrollBar* m_scroll;
    bool m_dragging = false;
    double m_dragX = 0;
};

} // namespace rootline
