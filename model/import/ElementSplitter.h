#pragma once

// One array element too large for one piece (a Jaeger trace of a million spans, 364 MB, is one
// element of "data"), cut into pieces of bounded size without holding it in memory (issue 10,
// "big traces end to end"). The element streams through feed(): the arrays at `paths` (its spans)
// have their elements written to an anonymous temporary file, in runs of about `runBytes`; all the
// rest (the trace id, the processes, a resource and scope: small) is kept as the element's
// skeleton. Members may come in any order — Jaeger's processes often follow the spans — since the
// pieces are made only once the element has ended: the skeleton with one run of elements put back
// into its array and the other arrays left empty. Each piece is a valid element of the same
// format, so the format's parser reads it as it reads any other; the records of one element come
// out in several pieces.
//
// Paths name object keys from the element down, through arrays: "spans" is the array under the
// element's key "spans"; "scopeSpans.spans" the array under "spans" in any object of the array
// under "scopeSpans". Arrays inside the split arrays' elements are not split again.

#include "core/Result.h"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rootline {

class ElementSplitter {
public:
    // `runBytes`: the elements put together into one piece, about; `maxSkeletonBytes`: the rest of
    // the element may not be larger (nor may a single split element be larger than that).
    ElementSplitter(std::vector<std::string> paths, size_t runBytes, size_t maxSkeletonBytes);
    ~ElementSplitter();
    ElementSplitter(const ElementSplitter&) = delete;
    ElementSplitter& operator=(const ElementSplitter&) = delete;

    // The element's bytes, in order, from its first to its last.
    Status feed(std::string_view bytes);
    // The element ended: `emit` is called with each piece (the skeleton with one run put back);
    // once with the skeleton alone when no split array held anything.
    Status finish(const std::function<Status(std::string_view element)>& emit);

    int64_t splitElements() const { return m_elements; }

private:
    struct Run {
        int64_t offset = 0, size = 0;
    };
    struct Hole {
        size_t at = 0; // where in the skeleton the array's elements go (after its '[')
        std::vector<Run> runs;
    };
    struct Level {
        char bracket;
        bool split = false; // an array at one of the paths
        std::string key;    // objects: the current member's key
    };

    Status spoolRun();
    bool pathMatches() const;
    Status overflow(const char* what) const;

    std::vector<std::string> m_paths;
    size_t m_runBytes, m_maxSkeletonBytes;
    std::string m_skeleton;
    std::vector<Hole> m_holes;
    std::string m_run;      // the elements of the current run, comma-separated
    size_t m_elementAt = 0; // where the current element starts in m_run
    std::FILE* m_spool = nullptr;
    int64_t m_spoolSize = 0;
    int64_t m_elements = 0;

    // Scanner state.
    std::vector<Level> m_stack;
    bool m_inString = false, m_escape = false, m_stringIsKey = false, m_expectKey = false;
    std::string m_keyText;
    size_t m_splitDepth = 0; // m_stack.size() of the split array's level while inside one; 0 when not
    bool m_inElement = false;
};

} // namespace rootline
