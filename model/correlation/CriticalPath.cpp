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

    // The part of span i between `lower` and `upper` (already clipped to the parent).
    void walk(size_t i, Timestamp lower, Timestamp upper, int depth)
    {
        Timestamp cursor = std::min(upper, end(i));
        lower = std::max(lower, start(i));
        if (depth > 10000) { // a cycle in bad data; never loop forever
            self(i, lower, cursor);
            return;
        }
        for (size_t c : children[i]) {
            if (cursor <= lower)
                break;
            if (start(c) >= cursor)
                continue; // ran in parallel with something later on the path
            const Timestamp childEnd = std::min(end(c), cursor);
            if (childEnd <= lower)
                continue;
            self(i, childEnd, cursor);
            const Timestamp childStart = std::max(start(c), lower);
            walk(c, childStart, childEnd, depth + 1);
            cursor = childStart;
        }
        self(i, lower, cursor);
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
    w.walk(*root, w.start(*root), w.end(*root), 0);
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
