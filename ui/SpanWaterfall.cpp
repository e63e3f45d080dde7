#include "SpanWaterfall.h"

#include "Format.h"
#include "trace/ServiceColours.h"
#include "trace/TimeMapping.h"
#include "trace/TraceLayout.h"
#include "trace/TracePainter.h"
#include "trace/TraceViewState.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace rootline {

namespace {
constexpr int kIndentStep = 12;
constexpr int kToggleWidth = 12;
} // namespace

SpanWaterfall::SpanWaterfall(QWidget* parent) : SpanWaterfall(nullptr, parent) {}

SpanWaterfall::SpanWaterfall(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state ? state : new TraceViewState(this)), m_scroll(new QScrollBar(Qt::Vertical, this))
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    m_scroll->setSingleStep(1);
    connect(m_scroll, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
    connectState();
    updateScrollBar();
}

void SpanWaterfall::connectState()
{
    connect(m_state, &TraceViewState::layoutChanged, this, [this] {
        m_scroll->setValue(0);
        updateScrollBar();
        update();
    });
    connect(m_state, &TraceViewState::structureChanged, this, [this] {
        updateScrollBar();
        update();
    });
    connect(m_state, &TraceViewState::selectionChanged, this, [this](int node) {
        if (const int row = m_state->rowOf(node); row >= 0)
            ensureRowVisible(row);
        update();
    });
    connect(m_state, &TraceViewState::changed, this, qOverload<>(&QWidget::update));
}

void SpanWaterfall::setSpans(std::vector<Span> spans) { m_state->setLayout(TraceLayout::build(std::move(spans))); }

void SpanWaterfall::clear() { m_state->setLayout(nullptr); }

int SpanWaterfall::spanCount() const { return m_state->layout() ? m_state->layout()->spanCount() : 0; }

int SpanWaterfall::rowCount() const { return int(m_state->rows().size()); }

int SpanWaterfall::nodeAt(int row) const { return m_state->rows().at(size_t(row)); }

SpanId SpanWaterfall::spanAt(int row) const { return m_state->layout()->spanIdOf(nodeAt(row)); }

int SpanWaterfall::depthAt(int row) const { return m_state->layout()->depth(nodeAt(row)); }

void SpanWaterfall::setSelectedSpan(SpanId id)
{
    if (!m_state->hasTrace())
        return;
    const int node = id.value ? m_state->layout()->nodeOf(id) : -1;
    m_state->reveal(node);
    m_state->select(node);
}

int SpanWaterfall::rowHeight() const { return fontMetrics().height() + 6; }

int SpanWaterfall::labelWidth() const { return std::clamp(width() * 2 / 5, 160, 420); }

double SpanWaterfall::barLeft() const { return labelWidth() + 6; }

double SpanWaterfall::barRight() const
{
    return std::max(barLeft() + 10, double(width() - (m_scroll->isVisible() ? m_scroll->width() : 0) - 10));
}

int SpanWaterfall::indentOf(int depth) const
{
    const int maxDepth = std::max(1, (labelWidth() / 2) / kIndentStep);
    return 4 + std::min(depth, maxDepth) * kIndentStep;
}

QSize SpanWaterfall::sizeHint() const { return {700, 16 * rowHeight()}; }

QSize SpanWaterfall::minimumSizeHint() const { return {240, 4 * rowHeight()}; }

QRect SpanWaterfall::rowRect(int row) const
{
    const int rh = rowHeight();
    return QRect(0, rh + (row - m_scroll->value()) * rh, width(), rh);
}

QPoint SpanWaterfall::toggleCentre(int row) const
{
    const QRect r = rowRect(row);
    return {indentOf(depthAt(row)) + kToggleWidth / 2, r.center().y()};
}

void SpanWaterfall::updateScrollBar()
{
    const int rh = rowHeight();
    const int visible = std::max(1, (height() - rh) / rh);
    const int rows = rowCount();
    m_scroll->setRange(0, std::max(0, rows - visible));
    m_scroll->setPageStep(visible);
    m_scroll->setVisible(rows > visible);
    m_scroll->setGeometry(width() - m_scroll->sizeHint().width(), rh, m_scroll->sizeHint().width(), height() - rh);
}

void SpanWaterfall::resizeEvent(QResizeEvent*) { updateScrollBar(); }

void SpanWaterfall::ensureRowVisible(int row)
{
    const int visible = m_scroll->pageStep();
    if (row < m_scroll->value())
        m_scroll->setValue(row);
    else if (row >= m_scroll->value() + visible)
        m_scroll->setValue(row - visible + 1);
}

int SpanWaterfall::rowAtY(double y) const
{
    const int rh = rowHeight();
    if (y < rh)
        return -1;
    const int row = m_scroll->value() + int((y - rh) / rh);
    return row < rowCount() ? row : -1;
}

void SpanWaterfall::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    const TraceLayout* L = m_state->layout();
    if (!L || L->empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a trace to see its spans"));
        return;
    }
    const int rh = rowHeight();
    const int lw = labelWidth();
    const TimeMapping map(m_state->zoom(), barLeft(), barRight());
    const Timestamp origin = L->bounds().from;
    const bool adjusted = m_state->skewCorrected();

    const int first = m_scroll->value();
    const int last = std::min(rowCount(), first + (height() - rh) / rh + 1);
    const auto& rows = m_state->rows();
    for (int row = first; row < last; ++row) {
        const int node = rows[size_t(row)];
        const int y = rh + (row - first) * rh;
        if (node == m_state->selected())
            p.fillRect(0, y, width(), rh, pal.color(QPalette::Highlight).lighter(175));
        else if (node == m_state->hovered())
            p.fillRect(0, y, width(), rh, pal.color(QPalette::AlternateBase).darker(104));
        else if (row % 2)
            p.fillRect(0, y, width(), rh, pal.color(QPalette::AlternateBase));

        // Name column.
        const int depth = L->depth(node);
        int x = indentOf(depth);
        if (L->childCount(node) > 0) {
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QRect(x, y, kToggleWidth, rh), Qt::AlignCenter, m_state->isCollapsed(node) ? QStringLiteral("▸") : QStringLiteral("▾"));
        }
        x += kToggleWidth + 2;
        if (x - indentOf(0) < depth * kIndentStep) { // deeper than the indentation shows
            const QString d = QString::number(depth);
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRect(x, y, lw - x, rh), Qt::AlignVCenter | Qt::AlignLeft, d);
            x += fontMetrics().horizontalAdvance(d) + 4;
        }
        const bool placeholder = L->has(node, TraceLayout::Placeholder);
        p.fillRect(QRect(x, y + rh / 2 - 4, 8, 8), tracePainter::fillOf(*m_state, node));
        x += 12;
        QString name = placeholder ? tr("missing parent %1 — its children were orphaned").arg(QString::fromStdString(L->spanIdOf(node).toHex()))
                                   : QString::fromStdString(L->serviceOf(node)) + QStringLiteral(": ") + QString::fromStdString(L->labelOf(node));
        if (L->has(node, TraceLayout::Orphan))
            name = QStringLiteral("⚠ ") + name;
        if (m_state->isCollapsed(node))
            name += tr("  (+%1)").arg(L->descendantCount(node));
        QFont f = font();
        f.setItalic(placeholder);
        p.setFont(f);
        p.setPen(L->has(node, TraceLayout::Error) ? serviceColours::error() : placeholder ? pal.color(QPalette::PlaceholderText) : pal.color(QPalette::Text));
        p.drawText(QRect(x, y, lw - x, rh), Qt::AlignVCenter | Qt::AlignLeft, fontMetrics().elidedText(name, Qt::ElideRight, std::max(0, lw - x)));
        p.setFont(font());

        // Bar, clipped to the bar area; narrower than a pixel it stays a 1-pixel mark (LOD helper).
        const double x0 = map.xOf(L->startNanos(node, adjusted));
        const double x1 = map.xOf(L->endNanos(node, adjusted));
        if (x1 < map.left() - 1 || x0 > map.right() + 1)
            continue;
        std::vector<SpanMark> marks;
        {
            MarkMerger merger(marks);
            merger.add(std::max(x0, map.left() - 2), std::min(x1, map.right() + 2), node);
            merger.finish();
        }
        const QRectF bar(marks.front().x0, y + 3, marks.front().x1 - marks.front().x0, rh - 6);
        p.save();
        p.setClipRect(QRectF(map.left(), y, map.width(), rh));
        tracePainter::paintBar(p, bar, *m_state, node, {}, pal);
        p.restore();
        // Duration (and the skew correction) after the bar when it fits, else inside.
        QString dur = placeholder ? QString() : fmt::duration(Duration::nanos(L->endNanos(node, false) - L->startNanos(node, false)));
        if (!placeholder && L->has(node, TraceLayout::SkewAdjusted))
            dur += adjusted ? tr("  (clock −%1)").arg(fmt::duration(L->skewOffset(node))) : tr("  (clock skew %1)").arg(fmt::duration(L->skewOffset(node)));
        const int tw = fontMetrics().horizontalAdvance(dur);
        p.setPen(pal.color(QPalette::Text));
        if (bar.right() + tw + 4 < map.right())
            p.drawText(QPointF(bar.right() + 4, y + rh - 6), dur);
        else if (bar.left() - tw - 4 > map.left())
            p.drawText(QPointF(bar.left() - tw - 4, y + rh - 6), dur);
    }

    // Header: the time axis (relative to the trace's start), the column separator, the crosshair.
    p.fillRect(QRect(0, 0, width(), rh), pal.color(QPalette::Window));
    p.setPen(pal.color(QPalette::Text));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRect(6, 0, lw, rh), Qt::AlignVCenter | Qt::AlignLeft, tr("Service: operation"));
    p.setFont(font());
    tracePainter::paintAxis(p, QRectF(map.left(), 0, map.width(), rh), map, origin, pal, rh);
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(lw, 0, lw, height());
    tracePainter::paintCursor(p, map, *m_state, rh, height());
}

void SpanWaterfall::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    m_pressX = m_dragX = event->position().x();
    const int row = rowAtY(event->position().y());
    if (event->button() != Qt::LeftButton)
        return;
    if (row < 0) {
        m_dragging = event->position().x() >= barLeft();
        return;
    }
    const int node = nodeAt(row);
    const int tx = indentOf(depthAt(row));
    if (m_state->layout()->childCount(node) > 0 && event->position().x() >= tx - 2 && event->position().x() <= tx + kToggleWidth + 2) {
        m_state->toggleCollapsed(node);
        return;
    }
    m_dragging = event->position().x() >= barLeft();
    m_state->select(node);
    if (const Span* s = m_state->layout()->span(node))
        emit spanClicked(s->traceId, s->spanId);
}

void SpanWaterfall::mouseMoveEvent(QMouseEvent* event)
{
    const double x = event->position().x();
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        const TimeMapping map(m_state->zoom(), barLeft(), barRight());
        m_state->setZoom(map.panned(m_dragX - x, m_state->layout()->bounds()));
        m_dragX = x;
        return;
    }
    const int row = rowAtY(event->position().y());
    const int node = row >= 0 ? nodeAt(row) : -1;
    m_state->hover(node);
    if (!m_state->hasTrace())
        return;
    const TimeMapping map(m_state->zoom(), barLeft(), barRight());
    if (x >= map.left() && x <= map.right())
        emit hoveredTime(map.timeAt(x));
    else if (node >= 0)
        emit hoveredTime(Timestamp::fromNanos(m_state->startOf(node)));
}

void SpanWaterfall::mouseReleaseEvent(QMouseEvent*) { m_dragging = false; }

void SpanWaterfall::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int row = rowAtY(event->position().y());
    if (row < 0 || event->position().x() < barLeft())
        return;
    m_state->zoomToNode(nodeAt(row));
}

void SpanWaterfall::leaveEvent(QEvent*) { m_state->hover(-1); }

void SpanWaterfall::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (!m_state->wheelOnTime(steps, event->modifiers(), event->position().x(), barLeft(), barRight()))
        m_scroll->setValue(m_scroll->value() - int(std::round(steps * 3)));
    event->accept();
}

void SpanWaterfall::keyPressEvent(QKeyEvent* event)
{
    const int row = m_state->rowOf(m_state->selected());
    auto selectRow = [this](int r) {
        if (r < 0 || r >= rowCount())
            return;
        const int node = nodeAt(r);
        m_state->select(node);
        if (const Span* s = m_state->layout()->span(node))
            emit spanClicked(s->traceId, s->spanId);
    };
    switch (event->key()) {
    case Qt::Key_Down: selectRow(row < 0 ? 0 : row + 1); break;
    case Qt::Key_Up: selectRow(row < 0 ? 0 : row - 1); break;
    case Qt::Key_Left: m_state->setCollapsed(m_state->selected(), true); break;
    case Qt::Key_Right: m_state->setCollapsed(m_state->selected(), false); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

} // namespace rootline
