// Two traces compared (ui/trace/TraceComparison.h): the per-operation table, largest change in
// self time first, and the merged call-path tree of the differential flame graph; the table's
// model under QAbstractItemModelTester.

#include "trace/OperationDiffModel.h"
#include "trace/TraceCompareView.h"
#include "trace/TraceComparison.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QTest>

#include "support/TraceTestSpans.h"

using namespace rootline;

namespace {
Timestamp ms(int64_t v) { return Timestamp::fromMillis(v); }

// The checkout trace with the gateway call taking `gatewayMs` and `retries` extra gateway calls.
std::vector<Span> checkoutWith(int64_t gatewayMs, int retries)
{
    auto spans = test::checkoutTrace();
    spans[3].duration = Duration::millis(gatewayMs);
    for (int r = 0; r < retries; ++r)
        spans.push_back(test::traceSpan(uint64_t(10 + r), 3, "gateway call", "payment", ms(76 + r), ms(77 + r)));
    return spans;
}

const DiffNode* pathNode(const DiffTree& tree, const std::vector<std::string>& path)
{
    int parent = -1;
    const DiffNode* found = nullptr;
    for (const auto& name : path) {
        found = nullptr;
        for (size_t i = 0; i < tree.nodes.size(); ++i)
            if (tree.nodes[i].parent == parent && tree.nodes[i].name == name) {
                found = &tree.nodes[i];
                parent = int(i);
                break;
            }
        if (!found)
            return nullptr;
    }
    return found;
}
} // namespace

class TestTraceComparison : public QObject {
    Q_OBJECT
private slots:
    void perOperationCountsAndLatency()
    {
        auto fast = TraceLayout::build(checkoutWith(10, 0));
        auto slow = TraceLayout::build(checkoutWith(50, 2));
        const auto c = TraceComparison::compare(*fast, *slow);
        QCOMPARE(c.operations.size(), size_t(6));
        // The gateway call changed most: 10 ms in one span → 50 + 1 + 1 ms in three.
        const OperationDiff& top = c.operations.front();
        QCOMPARE(top.name, std::string("gateway call"));
        QCOMPARE(top.countA, 1);
        QCOMPARE(top.countB, 3);
        QCOMPARE(top.selfA, Duration::millis(10));
        QCOMPARE(top.selfB, Duration::millis(52));
        QCOMPARE(top.selfDelta(), Duration::millis(42));
        // charge's self time shrank as its child grew: a negative change.
        const auto charge = std::find_if(c.operations.begin(), c.operations.end(), [](const OperationDiff& o) { return o.name == "charge"; });
        QVERIFY(charge != c.operations.end());
        QVERIFY(charge->selfDelta() < Duration());
    }

    void mergedPathTree()
    {
        auto a = TraceLayout::build(checkoutWith(10, 0));
        auto b = TraceLayout::build(checkoutWith(50, 2));
        const auto c = TraceComparison::compare(*a, *b);
        const DiffTree& t = c.tree;
        QCOMPARE(t.maxDepth, 3);
        // One path per service:name chain, both traces merged into it.
        QCOMPARE(t.nodes.size(), size_t(6));
        const DiffNode* gw = pathNode(t, {"GET /checkout", "POST", "charge", "gateway call"});
        QVERIFY(gw);
        QCOMPARE(gw->countA, 1);
        QCOMPARE(gw->countB, 3);
        QCOMPARE(gw->timeA, Duration::millis(10));
        QCOMPARE(gw->timeB, Duration::millis(52));
        QCOMPARE(DiffFlameGraph::colourOf(*gw).red() > DiffFlameGraph::colourOf(*gw).blue(), true); // longer in B: red
        const DiffNode* render = pathNode(t, {"GET /checkout", "render"});
        QVERIFY(render);
        QCOMPARE(DiffFlameGraph::colourOf(*render), QColor(0xcf, 0xcf, 0xcf)); // unchanged: grey
        // Children lie inside their parent; the root spans the whole width.
        const DiffNode* root = pathNode(t, {"GET /checkout"});
        QCOMPARE(root->x0, 0.0);
        QCOMPARE(root->x1, 1.0);
        for (const auto& n : t.nodes)
            if (n.parent >= 0) {
                QVERIFY(n.x0 >= t.nodes[size_t(n.parent)].x0 - 1e-12);
                QVERIFY(n.x1 <= t.nodes[size_t(n.parent)].x1 + 1e-12);
            }
        // Reversed, the change is blue.
        const auto back = TraceComparison::compare(*b, *a);
        const DiffNode* gwBack = pathNode(back.tree, {"GET /checkout", "POST", "charge", "gateway call"});
        QVERIFY(DiffFlameGraph::colourOf(*gwBack).blue() > DiffFlameGraph::colourOf(*gwBack).red());
    }

    void deepChainsCompareWithoutRecursion()
    {
        std::vector<Span> spans;
        for (int i = 1; i <= 100'000; ++i)
            spans.push_back(test::traceSpan(uint64_t(i), i == 1 ? 0 : uint64_t(i - 1), "op", "deep", Timestamp::fromNanos(i), Timestamp::fromNanos(300'000 - i)));
        auto L = TraceLayout::build(std::move(spans));
        const auto c = TraceComparison::compare(*L, *L);
        QCOMPARE(c.tree.nodes.size(), size_t(100'000));
        QCOMPARE(c.tree.maxDepth, 99'999);
    }

    void compareViewPaints()
    {
        TraceCompareView view;
        view.resize(1000, 600);
        auto a = TraceLayout::build(checkoutWith(10, 0));
        auto b = TraceLayout::build(checkoutWith(50, 2));
        view.setComparison(TraceComparison::compare(*a, *b), QStringLiteral("fast"), QStringLiteral("slow"));
        QCOMPARE(view.model()->rowCount(), 6);
        const QImage shot = view.grab().toImage();
        QVERIFY(!shot.isNull());
        if (const QString dir = qEnvironmentVariable("ROOTLINE_TEST_SHOTS"); !dir.isEmpty()) // to look at it
            shot.save(dir + QStringLiteral("/trace_comparison.png"));
    }

    void tableModel()
    {
        OperationDiffModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto a = TraceLayout::build(checkoutWith(10, 0));
        auto b = TraceLayout::build(checkoutWith(50, 2));
        model.setOperations(TraceComparison::compare(*a, *b).operations);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.index(0, OperationDiffModel::OperationColumn).data().toString(), QStringLiteral("gateway call"));
        QCOMPARE(model.index(0, OperationDiffModel::CountBColumn).data().toInt(), 3);
        QVERIFY(model.index(0, OperationDiffModel::DeltaColumn).data().toString().startsWith(QLatin1Char('+')));
        model.setOperations({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestTraceComparison)
#include "tst_trace_comparison.moc"
