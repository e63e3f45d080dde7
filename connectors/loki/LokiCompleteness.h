#pragma once

// Checks that a paginated Loki log fetch received every line, window by window, and repairs it.
//
// Why: a real Loki does not always answer a full page with the true top-N. Loki 2.7 holding 12,460
// lines answered the first backward page (limit 5000) without one line at 1770718319.857236992 and
// with one older line instead; the cursor then moved past the skipped line and it was never fetched
// (upstream grafana/loki#10658, "queries with wide time ranges tend to miss logs"; logcli loses lines
// the same way). Nothing in the page says so, so the fetch asks the server how many lines the window
// holds (LokiCountQuery) and compares.
//
// The connector records every line it stores for the current window (record()); when the window is
// used up it calls verify(). A window whose count agrees costs that one count query. On a mismatch
// the window is halved (whole milliseconds, so every half can be counted exactly) and the halves are
// counted; a half that disagrees and holds less than a page is re-fetched (a page that is not full is
// not subject to the fault), a bigger one is halved again. Halving uses an explicit work list, at most
// kMaxSplits splits per window, never the stack. A re-fetched line is stored only when the window
// holds fewer copies of its identity (LokiEntryKey, with the timestamp) than the re-fetch returned, so
// nothing already stored is stored twice. What still disagrees is reported, per window, as
// "Loki returned N lines but counts M in [from, to)". It holds the identities of the current
// window's lines only (the planner sizes a window to about a page), and forgets them at reset().

#include "core/Result.h"
#include "core/Time.h"
#include "import/LokiApi.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace rootline {

class LokiCompleteness {
public:
    // What verify() needs from the server and the sink.
    struct Server {
        // The lines the server counts in `window` (exact: the window is lokiCountable).
        std::function<Result<int64_t>(TimeWindow window)> count;
        // Fetches every line of `window`, page by page, calling `line` once per entry returned (page
        // boundary repeats already removed). Returns whether the fetch reached the window's end.
        std::function<Result<bool>(TimeWindow window, const std::function<void(const LokiStream&, const LokiEntry&)>& line)> fetch;
        // Stores a line the window was missing; false when it may not (the fetch's line limit).
        std::function<bool(const LokiStream&, const LokiEntry&)> store;
    };

    struct Mismatch {
        TimeWindow window;
        int64_t received = 0; // lines stored in the window
        int64_t counted = 0;  // lines the server counts there
    };

    struct Verdict {
        std::vector<Mismatch> mismatches; // empty: every counted line is stored
        int64_t added = 0;                // lines stored by re-fetching
        int splits = 0;
        bool limited = false;             // store() refused a missing line
        bool cancelled = false;
        std::string failure;              // a request failed after the window was found short: why
        std::string unverified;           // a part that could not be counted exactly, and why
    };

    // A line stored in the current window.
    void record(const std::string& streamKey, const LokiEntry& entry);
    // Forgets the current window's lines (the next window begins).
    void reset();
    // Lines recorded with a timestamp in `window`.
    int64_t storedIn(TimeWindow window) const;

    // Checks the current window `window` (every line in it recorded) and repairs it. `onePage` is the
    // page size: a window counting fewer lines is re-fetched rather than halved. An error means the
    // window could not be counted at all; a request failing once it is known to be short ends the
    // repair with `failure` set and the shortfall among the mismatches.
    Result<Verdict> verify(TimeWindow window, Server& server, int64_t onePage, const std::atomic_bool* cancelled);

    static constexpr int kMaxSplits = 64;
    static constexpr int kMaxDepth = 48;

    // "Loki returned N lines but counts M in [from, to)" for the report.
    static std::string describe(const Mismatch& m);

private:
    // Re-fetches `window` and stores what is missing.
    Result<bool> refetch(TimeWindow window, Server& server, Verdict& verdict);

    std::unordered_map<std::string, int64_t> m_copies; // ns + identity → copies stored
    std::map<int64_t, int64_t> m_perNs;                // ns → lines stored
};

} // namespace rootline
