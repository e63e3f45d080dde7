// The trace layout and the state both trace views share (ui/trace/), without widgets. Traces are
// written as readable little trees: "A" at 0–100 ms with children "B" and "C", and so on.

#include "trace/LevelOfDetail.h"
#include "trace/ServiceColours.h"
#include "trace/TraceLayout.h"
#include "trace/TraceSearch.h"
#include "trace/TraceViewState.h"

#include <QSignalSpy>
#include <set>
#include <QTest>

#include "support/TraceTestSpans.h"

using namespace rootline;

namespace {

// Start and end in ms.
Span span(uint64_t id, uint64_t parent, std::string name, const std::string& svc, int64_t fromMs, int64_t toMs, bool error = false)
{
    return test::traceSpan(id, parent, std::move(name), svc, Timestamp::fromMillis(fromMs), Timestamp::fromMillis(toMs), error);
}

std::vector<std::string> names(const TraceLayout& L, const std::vector<int32_t>& nodes)
{
    std::vector<std::string> out;
    for (int32_t n : nodes)
        out.push_back(L.labelOf(n));
    return out;
}

} // namespace

class TestTraceLayout : public QObject {
    Q_OBJECT
private slots:
    void displayOrderDepthsAndCounts()
    {
        auto L = TraceLayout::build(test::checkoutTrace());
        QCOMPARE(L->nodeCount(), 6);
        const std::vector<std::string> expected = {"GET /checkout", "POST", "load", "charge", "gateway call", "render"};
        QCOMPARE(names(*L, L->visibleRows({})), expected);
        QCOMPARE(L->depth(test::nodeNamed(*L, "gateway call")), 3);
        QCOMPARE(L->childCount(test::nodeNamed(*L, "POST")), 2);
        QCOMPARE(L->descendantCount(test::nodeNamed(*L, "POST")), 3);
        QCOMPARE(L->maxDepth(), 3);
        QCOMPARE(L->errorCount(), 1);
        QVERIFY(L->has(test::nodeNamed(*L, "charge"), TraceLayout::Error));
        QCOMPARE(L->bounds().length(), Duration::millis(100));
    }

    void selfTimePerSpanAndPerService()
    {
        auto L = TraceLayout::build(test::checkoutTrace());
        QCOMPARE(L->selfTime(test::nodeNamed(*L, "GET /checkout")), Duration::millis(100 - 80 - 6));
        QCOMPARE(L->selfTime(test::nodeNamed(*L, "POST")), Duration::millis(80 - 60 - 6));
        QCOMPARE(L->selfTime(test::nodeNamed(*L, "charge")), Duration::millis(10));
        QCOMPARE(L->selfTime(test::nodeNamed(*L, "gateway call")), Duration::millis(50));
        // payment: 10 + 50; frontend: 14 + 6; checkout: 14; cart: 6.
        const auto& st = L->serviceSelfTimes();
        QCOMPARE(st.size(), size_t(4));
        QCOMPARE(st[0].service, std::string("payment"));
        QCOMPARE(st[0].self, Duration::millis(60));
        QCOMPARE(st[1].service, std::string("frontend"));
        QCOMPARE(st[1].self, Duration::millis(20));
        QCOMPARE(st[1].spans, 2);
    }

    void criticalPathMarks()
    {
        auto L = TraceLayout::build(test::checkoutTrace());
        // The root waits for POST then render; POST waits for charge (cart load ran before it,
        // so it is on the path too: nothing else ran between 12 and 18).
        for (const char* on : {"GET /checkout", "POST", "charge", "gateway call", "render", "load"})
            QVERIFY2(L->isCritical(test::nodeNamed(*L, on), false), on);
        QCOMPARE(L->criticalSelfTime(test::nodeNamed(*L, "gateway call"), false), Duration::millis(50));

        // A parallel child that ends earlier than its sibling is off the path.
        auto P = TraceLayout::build({span(1, 0, "root", "a", 0, 100), span(2, 1, "slow", "b", 0, 100), span(3, 1, "fast", "c", 0, 10)});
        QVERIFY(P->isCritical(test::nodeNamed(*P, "slow"), false));
        QVERIFY(!P->isCritical(test::nodeNamed(*P, "fast"), false));
        QVERIFY(!P->isCritical(test::nodeNamed(*P, "fast"), true));
    }

    void orphansSitUnderAPlaceholder()
    {
        // Span 7's parent 99 is not in the cache; nor is 98, parent of 8 and 9.
        auto spans = test::checkoutTrace();
        spans.push_back(span(7, 99, "lost", "worker", 30, 40));
        spans.push_back(span(8, 98, "late a", "worker", 50, 60));
        spans.push_back(span(9, 98, "late b", "worker", 55, 70));
        auto L = TraceLayout::build(std::move(spans));
        QCOMPARE(L->spanCount(), 9);
        QCOMPARE(L->nodeCount(), 11);
        QCOMPARE(L->placeholderCount(), 2);
        QCOMPARE(L->orphanCount(), 3);
        const int lost = test::nodeNamed(*L, "lost");
        QVERIFY(L->has(lost, TraceLayout::Orphan));
        const int holder = L->parent(lost);
        QVERIFY(holder >= 0);
        QVERIFY(L->has(holder, TraceLayout::Placeholder));
        QCOMPARE(L->spanIdOf(holder).value, uint64_t(99));
        QCOMPARE(L->labelOf(holder), "missing parent " + SpanId{99}.toHex());
        QCOMPARE(L->depth(lost), 1); // under its placeholder, not a root of its own
        QCOMPARE(L->depth(holder), 0);
        // One placeholder per missing id: 8 and 9 share theirs, which covers both.
        QCOMPARE(L->parent(test::nodeNamed(*L, "late a")), L->parent(test::nodeNamed(*L, "late b")));
        const int shared = L->parent(test::nodeNamed(*L, "late a"));
        QCOMPARE(L->childCount(shared), 2);
        QCOMPARE(L->startNanos(shared, false), Timestamp::fromMillis(50).nanos());
        QCOMPARE(L->endNanos(shared, false), Timestamp::fromMillis(70).nanos());
        QVERIFY(L->span(shared) == nullptr);
    }

    void hundredThousandDeepChainWithoutRecursion()
    {
        constexpr int kDepth = 100'000;
        std::vector<Span> spans;
        spans.reserve(kDepth);
        for (int i = kDepth; i >= 1; --i) // leaf first: the layout finds the order itself
            spans.push_back(span(uint64_t(i), i == 1 ? 0 : uint64_t(i - 1), "op", "deep", i, 2 * kDepth + 10 - i));
        auto L = TraceLayout::build(std::move(spans));
        QCOMPARE(L->nodeCount(), kDepth);
        QCOMPARE(L->maxDepth(), kDepth - 1);
        for (int n = 0; n < kDepth; n += 997) {
            QCOMPARE(L->depth(n), n);
            QCOMPARE(L->spanIdOf(n).value, uint64_t(n + 1));
            QCOMPARE(L->descendantCount(n), kDepth - 1 - n);
        }
        // Collapsing near the top hides the rest of the chain, iteratively too.
        TraceViewState state;
        state.setLayout(L);
        QCOMPARE(state.rows().size(), size_t(kDepth));
        state.setCollapsed(10, true);
        QCOMPARE(state.rows().size(), size_t(11));
        QVERIFY(state.isHidden(kDepth - 1));
        state.reveal(kDepth - 1); // expands 99,999 ancestors
        QCOMPARE(state.rows().size(), size_t(kDepth));
    }

    void visibleRangeAtDepthByBinarySearch()
    {
        // 1,000 children of 1 ms side by side: a 10 ms window needs about ten of them, and every
        // child that overlaps the window is inside the range.
        std::vector<Span> spans{span(1, 0, "root", "a", 0, 1000)};
        for (int i = 0; i < 1000; ++i)
            spans.push_back(span(uint64_t(i + 2), 1, "c", "a", i, i + 1));
        auto L = TraceLayout::build(std::move(spans));
        const int64_t from = Timestamp::fromMillis(500).nanos(), to = Timestamp::fromMillis(510).nanos();
        const auto [first, last] = L->rangeAtDepth(1, from, to);
        QVERIFY(last - first <= 14);
        const auto& row = L->nodesAtDepth(1);
        for (size_t k = 0; k < row.size(); ++k) {
            const bool overlaps = L->endNanos(row[k], true) >= from && L->startNanos(row[k], true) <= to;
            if (overlaps)
                QVERIFY2(k >= first && k < last, qPrintable(QString::number(k)));
        }
        // The root, longer than the window on both sides, is found too.
        const auto [r0, r1] = L->rangeAtDepth(0, from, to);
        QCOMPARE(r1 - r0, size_t(1));
    }

    void parentCycleIsShownNotDropped()
    {
        auto L = TraceLayout::build({span(1, 0, "root", "a", 0, 10), span(2, 3, "x", "a", 1, 2), span(3, 2, "y", "a", 2, 3)});
        QCOMPARE(L->nodeCount(), 3);
        QVERIFY(L->has(test::nodeNamed(*L, "x"), TraceLayout::InCycle));
    }

    void collapsingHidesTheSubtree()
    {
        TraceViewState state;
        state.setLayout(TraceLayout::build(test::checkoutTrace()));
        const TraceLayout& L = *state.layout();
        QSignalSpy structure(&state, &TraceViewState::structureChanged);
        const int post = test::nodeNamed(L, "POST");
        state.setCollapsed(post, true);
        QCOMPARE(structure.count(), 1);
        QCOMPARE(names(L, state.rows()), (std::vector<std::string>{"GET /checkout", "POST", "render"}));
        for (const char* hidden : {"load", "charge", "gateway call"})
            QVERIFY2(state.isHidden(test::nodeNamed(L, hidden)), hidden);
        QVERIFY(!state.isHidden(post));
        QCOMPARE(state.rowOf(test::nodeNamed(L, "charge")), -1);
        // No change, no signal; a leaf cannot be collapsed.
        state.setCollapsed(post, true);
        state.setCollapsed(test::nodeNamed(L, "render"), true);
        QCOMPARE(structure.count(), 1);
        state.expandAll();
        QCOMPARE(state.rows().size(), size_t(6));
        QCOMPARE(structure.count(), 2);
        state.collapseDepth(1);
        QCOMPARE(names(L, state.rows()), (std::vector<std::string>{"GET /checkout", "POST", "render"}));
    }

    void searchNextAndPrevious()
    {
        auto spans = test::checkoutTrace();
        spans[4].attributes.set("cart.items", int64_t(3)); // "load"
        spans[3].attributes.set("peer.service", std::string("payment-gateway")); // "gateway call"
        TraceViewState state;
        state.setLayout(TraceLayout::build(std::move(spans)));
        const TraceLayout& L = *state.layout();
        // By service, by name, by attribute key, by attribute value, case-insensitively.
        QCOMPARE(names(L, traceSearch::find(L, QStringLiteral("PAYMENT"))), (std::vector<std::string>{"charge", "gateway call"}));
        QCOMPARE(names(L, traceSearch::find(L, QStringLiteral("render"))), (std::vector<std::string>{"render"}));
        QCOMPARE(names(L, traceSearch::find(L, QStringLiteral("cart.items"))), (std::vector<std::string>{"load"}));
        QCOMPARE(names(L, traceSearch::find(L, QStringLiteral("gateway"))), (std::vector<std::string>{"gateway call"}));
        QVERIFY(traceSearch::find(L, QStringLiteral("nothing like it")).empty());
        QVERIFY(traceSearch::find(L, QStringLiteral("  ")).empty());

        // Next and previous walk the matches in display order, wrapping; a match hidden in a
        // collapsed subtree is revealed.
        state.setCollapsed(test::nodeNamed(L, "POST"), true);
        const QString text = QStringLiteral("o"); // GET /checkout, POST, load, gateway call, frontend render...
        state.setSearchResults(text, traceSearch::find(L, text));
        const auto all = state.matches();
        QVERIFY(all.size() >= 4);
        QCOMPARE(state.currentMatch(), -1);
        state.nextMatch();
        QCOMPARE(state.selected(), all[0]);
        state.nextMatch();
        QCOMPARE(state.selected(), all[1]);
        state.previousMatch();
        QCOMPARE(state.selected(), all[0]);
        state.previousMatch(); // wraps to the last
        QCOMPARE(state.selected(), all.back());
        state.nextMatch(); // and back to the first
        QCOMPARE(state.selected(), all[0]);
        for (size_t i = 1; i < all.size(); ++i)
            state.nextMatch();
        QCOMPARE(state.selected(), all.back());
        QVERIFY(!state.isHidden(test::nodeNamed(L, "load"))); // was under the collapsed POST
    }

    void levelOfDetailKeepsTheCount_data()
    {
        QTest::addColumn<QList<double>>("xs"); // pairs x0, x1
        QTest::addColumn<QList<int>>("counts");
        QTest::newRow("wide spans pass through") << QList<double>{0, 10, 20, 30} << QList<int>{1, 1};
        QTest::newRow("touching slivers merge") << QList<double>{0, 0.2, 0.3, 0.5, 0.6, 0.9, 1.2, 1.4} << QList<int>{4};
        QTest::newRow("a gap splits them") << QList<double>{0, 0.2, 0.3, 0.5, 5, 5.1} << QList<int>{2, 1};
        QTest::newRow("a wide span ends a merge") << QList<double>{0, 0.2, 0.3, 0.5, 0.6, 20, 20.5, 20.6} << QList<int>{2, 1, 1};
        QTest::newRow("thousands in one pixel") << QList<double>{} << QList<int>{5000};
    }
    void levelOfDetailKeepsTheCount()
    {
        QFETCH(QList<double>, xs);
        QFETCH(QList<int>, counts);
        if (xs.isEmpty())
            for (int i = 0; i < 5000; ++i)
                xs << 10 + i * 0.0001 << 10 + i * 0.0001 + 0.00005;
        std::vector<SpanMark> marks;
        MarkMerger merger(marks);
        for (int i = 0; i + 1 < xs.size(); i += 2)
            merger.add(xs[i], xs[i + 1], i / 2);
        merger.finish();
        QCOMPARE(int(marks.size()), counts.size());
        int total = 0;
        for (size_t i = 0; i < marks.size(); ++i) {
            QCOMPARE(marks[i].count, counts[int(i)]);
            QVERIFY(marks[i].x1 - marks[i].x0 >= 1.0 - 1e-9); // never thinner than a pixel
            total += marks[i].count;
        }
        QCOMPARE(total, int(xs.size() / 2)); // nothing dropped
    }

    void stableColoursPerService()
    {
        // By name only: the same in any trace, whatever else is in it or on screen.
        const QColor payment = serviceColours::of("payment");
        QCOMPARE(serviceColours::of("payment"), payment);
        auto a = TraceLayout::build(test::checkoutTrace());
        auto b = TraceLayout::build({span(1, 0, "x", "zeta", 0, 1), span(2, 1, "y", "payment", 0, 1)});
        QCOMPARE(a->serviceOf(test::nodeNamed(*a, "charge")), std::string("payment"));
        QVERIFY(a->serviceIndex(test::nodeNamed(*a, "charge")) != b->serviceIndex(test::nodeNamed(*b, "y"))); // per-trace ids differ...
        QCOMPARE(serviceColours::of(a->serviceOf(test::nodeNamed(*a, "charge"))), serviceColours::of(b->serviceOf(test::nodeNamed(*b, "y")))); // ...colours do not
        // A fixed value, so a change of hash (and of every user's colours) is a decision.
        QCOMPARE(serviceColours::paletteIndexOf("payment"), serviceColours::paletteIndexOf(std::string("pay") + "ment"));
        QVERIFY(serviceColours::of("") .isValid());
        // The palette is used: a dozen shop services do not all land on one colour.
        std::set<int> used;
        for (const char* s : {"frontend", "checkout", "payment", "cart", "catalog", "shipping", "email", "currency", "ads", "recommendation"})
            used.insert(serviceColours::paletteIndexOf(s));
        QVERIFY(used.size() >= 5);
    }

    void clockSkewIsShownAndSwitchable()
    {
        // "late" runs 30 ms ahead: its span starts after its parent ended.
        std::vector<Span> spans = {span(1, 0, "root", "front", 0, 100), span(2, 1, "call", "front", 10, 40),
                                   span(3, 2, "handler", "late", 45, 65)};
        auto L = TraceLayout::build(std::move(spans));
        QVERIFY(!L->skew().empty());
        const int handler = test::nodeNamed(*L, "handler");
        QVERIFY(L->has(handler, TraceLayout::SkewAdjusted));
        QVERIFY(L->skewOffset(handler) > Duration());
        TraceViewState state;
        state.setLayout(L);
        QSignalSpy skew(&state, &TraceViewState::skewChanged);
        QVERIFY(state.skewCorrected());
        const int64_t corrected = state.startOf(handler);
        state.setSkewCorrected(false);
        QCOMPARE(skew.count(), 1);
        QCOMPARE(state.startOf(handler), Timestamp::fromMillis(45).nanos());
        QVERIFY(corrected < state.startOf(handler));
        // Corrected, the handler lies within its caller.
        QVERIFY(corrected >= L->startNanos(test::nodeNamed(*L, "call"), true));
        state.setSkewCorrected(false);
        QCOMPARE(skew.count(), 1);
    }

    void stateSignalsOnlyOnChange()
    {
        TraceViewState state;
        state.setLayout(TraceLayout::build(test::checkoutTrace()));
        QSignalSpy sel(&state, &TraceViewState::selectionChanged);
        QSignalSpy zoom(&state, &TraceViewState::zoomChanged);
        state.select(2);
        state.select(2);
        QCOMPARE(sel.count(), 1);
        const TimeWindow all = state.layout()->bounds();
        state.setZoom(all);
        QCOMPARE(zoom.count(), 0);
        state.setZoom({all.from + Duration::millis(10), all.from + Duration::millis(20)});
        QCOMPARE(zoom.count(), 1);
        QVERIFY(state.isZoomed());
        // Outside the trace: moved back inside.
        state.setZoom({all.to + Duration::millis(5), all.to + Duration::millis(15)});
        QCOMPARE(state.zoom().to, all.to);
        state.resetZoom();
        QVERIFY(!state.isZoomed());
    }
};

QTEST_GUILESS_MAIN(TestTraceLayout)
#include "tst_trace_layout.moc"
