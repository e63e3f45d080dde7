// The waterfall's layout over input whose shape the data decides: a parent chain 100,000 spans
// deep lays out without recursion (it crashed the recursive walk at ~25,000), and spans caught in
// a parent cycle are still shown instead of silently dropped.

#include "SpanWaterfall.h"

#include <QTest>

using namespace rootline;

namespace {

Span span(uint64_t id, std::optional<uint64_t> parent, int64_t startNs)
{
    Span s;
    s.traceId.high = 1;
    s.traceId.low = 2;
    s.spanId.value = id;
    if (parent)
        s.parentSpanId = SpanId{*parent};
    s.name = "op" + std::to_string(id);
    s.start = Timestamp::fromNanos(startNs);
    s.duration = Duration::nanos(1'000'000 - startNs);
    return s;
}

} // namespace

class TestSpanWaterfall : public QObject {
    Q_OBJECT
private slots:
    void hundredThousandDeepChain()
    {
        constexpr int kDepth = 100'000;
        std::vector<Span> spans;
        spans.reserve(kDepth);
        // Given leaf first, so the layout has to find the order itself.
        for (int i = kDepth; i >= 1; --i)
            spans.push_back(span(uint64_t(i), i == 1 ? std::nullopt : std::optional<uint64_t>(i - 1), i));
        SpanWaterfall w;
        w.setSpans(std::move(spans));
        QCOMPARE(w.spanCount(), kDepth);
        QCOMPARE(w.spanAt(0).value, uint64_t(1));
        QCOMPARE(w.depthAt(0), 0);
        QCOMPARE(w.spanAt(kDepth - 1).value, uint64_t(kDepth));
        QCOMPARE(w.depthAt(kDepth - 1), kDepth - 1);
    }

    void childrenInStartOrderUnderTheirParent()
    {
        SpanWaterfall w;
        w.setSpans({span(1, std::nullopt, 0), span(3, 1, 30), span(2, 1, 10), span(4, 2, 20)});
        QCOMPARE(w.spanCount(), 4);
        const uint64_t expected[] = {1, 2, 4, 3};
        const int depths[] = {0, 1, 2, 1};
        for (int row = 0; row < 4; ++row) {
            QCOMPARE(w.spanAt(row).value, expected[row]);
            QCOMPARE(w.depthAt(row), depths[row]);
        }
    }

    void parentCycleIsShownNotDropped()
    {
        SpanWaterfall w;
        // 2 and 3 name each other as parent: no root above them.
        w.setSpans({span(1, std::nullopt, 0), span(2, 3, 10), span(3, 2, 20)});
        QCOMPARE(w.spanCount(), 3);
    }
};

QTEST_MAIN(TestSpanWaterfall)
#include "tst_span_waterfall.moc"
