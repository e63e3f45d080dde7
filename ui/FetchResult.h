#pragma once

// How one fetch from a query bar ended, as a plain value that crosses from the fetch worker to the
// window, and the words the bar shows for it: rows per kind, network or cache, complete or
// PARTIAL with the reason, cancelled, or the error with its place and hint. Unit-tested.

#include "FetchService.h"

#include <QMetaType>
#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace rootline {

// A fetch that rode along with the main one in the same user action (the exemplars of a metric
// query, the alerts of a further source): its failure is a warning, never the action's failure.
struct CompanionResult {
    FetchRequest request;
    std::string label;                 // what the message calls it: "exemplars", "alerts from prom2"
    std::optional<FetchReport> report; // set when runFetch returned
    std::optional<Error> error;        // set when it failed (or was skipped: the main fetch failed)
};

struct FetchRunResult {
    FetchRequest request;
    QString cachePath;
    std::optional<FetchReport> report; // set when runFetch returned
    std::optional<Error> error;        // set when it failed before or during the fetch
    bool cancelRequested = false;      // the user pressed Cancel
    double seconds = 0;
    std::vector<CompanionResult> companions; // in the order they ran, after the main fetch

    bool cancelled() const;
    // What the main fetch and its companions committed together.
    WriteStats storedTotal() const;
    // Rows were committed to the cache: the panes must reload.
    bool stored() const {
        const WriteStats s = storedTotal();
        return s.total() > 0 || s.rejected > 0;
    }
};

struct FetchMessage {
    enum class Level { Complete, Partial, Cancelled, Failed };
    Level level = Level::Complete;
    QString text;    // one line for the bar
    QString details; // the tool tip: where, hint, windows, warnings
};

FetchMessage describeFetch(const FetchRunResult& result);
// "1,234 logs · 12 spans · 3 series (720 samples)"; "no rows" when nothing.
QString rowsText(const WriteStats& stats);
// While running: "page 3 · 1.2 MiB · 12,000 records · 4 s".
QString progressText(const FetchProgress& progress, double seconds);
QString byteCountText(int64_t bytes);

} // namespace rootline

Q_DECLARE_METATYPE(rootline::FetchRunResult)
Q_DECLARE_METATYPE(rootline::FetchProgress)
