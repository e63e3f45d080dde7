#include "TraceMinimap.h"

#include "LevelOfDetail.h"
#include "TimeMapping.h"
#include "TraceLayout.h"
#include "TracePainter.h"
#include "TraceViewState.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace rootline {

TraceMinimap::TraceMinimap(TraceViewState* state, QWidget* parent) : QWidget(parent), m_state(state)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("The whole trace: click to move the view there, drag to zoom to a stretch"));
    auto invalidate = [this] {
        m_dirty = true;
        update();
    };
    connect(m_state, &TraceViewState::layoutChanged, this, invalidate);
    connect(m_state, &TraceViewState::skewChanged, this, invalidate);
    connect(m_state, &TraceViewState::searchChanged, this, invalidate);
    connect(m_state, &TraceViewState::zoomChanged, this, qOverload<>(&QWidget::update));
    connect(m_state, &TraceViewState::cursorChanged, this, qOverload<>(&QWidget::update));
    connect(m_state, &TraceViewState::selectionChanged, this, qOverload<>(&QWidget::update));
}

void TraceMinimap::resizeEvent(QResizeEvent*) { m_dirty = true; }

void TraceMinimap::renderCache()
{
    const qreal dpr = devicePixelRatioF();
    m_cache = QPixmap(size() * dpr);
    m_cache.setDevicePixelRatio(dpr);
    m_cache.fill(palette().color(QPalette::Base));
    m_dirty = false;
    if (!m_state->hasTrace())
        return;
    QPainter p(&m_cache);
    const TraceLayout& L = *m_state->layout();
    const TimeMapping map(L.bounds(), left(), right());
    const double top = 3, h = height() - 6;
    const int depths = L.maxDepth() + 1;
    const double band = h / depths;
    std::vector<SpanMark> marks;
    const bool searching = !m_state->matches().empty();
    for (int d = 0; d < depths; ++d) {
        const double y = top + d * band;
        // Deep traces put many depths on one pixel row: each still draws, merged along time.
        marks.clear();
        MarkMerger merger(marks);
        for (int32_t node : L.nodesAtDepth(d))
            merger.add(map.xOf(m_state->startOf(node)), map.xOf(m_state->endOf(node)), node);
        merger.finish();
        for (const auto& m : marks) {
            QColor c = m.merged() ? palette().color(QPalette::Mid) : tracePainter::fillOf(*m_state, m.node);
            if (searching && !m.merged() && !m_state->isMatch(m.node))
                c.setAlpha(60);
            p.fillRect(QRectF(m.x0, y, m.x1 - m.x0, std::max(1.0, band - (band > 3 ? 1 : 0))), c);
        }
    }
    if (searching) // matches as ticks along the top edge, so they can be found from afar
        for (int32_t node : m_state->matches())
            p.fillRect(QRectF(map.xOf(m_state->startOf(node)), 0, 2, 3), QColor(0xff, 0xb3, 0x00));
}

void TraceMinimap::paintEvent(QPaintEvent*)
{
    if (m_dirty || m_cache.size() != size() * devicePixelRatioF())
        renderCache();
    QPainter p(this);
    p.drawPixmap(0, 0, m_cache);
    if (!m_state->hasTrace())
        return;
    const TimeMapping map(m_state->layout()->bounds(), left(), right());
    // Shade what is outside the zoom window, frame what is inside.
    const double x0 = map.xOf(m_state->zoom().from), x1 = std::max(x0 + 2, map.xOf(m_state->zoom().to));
    QColor shade = palette().color(QPalette::Window);
    shade.setAlpha(150);
    p.fillRect(QRectF(0, 0, x0, height()), shade);
    p.fillRect(QRectF(x1, 0, width() - x1, height()), shade);
    p.setPen(QPen(palette().color(QPalette::Highlight), 1));
    p.drawRect(QRectF(x0, 0.5, x1 - x0, height() - 1));
    if (const int s = m_state->selected(); s >= 0) {
        const double sx = map.xOf(m_state->startOf(s));
        p.fillRect(QRectF(sx - 1, 0, 2, height()), palette().color(QPalette::Highlight));
    }
    tracePainter::paintCursor(p, map, *m_state, 0, height());
    if (m_pressed && std::abs(m_dragTo - m_pressX) > 3) {
        QColor sel = palette().color(QPalette::Highlight);
        sel.setAlpha(60);
        p.fillRect(QRectF(std::min(m_pressX, m_dragTo), 0, std::abs(m_dragTo - m_pressX), height()), sel);
    }
}

void TraceMinimap::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_state->hasTrace())
        return;
    m_pressed = true;
    m_pressX = m_dragTo = event->position().x();
}

void TraceMinimap::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_pressed)
        return;
    m_dragTo = event->position().x();
    update();
}

void TraceMinimap::mouseReleaseEvent(QMouseEvent* event)
{
    if (!m_pressed)
        return;
    m_pressed = false;
    const TimeMapping map(m_state->layout()->bounds(), left(), right());
    const double x = event->position().x();
    if (std::abs(x - m_pressX) > 3) {
        m_state->setZoom({map.timeAt(std::min(x, m_pressX)), map.timeAt(std::max(x, m_pressX))});
    } else {
        const Duration len = m_state->zoom().length();
        const Timestamp centre = map.timeAt(x);
        m_state->setZoom({centre - len / 2, centre - len / 2 + len});
    }
    update();
}

} // namespace rootline
