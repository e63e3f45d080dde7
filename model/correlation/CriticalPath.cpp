#include "CriticalPath.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace rootline {
namespace {

struct Walker {
    const std::vector<Span>& spans;
    const std::vector<Duration>* offsets;
    std::vector<std::vector<size_t>> children; // sorted by end, latest first
    CriticalPath& path;

    Timestamp start(size_t i) const { return spans[i].start - (offsets ? (*offsets)[i] : Duration()); }
    Timestamp end(size_t i) const { return start(i) + spans[i].duration; }

    void self(size_t i, Timestamp from, Timestamp to)
    {
        if (to <= from)
            return;
        path.segments.push_back({i, from, to});
        path.selfTime[i] = path.selfTime[i] + (to - from);
    }

    // The part of span `top` between `lower` and `upper` (already clipped to its parent), walked
    // with an explicit stack: a parent chain as deep as the trace must not be the call stack's
    // business. A frame keeps its cursor (walking back from its end) and its next child; a span is
    // entered at most once, so a parent cycle in bad data ends instead of looping.
    void walk(size_t top, Timestamp lower, Timestamp upper)
    {
        struct Frame {
            size_t span;
            Timestamp lower;
            Timestamp cursor;
            size_t next = 0;
        };
        std::vector<char> entered(spans.size(), 0);
        std::vector<Frame> stack;
        auto enter = [&](size_t i, Timestamp from, Timestamp to) {
            entered[i] = 1;
            stack.push_back({i, std::max(from, start(i)), std::min(to, end(i))});
        };
        enter(top, lower, upper);
        while (!stack.empty()) {
            Frame& f = stack.back();
            const auto& kids = children[f.span];
            bool descended = false;
            while (f.next < kids.size() && f.cursor > f.lower) {
                const size_t c = kids[f.next++];
                if (entered[c] || start(c) >= f.cursor)
                    continue; // ran in parallel with something later on the path
                const Timestamp childEnd = std::min(end(c), f.cursor);
                if (childEnd <= f.lower)
                    continue;
                self(f.span, childEnd, f.cursor);
                const Timestamp childStart = std::max(start(c), f.lower);
                f.cursor = childStart;
                enter(c, childStart, childEnd); // invalidates f
                descended = true;
                break;
            }
            if (descended)
                continue;
            self(f.span, f.lower, f.cursor);
            stack.pop_back();
        }
    }
};

} // namespace

CriticalPath computeCriticalPath(const std::vector<Span>& spans, const std::vector<Duration>* startOffsets)
{
    CriticalPath path;
    if (spans.empty())
        return path;
    path.selfTime.assign(spans.size(), Duration());
    std::unordered_map<uint64_t, size_t> byId;
    byId.reserve(spans.size());
    for (size_t i = 0; i < spans.size(); ++i)
        byId.emplace(spans[i].spanId.value, i);

    Walker w{spans, startOffsets && startOffsets->size() == spans.size() ? startOffsets : nullptr, {}, path};
    w.children.resize(spans.size());
    std::optional<size_t> root;
    for (size_t i = 0; i < spans.size(); ++i) {
        const auto parent = spans[i].parentSpanId ? byId.find(spans[i].parentSpanId->value) : byId.end();
        if (parent != byId.end() && parent->second != i) {
            w.children[parent->second].push_back(i);
        } else if (!root || w.end(i) > w.end(*root)) {
            root = i;
        }
    }
    if (!root)
        root = 0;
    for (auto& c : w.children)
        std::sort(c.begin(), c.end(), [&](size_t a, size_t b) { return w.end(a) > w.end(b); });
    path.root = *root;
    w.walk(*root, w.start(*root), w.end(*root));
    std::sort(path.segments.begin(), path.segments.end(),
              [](const CriticalPathSegment& a, const CriticalPathSegment& b) { return a.start < b.start; });
    return path;
}

std::string describeCriticalPath(const std::vector<Span>& spans, const CriticalPath& path)
{
    std::string out;
    if (path.empty())
        return out;
    const Timestamp origin = spans[path.root].start;
    for (const auto& s : path.segments) {
        if (!out.empty())
            out += ", ";
        char buf[64];
        std::snprintf(buf, sizeof buf, " %lld-%lld", (long long)((s.start - origin).count() / 1'000'000),
                      (long long)((s.end - origin).count() / 1'000'000));
        out += spans[s.span].name;
        out += buf;
    }
    return out;
}

} // namespace rootline
