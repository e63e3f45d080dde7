#pragma once

// A trace's spans as a waterfall, painted with QPainter (style.md §6: rectangles, no item per
// span): one row per span in parent→child order, bars on the trace's time axis, coloured by
// service, errors in red; labels drawn only where they fit. Clicking a span focuses it.

#include "core/Records.h"

#include <QWidget>
#include <vector>

namespace rootline {

class SpanWaterfall final : public QWidget {
    Q_OBJECT
public:
    explicit SpanWaterfall(QWidget* parent = nullptr);

    void setSpans(std::vector<Span> spans); // any order; a trace's spans
    void clear() { setSpans({}); }
    int spanCount() const { return int(m_rows.size()); }
    // Row `row` (0 = top): its span and its indentation depth.
    SpanId spanAt(int row) const { return m_rows.at(size_t(row)).span.spanId; }
    int depthAt(int row) const { return m_rows.at(size_t(row)).depth; }
    void setSelectedSpan(SpanId id);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void spanClicked(rootline::TraceId traceId, rootline::SpanId spanId);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    struct Row {
        Span span;
        int depth = 0;
    };
    int rowHeight() const;
    int labelWidth() const;

    std::vector<Row> m_rows;
    Timestamp m_start;
    Duration m_length;
    SpanId m_selected;
};

} // namespace rootline
