// The trace view's widgets, offscreen: the waterfall and the flame graph over one state, so that
// collapsing, selecting, searching and the crosshair act on both; merged marks in the flame graph
// keep their counts; colours do not depend on what is scrolled into view.

#include "SpanWaterfall.h"
#include "trace/FlameGraphView.h"
#include "trace/ServiceColours.h"
#include "trace/SpanInspector.h"
#include "trace/TraceLayout.h"
#include "trace/TraceMinimap.h"
#include "trace/TracePainter.h"
#include "trace/TraceView.h"
#include "trace/TraceViewState.h"

#include <QApplication>
#include <QImage>
#include <QWheelEvent>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

#include "support/TraceTestSpans.h"

using namespace rootline;

Q_DECLARE_METATYPE(rootline::Timestamp)

namespace {

// Start and end in µs.
Span span(uint64_t id, uint64_t parent, std::string name, const std::string& svc, int64_t fromUs, int64_t toUs, bool error = false)
{
    return test::traceSpan(id, parent, std::move(name), svc, Timestamp::fromMicros(fromUs), Timestamp::fromMicros(toUs), error);
}

// A root with `n` tiny children side by side: far narrower than a pixel each at full zoom.
std::vector<Span> manyTiny(int n)
{
    std::vector<Span> spans{span(1, 0, "batch", "worker", 0, 1'000'000)};
    for (int i = 0; i < n; ++i)
        spans.push_back(span(uint64_t(i + 2), 1, "item", "worker", 100'000 + i * 2, 100'000 + i * 2 + 1));
    return spans;
}

int countNodesDrawn(const FlameGraphView& f, int depth)
{
    int n = 0;
    for (const auto& m : f.marksAtDepth(depth))
        n += m.count;
    return n;
}

} // namespace

class TestTraceView : public QObject {
    Q_OBJECT
private slots:
    void collapsingHidesTheSubtreeInBothViews()
    {
        TraceView view;
        view.resize(1200, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setTraceLayout(TraceLayout::build(test::checkoutTrace()));
        SpanWaterfall* w = view.waterfall();
        FlameGraphView* f = view.flameGraph();
        QCOMPARE(w->rowCount(), 6);
        QCOMPARE(f->drawnNodeCount(), 6);
        QCOMPARE(countNodesDrawn(*f, 3), 1); // gateway call

        // Click the ▾ of "POST" (row 1) in the waterfall.
        QCOMPARE(w->spanAt(1).value, uint64_t(2));
        QTest::mouseClick(w, Qt::LeftButton, {}, w->toggleCentre(1));
        QVERIFY(view.state()->isCollapsed(w->nodeAt(1)));
        QCOMPARE(w->rowCount(), 3);
        QCOMPARE(f->drawnNodeCount(), 3);
        QCOMPARE(countNodesDrawn(*f, 2), 0);
        QCOMPARE(countNodesDrawn(*f, 3), 0);
        w->grab(); // paints with the child count, no crash
        f->grab();

        // And open again.
        QTest::mouseClick(w, Qt::LeftButton, {}, w->toggleCentre(1));
        QCOMPARE(w->rowCount(), 6);
        QCOMPARE(f->drawnNodeCount(), 6);
    }

    void selectionInOneViewIsTheOtherViewsSelection()
    {
        TraceView view;
        view.resize(1200, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setTraceLayout(TraceLayout::build(test::checkoutTrace()));
        QSignalSpy clicked(&view, &TraceView::spanClicked);
        // Click "render" in the flame graph: depth 1, at 95 ms.
        FlameGraphView* f = view.flameGraph();
        const auto marks = f->marksAtDepth(1);
        const TraceLayout& L = *view.state()->layout();
        const int render = test::nodeNamed(L, "render");
        QPoint at;
        for (const auto& m : marks)
            if (m.node == render)
                at = QPoint(int((m.x0 + m.x1) / 2), f->rowHeight() + f->rowHeight() + f->rowHeight() / 2);
        QVERIFY(!at.isNull());
        QTest::mouseClick(f, Qt::LeftButton, {}, at);
        QCOMPARE(view.state()->selected(), render);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(1).value<SpanId>().value, uint64_t(6));
        // The waterfall shows the same selection, and selecting from outside (Focus) selects in both.
        view.setSelectedSpan(SpanId{4});
        QCOMPARE(view.state()->selected(), test::nodeNamed(L, "gateway call"));
        QVERIFY(view.inspector()->toPlainText().contains(QStringLiteral("gateway call")));
    }

    void mergedMarksKeepTheirCount()
    {
        TraceView view;
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setTraceLayout(TraceLayout::build(manyTiny(3000)));
        FlameGraphView* f = view.flameGraph();
        const auto marks = f->marksAtDepth(1);
        QVERIFY(!marks.empty());
        QVERIFY(marks.size() < 50); // 3000 spans in 6 ms of a 1 s trace: a few pixels
        int total = 0;
        for (const auto& m : marks) {
            total += m.count;
            QVERIFY(m.x1 - m.x0 >= 1.0 - 1e-9);
        }
        QCOMPARE(total, 3000);
        QVERIFY(std::any_of(marks.begin(), marks.end(), [](const SpanMark& m) { return m.merged(); }));
        // Zoomed in to a few items, they are drawn one by one.
        view.state()->setZoom({Timestamp::fromMicros(100'000), Timestamp::fromMicros(100'020)});
        const auto zoomed = f->marksAtDepth(1);
        QVERIFY(std::none_of(zoomed.begin(), zoomed.end(), [](const SpanMark& m) { return m.merged(); }));
        QVERIFY(zoomed.size() >= 9);
        f->grab();
        view.minimap()->grab();
    }

    void searchNextAndPreviousThroughTheField()
    {
        TraceView view;
        view.resize(1200, 700);
        view.show();
        view.setTraceLayout(TraceLayout::build(test::checkoutTrace()));
        QSignalSpy done(&view, &TraceView::searchFinished);
        view.searchField()->setText(QStringLiteral("payment"));
        QVERIFY(done.wait(5000)); // debounced, then searched on a worker
        const TraceLayout& L = *view.state()->layout();
        QCOMPARE(view.state()->matches().size(), size_t(2));
        QCOMPARE(view.state()->selected(), test::nodeNamed(L, "charge")); // the first match is selected
        QTest::keyClick(view.searchField(), Qt::Key_Return);
        QCOMPARE(view.state()->selected(), test::nodeNamed(L, "gateway call"));
        QTest::keyClick(view.searchField(), Qt::Key_Return);
        QCOMPARE(view.state()->selected(), test::nodeNamed(L, "charge"));
        view.state()->previousMatch();
        QCOMPARE(view.state()->selected(), test::nodeNamed(L, "gateway call"));
        view.state()->setCursorTime(Timestamp::fromMillis(40));
        const QImage shot = view.grab().toImage();
        if (const QString dir = qEnvironmentVariable("ROOTLINE_TEST_SHOTS"); !dir.isEmpty()) // to look at it
            shot.save(dir + QStringLiteral("/trace_view_search.png"));
    }

    void crosshairIsMarkedInBothViews()
    {
        TraceView view;
        view.resize(1200, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setTraceLayout(TraceLayout::build(test::checkoutTrace()));
        QSignalSpy cursor(view.state(), &TraceViewState::cursorChanged);
        view.setCursorTime(Timestamp::fromMicros(50'000));
        QCOMPARE(cursor.count(), 1);
        QCOMPARE(*view.state()->cursorTime(), Timestamp::fromMicros(50'000));
        // The crosshair's colour appears in both views' pixels.
        const QColor line(0xe6, 0x4a, 0x19);
        for (QWidget* w : {static_cast<QWidget*>(view.waterfall()), static_cast<QWidget*>(view.flameGraph())}) {
            const QImage img = w->grab().toImage();
            bool found = false;
            for (int x = 0; x < img.width() && !found; ++x)
                found = img.pixelColor(x, img.height() - 3) == line;
            QVERIFY2(found, w->metaObject()->className());
        }
        // Hovering a view says which time the mouse is over.
        QSignalSpy hovered(&view, &TraceView::hoveredTime);
        SpanWaterfall* w = view.waterfall();
        QTest::mouseMove(w, QPoint(w->width() - 60, w->rowRect(0).center().y()));
        QTRY_VERIFY(hovered.count() >= 1);
        QVERIFY(hovered.last().at(0).value<Timestamp>() > Timestamp::fromMicros(50'000));
    }

    void coloursDoNotDependOnWhatIsOnScreen()
    {
        // Many services, more rows than fit: the colour of a service is the same wherever it is
        // scrolled, and the same as in another trace.
        std::vector<Span> spans{span(1, 0, "root", "frontend", 0, 1'000'000)};
        const char* services[] = {"cart", "payment", "shipping", "email", "ads", "catalog"};
        for (int i = 0; i < 300; ++i)
            spans.push_back(span(uint64_t(i + 2), 1, "op", services[i % 6], i * 3000, i * 3000 + 2000));
        TraceView view;
        view.resize(900, 500);
        view.show();
        view.setTraceLayout(TraceLayout::build(std::move(spans)));
        const TraceViewState& st = *view.state();
        const int firstPayment = 2; // the root, then cart (i = 0), then payment (i = 1)
        const QColor before = tracePainter::fillOf(st, view.waterfall()->nodeAt(firstPayment));
        view.waterfall()->grab();
        QWheelEvent wheel(QPointF(100, 100), view.waterfall()->mapToGlobal(QPointF(100, 100)), {}, QPoint(0, -120 * 40), Qt::NoButton, {},
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.waterfall(), &wheel);
        view.waterfall()->grab();
        QCOMPARE(tracePainter::fillOf(st, view.waterfall()->nodeAt(firstPayment)), before);
        QCOMPARE(before, serviceColours::of("payment"));
        for (int row = 0; row < view.waterfall()->rowCount(); ++row) {
            const int node = view.waterfall()->nodeAt(row);
            QCOMPARE(tracePainter::fillOf(st, node), serviceColours::of(st.layout()->serviceOf(node)));
        }
    }

    void orphanPlaceholderRow()
    {
        SpanWaterfall w;
        w.resize(900, 400);
        w.setSpans({span(1, 0, "root", "a", 0, 100), span(2, 77, "lost", "b", 10, 20)});
        QCOMPARE(w.spanCount(), 2);
        QCOMPARE(w.rowCount(), 3);
        QCOMPARE(w.spanAt(1).value, uint64_t(77)); // the placeholder stands for the missing parent
        QCOMPARE(w.depthAt(1), 0);
        QCOMPARE(w.spanAt(2).value, uint64_t(2));
        QCOMPARE(w.depthAt(2), 1);
        w.grab();
    }

    void hundredThousandDeepChainPaints()
    {
        constexpr int kDepth = 100'000;
        std::vector<Span> spans;
        spans.reserve(kDepth);
        for (int i = 1; i <= kDepth; ++i)
            spans.push_back(span(uint64_t(i), i == 1 ? 0 : uint64_t(i - 1), "op", "deep", i, 2 * kDepth + 10 - i));
        TraceView view;
        view.resize(1200, 700);
        view.show();
        view.setTraceLayout(TraceLayout::build(std::move(spans)));
        QCOMPARE(view.waterfall()->rowCount(), kDepth);
        QCOMPARE(view.waterfall()->depthAt(kDepth - 1), kDepth - 1);
        view.grab();
        view.setSelectedSpan(SpanId{uint64_t(kDepth)}); // scrolls both views to the bottom
        view.grab();
    }
};

QTEST_MAIN(TestTraceView)
#include "tst_trace_view.moc"
