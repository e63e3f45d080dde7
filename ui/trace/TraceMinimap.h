#pragma once

// A minimap of the whole trace (issue 10): every depth squeezed into a short strip over the
// trace's full extent (merged per band with the shared level-of-detail helper), rendered once per
// layout into a cached pixmap, with the zoom window drawn over it. Clicking centres the zoom
// window there; dragging across draws a new one.

#include <QPixmap>
#include <QWidget>

namespace rootline {

class TraceViewState;

class TraceMinimap final : public QWidget {
    Q_OBJECT
public:
    explicit TraceMinimap(TraceViewState* state, QWidget* parent = nullptr);
    QSize sizeHint() const override { return {600, 36}; }
    QSize minimumSizeHint() const override { return {100, 24}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void renderCache();
    double left() const { return 6; }
    double right() const { return std::max(left() + 10, double(width() - 6)); }

    TraceViewState* m_state;
    QPixmap m_cache;
    bool m_dirty = true;
    bool m_pressed = false;
    double m_pressX = 0;
    double m_dragTo = 0;
};

} // namespace rootline
