#pragma once

// Read access to a cache: its own read-only connection (WAL lets it read while the writer
// commits). One reader per thread. Every read is bounded: pages by keyset (never OFFSET), series
// downsampled to a point budget, lists with a limit.

#include "Sqlite.h"
#include "core/Records.h"
#include "core/ProblemLevel.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rootline {

struct CacheOverview {
    int64_t logs = 0, spans = 0, traces = 0, series = 0, samples = 0, exemplars = 0, alerts = 0, fetches = 0;
    std::vector<std::string> services;
    std::optional<TimeWindow> range; // earliest to latest record of any kind; empty cache: none
};

// Which logs: all conditions must hold. `text` is an FTS5 query over log bodies.
struct LogQuery {
    TimeWindow window = TimeWindow::all();
    std::vector<std::string> services;
    int minSeverity = 0;
    std::optional<TraceId> traceId;
    std::string text;
};

// Where a page ends: pass it back to continue after (or before) that row.
struct LogCursor {
    Timestamp time;
    int64_t rowId = 0;
};

enum class Direction { Forward, Backward };

struct TraceSummary {
    int64_t rowId = 0;
    TraceId traceId;
    Timestamp start;
    Duration duration;
    int64_t spanCount = 0;
    int64_t errorCount = 0;
    std::string rootService;
    std::string rootName;
};

struct TraceQuery {
    TimeWindow window = TimeWindow::all();
    std::string service; // any span of the trace... in practice the root service
    bool errorsOnly = false;
    Duration minDuration;
    enum class Order { StartTime, Slowest } order = Order::StartTime;
    int limit = 500;
};

struct SeriesInfo {
    Series series;
    int64_t sampleCount = 0;
    std::optional<TimeWindow> range;
};

// A call between two resources, as the spans show it: a span whose parent span was emitted by
// another resource (the caller). The ranker learns the services' topology from these.
struct ResourceEdge {
    int64_t caller = 0, callee = 0; // resource row ids
    int64_t calls = 0;
};

// A log line that may say something went wrong: warning or worse, or no severity at all
// (unstructured lines, which the caller reads for trouble words). `body` lives for the callback.
struct TroubleLogLine {
    int64_t rowId = 0;
    Timestamp time;
    int severity = 0;
    std::string_view body;
    int64_t resource = 0;  // 0 when none
    int64_t traceRow = 0;  // 0 when the line carries no trace id
};

struct FetchRejection {
    int64_t fetchRowId = 0;
    std::string location, message, snippet;
    ProblemLevel level = ProblemLevel::Error;
};

// One row of the `investigations` table: a guided investigation saved with its pins and notes.
struct SavedInvestigation {
    int64_t id = 0;
    std::string title;
    std::string stateJson; // Investigation::toJson()
    Timestamp updatedAt;
};

class CacheReader {
public:
    static Result<std::unique_ptr<CacheReader>> open(const std::string& path);

    Result<CacheOverview> overview();
    // SQLite's quick_check over the whole file (about a second a gigabyte): empty when the cache is
    // sound, else the first problems found. A damaged cache can still be read; it is never written
    // (CacheWriter::open refuses it).
    Result<std::string> integrityProblems();

    // Logs after (Forward) or before (Backward) `after`, ordered by (time, row id) in that
    // direction; without a cursor, from the window's start (Forward) or end (Backward).
    Result<std::vector<LogRecord>> logPage(const LogQuery& query, std::optional<LogCursor> after, int limit,
                                           Direction direction = Direction::Forward);
    Result<int64_t> countLogs(const LogQuery& query);
    Result<std::optional<LogRecord>> logById(int64_t rowId);

    Result<std::vector<Span>> traceSpans(const TraceId& traceId);
    Result<std::vector<TraceSummary>> traces(const TraceQuery& query);
    Result<std::optional<TraceSummary>> traceSummary(const TraceId& traceId);

    Result<std::vector<SeriesInfo>> listSeries();
    Result<std::optional<Series>> seriesById(int64_t rowId);
    // Every sample in the window, sorted by time, duplicates of one timestamp collapsed (last wins).
    // A delta series' samples come as running totals from the window's first point on
    // (DeltaTotals.h), so every consumer reads counters one way: the increase between two points
    // is the same as from cumulative points. `Points::AsStored` gives them as they came instead
    // (for copying a series into another cache with its temporality).
    enum class Points { AsStored };
    Result<std::vector<Sample>> samples(int64_t seriesRowId, TimeWindow window);
    Result<std::vector<Sample>> samples(int64_t seriesRowId, TimeWindow window, Points);
    // At most `maxPoints` points that keep each bucket's minimum and maximum (see Downsample.h).
    Result<std::vector<Sample>> downsampled(int64_t seriesRowId, TimeWindow window, int maxPoints);
    // Histogram rows in the window by time; a delta series' as running totals, like samples().
    Result<std::vector<HistogramSample>> histograms(int64_t seriesRowId, TimeWindow window);
    Result<std::vector<HistogramSample>> histograms(int64_t seriesRowId, TimeWindow window, Points);
    Result<Temporality> temporality(int64_t seriesRowId);
    // seriesRowId 0: exemplars of every series.
    Result<std::vector<Exemplar>> exemplars(int64_t seriesRowId, TimeWindow window);

    // Caller → callee resource pairs among the `maxSpans` child spans that start latest in `window`
    // (the topology nearest the window's end), each with how many calls it saw.
    Result<std::vector<ResourceEdge>> resourceEdges(TimeWindow window, int maxSpans);
    // The first `limit` trouble lines of the window in time order; returns how many were read.
    Result<int64_t> forEachTroubleLog(TimeWindow window, int limit,
                                      const std::function<void(const TroubleLogLine&)>& onLine);

    Result<std::vector<Alert>> alerts();
    // The saved investigations, the most recently updated first, at most `limit`.
    Result<std::vector<SavedInvestigation>> savedInvestigations(int limit = 20);
    Result<std::vector<FetchRecord>> fetches();
    Result<std::vector<FetchRejection>> rejections(int64_t fetchRowId = 0);
    Result<std::vector<std::pair<std::string, std::string>>> manifest();
    Result<std::vector<std::pair<int64_t, ResourcePtr>>> resources();

    // For model code that runs its own queries (correlation, export). Read-only.
    sql::Database& database() { return m_db; }
    ResourcePtr resource(int64_t rowId);                 // cached; nullptr for 0 or unknown
    std::optional<TraceId> traceIdOf(int64_t traceRowId); // cached

private:
    explicit CacheReader(sql::Database db) : m_db(std::move(db)) {}
    Result<LogRecord> readLog(const sql::Statement& stmt);
    // Full-text search for a common term, guided by the log_blocks zone map (see Schema.cpp).
    Result<std::vector<LogRecord>> searchByBlocks(const LogQuery& query, std::optional<LogCursor> after, int limit,
                                                  Direction direction);
    Status loadResources();

    sql::Database m_db;
    std::unordered_map<int64_t, ResourcePtr> m_resources;
    std::unordered_map<int64_t, TraceId> m_traceIds;
    sql::Statement m_traceIdLookup; // prepared once: a page of logs may look up a trace per row (after m_db: finalized first)
};

} // namespace rootline
