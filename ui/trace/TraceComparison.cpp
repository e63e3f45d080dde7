#include "TraceComparison.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace rootline {

namespace {

Duration abs(Duration d) { return d < Duration() ? Duration() - d : d; }

// Adds one trace's spans to the operations table and the merged path tree.
void addTrace(const TraceLayout& L, bool isB, std::map<std::pair<std::string, std::string>, OperationDiff>& ops,
              std::map<std::tuple<int, std::string, std::string>, int>& pathIndex, DiffTree& tree)
{
    std::vector<int> pathOfNode(size_t(L.nodeCount()), -1);
    for (int n = 0; n < L.nodeCount(); ++n) { // display order: a parent's path is known before its children's
        const std::string& service = L.serviceOf(n);
        const std::string name = L.labelOf(n);
        const bool placeholder = L.has(n, TraceLayout::Placeholder);
        const Duration d = Duration::nanos(L.endNanos(n, false) - L.startNanos(n, false));
        if (!placeholder) {
            auto& op = ops[{service, name}];
            op.service = service;
            op.name = name;
            (isB ? op.countB : op.countA)++;
            (isB ? op.totalB : op.totalA) = (isB ? op.totalB : op.totalA) + d;
            (isB ? op.selfB : op.selfA) = (isB ? op.selfB : op.selfA) + L.selfTime(n);
        }
        const int parentPath = L.parent(n) >= 0 ? pathOfNode[size_t(L.parent(n))] : -1;
        // Placeholders merge by what they are, not by which id went missing.
        const std::string key = placeholder ? std::string("(missing parent)") : name;
        auto [it, inserted] = pathIndex.try_emplace({parentPath, service, key}, int(tree.nodes.size()));
        if (inserted) {
            DiffNode node;
            node.parent = parentPath;
            node.depth = parentPath < 0 ? 0 : tree.nodes[size_t(parentPath)].depth + 1;
            node.service = service;
            node.name = key;
            tree.nodes.push_back(std::move(node));
            tree.maxDepth = std::max(tree.maxDepth, tree.nodes.back().depth);
        }
        DiffNode& node = tree.nodes[size_t(it->second)];
        (isB ? node.timeB : node.timeA) = (isB ? node.timeB : node.timeA) + d;
        (isB ? node.countB : node.countA)++;
        pathOfNode[size_t(n)] = it->second;
    }
}

} // namespace

TraceComparison TraceComparison::compare(const TraceLayout& a, const TraceLayout& b)
{
    TraceComparison out;
    out.durationA = a.empty() ? Duration() : a.bounds().length();
    out.durationB = b.empty() ? Duration() : b.bounds().length();
    std::map<std::pair<std::string, std::string>, OperationDiff> ops;
    std::map<std::tuple<int, std::string, std::string>, int> pathIndex;
    addTrace(a, false, ops, pathIndex, out.tree);
    addTrace(b, true, ops, pathIndex, out.tree);
    for (auto& [key, op] : ops)
        out.operations.push_back(std::move(op));
    std::stable_sort(out.operations.begin(), out.operations.end(),
                     [](const OperationDiff& x, const OperationDiff& y) {
                         // Self time moves from a parent to a child that grew: on a tie, the one whose own
                         // duration changed (the child) comes first.
                         if (abs(x.selfDelta()) != abs(y.selfDelta()))
                             return abs(x.selfDelta()) > abs(y.selfDelta());
                         return abs(x.totalB - x.totalA) > abs(y.totalB - y.totalA);
                     });

    // Widths: a node is as wide as the larger of its two times (at least the sum of its children's),
    // computed children first — the nodes are in parent-before-child order, so backwards.
    auto& nodes = out.tree.nodes;
    const size_t n = nodes.size();
    std::vector<double> width(n), childSum(n, 0);
    for (size_t k = n; k-- > 0;) {
        width[k] = std::max({double(nodes[k].timeA.count()), double(nodes[k].timeB.count()), childSum[k]});
        if (nodes[k].parent >= 0)
            childSum[size_t(nodes[k].parent)] += width[k];
    }
    // Children in order of width, laid out left to right inside their parent; roots likewise.
    std::vector<std::vector<int>> children(n);
    std::vector<int> roots;
    for (size_t k = 0; k < n; ++k)
        (nodes[k].parent >= 0 ? children[size_t(nodes[k].parent)] : roots).push_back(int(k));
    auto byWidth = [&](int x, int y) { return width[size_t(x)] > width[size_t(y)]; };
    double rootTotal = 0;
    for (int r : roots)
        rootTotal += width[size_t(r)];
    if (rootTotal <= 0)
        return out;
    std::sort(roots.begin(), roots.end(), byWidth);
    double cursor = 0;
    for (int r : roots) {
        nodes[size_t(r)].x0 = cursor / rootTotal;
        cursor += width[size_t(r)];
        nodes[size_t(r)].x1 = cursor / rootTotal;
    }
    for (size_t k = 0; k < n; ++k) { // parents are placed before their children
        auto& c = children[k];
        std::sort(c.begin(), c.end(), byWidth);
        double x = nodes[k].x0;
        for (int child : c) {
            nodes[size_t(child)].x0 = x;
            x += width[size_t(child)] / rootTotal;
            nodes[size_t(child)].x1 = x;
        }
    }
    return out;
}

} // namespace rootline
