#pragma once

// Pagination of a Loki log query past the server's entry limit (wire-formats.md §1.5). Loki has no
// cursor: like logcli, the next page moves the time cursor to the last entry's timestamp (forward:
// start = ts, start being inclusive; backward: end = ts + 1 ns, end being exclusive), so the lines at
// the boundary timestamp come back again and must be skipped. logcli recognises them by line text
// alone, which merges identical lines of different streams and drops true duplicates; here an entry's
// identity is (stream labels, ts, line, structured metadata) counted with its multiplicity, so lines
// sharing a timestamp at a page boundary are neither lost nor duplicated.

#include "core/Time.h"
#include "import/LokiApi.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rootline {

class LokiPager {
public:
    LokiPager(TimeWindow window, bool backward);

    // The window of the next request ([start, end) in ns); invalid once the window is used up.
    TimeWindow nextWindow() const { return m_window; }
    // Entries already returned at the boundary timestamp: the next page sees them again, so ask for
    // that many more than the lines still wanted.
    int64_t overlap() const;

    struct Page {
        // (stream index, entry index) into the response, in direction order, not seen before.
        std::vector<std::pair<size_t, size_t>> fresh;
        bool exhausted = false; // fewer entries than asked for: nothing left in the window
        bool stuck = false;     // a full page with nothing new: every entry shares the boundary timestamp
    };
    // Takes the page answered for nextWindow() with `requestedLimit`, and moves the cursor.
    Page accept(const LokiResponse& page, int64_t requestedLimit);

    Timestamp boundary() const { return m_boundary; }

    // Shortens what is left of the window at its far end (backward: it now starts at `farEnd`;
    // forward: it now ends there), keeping the boundary state, so the part beyond can be fetched as
    // separate windows concurrently. No effect when `farEnd` lies outside what is left.
    void narrowTo(Timestamp farEnd);

private:
    TimeWindow m_window;
    bool m_backward;
    bool m_haveBoundary = false;
    Timestamp m_boundary;
    std::map<std::string, int64_t> m_seenAtBoundary; // identity → how many copies were returned
};

} // namespace rootline
