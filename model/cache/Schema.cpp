#include "Schema.h"

#include "LogIdentity.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/statvfs.h>
#include <unistd.h>

namespace rootline::cache {
namespace {

// Version 1: the telemetry tables.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE resources(
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, service TEXT NOT NULL, namespace TEXT NOT NULL,
    version TEXT NOT NULL, environment TEXT NOT NULL, host TEXT NOT NULL, pod TEXT NOT NULL,
    container TEXT NOT NULL, attributes TEXT NOT NULL);
CREATE TABLE fetches(
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, kind TEXT NOT NULL, query TEXT NOT NULL,
    from_ts INTEGER, to_ts INTEGER, fetched_at INTEGER NOT NULL, rows INTEGER NOT NULL,
    complete INTEGER NOT NULL, message TEXT NOT NULL DEFAULT '', content_hash TEXT NOT NULL DEFAULT '');
CREATE INDEX fetches_hash ON fetches(content_hash) WHERE content_hash <> '';
-- Trace ids get integer keys here: an inline index on random 16-byte ids in the big tables would
-- cut ingest 3-9x. The row also summarises the trace for the trace list.
CREATE TABLE traces(
    id INTEGER PRIMARY KEY, trace_id BLOB NOT NULL UNIQUE, start_ts INTEGER, end_ts INTEGER,
    span_count INTEGER NOT NULL DEFAULT 0, error_count INTEGER NOT NULL DEFAULT 0,
    root_service TEXT, root_name TEXT);
CREATE INDEX traces_start ON traces(start_ts);
CREATE TABLE logs(
    id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, observed_ts INTEGER NOT NULL, severity INTEGER NOT NULL,
    severity_text TEXT NOT NULL, body TEXT NOT NULL, attributes TEXT NOT NULL, trace INTEGER,
    span_id INTEGER, resource INTEGER, fetch INTEGER);
CREATE INDEX logs_ts ON logs(ts);
CREATE INDEX logs_trace ON logs(trace) WHERE trace IS NOT NULL;
CREATE VIRTUAL TABLE logs_fts USING fts5(body, content='logs', content_rowid='id');
CREATE TABLE spans(
    id INTEGER PRIMARY KEY, trace INTEGER NOT NULL, span_id INTEGER NOT NULL, parent_span_id INTEGER,
    name TEXT NOT NULL, kind INTEGER NOT NULL, start_ts INTEGER NOT NULL, duration INTEGER NOT NULL,
    status INTEGER NOT NULL, status_message TEXT NOT NULL, attributes TEXT NOT NULL, events TEXT NOT NULL,
    links TEXT NOT NULL, resource INTEGER, fetch INTEGER);
CREATE INDEX spans_trace ON spans(trace, start_ts);
CREATE INDEX spans_start ON spans(start_ts);
CREATE TABLE series(
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, labels TEXT NOT NULL,
    kind INTEGER NOT NULL, unit TEXT NOT NULL, resource INTEGER);
-- Samples are stored in chunks of up to 4096 points (two packed arrays), as time-series databases
-- do: reading a million points is then a few hundred blob reads, not a million row steps.
CREATE TABLE sample_chunks(
    series INTEGER NOT NULL, start_ts INTEGER NOT NULL, end_ts INTEGER NOT NULL, count INTEGER NOT NULL,
    times BLOB NOT NULL, vals BLOB NOT NULL, fetch INTEGER);
CREATE INDEX sample_chunks_series ON sample_chunks(series, start_ts);
CREATE TABLE histogram_samples(
    series INTEGER NOT NULL, ts INTEGER NOT NULL, count REAL, sum REAL, buckets TEXT NOT NULL,
    PRIMARY KEY(series, ts)) WITHOUT ROWID;
CREATE TABLE exemplars(
    id INTEGER PRIMARY KEY, series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL, trace INTEGER,
    span_id INTEGER, labels TEXT NOT NULL);
CREATE INDEX exemplars_series_ts ON exemplars(series, ts);
CREATE INDEX exemplars_trace ON exemplars(trace) WHERE trace IS NOT NULL;
CREATE TABLE alerts(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, annotations TEXT NOT NULL,
    state INTEGER NOT NULL, active_since INTEGER, value REAL, source TEXT NOT NULL);
)sql";

// Version 2: what an import rejected (per record, with its place), log zone map, saved investigations.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE rejections(
    id INTEGER PRIMARY KEY, fetch INTEGER, location TEXT NOT NULL, message TEXT NOT NULL, snippet TEXT NOT NULL);
-- A zone map over the log table: each block of up to 4,096 consecutive rows with its time range.
-- Full-text search for a common term walks blocks newest-first and asks FTS5 for one rowid range
-- at a time, stopping as soon as no remaining block can hold a newer hit.
CREATE TABLE log_blocks(first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL);
CREATE INDEX log_blocks_max ON log_blocks(max_ts);
CREATE INDEX log_blocks_min ON log_blocks(min_ts);
CREATE TABLE investigations(
    id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, title TEXT NOT NULL,
    state TEXT NOT NULL);
)sql";

// Version 3: ingest speed and record identity.
// - The full-text index without its per-row size table (columnsize=0: nothing ranks by bm25, and
//   that table cost 10 % of indexed ingest) and with a 32 MiB in-memory hash, so a unit's terms
//   reach disk as one segment rather than one per megabyte (15 % fewer instructions per row).
//   Segments are merged only once 64 have gathered on a level (crisismerge), in one pass, not a
//   few at a time as they arrive (automerge off; FTS5's default merges 4): each row is then
//   rewritten about once per 64-fold growth of the index, not once per 4-fold (callgrind, 1M
//   rows: about 7k fewer instructions a row than merging 8 at a time, of 37k). Searches walk
//   more segments; the newest-200 search at 10M rows stays near 1 ms.
//   The index is rebuilt from the log table once, here.
// - Whether logs await indexing (a bulk load with the index off) is kept in fts_pending, since
//   the size table that used to tell is gone.
// - (trace, span_id) identifies a span, so the same span arriving twice is stored once (the first
//   copy stays, see CacheWriter); copies already stored are removed and their trace's counts fixed.
//   Identical exemplars likewise.
// - An alert is identified by its label set in any order: stored labels are sorted by name.
constexpr const char* kVersion3 = R"sql(
DROP TABLE logs_fts;
CREATE VIRTUAL TABLE logs_fts USING fts5(body, content='logs', content_rowid='id', columnsize=0);
INSERT INTO logs_fts(logs_fts, rank) VALUES('hashsize', 33554432);
INSERT INTO logs_fts(logs_fts, rank) VALUES('automerge', 0);
INSERT INTO logs_fts(logs_fts, rank) VALUES('crisismerge', 64);
INSERT INTO logs_fts(logs_fts) VALUES('rebuild');
CREATE TABLE fts_pending(first_id INTEGER PRIMARY KEY);
CREATE TEMP TABLE v3_span_copies AS SELECT id, trace FROM
    (SELECT id, trace, row_number() OVER (PARTITION BY trace, span_id ORDER BY id) AS n FROM spans) WHERE n > 1;
DELETE FROM spans WHERE id IN (SELECT id FROM v3_span_copies);
UPDATE traces SET span_count = (SELECT count(*) FROM spans WHERE trace = traces.id),
                  error_count = (SELECT count(*) FROM spans WHERE trace = traces.id AND status = 2)
    WHERE id IN (SELECT trace FROM v3_span_copies);
DROP TABLE v3_span_copies;
CREATE UNIQUE INDEX spans_identity ON spans(trace, span_id);
DELETE FROM exemplars WHERE id NOT IN (SELECT min(id) FROM exemplars GROUP BY series, ts, value, trace, span_id, labels);
UPDATE alerts SET labels = (SELECT coalesce(json_group_object(key, value), '{}') FROM
    (SELECT key, value FROM json_each(alerts.labels) ORDER BY key, value));
DELETE FROM alerts WHERE id NOT IN (SELECT max(id) FROM alerts GROUP BY name, labels, source);
)sql";

// Version 4: a level per rejection (core/ProblemLevel.h: 0 info, 1 warning, 2 error); earlier rows
// were all errors.
constexpr const char* kVersion4 = R"sql(
ALTER TABLE rejections ADD COLUMN level INTEGER NOT NULL DEFAULT 2;
)sql";

// Version 5: OTLP metric stream identity and temporality (issue 12 items 1 and 5).
// - `stream`: what tells a series from another of the same name and labels (Series::stream: for
//   OTLP the identifying resource attributes and the scope); it is part of `key` too. Series stored
//   before keep '' — those of several OTLP services stay merged until imported again.
// - `temporality`: 0 cumulative, 1 delta (core/Records.h). Delta points are stored as they came;
//   the reader hands them out as running totals.
constexpr const char* kVersion5 = R"sql(
ALTER TABLE series ADD COLUMN stream TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN temporality INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 6: log identity (issue 12 item 3). A log line is its resource, time, body and attributes:
// `identity` hashes the resource key, body and attribute JSON (cache/LogIdentity.h; the SQL function
// rootline_log_identity, which openCache registers, computes the same), and (ts, identity) is
// unique, so a line arriving again through another file, or an import and then a fetch, is stored
// once (the first copy stays, see CacheWriter). Copies of a line within one file or fetch are the
// source's own (a Loki stream may hold a line twice at one nanosecond): they stay, as occurrences
// 1, 2, ... of the first's identity. The unique index is the time index, widened: `logs_ts` on
// (ts, identity) serves time ranges as before and costs ingest no second b-tree (a separate one
// cost the writer 15 % more instructions a row; tests/bench/README.md). Pages ordered by (ts, id)
// sort the rows of one timestamp among themselves, a handful at most.
// Copies already stored that came with a later file or fetch than the first are removed, from the
// full-text index too (only rows it holds: those below fts_pending's first id, if any).
constexpr const char* kVersion6 = R"sql(
ALTER TABLE logs ADD COLUMN identity INTEGER NOT NULL DEFAULT 0;
UPDATE logs SET identity = rootline_log_identity((SELECT key FROM resources WHERE id = logs.resource), body, attributes, 0);
CREATE TEMP TABLE v6_log_copies(id INTEGER PRIMARY KEY, keep INTEGER NOT NULL, occurrence INTEGER NOT NULL);
INSERT INTO v6_log_copies SELECT id, keep, occurrence FROM
    (SELECT id, fetch IS first_value(fetch) OVER same AS keep, row_number() OVER same AS n,
            row_number() OVER (PARTITION BY ts, identity, fetch ORDER BY id) - 1 AS occurrence
     FROM logs WINDOW same AS (PARTITION BY ts, identity ORDER BY id)) WHERE n > 1;
INSERT INTO logs_fts(logs_fts, rowid, body) SELECT 'delete', l.id, l.body FROM logs l JOIN v6_log_copies c ON c.id = l.id
    WHERE NOT c.keep AND l.id < coalesce((SELECT min(first_id) FROM fts_pending), l.id + 1);
DELETE FROM logs WHERE id IN (SELECT id FROM v6_log_copies WHERE NOT keep);
UPDATE logs SET identity = rootline_log_identity((SELECT key FROM resources WHERE id = logs.resource), body, attributes,
                                                 (SELECT occurrence FROM v6_log_copies c WHERE c.id = logs.id))
    WHERE id IN (SELECT id FROM v6_log_copies WHERE keep);
DROP TABLE v6_log_copies;
DROP INDEX logs_ts;
CREATE UNIQUE INDEX logs_ts ON logs(ts, identity);
)sql";

constexpr const char* kMigrations[] = {kVersion1, kVersion2, kVersion3, kVersion4, kVersion5, kVersion6};

uint32_t bigEndian32(const unsigned char* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

Error fileError(const std::string& path, std::string what, std::string hint = {})
{
    return Error{"cache " + path, std::move(what), std::move(hint)};
}

// Reads the 100-byte SQLite header and checks it without opening the file through SQLite, so a
// file that is not ours is never touched. With a non-empty `-wal` beside it, the newest page 1
// (application id, schema version, page count) may still be in the WAL — a writer that has not
// checkpointed yet — so those checks are left to SQLite after opening (see checkOpened).
Status checkHeader(const std::string& path, OpenMode mode)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return fileError(path, "cannot read the file size: " + ec.message());
    // An empty file is what another writer's first open leaves until its schema commits: a writer
    // waits for that and takes the cache over (checkOpened); a reader has nothing to read yet.
    if (size == 0 && mode == OpenMode::ReadWrite)
        return {};
    if (size == 0)
        return fileError(path, "the file is empty, not a Rootline cache");
    std::ifstream in(path, std::ios::binary);
    unsigned char header[100] = {};
    if (!in.read(reinterpret_cast<char*>(header), sizeof header))
        return fileError(path, "not a Rootline cache: shorter than a SQLite header (" + std::to_string(size) + " bytes)");
    if (std::string_view(reinterpret_cast<const char*>(header), 16) != std::string_view("SQLite format 3\0", 16))
        return fileError(path, "not a Rootline cache: not a SQLite database", "open a .rootline file, or import this file instead");
    const auto walSize = std::filesystem::file_size(path + "-wal", ec);
    if (!ec && walSize > 0)
        return {};
    const uint32_t version = bigEndian32(header + 60);
    if (int32_t(bigEndian32(header + 68)) != kApplicationId) {
        // No id and no schema yet: maybe a cache another writer is creating right now. A writer
        // leaves that to checkOpened, which takes it over only if it holds no table at all.
        if (mode == OpenMode::ReadWrite && bigEndian32(header + 68) == 0 && version == 0)
            return {};
        return fileError(path, "a SQLite database, but not a Rootline cache (application id differs)");
    }
    if (version > uint32_t(kSchemaVersion))
        return fileError(path, "made by a newer Rootline (schema " + std::to_string(version) + "; this build reads up to "
                               + std::to_string(kSchemaVersion) + ")", "upgrade Rootline to open it");
    uint32_t pageSize = uint32_t(header[16]) << 8 | header[17];
    if (pageSize == 1)
        pageSize = 65536;
    const uint32_t pages = bigEndian32(header + 28);
    const bool sizeValid = bigEndian32(header + 24) == bigEndian32(header + 92) && pages > 0;
    if (sizeValid && size < uint64_t(pages) * pageSize)
        return fileError(path, "truncated: " + std::to_string(size) + " bytes, but its header says "
                               + std::to_string(uint64_t(pages) * pageSize), "the copy is incomplete; copy or export it again");
    return {};
}

// The same checks as checkHeader, through SQLite, which also reads what is still in the WAL.
// Id, version and table count come from one statement, so from one snapshot: read one by one,
// another writer's schema commit between them showed a cache with tables but no id yet.
Status checkOpened(sql::Database& db, const std::string& path, bool existed, OpenMode mode)
{
    auto stmt = db.prepare("SELECT (SELECT application_id FROM pragma_application_id), "
                           "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    const int64_t appId = stmt->int64(0);
    const int64_t version = stmt->int64(1);
    const int64_t tables = stmt->int64(2);
    if (existed && int32_t(appId) != kApplicationId) {
        // An empty database with no id is what a first open that stopped before its migration
        // committed leaves behind: it holds nothing, so a writer may take it over.
        if (!(mode == OpenMode::ReadWrite && appId == 0 && version == 0 && tables == 0))
            return fileError(path, "a SQLite database, but not a Rootline cache (application id differs)");
    }
    if (version > kSchemaVersion)
        return fileError(path, "made by a newer Rootline (schema " + std::to_string(version) + "; this build reads up to "
                               + std::to_string(kSchemaVersion) + ")", "upgrade Rootline to open it");
    return {};
}

// rootline_log_identity(resource key, body, attributes, occurrence): LogIdentity.h's identity, for
// the schema-6 migration. A NULL resource key is a line without a resource ("").
void logIdentityFunction(sqlite3_context* ctx, int, sqlite3_value** args)
{
    auto text = [&](int i) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(args[i]));
        return p ? std::string_view(p, size_t(sqlite3_value_bytes(args[i]))) : std::string_view();
    };
    const int64_t base = logIdentity(text(0), text(1), text(2));
    sqlite3_result_int64(ctx, logOccurrence(base, sqlite3_value_int64(args[3])));
}

Status registerFunctions(sql::Database& db)
{
    if (sqlite3_create_function_v2(db.handle(), "rootline_log_identity", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                   &logIdentityFunction, nullptr, nullptr, nullptr)
        != SQLITE_OK)
        return db.error("registering rootline_log_identity");
    return {};
}

Status applyMigrations(sql::Database& db)
{
    sql::Transaction txn(db);
    if (auto s = txn.begin(); !s)
        return s;
    // Read again inside the write transaction: another process may have migrated the file (or
    // created the schema of a new one) while this one waited for the lock.
    auto from = db.queryInt("PRAGMA user_version");
    if (!from)
        return from.error();
    if (*from >= kSchemaVersion)
        return txn.commit();
    for (int v = int(*from) + 1; v <= kSchemaVersion; ++v) {
        if (auto s = db.exec(kMigrations[v - 1]); !s)
            return s.error().within("migrating to schema " + std::to_string(v));
    }
    if (auto s = db.exec("PRAGMA application_id = " + std::to_string(kApplicationId) + "; PRAGMA user_version = "
                         + std::to_string(kSchemaVersion));
        !s)
        return s;
    return txn.commit();
}

// Puts a writer's file in WAL mode (a no-op once it is). Switching a new file needs it alone for a
// moment, and SQLite answers BUSY at once there, without asking the busy handler (waiting could
// deadlock with another connection that holds a read lock and also wants to write): that is what
// several writers creating one cache at the same moment meet. So try again, for a while; the
// answer is checked too, since a switch that cannot happen returns the old mode, not an error.
Status enterWalMode(sql::Database& db, const std::string& path)
{
    constexpr auto kStep = std::chrono::milliseconds(20);
    constexpr int kAttempts = 30'000 / 20;
    for (int attempt = 1;; ++attempt) {
        auto stmt = db.prepare("PRAGMA journal_mode = WAL");
        Result<bool> row = stmt ? stmt->step() : Result<bool>(stmt.error());
        if (row && *row && stmt->text(0) == "wal")
            return {};
        const bool busy = (sqlite3_errcode(db.handle()) & 0xff) == SQLITE_BUSY;
        if (attempt >= kAttempts || !(busy || (row && *row)))
            return row ? fileError(path, "cannot switch the cache to WAL mode (it stays \""
                                         + std::string(*row ? stmt->text(0) : "") + "\")")
                       : row.error();
        std::this_thread::sleep_for(kStep);
    }
}

// True when this process cannot create files beside `path`: a read-only mount (which even root
// cannot write), or a folder it has no write permission for.
bool placeIsReadOnly(const std::string& path)
{
    struct statvfs fs {};
    if (statvfs(path.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY))
        return true;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    return access(parent.empty() ? "." : parent.c_str(), W_OK) != 0;
}

// "file:/abs/path?immutable=1", with the characters a URI gives meaning to escaped.
std::string immutableUri(const std::string& path)
{
    std::error_code ec;
    const std::string absolute = std::filesystem::absolute(path, ec).string();
    std::string uri = "file:";
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : ec ? path : absolute) {
        if (c == '%' || c == '?' || c == '#' || c < 0x20 || c == 0x7f) {
            uri += '%';
            uri += hex[c >> 4];
            uri += hex[c & 0xF];
        } else {
            uri += char(c);
        }
    }
    return uri + "?immutable=1";
}

} // namespace

Result<std::string> quickCheck(sql::Database& db)
{
    auto stmt = db.prepare("PRAGMA quick_check(5)");
    if (!stmt)
        return stmt.error();
    std::string problems;
    auto rows = stmt->forEach([&] {
        std::string line(stmt->text(0));
        // The first problem comes after a heading in the same row: "*** in database main ***\n…".
        if (line.rfind("*** in database", 0) == 0)
            line.erase(0, line.find('\n') == std::string::npos ? line.size() : line.find('\n') + 1);
        if (line != "ok" && !line.empty())
            problems += (problems.empty() ? "" : "; ") + line;
    });
    if (!rows) // a file damaged enough makes the check itself fail: that is its answer
        return rows.error().what;
    return problems;
}

std::string schemaAtVersion(int version)
{
    std::string ddl;
    for (int v = 1; v <= version && v <= kSchemaVersion; ++v)
        ddl += kMigrations[v - 1];
    ddl += "PRAGMA application_id = " + std::to_string(kApplicationId) + "; PRAGMA user_version = " + std::to_string(version) + ";";
    return ddl;
}

Result<sql::Database> openCache(const std::string& path, OpenMode mode)
{
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (!exists && mode == OpenMode::ReadOnly)
        return fileError(path, "no such file");
    if (exists) {
        if (std::filesystem::is_directory(path, ec))
            return fileError(path, "is a directory, not a Rootline cache");
        if (auto s = checkHeader(path, mode); !s)
            return s.error();
        // Root writes to a 0444 file regardless, so look at the mode bits rather than ask the kernel.
        using std::filesystem::perms;
        const auto p = std::filesystem::status(path, ec).permissions();
        if (mode == OpenMode::ReadWrite && !ec && (p & (perms::owner_write | perms::group_write | perms::others_write)) == perms::none)
            return fileError(path, "the file is read-only", "open it for reading only, or copy it somewhere writable");
        if (mode == OpenMode::ReadWrite) {
            // Check through a read-only connection first: closing the last read-write connection
            // to a WAL database checkpoints it, which would write to a file that is then refused.
            auto probe = sql::Database::open(path, SQLITE_OPEN_READONLY);
            if (!probe)
                return probe.error();
            if (auto s = checkOpened(*probe, path, exists, mode); !s)
                return s.error();
        }
    }
    int flags = mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    std::string target = path;
    if (mode == OpenMode::ReadOnly && placeIsReadOnly(path)) {
        // A WAL-mode file needs a -shm beside it even to be read, and SQLite cannot create one on a
        // read-only mount or in a folder it may not write ("unable to open database file"): bundles
        // received from colleagues often sit in such places. Immutable mode reads the file alone,
        // with no locks and no -wal or -shm, which is right for a file nobody can be writing.
        const auto walSize = std::filesystem::file_size(path + "-wal", ec);
        if (!ec && walSize > 0)
            return fileError(path, "has changes in its -wal file that were never written into it, and lies where they cannot be",
                             "copy the file together with its -wal somewhere writable and open the copy");
        target = immutableUri(path);
        flags |= SQLITE_OPEN_URI;
    }
    auto db = sql::Database::open(target, flags);
    if (!db)
        return db.error();
    if (mode == OpenMode::ReadWrite && sqlite3_db_readonly(db->handle(), "main") == 1)
        return fileError(path, "the file is read-only", "open it for reading only, or copy it somewhere writable");
    if (mode == OpenMode::ReadWrite)
        db->waitForOtherWriters({}, nullptr); // another writer creating or migrating the file: wait for it

    if (mode == OpenMode::ReadOnly) {
        if (auto s = checkOpened(*db, path, exists, mode); !s)
            return s.error();
    }
    auto version = db->queryInt("PRAGMA user_version");
    if (!version)
        return version.error();
    if (mode == OpenMode::ReadOnly) {
        if (*version < kSchemaVersion)
            return fileError(path, "uses an older schema (" + std::to_string(*version) + ")", "open it once for writing to upgrade it");
        if (auto s = db->exec("PRAGMA query_only = 1"); !s)
            return s.error();
        return db;
    }
    // Writers: WAL so readers never block on a fetch; NORMAL sync is durable at checkpoints in WAL
    // and loses at most the last transactions on power loss, never consistency.
    // Debian builds SQLite with SECURE_DELETE, which zeroes every freed page: FTS5 frees whole
    // segments on every merge. This file holds nothing its own reader may not see, so the writer
    // leaves freed bytes in place (callgrind: 1.3 % of indexed ingest at 300k rows, more as the
    // index grows).
    if (auto s = enterWalMode(*db, path); !s)
        return s.error();
    if (auto s = db->exec("PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;"
                          "PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF; PRAGMA secure_delete = OFF;");
        !s)
        return s.error();
    if (*version < kSchemaVersion) {
        if (auto s = registerFunctions(*db); !s)
            return s.error();
        if (auto s = applyMigrations(*db); !s)
            return s.error();
    }
    return db;
}

} // namespace rootline::cache
