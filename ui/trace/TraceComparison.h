#pragma once

// Two traces compared (issue 10, "Comparison"): per operation (service and span name), how many
// spans and how much time each trace spent, and a differential flame graph — the call paths of
// both traces merged into one tree (a path is the chain of service:name from the root), each with
// its time in A and in B. The wider of the two sets a node's width; the colour says which way it
// moved (red: longer in B, blue: shorter). Built with loops over the layouts' arrays, Widgets-free.

#include "TraceLayout.h"

#include <string>
#include <vector>

namespace rootline {

struct OperationDiff {
    std::string service;
    std::string name;
    int countA = 0, countB = 0;
    Duration totalA, totalB; // summed durations
    Duration selfA, selfB;   // summed self times
    Duration selfDelta() const { return selfB - selfA; }
};

struct DiffNode {
    int parent = -1; // index into DiffTree::nodes; -1 for a root
    int depth = 0;
    std::string service, name;
    Duration timeA, timeB; // summed durations of the spans on this path
    int countA = 0, countB = 0;
    double x0 = 0, x1 = 0; // horizontal extent in [0, 1] of the whole tree's width
};

struct DiffTree {
    std::vector<DiffNode> nodes; // parents before children; siblings by time spent, most first
    int maxDepth = -1;
};

struct TraceComparison {
    std::vector<OperationDiff> operations; // largest change in self time first
    DiffTree tree;
    Duration durationA, durationB;

    static TraceComparison compare(const TraceLayout& a, const TraceLayout& b);
};

} // namespace rootline
