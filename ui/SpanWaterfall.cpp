#include "SpanWaterfall.h"

#include "Format.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <map>

namespace rootline {

namespace {
const QColor kPalette[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f), QColor(0x76, 0xb7, 0xb2),
                           QColor(0xed, 0xc9, 0x48), QColor(0xb0, 0x7a, 0xa1), QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};

QString serviceName(const Span& s) { return s.resource ? QString::fromStdString(s.resource->serviceName) : QString(); }
} // namespace

SpanWaterfall::SpanWaterfall(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
}

void SpanWaterfall::setSpans(std::vector<Span> spans)
{
    m_rows.clear();
    if (!spans.empty()) {
        // Depth-first from the roots (spans whose parent is absent), children by start time.
        std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
        std::map<uint64_t, std::vector<size_t>> children;
        std::vector<size_t> roots;
        std::map<uint64_t, size_t> byId;
        for (size_t i = 0; i < spans.size(); ++i)
            byId.emplace(spans[i].spanId.value, i);
        for (size_t i = 0; i < spans.size(); ++i) {
            if (spans[i].parentSpanId && byId.count(spans[i].parentSpanId->value) && spans[i].parentSpanId->value != spans[i].spanId.value)
                children[spans[i].parentSpanId->value].push_back(i);
            else
                roots.push_back(i);
        }
        // Depth-first with an explicit stack: the input decides how deep a parent chain goes
        // (100,000 levels is a test case), so the walk must not recurse.
        std::vector<bool> seen(spans.size(), false);
        std::vector<std::pair<size_t, int>> stack; // (span, depth)
        auto walkFrom = [&](size_t root) {
            stack.push_back({root, 0});
            while (!stack.empty()) {
                const auto [i, depth] = stack.back();
                stack.pop_back();
                if (seen[i])
                    continue; // a cycle in bad data must not loop forever
                seen[i] = true;
                m_rows.push_back({spans[i], depth});
                const auto it = children.find(spans[i].spanId.value);
                if (it == children.end())
                    continue;
                // Reversed, so that the earliest child is taken (and shown) first.
                for (auto c = it->second.rbegin(); c != it->second.rend(); ++c)
                    stack.push_back({*c, depth + 1});
            }
        };
        for (size_t r : roots)
            walkFrom(r);
        // Spans caught in a parent cycle have no root above them: show them rather than drop them.
        for (size_t i = 0; i < spans.size(); ++i)
            if (!seen[i])
                walkFrom(i);
        Timestamp end = spans.front().end();
        for (const auto& s : spans)
            end = std::max(end, s.end());
        m_start = spans.front().start;
        m_length = std::max(end - m_start, Duration::nanos(1));
    }
    updateGeometry();
    update();
}

void SpanWaterfall::setSelectedSpan(SpanId id)
{
    m_selected = id;
    update();
}

int SpanWaterfall::rowHeight() const { return fontMetrics().height() + 6; }

int SpanWaterfall::labelWidth() const { return std::clamp(width() / 3, 160, 360); }

QSize SpanWaterfall::sizeHint() const { return {600, std::max(1, int(m_rows.size())) * rowHeight() + rowHeight() + 4}; }

QSize SpanWaterfall::minimumSizeHint() const { return {200, sizeHint().height()}; }

void SpanWaterfall::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const QPalette pal = palette();
    const int rh = rowHeight();
    const int left = labelWidth();
    const int right = width() - 8;
    const double span = double(std::max(1, right - left));
    if (m_rows.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a trace to see its spans"));
        return;
    }
    // Time scale along the top.
    p.setPen(pal.color(QPalette::PlaceholderText));
    for (int k = 0; k <= 4; ++k) {
        const int x = left + int(span * k / 4);
        p.drawLine(x, rh - 2, x, height());
        const QString label = fmt::duration(m_length * k / 4);
        const int w = fontMetrics().horizontalAdvance(label);
        p.drawText(std::min(x + 2, right - w), rh - 6, label);
    }
    std::map<QString, int> serviceIndex;
    const QRect exposed = event->rect();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        const int y = rh + int(i) * rh;
        if (y + rh < exposed.top() || y > exposed.bottom())
            continue; // only the exposed strip
        const Row& row = m_rows[i];
        const Span& s = row.span;
        const QString service = serviceName(s);
        const int colour = serviceIndex.try_emplace(service, int(serviceIndex.size())).first->second;
        const QColor base = s.isError() ? QColor(0xd3, 0x2f, 0x2f) : kPalette[size_t(colour) % std::size(kPalette)];
        if (s.spanId == m_selected)
            p.fillRect(0, y, width(), rh, pal.color(QPalette::Highlight).lighter(170));
        else if (i % 2)
            p.fillRect(0, y, width(), rh, pal.color(QPalette::AlternateBase));
        // Name column: indented by depth, elided to fit.
        const int indent = 6 + std::min(row.depth, 12) * 10;
        p.setPen(s.isError() ? base : pal.color(QPalette::Text));
        const QString name = service + QStringLiteral(": ") + QString::fromStdString(s.name);
        p.drawText(QRect(indent, y, left - indent - 6, rh), Qt::AlignVCenter | Qt::AlignLeft,
                   fontMetrics().elidedText(name, Qt::ElideRight, left - indent - 6));
        // Bar: at least 2 px so a sub-pixel span stays visible.
        const double x0 = left + span * double((s.start - m_start).count()) / double(m_length.count());
        const double w = std::max(2.0, span * double(s.duration.count()) / double(m_length.count()));
        const QRectF bar(x0, y + 3, w, rh - 6);
        p.fillRect(bar, base);
        const QString dur = fmt::duration(s.duration);
        const int tw = fontMetrics().horizontalAdvance(dur);
        p.setPen(pal.color(QPalette::Text));
        if (bar.right() + tw + 4 < right)
            p.drawText(QPointF(bar.right() + 4, y + rh - 6), dur);
        else if (w > tw + 6) {
            p.setPen(Qt::white);
            p.drawText(QPointF(bar.left() + 3, y + rh - 6), dur);
        }
    }
}

void SpanWaterfall::mousePressEvent(QMouseEvent* event)
{
    const int i = (int(event->position().y()) - rowHeight()) / rowHeight();
    if (event->position().y() < rowHeight() || i < 0 || i >= int(m_rows.size()))
        return;
    const Span& s = m_rows[size_t(i)].span;
    setSelectedSpan(s.spanId);
    emit spanClicked(s.traceId, s.spanId);
}

} // namespace rootline
