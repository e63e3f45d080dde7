#pragma once

// The one way data enters a cache (design.md §2): a writer thread with its own connection and
// prepared statements. Work arrives in units; a unit is one transaction, so an import of a file or
// a fetch is stored whole or not at all, and a cancelled or failed one leaves the cache exactly as
// it was. Units are served one at a time in the order they were begun.

#include "TelemetryBatch.h"
#include "core/Records.h"
#include "core/ProblemLevel.h"

#include <functional>
#include <memory>
#include <string>

namespace rootline {

struct CorrelationRules;
struct WriterState;
struct UnitState;

struct WriterOptions {
    // Index log bodies for full-text search as they arrive. Off for bulk loads that call
    // rebuildFullTextIndex() once at the end (search refuses to run until then).
    bool fullTextIndex = true;
    // Batches a unit may have queued before append() waits: bounds memory whatever the input size.
    int maxQueuedBatches = 4;
    // Logs without a trace id get one from their fields or body at ingest (TraceContextExtractor);
    // these rules add the user's derived fields. Null: built-in field names only.
    std::shared_ptr<const CorrelationRules> correlationRules;
    // Called (on the writer thread) when a unit has waited a second for another writer of the same
    // cache, with that process's PID (0 when unknown or this process). Writers take turns, one unit
    // at a time, however long the other's unit lasts.
    std::function<void(long pid)> onWaitingForWriter;
};

// A unit's error when its content hash was committed by another unit first (sql: the check is
// inside the unit's transaction): the importer reports the file as a duplicate, not a failure.
inline constexpr const char* kAlreadyImported = "already imported (same content)";

// A transaction in progress. Not thread-safe: one producer appends to a unit.
class WriteUnit {
public:
    ~WriteUnit(); // rolls back unless committed
    WriteUnit(const WriteUnit&) = delete;
    WriteUnit& operator=(const WriteUnit&) = delete;

    // Queues a batch; waits while the unit's queue is full. Returns the unit's error once it has
    // failed (nothing of it will be committed then).
    Status append(TelemetryBatch batch);
    // A record the producer could not read (an error: counted in WriteStats::rejected, and the unit
    // is not complete), or one it kept with a warning (counted in WriteStats::warnings): stored with
    // the unit if it commits.
    void reject(std::string location, std::string message, std::string snippet, ProblemLevel level = ProblemLevel::Error);
    // Stores everything appended, marks the provenance complete or partial, and commits.
    Result<WriteStats> commit(bool complete = true, std::string message = {});
    void rollback();

    int64_t fetchRowId() const; // the unit's row in `fetches` (0 until its first batch is stored)

private:
    friend class CacheWriter;
    WriteUnit(std::shared_ptr<WriterState> writer, std::shared_ptr<UnitState> unit);
    std::shared_ptr<WriterState> m_writer;
    std::shared_ptr<UnitState> m_unit;
    bool m_done = false;
};

class CacheWriter {
public:
    // Opens (creating or migrating as needed) the cache at `path` for writing.
    static Result<std::unique_ptr<CacheWriter>> open(const std::string& path, WriterOptions options = {});
    ~CacheWriter(); // finishes what is queued, then stops the thread
    CacheWriter(const CacheWriter&) = delete;
    CacheWriter& operator=(const CacheWriter&) = delete;

    // Begins a unit whose provenance is `fetch` (its rows and completeness are filled at commit).
    std::unique_ptr<WriteUnit> begin(FetchRecord fetch);
    // One batch, one transaction.
    Result<WriteStats> write(TelemetryBatch batch, FetchRecord fetch);

    // The calls below run on the writer thread between units: they wait while a unit that has
    // stored batches is open, so a thread must not call them while it holds such a unit itself.
    // (Likewise a thread appending to two units at once can fill the second one's queue and wait
    // forever: units are served one at a time.)

    // True when an import with this content hash was committed before (duplicate imports are skipped).
    Result<bool> hasContentHash(const std::string& hash);
    // Key/value pairs describing the cache as a bundle (origin time zone, title, ...).
    Status setManifest(const std::string& key, const std::string& value);
    Status rebuildFullTextIndex();
    // Stores investigation state (JSON) — a new row when id is 0; returns the row id.
    Result<int64_t> saveInvestigation(int64_t id, const std::string& title, const std::string& stateJson);

    const std::string& path() const;

private:
    explicit CacheWriter(std::shared_ptr<WriterState> state);
    std::shared_ptr<WriterState> m_state;
};

} // namespace rootline
