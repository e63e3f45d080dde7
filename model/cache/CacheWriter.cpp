#include "CacheWriter.h"

#include "LogIdentity.h"
#include "RecordCodec.h"
#include "Schema.h"
#include "Sqlite.h"
#include "core/Clock.h"
#include "correlation/TraceContextExtractor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace rootline {

namespace {
constexpr size_t kChunkSamples = 4096;

struct Rejection {
    std::string location, message, snippet;
    ProblemLevel level = ProblemLevel::Error;
};

// A batch as the writer thread takes it. The work on it that needs no database — the logs' trace
// context and their attributes as JSON — is done by the producer in append(), on its own thread,
// and the spent batch goes back to the producer to be freed: the writer thread is the bottleneck
// of ingest, the producer's core is mostly idle (callgrind: 20 % of the writer's instructions per
// plain log row were this work).
struct QueuedBatch {
    TelemetryBatch batch;
    std::string logAttributes;            // every log's attributes as JSON, back to back
    std::vector<size_t> logAttributesEnd; // where log i's JSON ends in logAttributes
    std::vector<int64_t> logIdentity;     // log i's identity (LogIdentity.h), first occurrence

    std::string_view attributesOf(size_t i) const
    {
        const size_t begin = i == 0 ? 0 : logAttributesEnd[i - 1];
        return std::string_view(logAttributes).substr(begin, logAttributesEnd[i] - begin);
    }
};
} // namespace

struct UnitState {
    FetchRecord fetch;
    std::deque<QueuedBatch> queue;
    std::vector<QueuedBatch> spent; // stored, for the producer to free
    std::vector<Rejection> rejections;
    bool commitRequested = false;
    bool rollbackRequested = false;
    bool complete = true;
    std::string message;
    bool started = false;  // BEGIN done (writer thread)
    bool finished = false; // committed or rolled back
    std::optional<Error> error;
    WriteStats stats;
    int64_t fetchRowId = 0;
};

// Prepared statements and id maps; touched only by the writer thread.
// ≈ 60 bytes an entry in the memo of trace row ids: about 15 MB at most.
constexpr size_t kMaxRememberedTraceIds = 256 * 1024;

struct WriterConnection {
    sql::Database db;
    WriterOptions options;
    sql::Statement insertFetch, finishFetch, insertRejection;
    sql::Statement findResource, insertResource;
    sql::Statement updateTrace, findTrace, insertTrace;
    sql::Statement insertLog, findLogOwner, insertLogText, markUnindexed, insertLogBlock;
    sql::Statement insertSpan;
    sql::Statement findSeries, insertSeries, insertChunk, insertHistogram, findExemplar, insertExemplar;
    sql::Statement deleteAlert, insertAlert;
    std::unordered_map<std::string, int64_t> resourceIds;
    std::unordered_map<std::string, int64_t> seriesIds;
    std::unordered_map<TraceId, int64_t> traceIds;

    Status prepareAll();
    void forgetIds() // after a rollback the rows they point to are gone
    {
        resourceIds.clear();
        seriesIds.clear();
        traceIds.clear();
        // A failure between bind() and run() (e.g. a trace lookup inside a log's binds) returns
        // early and leaves values bound; clear them so the next unit's rows cannot inherit them.
        for (sql::Statement* stmt : {&insertFetch, &finishFetch, &insertRejection, &findResource, &insertResource, &updateTrace,
                                     &findTrace, &insertTrace, &insertLog, &findLogOwner, &insertLogText, &markUnindexed, &insertLogBlock, &insertSpan, &findSeries, &insertSeries, &insertChunk,
                                     &insertHistogram, &findExemplar, &insertExemplar, &deleteAlert, &insertAlert})
            stmt->reset();
    }
    Status begin(UnitState& unit);
    Status store(UnitState& unit, QueuedBatch& queued);
    Status finish(UnitState& unit);
    Result<int64_t> resourceId(const ResourcePtr& resource);
    Result<int64_t> traceRowId(const TraceId& id);
    Result<int64_t> seriesRowId(const Series& series, int64_t resource);
};

struct WriterState {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::shared_ptr<UnitState>> units;
    std::deque<std::function<void()>> tasks;
    bool stopping = false;
    std::atomic_bool closing{false}; // `stopping` for the busy handler, which runs without the mutex
    std::string path;
    WriterConnection conn;
    std::thread thread;

    void run();
    // Runs `fn` on the writer thread between units and waits for it.
    template <class R>
    R call(std::function<R(WriterConnection&)> fn);
};

// ---------------------------------------------------------------------------------------------

Status WriterConnection::prepareAll()
{
    struct Item {
        sql::Statement* stmt;
        const char* sql;
    };
    const Item items[] = {
        {&insertFetch, "INSERT INTO fetches(source, kind, query, from_ts, to_ts, fetched_at, rows, complete, message, content_hash)"
                       " VALUES(?,?,?,?,?,?,0,0,'',?)"},
        {&finishFetch, "UPDATE fetches SET rows = ?, complete = ?, message = ? WHERE id = ?"},
        {&insertRejection, "INSERT INTO rejections(fetch, location, message, snippet, level) VALUES(?,?,?,?,?)"},
        {&findResource, "SELECT id FROM resources WHERE key = ?"},
        {&insertResource, "INSERT INTO resources(key, service, namespace, version, environment, host, pod, container, attributes)"
                          " VALUES(?,?,?,?,?,?,?,?,?)"},
        {&updateTrace, "UPDATE traces SET start_ts = min(coalesce(start_ts, ?2), ?2), end_ts = max(coalesce(end_ts, ?3), ?3),"
                       " span_count = span_count + ?4, error_count = error_count + ?5,"
                       " root_service = CASE WHEN ?8 THEN ?6 ELSE coalesce(root_service, ?6) END,"
                       " root_name = CASE WHEN ?8 THEN ?7 ELSE coalesce(root_name, ?7) END WHERE id = ?1"},
        {&findTrace, "SELECT id FROM traces WHERE trace_id = ?"},
        {&insertTrace, "INSERT OR IGNORE INTO traces(trace_id) VALUES(?)"},
        {&insertLog, "INSERT INTO logs(ts, observed_ts, severity, severity_text, body, attributes, trace, span_id, resource, fetch,"
                     " identity) VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(ts, identity) DO NOTHING"},
        {&findLogOwner, "SELECT fetch FROM logs WHERE ts = ? AND identity = ?"},
        {&insertLogText, "INSERT INTO logs_fts(rowid, body) VALUES(?,?)"},
        {&markUnindexed, "INSERT INTO fts_pending(first_id) SELECT coalesce((SELECT max(id) FROM logs), 0) + 1"
                          " WHERE NOT EXISTS (SELECT 1 FROM fts_pending)"},
        {&insertLogBlock, "INSERT INTO log_blocks(first_id, last_id, min_ts, max_ts) VALUES(?,?,?,?)"},
        {&insertSpan, "INSERT INTO spans(trace, span_id, parent_span_id, name, kind, start_ts, duration, status, status_message,"
                      " attributes, events, links, resource, fetch) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                      " ON CONFLICT(trace, span_id) DO NOTHING"},
        {&findSeries, "SELECT id FROM series WHERE key = ?"},
        {&insertSeries, "INSERT INTO series(key, name, labels, kind, unit, resource, stream, temporality) VALUES(?,?,?,?,?,?,?,?)"},
        {&insertChunk, "INSERT INTO sample_chunks(series, start_ts, end_ts, count, times, vals, fetch) VALUES(?,?,?,?,?,?,?)"},
        {&insertHistogram, "INSERT OR REPLACE INTO histogram_samples(series, ts, count, sum, buckets) VALUES(?,?,?,?,?)"},
        {&findExemplar, "SELECT 1 FROM exemplars WHERE series = ?1 AND ts = ?2 AND value IS ?3 AND trace IS ?4 AND span_id IS ?5"
                        " AND labels = ?6 LIMIT 1"},
        {&insertExemplar, "INSERT INTO exemplars(series, ts, value, trace, span_id, labels) VALUES(?,?,?,?,?,?)"},
        {&deleteAlert, "DELETE FROM alerts WHERE name = ? AND labels = ? AND source = ?"},
        {&insertAlert, "INSERT INTO alerts(name, labels, annotations, state, active_since, value, source) VALUES(?,?,?,?,?,?,?)"},
    };
    for (const auto& item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return stmt.error();
        *item.stmt = std::move(*stmt);
    }
    return {};
}

Status WriterConnection::begin(UnitState& unit)
{
    // Waits here while another writer (another process, or another CacheWriter) has a unit open.
    if (auto s = db.exec("BEGIN IMMEDIATE"); !s)
        return s;
    unit.started = true;
    // The same content imported twice is skipped. Importers ask hasContentHash() first, to skip
    // early; this check, inside the write transaction, is the one that holds when two processes
    // import the same file at once (both asked before either committed).
    if (!unit.fetch.contentHash.empty()) {
        auto seen = db.prepare("SELECT 1 FROM fetches WHERE content_hash = ? LIMIT 1");
        if (!seen)
            return seen.error();
        seen->bindText(1, unit.fetch.contentHash);
        auto row = seen->step();
        if (!row)
            return row.error();
        if (*row)
            return Error{"cache " + db.path(), kAlreadyImported, {}};
    }
    auto& f = unit.fetch;
    insertFetch.bindText(1, f.source);
    insertFetch.bindText(2, f.kind);
    insertFetch.bindText(3, f.query);
    if (f.window.from != Timestamp::min())
        insertFetch.bind(4, f.window.from.nanos());
    if (f.window.to != Timestamp::max())
        insertFetch.bind(5, f.window.to.nanos());
    insertFetch.bind(6, (f.fetchedAt == Timestamp() ? Clock::current().now() : f.fetchedAt).nanos());
    insertFetch.bindText(7, f.contentHash);
    auto s = insertFetch.run();
    insertFetch.reset();
    if (!s)
        return s;
    unit.fetchRowId = db.lastInsertRowId();
    return {};
}

Result<int64_t> WriterConnection::resourceId(const ResourcePtr& resource)
{
    if (!resource)
        return int64_t(0);
    const std::string key = resource->key();
    if (auto it = resourceIds.find(key); it != resourceIds.end())
        return it->second;
    findResource.bindText(1, key);
    auto row = findResource.step();
    int64_t id = row && *row ? findResource.int64(0) : 0;
    findResource.reset();
    if (!row)
        return row.error();
    if (id == 0) {
        const std::string attrs = resource->raw.toJson();
        const std::string* fields[] = {&key, &resource->serviceName, &resource->serviceNamespace, &resource->serviceVersion,
                                       &resource->environment, &resource->host, &resource->pod, &resource->container, &attrs};
        for (int i = 0; i < 9; ++i)
            insertResource.bindText(i + 1, *fields[i]);
        auto s = insertResource.run();
        insertResource.reset();
        if (!s)
            return s.error();
        id = db.lastInsertRowId();
    }
    resourceIds.emplace(key, id);
    return id;
}

Result<int64_t> WriterConnection::traceRowId(const TraceId& id)
{
    if (auto it = traceIds.find(id); it != traceIds.end())
        return it->second;
    // An insert that a stored id turns into a no-op, then a lookup only in that case: an UPSERT
    // ... RETURNING cost five times as much per new trace (its RETURNING runs as a trigger
    // program over an ephemeral table), and looking up first costs a second index seek.
    unsigned char bytes[16];
    id.toBytes(bytes);
    insertTrace.bindBlob(1, bytes, 16);
    auto s = insertTrace.run();
    insertTrace.reset();
    if (!s)
        return s.error();
    int64_t rowId = 0;
    if (sqlite3_changes(db.handle()) == 1) {
        rowId = db.lastInsertRowId();
    } else {
        findTrace.bindBlob(1, bytes, 16);
        auto row = findTrace.step();
        rowId = row && *row ? findTrace.int64(0) : 0;
        findTrace.reset();
        if (!row)
            return row.error();
    }
    traceIds.emplace(id, rowId);
    return rowId;
}

// A series is its key: name, labels and, for OTLP, its stream (Series::key). A stream whose
// resource changed only in describing attributes (a deploy's service.version) finds its row here
// and keeps the resource that row was first stored with.
Result<int64_t> WriterConnection::seriesRowId(const Series& series, int64_t resource)
{
    const std::string key = series.key();
    if (auto it = seriesIds.find(key); it != seriesIds.end())
        return it->second;
    findSeries.bindText(1, key);
    auto row = findSeries.step();
    int64_t id = row && *row ? findSeries.int64(0) : 0;
    findSeries.reset();
    if (!row)
        return row.error();
    if (id == 0) {
        const std::string labels = codec::labelsToJson(series.labels);
        insertSeries.bindText(1, key);
        insertSeries.bindText(2, series.name);
        insertSeries.bindText(3, labels);
        insertSeries.bind(4, int(series.kind));
        insertSeries.bindText(5, series.unit);
        if (resource)
            insertSeries.bind(6, resource);
        insertSeries.bindText(7, series.stream);
        insertSeries.bind(8, int(series.temporality));
        auto s = insertSeries.run();
        insertSeries.reset();
        if (!s)
            return s.error();
        id = db.lastInsertRowId();
    }
    seriesIds.emplace(key, id);
    return id;
}

Status WriterConnection::store(UnitState& unit, QueuedBatch& queued)
{
    TelemetryBatch& batch = queued.batch;
    if (!unit.started) {
        if (auto s = begin(unit); !s)
            return s;
    }
    WriteStats& stats = unit.stats;
    const int64_t fetch = unit.fetchRowId;
    // The trace-key memo only saves index lookups: forget it between batches once it is large, so
    // the writer's memory stays bounded whatever the number of distinct traces in one import.
    if (traceIds.size() > kMaxRememberedTraceIds)
        traceIds.clear();
    std::unordered_map<const Resource*, int64_t> batchResources;
    auto resourceOf = [&](const ResourcePtr& r) -> Result<int64_t> {
        if (!r)
            return int64_t(0);
        if (auto it = batchResources.find(r.get()); it != batchResources.end())
            return it->second;
        auto id = resourceId(r);
        if (id)
            batchResources.emplace(r.get(), *id);
        return id;
    };

    std::string attrs;
    // Spans first, then their traces' summaries from the spans actually stored. (trace, span_id)
    // identifies a span: a copy of one already stored (the same trace from two files or two
    // fetches) is skipped and the first copy kept. A finished span does not change, so the copies
    // say the same; keeping the first leaves its row id, which readers page by, and the trace
    // summary, which counted it once, as they were — "newest wins" would have to un-count the old.
    struct TraceAggregate {
        Timestamp start = Timestamp::max(), end = Timestamp::min();
        int64_t spans = 0, errors = 0;
        const Span* root = nullptr;
        bool realRoot = false;
    };
    std::unordered_map<TraceId, TraceAggregate> aggregates;
    std::string events, links;
    for (const Span& span : batch.spans) {
        auto res = resourceOf(span.resource);
        if (!res)
            return res.error();
        auto trace = traceRowId(span.traceId);
        if (!trace)
            return trace.error();
        attrs.clear();
        codec::appendAttributesJson(attrs, span.attributes);
        events = codec::eventsToJson(span.events);
        links = codec::linksToJson(span.links);
        insertSpan.bind(1, *trace);
        insertSpan.bind(2, int64_t(span.spanId.value));
        if (span.parentSpanId)
            insertSpan.bind(3, int64_t(span.parentSpanId->value));
        insertSpan.bindText(4, span.name);
        insertSpan.bind(5, int(span.kind));
        insertSpan.bind(6, span.start.nanos());
        insertSpan.bind(7, span.duration.count());
        insertSpan.bind(8, int(span.status));
        insertSpan.bindText(9, span.statusMessage);
        insertSpan.bindText(10, attrs);
        insertSpan.bindText(11, events);
        insertSpan.bindText(12, links);
        if (*res)
            insertSpan.bind(13, *res);
        insertSpan.bind(14, fetch);
        auto s = insertSpan.run();
        insertSpan.reset();
        if (!s)
            return s;
        if (sqlite3_changes(db.handle()) == 0) {
            ++stats.duplicates;
            continue;
        }
        ++stats.spans;
        auto& a = aggregates[span.traceId];
        a.start = std::min(a.start, span.start);
        a.end = std::max(a.end, span.end());
        ++a.spans;
        a.errors += span.isError();
        const bool isRoot = !span.parentSpanId.has_value();
        if (!a.realRoot && (isRoot || !a.root || span.start < a.root->start)) {
            a.root = &span;
            a.realRoot = isRoot;
        }
    }
    for (const auto& [traceId, a] : aggregates) {
        updateTrace.bind(1, traceIds.at(traceId));
        updateTrace.bind(2, a.start.nanos());
        updateTrace.bind(3, a.end.nanos());
        updateTrace.bind(4, a.spans);
        updateTrace.bind(5, a.errors);
        if (a.root->resource)
            updateTrace.bindText(6, a.root->resource->serviceName);
        updateTrace.bindText(7, a.root->name);
        updateTrace.bind(8, int(a.realRoot));
        auto s = updateTrace.run();
        updateTrace.reset();
        if (!s)
            return s;
    }

    // Everything that may need a statement journal (upserts, lookups that insert, deletes, replaces)
    // runs before the batch's plain inserts. A statement savepoint makes FTS5 flush its pending
    // in-memory index, so interleaving such statements with log inserts wrote a tiny FTS segment
    // per new trace id (measured: 40% of ingest time). After this pass every id below is a map hit.
    // Each log's resource and trace row, resolved once here for the insert loop below.
    struct LogKeys {
        int64_t resource = 0, trace = 0;
    };
    std::vector<LogKeys> logKeys(batch.logs.size());
    const TraceId* lastTrace = nullptr; // neighbouring lines often share a trace: skip the map then
    int64_t lastTraceRow = 0;
    for (size_t i = 0; i < batch.logs.size(); ++i) {
        const LogRecord& log = batch.logs[i];
        auto r = resourceOf(log.resource);
        if (!r)
            return r.error();
        logKeys[i].resource = *r;
        if (log.traceId) {
            if (!lastTrace || !(*lastTrace == *log.traceId)) {
                auto t = traceRowId(*log.traceId);
                if (!t)
                    return t.error();
                lastTrace = &*log.traceId;
                lastTraceRow = *t;
            }
            logKeys[i].trace = lastTraceRow;
        }
    }
    for (SeriesData& data : batch.series) {
        auto res = resourceOf(data.series.resource);
        if (!res)
            return res.error();
        auto seriesId = seriesRowId(data.series, *res);
        if (!seriesId)
            return seriesId.error();
        for (const Exemplar& e : data.exemplars) {
            if (e.traceId) {
                if (auto t = traceRowId(*e.traceId); !t)
                    return t.error();
            }
        }
        for (const HistogramSample& h : data.histograms) {
            const std::string buckets = codec::bucketsToJson(h.buckets);
            insertHistogram.bind(1, *seriesId);
            insertHistogram.bind(2, h.time.nanos());
            insertHistogram.bind(3, h.count);
            insertHistogram.bind(4, h.sum);
            insertHistogram.bindText(5, buckets);
            auto s = insertHistogram.run();
            insertHistogram.reset();
            if (!s)
                return s;
        }
        stats.histograms += int64_t(data.histograms.size());
    }
    for (const Alert& alert : batch.alerts) {
        // An alert is its name, source and label set: labels are sorted by name (then value) before
        // they key the replacement and are stored, so the same alert with its labels in another
        // order replaces the stored one rather than stands beside it.
        codec::Labels sorted = alert.labels;
        std::sort(sorted.begin(), sorted.end());
        const std::string labels = codec::labelsToJson(sorted);
        const std::string annotations = codec::labelsToJson(alert.annotations);
        deleteAlert.bindText(1, alert.name);
        deleteAlert.bindText(2, labels);
        deleteAlert.bindText(3, alert.source);
        auto d = deleteAlert.run();
        deleteAlert.reset();
        if (!d)
            return d;
        insertAlert.bindText(1, alert.name);
        insertAlert.bindText(2, labels);
        insertAlert.bindText(3, annotations);
        insertAlert.bind(4, int(alert.state));
        if (alert.activeSince != Timestamp())
            insertAlert.bind(5, alert.activeSince.nanos());
        insertAlert.bind(6, alert.value);
        insertAlert.bindText(7, alert.source);
        auto s = insertAlert.run();
        insertAlert.reset();
        if (!s)
            return s;
    }
    stats.alerts += int64_t(batch.alerts.size());

    if (!options.fullTextIndex && !batch.logs.empty()) {
        // Readers refuse to search while this marks logs the index lacks (until the rebuild).
        if (auto s = markUnindexed.run(); !s)
            return s;
        markUnindexed.reset();
    }
    struct Block {
        int64_t first = 0, last = 0, count = 0;
        Timestamp min = Timestamp::max(), max = Timestamp::min();
    } block;
    auto flushBlock = [&]() -> Status {
        if (block.count == 0)
            return {};
        insertLogBlock.bind(1, block.first);
        insertLogBlock.bind(2, block.last);
        insertLogBlock.bind(3, block.min.nanos());
        insertLogBlock.bind(4, block.max.nanos());
        auto s = insertLogBlock.run();
        insertLogBlock.reset();
        block = Block{};
        return s;
    };
    // A line's identity (LogIdentity.h) may be taken already: by a copy another file or fetch
    // stored (the line is skipped, the first copy stays), or by an earlier copy in this unit (the
    // source says the line twice: it is kept, as the next occurrence). Where this unit's copies of
    // a line end, for lines it says more than once in this batch: the probe then starts there.
    struct LineAt {
        int64_t ts, identity;
        bool operator==(const LineAt&) const = default;
    };
    struct LineAtHash {
        size_t operator()(const LineAt& l) const { return size_t(l.identity ^ (l.ts * 0x9e3779b97f4a7c15LL)); }
    };
    std::unordered_map<LineAt, int64_t, LineAtHash> nextOccurrence;
    for (size_t i = 0; i < batch.logs.size(); ++i) {
        const LogRecord& log = batch.logs[i];
        insertLog.bind(1, log.time.nanos());
        insertLog.bind(2, (log.observedTime == Timestamp() ? log.time : log.observedTime).nanos());
        insertLog.bind(3, log.severity);
        insertLog.bindText(4, log.severityText);
        insertLog.bindText(5, log.body);
        insertLog.bindText(6, queued.attributesOf(i));
        // Every parameter is bound on every row (NULLs too), so the reset below keeps bindings.
        if (logKeys[i].trace)
            insertLog.bind(7, logKeys[i].trace);
        else
            insertLog.bindNull(7);
        if (log.spanId)
            insertLog.bind(8, int64_t(log.spanId->value));
        else
            insertLog.bindNull(8);
        if (logKeys[i].resource)
            insertLog.bind(9, logKeys[i].resource);
        else
            insertLog.bindNull(9);
        insertLog.bind(10, fetch);
        const LineAt line{log.time.nanos(), queued.logIdentity[i]};
        const auto seen = nextOccurrence.find(line);
        int64_t occurrence = seen == nextOccurrence.end() ? 0 : seen->second;
        bool stored = false;
        for (;;) {
            insertLog.bind(11, cache::logOccurrence(line.identity, occurrence));
            auto s = insertLog.run();
            insertLog.resetKeepingBindings();
            if (!s)
                return s;
            if (sqlite3_changes(db.handle()) > 0) {
                stored = true;
                break;
            }
            if (occurrence == 0) {
                // Every occurrence of a line belongs to the unit that stored its first copy.
                findLogOwner.bind(1, line.ts);
                findLogOwner.bind(2, line.identity);
                auto row = findLogOwner.step();
                const int64_t owner = row && *row ? findLogOwner.int64(0) : 0;
                findLogOwner.reset();
                if (!row)
                    return row.error();
                if (owner != fetch)
                    break;
            }
            ++occurrence;
        }
        if (!stored) {
            ++stats.duplicates;
            continue;
        }
        if (occurrence > 0 || seen != nextOccurrence.end())
            nextOccurrence[line] = occurrence + 1;
        ++stats.logs;
        const int64_t logRowId = db.lastInsertRowId();
        if (block.count == 0)
            block.first = logRowId;
        block.last = logRowId;
        block.min = std::min(block.min, log.time);
        block.max = std::max(block.max, log.time);
        if (++block.count == 4096) {
            if (auto b = flushBlock(); !b)
                return b;
        }
        if (options.fullTextIndex) {
            insertLogText.bind(1, logRowId);
            insertLogText.bindText(2, log.body);
            auto t = insertLogText.run();
            insertLogText.resetKeepingBindings();
            if (!t)
                return t;
        }
    }
    if (auto b = flushBlock(); !b)
        return b;


    for (SeriesData& data : batch.series) {
        auto res = resourceOf(data.series.resource);
        if (!res)
            return res.error();
        auto seriesId = seriesRowId(data.series, *res);
        if (!seriesId)
            return seriesId.error();
        ++stats.series;
        auto& samples = data.samples;
        std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
        std::vector<int64_t> times;
        std::vector<double> values;
        for (size_t i = 0; i < samples.size(); i += kChunkSamples) {
            const size_t n = std::min(kChunkSamples, samples.size() - i);
            times.resize(n);
            values.resize(n);
            for (size_t k = 0; k < n; ++k) {
                times[k] = samples[i + k].time.nanos();
                values[k] = samples[i + k].value;
            }
            insertChunk.bind(1, *seriesId);
            insertChunk.bind(2, times.front());
            insertChunk.bind(3, times.back());
            insertChunk.bind(4, int64_t(n));
            insertChunk.bindBlob(5, times.data(), n * sizeof(int64_t));
            insertChunk.bindBlob(6, values.data(), n * sizeof(double));
            insertChunk.bind(7, fetch);
            auto s = insertChunk.run();
            insertChunk.reset();
            if (!s)
                return s;
        }
        stats.samples += int64_t(samples.size());
        for (const Exemplar& e : data.exemplars) {
            attrs.clear();
            codec::appendAttributesJson(attrs, e.labels);
            // An exemplar identical in every field to a stored one is the same exemplar fetched
            // twice: skipped. (A separate SELECT, not INSERT ... WHERE NOT EXISTS: a multi-row
            // insert takes a statement journal, which makes FTS5 flush, see above.)
            int64_t trace = 0;
            if (e.traceId) {
                auto t = traceRowId(*e.traceId);
                if (!t)
                    return t.error();
                trace = *t;
            }
            for (sql::Statement* stmt : {&findExemplar, &insertExemplar}) {
                stmt->bind(1, *seriesId);
                stmt->bind(2, e.time.nanos());
                stmt->bind(3, e.value);
                if (e.traceId)
                    stmt->bind(4, trace);
                if (e.spanId)
                    stmt->bind(5, int64_t(e.spanId->value));
                stmt->bindText(6, attrs);
            }
            auto found = findExemplar.step();
            findExemplar.reset();
            if (!found)
                return found.error();
            if (*found) {
                insertExemplar.reset();
                ++stats.duplicates;
                continue;
            }
            auto s = insertExemplar.run();
            insertExemplar.reset();
            if (!s)
                return s;
            ++stats.exemplars;
        }
    }

    return {};
}

Status WriterConnection::finish(UnitState& unit)
{
    if (!unit.started) {
        if (auto s = begin(unit); !s)
            return s;
    }
    for (const auto& r : unit.rejections) {
        insertRejection.bind(1, unit.fetchRowId);
        insertRejection.bindText(2, r.location);
        insertRejection.bindText(3, r.message);
        insertRejection.bindText(4, r.snippet);
        insertRejection.bind(5, int64_t(r.level));
        auto s = insertRejection.run();
        insertRejection.reset();
        if (!s)
            return s;
    }
    unit.stats.rejected = std::count_if(unit.rejections.begin(), unit.rejections.end(),
                                        [](const Rejection& r) { return r.level == ProblemLevel::Error; });
    unit.stats.warnings = std::count_if(unit.rejections.begin(), unit.rejections.end(),
                                        [](const Rejection& r) { return r.level == ProblemLevel::Warning; });
    finishFetch.bind(1, unit.stats.total());
    finishFetch.bind(2, int(unit.complete && unit.stats.rejected == 0));
    finishFetch.bindText(3, unit.message);
    finishFetch.bind(4, unit.fetchRowId);
    auto s = finishFetch.run();
    finishFetch.reset();
    if (!s)
        return s;
    return db.exec("COMMIT");
}

// ---------------------------------------------------------------------------------------------

void WriterState::run()
{
    std::unique_lock lock(mutex);
    for (;;) {
        changed.wait(lock, [&] {
            if (!tasks.empty() && (units.empty() || !units.front()->started))
                return true;
            if (units.empty())
                return stopping;
            const auto& u = *units.front();
            return !u.queue.empty() || u.commitRequested || u.rollbackRequested || stopping;
        });
        if (!tasks.empty() && (units.empty() || !units.front()->started)) {
            auto task = std::move(tasks.front());
            tasks.pop_front();
            lock.unlock();
            task();
            lock.lock();
            continue;
        }
        if (units.empty())
            break; // stopping, nothing left
        auto unit = units.front();
        if (!unit->queue.empty()) {
            QueuedBatch batch = std::move(unit->queue.front());
            unit->queue.pop_front();
            changed.notify_all(); // room in the queue
            if (!unit->error) {
                lock.unlock();
                Status s = conn.store(*unit, batch);
                if (!s && unit->started) {
                    (void)conn.db.exec("ROLLBACK");
                    conn.forgetIds();
                    unit->started = false;
                }
                lock.lock();
                if (!s)
                    unit->error = s.error();
            } // else already failed: drop what still arrives
            unit->spent.push_back(std::move(batch));
            continue;
        }
        const bool commit = unit->commitRequested && !unit->rollbackRequested && !unit->error;
        if (!commit && !unit->commitRequested && !unit->rollbackRequested && !stopping)
            continue;
        lock.unlock();
        Status s;
        if (commit)
            s = conn.finish(*unit);
        if (unit->started && (!commit || !s)) {
            (void)conn.db.exec("ROLLBACK");
            conn.forgetIds();
        }
        unit->started = false;
        lock.lock();
        if (!s)
            unit->error = s.error();
        else if (!commit && !unit->rollbackRequested && !unit->error)
            unit->error = Error{"cache " + path, "the writer was closed before this unit was committed", {}};
        unit->finished = true;
        units.pop_front();
        changed.notify_all();
    }
}

template <class R>
R WriterState::call(std::function<R(WriterConnection&)> fn)
{
    std::optional<R> result;
    std::unique_lock lock(mutex);
    tasks.push_back([&] {
        R r = fn(conn);
        std::lock_guard g(mutex);
        result.emplace(std::move(r));
        changed.notify_all();
    });
    changed.notify_all();
    changed.wait(lock, [&] { return result.has_value(); });
    return std::move(*result);
}

// ---------------------------------------------------------------------------------------------

WriteUnit::WriteUnit(std::shared_ptr<WriterState> writer, std::shared_ptr<UnitState> unit)
    : m_writer(std::move(writer)), m_unit(std::move(unit))
{
}

WriteUnit::~WriteUnit()
{
    if (!m_done)
        rollback();
}

Status WriteUnit::append(TelemetryBatch batch)
{
    QueuedBatch queued;
    const WriterOptions& options = m_writer->conn.options; // fixed once the writer is open
    queued.logAttributesEnd.reserve(batch.logs.size());
    queued.logIdentity.reserve(batch.logs.size());
    const Resource* lastResource = nullptr; // neighbouring lines mostly share one: key it once
    std::string resourceKey;
    for (LogRecord& log : batch.logs) {
        if (!log.traceId)
            applyTraceContext(log, options.correlationRules.get());
        const size_t begin = queued.logAttributes.size();
        codec::appendAttributesJson(queued.logAttributes, log.attributes);
        queued.logAttributesEnd.push_back(queued.logAttributes.size());
        if (log.resource.get() != lastResource) {
            lastResource = log.resource.get();
            resourceKey = lastResource ? lastResource->key() : std::string();
        }
        queued.logIdentity.push_back(cache::logIdentity(resourceKey, log.body,
                                                        std::string_view(queued.logAttributes).substr(begin)));
    }
    queued.batch = std::move(batch);
    std::vector<QueuedBatch> spent;
    std::unique_lock lock(m_writer->mutex);
    spent.swap(m_unit->spent); // declared before the lock, so freed after it is released
    m_writer->changed.wait(lock, [&] {
        return m_unit->error || m_unit->queue.size() < size_t(m_writer->conn.options.maxQueuedBatches) || m_writer->stopping;
    });
    if (m_unit->error)
        return *m_unit->error;
    if (m_done || m_writer->stopping)
        return Error{"cache " + m_writer->path, "append to a unit that is finished or whose writer is closing", {}};
    m_unit->queue.push_back(std::move(queued));
    m_writer->changed.notify_all();
    return {};
}

void WriteUnit::reject(std::string location, std::string message, std::string snippet, ProblemLevel level)
{
    std::lock_guard lock(m_writer->mutex);
    m_unit->rejections.push_back({std::move(location), std::move(message), std::move(snippet), level});
}

Result<WriteStats> WriteUnit::commit(bool complete, std::string message)
{
    std::vector<QueuedBatch> spent; // the last stored batches, freed here after the lock is released
    std::unique_lock lock(m_writer->mutex);
    if (m_done)
        return Error{"cache " + m_writer->path, "unit committed twice", {}};
    m_done = true;
    m_unit->commitRequested = true;
    m_unit->complete = complete;
    m_unit->message = std::move(message);
    m_writer->changed.notify_all();
    m_writer->changed.wait(lock, [&] { return m_unit->finished; });
    spent.swap(m_unit->spent);
    if (m_unit->error)
        return *m_unit->error;
    return m_unit->stats;
}

void WriteUnit::rollback()
{
    std::unique_lock lock(m_writer->mutex);
    if (m_done)
        return;
    m_done = true;
    m_unit->rollbackRequested = true;
    m_unit->queue.clear();
    m_writer->changed.notify_all();
    m_writer->changed.wait(lock, [&] { return m_unit->finished; });
}

int64_t WriteUnit::fetchRowId() const
{
    std::lock_guard lock(m_writer->mutex);
    return m_unit->fetchRowId;
}

// ---------------------------------------------------------------------------------------------

CacheWriter::CacheWriter(std::shared_ptr<WriterState> state) : m_state(std::move(state)) {}

Result<std::unique_ptr<CacheWriter>> CacheWriter::open(const std::string& path, WriterOptions options)
{
    auto db = cache::openCache(path, cache::OpenMode::ReadWrite);
    if (!db)
        return db.error();
    // Writing into a damaged file spreads the damage (SQLite trusts its b-trees): refuse, and say
    // that the file can still be read. About a second a gigabyte, once per writer.
    auto problems = cache::quickCheck(*db);
    if (!problems)
        return problems.error();
    if (!problems->empty())
        return Error{"cache " + path, "the file is damaged (SQLite's quick_check: " + *problems + "): Rootline reads it but will not write to it",
                     "export what it holds into a new cache (rootline-cli export), or restore a copy"};
    auto state = std::make_shared<WriterState>();
    state->path = path;
    state->conn.db = std::move(*db);
    state->conn.options = options;
    state->conn.db.waitForOtherWriters(options.onWaitingForWriter, &state->closing);
    if (auto s = state->conn.prepareAll(); !s)
        return s.error();
    // The connection moves to the writer thread here and is used by no other thread after this.
    state->thread = std::thread([raw = state.get()] { raw->run(); });
    return std::unique_ptr<CacheWriter>(new CacheWriter(std::move(state)));
}

CacheWriter::~CacheWriter()
{
    {
        std::lock_guard lock(m_state->mutex);
        m_state->stopping = true;
        m_state->closing = true;
        m_state->changed.notify_all();
    }
    m_state->thread.join();
}

std::unique_ptr<WriteUnit> CacheWriter::begin(FetchRecord fetch)
{
    auto unit = std::make_shared<UnitState>();
    unit->fetch = std::move(fetch);
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->stopping) {
            unit->error = Error{"cache " + m_state->path, "the writer is closing", {}};
            unit->finished = true;
        } else {
            m_state->units.push_back(unit);
        }
    }
    return std::unique_ptr<WriteUnit>(new WriteUnit(m_state, unit));
}

Result<WriteStats> CacheWriter::write(TelemetryBatch batch, FetchRecord fetch)
{
    auto unit = begin(std::move(fetch));
    if (auto s = unit->append(std::move(batch)); !s)
        return s.error();
    return unit->commit();
}

Result<bool> CacheWriter::hasContentHash(const std::string& hash)
{
    return m_state->call<Result<bool>>([&](WriterConnection& c) -> Result<bool> {
        auto stmt = c.db.prepare("SELECT 1 FROM fetches WHERE content_hash = ? AND content_hash <> '' LIMIT 1");
        if (!stmt)
            return stmt.error();
        stmt->bindText(1, hash);
        auto row = stmt->step();
        if (!row)
            return row.error();
        return *row;
    });
}

Status CacheWriter::setManifest(const std::string& key, const std::string& value)
{
    return m_state->call<Status>([&](WriterConnection& c) -> Status {
        auto stmt = c.db.prepare("INSERT INTO manifest(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        if (!stmt)
            return stmt.error();
        stmt->bindText(1, key);
        stmt->bindText(2, value);
        return stmt->run();
    });
}

Status CacheWriter::rebuildFullTextIndex()
{
    return m_state->call<Status>([](WriterConnection& c) {
        sql::Transaction txn(c.db); // rolls back if the rebuild fails
        if (auto s = txn.begin(); !s)
            return s;
        if (auto s = c.db.exec("INSERT INTO logs_fts(logs_fts) VALUES('rebuild'); DELETE FROM fts_pending"); !s)
            return s;
        return txn.commit();
    });
}

Result<int64_t> CacheWriter::saveInvestigation(int64_t id, const std::string& title, const std::string& stateJson)
{
    return m_state->call<Result<int64_t>>([&](WriterConnection& c) -> Result<int64_t> {
        const int64_t now = Clock::current().now().nanos();
        auto stmt = c.db.prepare(id == 0 ? "INSERT INTO investigations(created_at, updated_at, title, state) VALUES(?1, ?1, ?2, ?3)"
                                         : "UPDATE investigations SET updated_at = ?1, title = ?2, state = ?3 WHERE id = ?4");
        if (!stmt)
            return stmt.error();
        stmt->bind(1, now);
        stmt->bindText(2, title);
        stmt->bindText(3, stateJson);
        if (id != 0)
            stmt->bind(4, id);
        if (auto s = stmt->run(); !s)
            return s.error();
        return id == 0 ? c.db.lastInsertRowId() : id;
    });
}

const std::string& CacheWriter::path() const { return m_state->path; }

} // namespace rootline
