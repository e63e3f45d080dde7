#include "TracePainter.h"

#include "Format.h"
#include "ServiceColours.h"
#include "TraceViewState.h"

#include <QPainter>
#include <QPalette>
#include <cmath>

namespace rootline::tracePainter {

QColor fillOf(const TraceViewState& state, int node)
{
    const TraceLayout& L = *state.layout();
    if (L.has(node, TraceLayout::Placeholder))
        return QColor(0xbd, 0xbd, 0xbd);
    if (L.has(node, TraceLayout::Error))
        return serviceColours::error();
    return serviceColours::of(L.serviceOf(node));
}

void paintBar(QPainter& p, const QRectF& rect, const TraceViewState& state, int node, const QString& label, const QPalette& pal)
{
    const TraceLayout& L = *state.layout();
    QColor fill = fillOf(state, node);
    const bool searching = !state.matches().empty();
    if (searching && !state.isMatch(node))
        fill.setAlpha(70);
    if (node == state.hovered())
        fill = fill.lighter(115);
    if (L.has(node, TraceLayout::Placeholder)) {
        p.setPen(QPen(pal.color(QPalette::PlaceholderText), 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
    } else {
        p.fillRect(rect, fill);
    }
    if (state.showCriticalPath() && state.isCritical(node) && rect.height() >= 4) {
        // The critical path: a dark band along the bar's bottom (Jaeger draws a line through it).
        const double h = std::max(2.0, std::floor(rect.height() / 5));
        p.fillRect(QRectF(rect.left(), rect.bottom() - h, rect.width(), h), serviceColours::critical());
    }
    if (L.has(node, TraceLayout::Error) && rect.width() >= 6 && rect.height() >= 6) {
        // A dark notch on the left: errors stay visible when the search dims them.
        p.fillRect(QRectF(rect.left(), rect.top(), 3, rect.height()), QColor(0x7f, 0x00, 0x00));
    }
    if (searching && state.isMatch(node)) {
        p.setPen(QPen(QColor(0xff, 0xb3, 0x00), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect.adjusted(1, 1, -1, -1));
    }
    if (node == state.selected()) {
        p.setPen(QPen(pal.color(QPalette::Highlight).darker(120), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect.adjusted(1, 1, -1, -1));
    }
    if (!label.isEmpty() && rect.height() >= p.fontMetrics().height() - 2) {
        const int room = int(rect.width()) - 8;
        if (room >= p.fontMetrics().horizontalAdvance(QStringLiteral("a…"))) {
            const QString text = p.fontMetrics().elidedText(label, Qt::ElideRight, room);
            if (text.size() > 1) {
                // Dark text on a placeholder or on a bar the search dimmed, white on a full colour.
                const bool pale = L.has(node, TraceLayout::Placeholder) || fill.alpha() < 255;
                p.setPen(pale ? pal.color(QPalette::Text) : QColor(Qt::white));
                const QRectF t = rect.adjusted(4, 0, -4, 0);
                p.drawText(t, Qt::AlignVCenter | Qt::AlignLeft, text);
            }
        }
    }
}

void paintMerged(QPainter& p, const QRectF& rect, int count, const QPalette& pal)
{
    QColor c = pal.color(QPalette::Text);
    c.setAlpha(110);
    p.fillRect(rect, QBrush(c, Qt::Dense4Pattern));
    const QString text = QStringLiteral("×") + fmt::count(count);
    if (rect.width() > p.fontMetrics().horizontalAdvance(text) + 6 && rect.height() >= p.fontMetrics().height() - 2) {
        p.setPen(pal.color(QPalette::Text));
        p.drawText(rect, Qt::AlignCenter, text);
    }
}

void paintAxis(QPainter& p, const QRectF& rect, const TimeMapping& map, Timestamp origin, const QPalette& pal, double gridBottom)
{
    // A "nice" step (1, 2 or 5 × 10^k ns) giving ticks about 100 px apart.
    const double targetNs = map.nanosPerPixel() * 100;
    double step = std::pow(10.0, std::floor(std::log10(std::max(1.0, targetNs))));
    if (step * 5 <= targetNs)
        step *= 5;
    else if (step * 2 <= targetNs)
        step *= 2;
    const int64_t stepNs = std::max<int64_t>(1, int64_t(step));
    const int64_t fromRel = (map.window().from - origin).count();
    const int64_t toRel = (map.window().to - origin).count();
    int64_t first = (fromRel / stepNs) * stepNs;
    if (first < fromRel)
        first += stepNs;
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    int guard = 0;
    for (int64_t t = first; t <= toRel && guard < 200; t += stepNs, ++guard) {
        const double x = map.xOf(origin + Duration::nanos(t));
        p.setPen(grid);
        p.drawLine(QPointF(x, rect.bottom()), QPointF(x, gridBottom));
        p.setPen(pal.color(QPalette::PlaceholderText));
        const QString label = fmt::duration(Duration::nanos(t));
        const double w = p.fontMetrics().horizontalAdvance(label);
        if (x + 2 + w <= rect.right())
            p.drawText(QPointF(x + 2, rect.bottom() - 4), label);
    }
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(rect.left(), rect.bottom()), QPointF(rect.right(), rect.bottom()));
}

void paintCursor(QPainter& p, const TimeMapping& map, const TraceViewState& state, double top, double bottom)
{
    if (const auto t = state.cursorTime(); t && map.window().contains(*t)) {
        const double x = std::round(map.xOf(*t)) + 0.5;
        p.setPen(QPen(QColor(0xe6, 0x4a, 0x19), 1));
        p.drawLine(QPointF(x, top), QPointF(x, bottom));
    }
}

} // namespace rootline::tracePainter
