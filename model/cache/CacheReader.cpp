#include "CacheReader.h"

#include "DeltaTotals.h"
#include "Downsample.h"
#include "RecordCodec.h"
#include "Schema.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

namespace rootline {
namespace {

constexpr const char* kLogColumns = "l.id, l.ts, l.observed_ts, l.severity, l.severity_text, "
                                    "l.body, l.attributes, l.trace, l.span_id, l.resource";

std::optional<TraceId> blobToTraceId(std::string_view blob) {
    if (blob.size() != 16)
        return std::nullopt;
    return TraceId::fromBytes(reinterpret_cast<const unsigned char*>(blob.data()));
}

// The WHERE clause shared by page, count and search queries; binds follow in `binds` order.
struct Filter {
    std::string where;
    std::vector<std::variant<int64_t, std::string, std::vector<unsigned char>>> binds;

    void add(const std::string& clause) { where += (where.empty() ? " WHERE " : " AND ") + clause; }
    void bindAll(sql::Statement& stmt, int first = 1) const {
        int i = first;
        for (const auto& b : binds) {
            if (const auto* n = std::get_if<int64_t>(&b))
                stmt.bind(i++, *n);
            else if (const auto* s = std::get_if<std::string>(&b))
                stmt.bindText(i++, *s, true);
            else {
                const auto& v = std::get<std::vector<unsigned char>>(b);
                stmt.bindBlob(i++, v.data(), v.size(), true);
            }
        }
    }
};

// How a full-text condition joins the log table. A rare term: collect its few matches from the
// index and sort those. A common term: walk the time index and test each row, which stops after a
// page — materialising a million matches first would take a second.
enum class TextPlan { CollectMatches, TestEachRow };
constexpr int64_t kFewMatches = 20'000;

Filter logFilter(const LogQuery& q, TextPlan plan = TextPlan::CollectMatches) {
    Filter f;
    if (q.window.from != Timestamp::min()) {
        f.add("l.ts >= ?");
        f.binds.emplace_back(q.window.from.nanos());
    }
    if (q.window.to != Timestamp::max()) {
        f.add("l.ts < ?");
        f.binds.emplace_back(q.window.to.nanos());
    }
    if (!q.services.empty()) {
        std::string in = "l.resource IN (SELECT id FROM resources WHERE service IN (";
        for (size_t i = 0; i < q.services.size(); ++i) {
            in += i ? ",?" : "?";
            f.binds.emplace_back(q.services[i]);
        }
        f.add(in + "))");
    }
    if (q.minSeverity > 0) {
        f.add("l.severity >= ?");
        f.binds.emplace_back(int64_t(q.minSeverity));
    }
    if (q.traceId) {
        std::vector<unsigned char> bytes(16);
        q.traceId->toBytes(bytes.data());
        f.add("l.trace = (SELECT id FROM traces WHERE trace_id = ?)");
        f.binds.emplace_back(std::move(bytes));
    }
    if (!q.text.empty()) {
        f.add(plan == TextPlan::CollectMatches
                  ? "l.id IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?)"
                  : "EXISTS (SELECT 1 FROM logs_fts WHERE logs_fts MATCH ? AND rowid = l.id)");
        f.binds.emplace_back(q.text);
    }
    return f;
}

std::string readerWhere(const std::string& path) {
    return "cache " + path;
}

// A writer with WriterOptions::fullTextIndex off leaves new logs out of the index until
// rebuildFullTextIndex(); a search then would silently miss them, so it is refused instead. The
// writer marks that state in fts_pending and the rebuild clears it.
Status requireSearchable(sql::Database& db) {
    auto pending = db.queryInt("SELECT count(*) FROM fts_pending");
    if (!pending)
        return pending.error();
    if (*pending > 0)
        return Error{
            readerWhere(db.path()),
            "log search is not available yet: the newest logs are not in the full-text index",
            "wait for the import to finish (it rebuilds the index at the end)"};
    return {};
}

} // namespace

Result<std::unique_ptr<CacheReader>> CacheReader::open(const std::string& path) {
    auto db = cache::openCache(path, cache::OpenMode::ReadOnly);
    if (!db)
        return db.error();
    return std::unique_ptr<CacheReader>(new CacheReader(std::move(*db)));
}

Status CacheReader::loadResources() {
    auto stmt = m_db.prepare("SELECT id, service, namespace, version, environment, host, pod, "
                             "container, attributes FROM resources");
    if (!stmt)
        return stmt.error();
    if (auto rows = stmt->forEach([&] {
            auto r = std::make_shared<Resource>();
            r->serviceName = stmt->text(1);
            r->serviceNamespace = stmt->text(2);
            r->serviceVersion = stmt->text(3);
            r->environment = stmt->text(4);
            r->host = stmt->text(5);
            r->pod = stmt->text(6);
            r->container = stmt->text(7);
            r->raw = Attributes::fromJson(stmt->text(8));
            m_resources[stmt->int64(0)] = std::move(r);
        });
        !rows)
        return rows.error();
    return {};
}

ResourcePtr CacheReader::resource(int64_t rowId) {
    if (rowId == 0)
        return nullptr;
    auto it = m_resources.find(rowId);
    if (it == m_resources.end()) {
        (void)loadResources(); // the writer may have added resources since we last looked
        it = m_resources.find(rowId);
        if (it == m_resources.end())
            return nullptr;
    }
    return it->second;
}

std::optional<TraceId> CacheReader::traceIdOf(int64_t traceRowId) {
    if (traceRowId == 0)
        return std::nullopt;
    if (auto it = m_traceIds.find(traceRowId); it != m_traceIds.end())
        return it->second;
    if (!m_traceIdLookup.handle()) {
        auto stmt = m_db.prepare("SELECT trace_id FROM traces WHERE id = ?");
        if (!stmt)
            return std::nullopt;
        m_traceIdLookup = std::move(*stmt);
    }
    m_traceIdLookup.bind(1, traceRowId);
    auto row = m_traceIdLookup.step();
    std::optional<TraceId> id;
    if (row && *row)
        id = blobToTraceId(m_traceIdLookup.blob(0));
    m_traceIdLookup.reset(); // also ends the read, so the next page sees the writer's new rows
    if (id) {
        if (m_traceIds.size() > 100'000)
            m_traceIds.clear();
        m_traceIds.emplace(traceRowId, *id);
    }
    return id;
}

Result<std::string> CacheReader::integrityProblems() {
    return cache::quickCheck(m_db);
}

Result<CacheOverview> CacheReader::overview() {
    CacheOverview o;
    struct Count {
        int64_t* target;
        const char* sql;
    };
    const Count counts[] = {
        {&o.logs, "SELECT count(*) FROM logs"},
        {&o.spans, "SELECT count(*) FROM spans"},
        {&o.traces, "SELECT count(*) FROM traces WHERE span_count > 0"},
        {&o.series, "SELECT count(*) FROM series"},
        {&o.samples, "SELECT coalesce(sum(count), 0) FROM sample_chunks"},
        {&o.exemplars, "SELECT count(*) FROM exemplars"},
        {&o.alerts, "SELECT count(*) FROM alerts"},
        {&o.fetches, "SELECT count(*) FROM fetches"},
    };
    for (const auto& c : counts) {
        auto n = m_db.queryInt(c.sql);
        if (!n)
            return n.error();
        *c.target = *n;
    }
    auto services = m_db.prepare("SELECT DISTINCT service FROM resources ORDER BY service");
    if (!services)
        return services.error();
    if (auto rows = services->forEach([&] { o.services.emplace_back(services->text(0)); }); !rows)
        return rows.error();
    auto range = m_db.prepare("SELECT min(lo), max(hi) FROM ("
                              " SELECT min(ts) lo, max(ts) hi FROM logs"
                              " UNION ALL SELECT min(start_ts), max(end_ts) FROM traces"
                              " UNION ALL SELECT min(start_ts), max(end_ts) FROM sample_chunks)");
    if (!range)
        return range.error();
    auto row = range->step();
    if (!row)
        return row.error();
    if (*row && !range->isNull(0))
        o.range = TimeWindow{Timestamp::fromNanos(range->int64(0)),
                             Timestamp::fromNanos(range->int64(1) + 1)};
    return o;
}

Result<LogRecord> CacheReader::readLog(const sql::Statement& s) {
    LogRecord r;
    r.rowId = s.int64(0);
    r.time = Timestamp::fromNanos(s.int64(1));
    r.observedTime = Timestamp::fromNanos(s.int64(2));
    r.severity = int(s.int64(3));
    r.severityText = s.text(4);
    r.body = s.text(5);
    r.attributes = Attributes::fromJson(s.text(6));
    if (!s.isNull(7))
        r.traceId = traceIdOf(s.int64(7));
    if (!s.isNull(8))
        r.spanId = SpanId{uint64_t(s.int64(8))};
    r.resource = resource(s.int64(9));
    return r;
}

Result<std::vector<LogRecord>> CacheReader::logPage(const LogQuery& query,
                                                    std::optional<LogCursor> after, int limit,
                                                    Direction direction) {
    TextPlan plan = TextPlan::CollectMatches;
    if (!query.text.empty()) {
        if (auto s = requireSearchable(m_db); !s)
            return s.error();
        auto probe = m_db.prepare(
            "SELECT count(*) FROM (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ? LIMIT " +
            std::to_string(kFewMatches + 1) + ")");
        if (!probe)
            return probe.error();
        probe->bindText(1, query.text);
        auto row = probe->step();
        if (!row)
            return row.error().within("searching logs for \"" + query.text + "\"");
        if (probe->int64(0) > kFewMatches)
            plan = TextPlan::TestEachRow;
    }
    if (plan == TextPlan::TestEachRow)
        return searchByBlocks(query, after, limit, direction);
    Filter f = logFilter(query, plan);
    const bool forward = direction == Direction::Forward;
    if (after) {
        // Keyset paging on (ts, id): equal timestamps are ordered by row id, so a page boundary in
        // the middle of one nanosecond neither repeats nor skips a line.
        f.add(forward ? "(l.ts, l.id) > (?, ?)" : "(l.ts, l.id) < (?, ?)");
        f.binds.emplace_back(after->time.nanos());
        f.binds.emplace_back(after->rowId);
    }
    // Walk the time index unless a trace or a rare search term narrows the rows better.
    const bool narrowed =
        query.traceId || (!query.text.empty() && plan == TextPlan::CollectMatches);
    const char* from = narrowed ? " FROM logs l" : " FROM logs l INDEXED BY logs_ts";
    const std::string sql = std::string("SELECT ") + kLogColumns + from + f.where +
                            " ORDER BY l.ts " + (forward ? "ASC" : "DESC") + ", l.id " +
                            (forward ? "ASC" : "DESC") + " LIMIT ?";
    auto stmt = m_db.prepare(sql);
    if (!stmt)
        return stmt.error();
    f.bindAll(*stmt);
    stmt->bind(int(f.binds.size()) + 1, int64_t(limit));
    std::vector<LogRecord> out;
    out.reserve(size_t(std::max(0, limit)));
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        auto r = readLog(*stmt);
        if (!r)
            return r.error();
        out.push_back(std::move(*r));
    }
    return out;
}

Result<std::vector<LogRecord>> CacheReader::searchByBlocks(const LogQuery& query,
                                                           std::optional<LogCursor> after,
                                                           int limit, Direction direction) {
    const bool forward = direction == Direction::Forward;
    int64_t lower = query.window.from.nanos();
    int64_t upper = query.window.to == Timestamp::max() ? std::numeric_limits<int64_t>::max()
                                                        : query.window.to.nanos() - 1;
    if (after) {
        if (forward)
            lower = std::max(lower, after->time.nanos());
        else
            upper = std::min(upper, after->time.nanos());
    }
    auto blocks = m_db.prepare(std::string("SELECT first_id, last_id, min_ts, max_ts FROM "
                                           "log_blocks WHERE max_ts >= ? AND min_ts <= ?") +
                               (forward ? " ORDER BY min_ts" : " ORDER BY max_ts DESC"));
    if (!blocks)
        return blocks.error();
    blocks->bind(1, lower);
    blocks->bind(2, upper);

    LogQuery rest = query;
    rest.text.clear();
    Filter f = logFilter(rest);
    if (after) {
        f.add(forward ? "(l.ts, l.id) > (?, ?)" : "(l.ts, l.id) < (?, ?)");
        f.binds.emplace_back(after->time.nanos());
        f.binds.emplace_back(after->rowId);
    }
    std::string where = f.where;
    if (!where.empty())
        where.replace(0, 7, " AND "); // " WHERE " → " AND "
    auto hits = m_db.prepare(
        "SELECT l.id, l.ts FROM logs l WHERE l.id IN"
        " (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3)" +
        where);
    if (!hits)
        return hits.error();

    // The best `limit` (ts, id) keys so far, in the requested order.
    std::vector<std::pair<int64_t, int64_t>> best;
    auto before = [forward](const std::pair<int64_t, int64_t>& a,
                            const std::pair<int64_t, int64_t>& b) {
        return forward ? a < b : a > b;
    };
    for (;;) {
        auto row = blocks->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        if (best.size() >= size_t(limit)) {
            // No row of this block (nor of any later one) can beat the current last key.
            const int64_t edge = best.back().first;
            if (forward ? blocks->int64(2) > edge : blocks->int64(3) < edge)
                break;
        }
        hits->reset();
        hits->bindText(1, query.text, true);
        hits->bind(2, blocks->int64(0));
        hits->bind(3, blocks->int64(1));
        f.bindAll(*hits, 4);
        for (;;) {
            auto hit = hits->step();
            if (!hit)
                return hit.error().within("searching logs for \"" + query.text + "\"");
            if (!*hit)
                break;
            best.emplace_back(hits->int64(1), hits->int64(0));
        }
        std::sort(best.begin(), best.end(), before);
        if (best.size() > size_t(limit))
            best.resize(size_t(limit));
    }
    if (best.empty())
        return std::vector<LogRecord>();
    std::string ids;
    for (const auto& [ts, id] : best)
        ids += (ids.empty() ? "" : ",") + std::to_string(id);
    auto stmt = m_db.prepare(std::string("SELECT ") + kLogColumns + " FROM logs l WHERE l.id IN (" +
                             ids + ") ORDER BY l.ts " + (forward ? "ASC" : "DESC") + ", l.id " +
                             (forward ? "ASC" : "DESC"));
    if (!stmt)
        return stmt.error();
    std::vector<LogRecord> out;
    out.reserve(best.size());
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        auto r = readLog(*stmt);
        if (!r)
            return r.error();
        out.push_back(std::move(*r));
    }
    return out;
}

Result<int64_t> CacheReader::countLogs(const LogQuery& query) {
    if (!query.text.empty()) {
        if (auto s = requireSearchable(m_db); !s)
            return s.error();
    }
    Filter f = logFilter(query);
    auto stmt = m_db.prepare("SELECT count(*) FROM logs l" + f.where);
    if (!stmt)
        return stmt.error();
    f.bindAll(*stmt);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return stmt->int64(0);
}

Result<std::optional<LogRecord>> CacheReader::logById(int64_t rowId) {
    auto stmt = m_db.prepare(std::string("SELECT ") + kLogColumns + " FROM logs l WHERE l.id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, rowId);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<LogRecord>();
    auto r = readLog(*stmt);
    if (!r)
        return r.error();
    return std::optional<LogRecord>(std::move(*r));
}

Result<std::vector<Span>> CacheReader::traceSpans(const TraceId& traceId) {
    auto stmt = m_db.prepare("SELECT s.id, s.span_id, s.parent_span_id, s.name, s.kind, "
                             "s.start_ts, s.duration, s.status,"
                             " s.status_message, s.attributes, s.events, s.links, s.resource"
                             " FROM spans s WHERE s.trace = (SELECT id FROM traces WHERE trace_id "
                             "= ?) ORDER BY s.start_ts, s.id");
    if (!stmt)
        return stmt.error();
    unsigned char bytes[16];
    traceId.toBytes(bytes);
    stmt->bindBlob(1, bytes, 16);
    std::vector<Span> spans;
    if (auto rows = stmt->forEach([&] {
            Span s;
            s.rowId = stmt->int64(0);
            s.traceId = traceId;
            s.spanId = SpanId{uint64_t(stmt->int64(1))};
            if (!stmt->isNull(2))
                s.parentSpanId = SpanId{uint64_t(stmt->int64(2))};
            s.name = stmt->text(3);
            s.kind = SpanKind(stmt->int64(4));
            s.start = Timestamp::fromNanos(stmt->int64(5));
            s.duration = Duration::nanos(stmt->int64(6));
            s.status = StatusCode(stmt->int64(7));
            s.statusMessage = stmt->text(8);
            s.attributes = Attributes::fromJson(stmt->text(9));
            s.events = codec::eventsFromJson(stmt->text(10));
            s.links = codec::linksFromJson(stmt->text(11));
            s.resource = resource(stmt->int64(12));
            spans.push_back(std::move(s));
        });
        !rows)
        return rows.error();
    return spans;
}

namespace {
TraceSummary readTraceSummary(const sql::Statement& s) {
    TraceSummary t;
    t.rowId = s.int64(0);
    if (auto id = blobToTraceId(s.blob(1)))
        t.traceId = *id;
    t.start = Timestamp::fromNanos(s.int64(2));
    t.duration = Duration::nanos(s.int64(3) - s.int64(2));
    t.spanCount = s.int64(4);
    t.errorCount = s.int64(5);
    t.rootService = s.text(6);
    t.rootName = s.text(7);
    return t;
}
constexpr const char* kTraceColumns = "id, trace_id, start_ts, end_ts, span_count, error_count, "
                                      "coalesce(root_service, ''), coalesce(root_name, '')";
} // namespace

Result<std::vector<TraceSummary>> CacheReader::traces(const TraceQuery& q) {
    Filter f;
    f.add("span_count > 0");
    if (q.window.from != Timestamp::min()) {
        f.add("start_ts >= ?");
        f.binds.emplace_back(q.window.from.nanos());
    }
    if (q.window.to != Timestamp::max()) {
        f.add("start_ts < ?");
        f.binds.emplace_back(q.window.to.nanos());
    }
    if (!q.service.empty()) {
        f.add("root_service = ?");
        f.binds.emplace_back(q.service);
    }
    if (q.errorsOnly)
        f.add("error_count > 0");
    if (q.minDuration.count() > 0) {
        f.add("end_ts - start_ts >= ?");
        f.binds.emplace_back(q.minDuration.count());
    }
    const char* order = q.order == TraceQuery::Order::Slowest ? " ORDER BY end_ts - start_ts DESC"
                                                              : " ORDER BY start_ts";
    auto stmt = m_db.prepare(std::string("SELECT ") + kTraceColumns + " FROM traces" + f.where +
                             order + " LIMIT ?");
    if (!stmt)
        return stmt.error();
    f.bindAll(*stmt);
    stmt->bind(int(f.binds.size()) + 1, int64_t(q.limit));
    std::vector<TraceSummary> out;
    if (auto rows = stmt->forEach([&] { out.push_back(readTraceSummary(*stmt)); }); !rows)
        return rows.error();
    return out;
}

Result<std::optional<TraceSummary>> CacheReader::traceSummary(const TraceId& traceId) {
    auto stmt =
        m_db.prepare(std::string("SELECT ") + kTraceColumns + " FROM traces WHERE trace_id = ?");
    if (!stmt)
        return stmt.error();
    unsigned char bytes[16];
    traceId.toBytes(bytes);
    stmt->bindBlob(1, bytes, 16);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<TraceSummary>();
    return std::optional<TraceSummary>(readTraceSummary(*stmt));
}

Result<std::vector<SeriesInfo>> CacheReader::listSeries() {
    auto stmt =
        m_db.prepare("SELECT s.id, s.name, s.labels, s.kind, s.unit, s.resource, s.stream, s.temporality,"
                     " (SELECT coalesce(sum(count), 0) FROM sample_chunks c WHERE c.series = s.id),"
                     " (SELECT min(start_ts) FROM sample_chunks c WHERE c.series = s.id),"
                     " (SELECT max(end_ts) FROM sample_chunks c WHERE c.series = s.id)"
                     " FROM series s ORDER BY s.name, s.key");
    if (!stmt)
        return stmt.error();
    std::vector<SeriesInfo> out;
    if (auto rows = stmt->forEach([&] {
            SeriesInfo info;
            info.series.rowId = stmt->int64(0);
            info.series.name = stmt->text(1);
            info.series.labels = codec::labelsFromJson(stmt->text(2));
            info.series.kind = MetricKind(stmt->int64(3));
            info.series.unit = stmt->text(4);
            info.series.resource = resource(stmt->int64(5));
            info.series.stream = stmt->text(6);
            info.series.temporality = Temporality(stmt->int64(7));
            info.sampleCount = stmt->int64(8);
            if (!stmt->isNull(9))
                info.range = TimeWindow{Timestamp::fromNanos(stmt->int64(9)),
                                        Timestamp::fromNanos(stmt->int64(10) + 1)};
            out.push_back(std::move(info));
        });
        !rows)
        return rows.error();
    return out;
}

Result<std::optional<Series>> CacheReader::seriesById(int64_t rowId) {
    auto stmt =
        m_db.prepare("SELECT id, name, labels, kind, unit, resource, stream, temporality FROM series WHERE id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, rowId);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Series>();
    Series s;
    s.rowId = stmt->int64(0);
    s.name = stmt->text(1);
    s.labels = codec::labelsFromJson(stmt->text(2));
    s.kind = MetricKind(stmt->int64(3));
    s.unit = stmt->text(4);
    s.resource = resource(stmt->int64(5));
    s.stream = stmt->text(6);
    s.temporality = Temporality(stmt->int64(7));
    return std::optional<Series>(std::move(s));
}

Result<Temporality> CacheReader::temporality(int64_t seriesRowId) {
    auto stmt = m_db.prepare("SELECT temporality FROM series WHERE id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, seriesRowId);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row && stmt->int64(0) == int64_t(Temporality::Delta) ? Temporality::Delta : Temporality::Cumulative;
}

namespace {
// A delta series' points as running totals (DeltaTotals.h); any other series' as stored.
template <class Point>
Result<std::vector<Point>> readable(CacheReader& reader, int64_t seriesRowId, Result<std::vector<Point>> stored) {
    if (!stored)
        return stored;
    auto kind = reader.temporality(seriesRowId);
    if (!kind)
        return kind.error();
    if (*kind == Temporality::Delta)
        runningTotals(*stored);
    return stored;
}
} // namespace

Result<std::vector<Sample>> CacheReader::samples(int64_t seriesRowId, TimeWindow window) {
    return readable(*this, seriesRowId, samples(seriesRowId, window, Points::AsStored));
}

Result<std::vector<Sample>> CacheReader::samples(int64_t seriesRowId, TimeWindow window, Points) {
    // In the order stored, so "last wins" below means the newest fetch wins where fetches overlap.
    // The rowids are picked through the (series, start_ts) index first: ordering the rows
    // themselves by rowid would push every blob through a temporary sorter (4x slower at 1M
    // points).
    auto stmt = m_db.prepare("SELECT times, vals, count FROM sample_chunks WHERE rowid IN"
                             " (SELECT rowid FROM sample_chunks WHERE series = ? AND start_ts < ? "
                             "AND end_ts >= ?) ORDER BY rowid");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, seriesRowId);
    stmt->bind(2, window.to.nanos());
    stmt->bind(3, window.from.nanos());
    std::vector<Sample> out;
    bool sorted = true;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        const auto times = stmt->blob(0);
        const auto vals = stmt->blob(1);
        const size_t n = size_t(stmt->int64(2));
        if (times.size() != n * sizeof(int64_t) || vals.size() != n * sizeof(double))
            return Error{readerWhere(m_db.path()),
                         "a sample chunk of series " + std::to_string(seriesRowId) + " is damaged",
                         "export what is readable and re-fetch the series"};
        const size_t first = out.size();
        for (size_t k = 0; k < n; ++k) {
            int64_t t;
            double v;
            std::memcpy(&t, times.data() + k * sizeof t, sizeof t);
            std::memcpy(&v, vals.data() + k * sizeof v, sizeof v);
            if (t >= window.from.nanos() && t < window.to.nanos())
                out.push_back({Timestamp::fromNanos(t), v});
        }
        // Chunks from separate fetches can overlap or arrive out of time order, and one batch can
        // repeat a timestamp: anything not strictly increasing needs the sort-and-collapse below.
        for (size_t k = std::max<size_t>(first, 1); sorted && k < out.size(); ++k)
            sorted = out[k - 1].time < out[k].time;
    }
    if (!sorted) {
        std::stable_sort(out.begin(), out.end(),
                         [](const Sample& a, const Sample& b) { return a.time < b.time; });
        // Collapse repeated timestamps, keeping the last stored value.
        std::vector<Sample> unique;
        unique.reserve(out.size());
        for (const auto& s : out) {
            if (!unique.empty() && unique.back().time == s.time)
                unique.back() = s;
            else
                unique.push_back(s);
        }
        out.swap(unique);
    }
    return out;
}

Result<std::vector<Sample>> CacheReader::downsampled(int64_t seriesRowId, TimeWindow window,
                                                     int maxPoints) {
    auto all = samples(seriesRowId, window);
    if (!all)
        return all.error();
    if (all->empty())
        return all;
    TimeWindow effective = window;
    if (effective.from == Timestamp::min())
        effective.from = all->front().time;
    if (effective.to == Timestamp::max())
        effective.to = all->back().time + Duration::nanos(1);
    return downsampleMinMax(*all, effective, maxPoints);
}

Result<std::vector<HistogramSample>> CacheReader::histograms(int64_t seriesRowId,
                                                             TimeWindow window) {
    return readable(*this, seriesRowId, histograms(seriesRowId, window, Points::AsStored));
}

Result<std::vector<HistogramSample>> CacheReader::histograms(int64_t seriesRowId, TimeWindow window,
                                                             Points) {
    auto stmt = m_db.prepare("SELECT ts, count, sum, buckets FROM histogram_samples WHERE series = "
                             "? AND ts >= ? AND ts < ? ORDER BY ts");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, seriesRowId);
    stmt->bind(2, window.from.nanos());
    stmt->bind(3, window.to.nanos());
    std::vector<HistogramSample> out;
    if (auto rows = stmt->forEach([&] {
            HistogramSample h;
            h.time = Timestamp::fromNanos(stmt->int64(0));
            h.count = stmt->isNull(1) ? std::nan("") : stmt->real(1);
            h.sum = stmt->isNull(2) ? std::nan("") : stmt->real(2);
            h.buckets = codec::bucketsFromJson(stmt->text(3));
            out.push_back(std::move(h));
        });
        !rows)
        return rows.error();
    return out;
}

Result<std::vector<Exemplar>> CacheReader::exemplars(int64_t seriesRowId, TimeWindow window) {
    auto stmt = m_db.prepare(
        std::string(
            "SELECT e.id, e.series, e.ts, e.value, t.trace_id, e.span_id, e.labels FROM exemplars e"
            " LEFT JOIN traces t ON t.id = e.trace WHERE e.ts >= ? AND e.ts < ?") +
        (seriesRowId ? " AND e.series = ?" : "") + " ORDER BY e.ts");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, window.from.nanos());
    stmt->bind(2, window.to.nanos());
    if (seriesRowId)
        stmt->bind(3, seriesRowId);
    std::vector<Exemplar> out;
    if (auto rows = stmt->forEach([&] {
            Exemplar e;
            e.rowId = stmt->int64(0);
            e.seriesRowId = stmt->int64(1);
            e.time = Timestamp::fromNanos(stmt->int64(2));
            e.value = stmt->isNull(3) ? std::nan("") : stmt->real(3);
            e.traceId = blobToTraceId(stmt->blob(4));
            if (!stmt->isNull(5))
                e.spanId = SpanId{uint64_t(stmt->int64(5))};
            e.labels = Attributes::fromJson(stmt->text(6));
            out.push_back(std::move(e));
        });
        !rows)
        return rows.error();
    return out;
}

Result<std::vector<ResourceEdge>> CacheReader::resourceEdges(TimeWindow window, int maxSpans) {
    // The child spans are capped before the join, so the work is bounded whatever the cache
    // holds; the parent is found through the (trace, span_id) identity index.
    auto stmt = m_db.prepare(
        "SELECT p.resource, c.resource, count(*) FROM"
        " (SELECT trace, parent_span_id, resource FROM spans WHERE start_ts >= ? AND start_ts < ?"
        " AND parent_span_id IS NOT NULL ORDER BY start_ts DESC LIMIT ?) c"
        " JOIN spans p ON p.trace = c.trace AND p.span_id = c.parent_span_id"
        " WHERE p.resource IS NOT NULL AND c.resource IS NOT NULL AND p.resource <> c.resource"
        " GROUP BY p.resource, c.resource");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, window.from.nanos());
    stmt->bind(2, window.to.nanos());
    stmt->bind(3, int64_t(maxSpans));
    std::vector<ResourceEdge> out;
    if (auto rows = stmt->forEach(
            [&] { out.push_back({stmt->int64(0), stmt->int64(1), stmt->int64(2)}); });
        !rows)
        return rows.error();
    return out;
}

Result<int64_t> CacheReader::forEachTroubleLog(
    TimeWindow window, int limit, const std::function<void(const TroubleLogLine&)>& onLine) {
    // 13 is OTel's WARN; 0 is "the source gave no severity".
    auto stmt = m_db.prepare("SELECT id, ts, severity, body, resource, trace FROM logs"
                             " WHERE ts >= ? AND ts < ? AND (severity >= 13 OR severity = 0)"
                             " ORDER BY ts LIMIT ?");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, window.from.nanos());
    stmt->bind(2, window.to.nanos());
    stmt->bind(3, int64_t(limit));
    int64_t read = 0;
    if (auto rows = stmt->forEach([&] {
            ++read;
            TroubleLogLine line;
            line.rowId = stmt->int64(0);
            line.time = Timestamp::fromNanos(stmt->int64(1));
            line.severity = int(stmt->int64(2));
            line.body = stmt->text(3);
            line.resource = stmt->isNull(4) ? 0 : stmt->int64(4);
            line.traceRow = stmt->isNull(5) ? 0 : stmt->int64(5);
            onLine(line);
        });
        !rows)
        return rows.error();
    return read;
}

Result<std::vector<Alert>> CacheReader::alerts() {
    auto stmt = m_db.prepare("SELECT id, name, labels, annotations, state, active_since, value, "
                             "source FROM alerts ORDER BY active_since, id");
    if (!stmt)
        return stmt.error();
    std::vector<Alert> out;
    if (auto rows = stmt->forEach([&] {
            Alert a;
            a.rowId = stmt->int64(0);
            a.name = stmt->text(1);
            a.labels = codec::labelsFromJson(stmt->text(2));
            a.annotations = codec::labelsFromJson(stmt->text(3));
            a.state = AlertState(stmt->int64(4));
            a.activeSince = Timestamp::fromNanos(stmt->int64(5));
            a.value = stmt->isNull(6) ? std::nan("") : stmt->real(6);
            a.source = stmt->text(7);
            out.push_back(std::move(a));
        });
        !rows)
        return rows.error();
    return out;
}

Result<std::vector<SavedInvestigation>> CacheReader::savedInvestigations(int limit) {
    auto stmt = m_db.prepare("SELECT id, title, state, updated_at FROM investigations ORDER BY updated_at DESC, id DESC LIMIT ?1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, int64_t(std::max(0, limit)));
    std::vector<SavedInvestigation> out;
    if (auto rows = stmt->forEach([&] {
            SavedInvestigation saved;
            saved.id = stmt->int64(0);
            saved.title = stmt->text(1);
            saved.stateJson = stmt->text(2);
            saved.updatedAt = Timestamp::fromNanos(stmt->int64(3));
            out.push_back(std::move(saved));
        });
        !rows)
        return rows.error();
    return out;
}

Result<std::vector<FetchRecord>> CacheReader::fetches() {
    auto stmt = m_db.prepare("SELECT id, source, kind, query, from_ts, to_ts, fetched_at, rows, "
                             "complete, message, content_hash"
                             " FROM fetches ORDER BY id");
    if (!stmt)
        return stmt.error();
    std::vector<FetchRecord> out;
    if (auto rows = stmt->forEach([&] {
            FetchRecord f;
            f.rowId = stmt->int64(0);
            f.source = stmt->text(1);
            f.kind = stmt->text(2);
            f.query = stmt->text(3);
            f.window.from =
                stmt->isNull(4) ? Timestamp::min() : Timestamp::fromNanos(stmt->int64(4));
            f.window.to = stmt->isNull(5) ? Timestamp::max() : Timestamp::fromNanos(stmt->int64(5));
            f.fetchedAt = Timestamp::fromNanos(stmt->int64(6));
            f.rows = stmt->int64(7);
            f.complete = stmt->int64(8) != 0;
            f.message = stmt->text(9);
            f.contentHash = stmt->text(10);
            out.push_back(std::move(f));
        });
        !rows)
        return rows.error();
    return out;
}

Result<std::vector<FetchRejection>> CacheReader::rejections(int64_t fetchRowId) {
    auto stmt =
        m_db.prepare(std::string("SELECT fetch, location, message, snippet, level FROM rejections") +
                     (fetchRowId ? " WHERE fetch = ?" : "") + " ORDER BY id");
    if (!stmt)
        return stmt.error();
    if (fetchRowId)
        stmt->bind(1, fetchRowId);
    std::vector<FetchRejection> out;
    if (auto rows = stmt->forEach([&] {
            out.push_back({stmt->int64(0), std::string(stmt->text(1)), std::string(stmt->text(2)),
                           std::string(stmt->text(3)), ProblemLevel(std::clamp<int64_t>(stmt->int64(4), 0, 2))});
        });
        !rows)
        return rows.error();
    return out;
}

Result<std::vector<std::pair<std::string, std::string>>> CacheReader::manifest() {
    auto stmt = m_db.prepare("SELECT key, value FROM manifest ORDER BY key");
    if (!stmt)
        return stmt.error();
    std::vector<std::pair<std::string, std::string>> out;
    if (auto rows = stmt->forEach([&] { out.emplace_back(stmt->text(0), stmt->text(1)); }); !rows)
        return rows.error();
    return out;
}

Result<std::vector<std::pair<int64_t, ResourcePtr>>> CacheReader::resources() {
    if (auto s = loadResources(); !s)
        return s.error();
    std::vector<std::pair<int64_t, ResourcePtr>> out(m_resources.begin(), m_resources.end());
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
}

} // namespace rootline
