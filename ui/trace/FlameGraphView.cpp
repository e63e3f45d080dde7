#include "FlameGraphView.h"

#include "Format.h"
#include "TimeMapping.h"
#include "TraceLayout.h"
#include "TracePainter.h"
#include "TraceViewState.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace rootline {

FlameGraphView::FlameGraphView(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_scroll(new QScrollBar(Qt::Vertical, this))
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setMouseTracking(true);
    connect(m_scroll, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
    connect(m_state, &TraceViewState::layoutChanged, this, [this] {
        m_scroll->setValue(0);
        updateScrollBar();
        update();
    });
    connect(m_state, &TraceViewState::selectionChanged, this, [this](int node) {
        if (node >= 0 && m_state->hasTrace()) {
            const int d = m_state->layout()->depth(node);
            if (d < m_scroll->value() || d >= m_scroll->value() + m_scroll->pageStep())
                m_scroll->setValue(std::max(0, d - m_scroll->pageStep() / 2));
        }
        update();
    });
    connect(m_state, &TraceViewState::changed, this, qOverload<>(&QWidget::update));
    updateScrollBar();
}

int FlameGraphView::rowHeight() const { return fontMetrics().height() + 4; }

QSize FlameGraphView::sizeHint() const { return {700, 12 * rowHeight()}; }

QSize FlameGraphView::minimumSizeHint() const { return {240, 4 * rowHeight()}; }

double FlameGraphView::right() const
{
    return std::max(left() + 10, double(width() - (m_scroll->isVisible() ? m_scroll->width() : 0) - 6));
}

void FlameGraphView::updateScrollBar()
{
    const int rh = rowHeight();
    const int visible = std::max(1, (height() - rh) / rh);
    const int depths = m_state->hasTrace() ? m_state->layout()->maxDepth() + 1 : 0;
    m_scroll->setRange(0, std::max(0, depths - visible));
    m_scroll->setPageStep(visible);
    m_scroll->setVisible(depths > visible);
    m_scroll->setGeometry(width() - m_scroll->sizeHint().width(), rh, m_scroll->sizeHint().width(), height() - rh);
}

void FlameGraphView::resizeEvent(QResizeEvent*) { updateScrollBar(); }

int FlameGraphView::depthAtY(double y) const
{
    const int rh = rowHeight();
    if (y < rh || !m_state->hasTrace())
        return -1;
    const int d = m_scroll->value() + int((y - rh) / rh);
    return d <= m_state->layout()->maxDepth() ? d : -1;
}

std::vector<SpanMark> FlameGraphView::marksAtDepth(int depth) const
{
    std::vector<SpanMark> marks;
    if (!m_state->hasTrace() || depth < 0 || depth > m_state->layout()->maxDepth())
        return marks;
    const TraceLayout& L = *m_state->layout();
    const TimeMapping map(m_state->zoom(), left(), right());
    const int64_t from = m_state->zoom().from.nanos(), to = m_state->zoom().to.nanos();
    MarkMerger merger(marks);
    const auto& row = L.nodesAtDepth(depth);
    const auto [first, last] = L.rangeAtDepth(depth, from, to);
    for (size_t k = first; k < last; ++k) {
        const int32_t node = row[k];
        if (m_state->isHidden(node))
            continue;
        const int64_t s = m_state->startOf(node), e = m_state->endOf(node);
        if (e < from || s > to)
            continue;
        merger.add(std::max(map.xOf(s), map.left() - 2), std::min(map.xOf(e), map.right() + 2), node);
    }
    merger.finish();
    return marks;
}

int FlameGraphView::drawnNodeCount() const
{
    if (!m_state->hasTrace())
        return 0;
    int n = 0;
    for (int d = 0; d <= m_state->layout()->maxDepth(); ++d)
        for (const auto& m : marksAtDepth(d))
            n += m.count;
    return n;
}

void FlameGraphView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    if (!m_state->hasTrace()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a trace to see its flame graph"));
        return;
    }
    const TraceLayout& L = *m_state->layout();
    const int rh = rowHeight();
    const TimeMapping map(m_state->zoom(), left(), right());
    const int first = m_scroll->value();
    const int last = std::min(L.maxDepth(), first + (height() - rh) / rh + 1);
    p.save();
    p.setClipRect(QRectF(map.left(), rh, map.width(), height() - rh));
    for (int d = first; d <= last; ++d) {
        const double y = rh + (d - first) * rh;
        for (const SpanMark& m : marksAtDepth(d)) {
            const QRectF r(m.x0, y + 1, m.x1 - m.x0, rh - 2);
            if (m.merged()) {
                tracePainter::paintMerged(p, r, m.count, pal);
                continue;
            }
            QString label = QString::fromStdString(L.labelOf(m.node));
            if (m_state->isCollapsed(m.node))
                label = QStringLiteral("+%1 ").arg(L.descendantCount(m.node)) + label;
            tracePainter::paintBar(p, r, *m_state, m.node, label, pal);
            if (m_state->isCollapsed(m.node) && r.width() >= 4) // a collapsed subtree: a tab under the bar
                p.fillRect(QRectF(r.left(), r.bottom(), std::min(r.width(), 24.0), 1), pal.color(QPalette::Text));
        }
    }
    p.restore();
    p.fillRect(QRect(0, 0, width(), rh), pal.color(QPalette::Window));
    tracePainter::paintAxis(p, QRectF(map.left(), 0, map.width(), rh), map, L.bounds().from, pal, height());
    tracePainter::paintCursor(p, map, *m_state, rh, height());
}

const SpanMark* FlameGraphView::markAt(QPointF pos, std::vector<SpanMark>& scratch) const
{
    scratch = marksAtDepth(depthAtY(pos.y()));
    for (const auto& m : scratch)
        if (pos.x() >= m.x0 - 0.5 && pos.x() <= m.x1 + 0.5)
            return &m;
    return nullptr;
}

void FlameGraphView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_dragX = event->position().x();
    m_dragging = true;
    std::vector<SpanMark> scratch;
    const SpanMark* m = markAt(event->position(), scratch);
    if (!m)
        return;
    if (m->merged()) {
        // A counted mark: zoom in until its spans are wide enough to tell apart.
        const TimeMapping map(m_state->zoom(), left(), right());
        const Timestamp a = map.timeAt(m->x0), b = map.timeAt(m->x1);
        const Duration pad = std::max((b - a) / 4, Duration::nanos(50));
        m_state->setZoom({a - pad, b + pad});
        return;
    }
    m_state->select(m->node);
    if (const Span* s = m_state->layout()->span(m->node))
        emit spanClicked(s->traceId, s->spanId);
}

void FlameGraphView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_state->hasTrace())
        return;
    const TimeMapping map(m_state->zoom(), left(), right());
    const double x = event->position().x();
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        m_state->setZoom(map.panned(m_dragX - x, m_state->layout()->bounds()));
        m_dragX = x;
        return;
    }
    std::vector<SpanMark> scratch;
    const SpanMark* m = markAt(event->position(), scratch);
    m_state->hover(m && !m->merged() ? m->node : -1);
    if (m && !m->merged()) {
        const TraceLayout& L = *m_state->layout();
        setToolTip(QString::fromStdString(L.serviceOf(m->node)) + QStringLiteral(": ") + QString::fromStdString(L.labelOf(m->node))
                   + QStringLiteral("\n") + fmt::duration(Duration::nanos(m_state->endOf(m->node) - m_state->startOf(m->node)))
                   + tr(" · self %1").arg(fmt::duration(L.selfTime(m->node))));
    } else if (m) {
        setToolTip(tr("%1 spans narrower than a pixel — click to zoom in").arg(m->count));
    } else {
        setToolTip({});
    }
    if (x >= map.left() && x <= map.right())
        emit hoveredTime(map.timeAt(x));
}

void FlameGraphView::mouseReleaseEvent(QMouseEvent*) { m_dragging = false; }

void FlameGraphView::mouseDoubleClickEvent(QMouseEvent* event)
{
    std::vector<SpanMark> scratch;
    const SpanMark* m = markAt(event->position(), scratch);
    if (m && !m->merged())
        m_state->zoomToNode(m->node);
}

void FlameGraphView::leaveEvent(QEvent*) { m_state->hover(-1); }

void FlameGraphView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (!m_state->wheelOnTime(steps, event->modifiers(), event->position().x(), left(), right()))
        m_scroll->setValue(m_scroll->value() - int(std::round(steps * 3)));
    event->accept();
}

} // namespace rootline
