#pragma once

// A thin RAII layer over SQLite's C API: a connection and prepared statements whose failures come
// back as Errors naming the cache file and the SQLite message.

#include "core/Result.h"

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace rootline::sql {

class Statement;

class Database {
public:
    Database();
    ~Database();
    Database(Database&& o) noexcept;
    Database& operator=(Database&& o) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // flags: SQLITE_OPEN_READONLY or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE (NOMUTEX is added:
    // a connection belongs to one thread).
    static Result<Database> open(const std::string& path, int flags);

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    Result<int64_t> queryInt(std::string_view sql); // first column of the first row; 0 when no row

    // For writers: wait for another writer's transaction as long as it lasts (SQLite's default here
    // is to give up after 5 s with "database is locked", which cost a whole imported file when two
    // processes wrote one cache). `onLongWait` is called once a wait has lasted a second, with the
    // PID of the process holding the write lock when it is another one (0 when unknown); the wait
    // ends early, with SQLITE_BUSY, once `stop` is set.
    void waitForOtherWriters(std::function<void(long pid)> onLongWait, const std::atomic_bool* stop);

    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }
    Error error(std::string_view doing) const; // the connection's last error, with context
    int64_t lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }

    struct BusyWait; // waitForOtherWriters' state, for SQLite's busy handler

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
    std::unique_ptr<BusyWait> m_busyWait; // stable address for SQLite's busy handler
};

class Statement {
public:
    Statement() = default;
    Statement(sqlite3_stmt* stmt, const Database* db) : m_stmt(stmt), m_db(db) {}
    ~Statement();
    Statement(Statement&& o) noexcept;
    Statement& operator=(Statement&& o) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binding is 1-based, as in SQLite. Text and blobs are copied only when `transient`.
    void bind(int index, int64_t value) { sqlite3_bind_int64(m_stmt, index, value); }
    void bind(int index, int value) { sqlite3_bind_int(m_stmt, index, value); }
    void bind(int index, double value) { sqlite3_bind_double(m_stmt, index, value); }
    void bindText(int index, std::string_view text, bool transient = false)
    {
        // A default string_view has a null data(), which SQLite would bind as NULL, not as "".
        sqlite3_bind_text(m_stmt, index, text.data() ? text.data() : "", int(text.size()), transient ? SQLITE_TRANSIENT : SQLITE_STATIC);
    }
    void bindBlob(int index, const void* data, size_t size, bool transient = false)
    {
        sqlite3_bind_blob(m_stmt, index, data, int(size), transient ? SQLITE_TRANSIENT : SQLITE_STATIC);
    }
    void bindNull(int index) { sqlite3_bind_null(m_stmt, index); }

    // true: a row is ready; false: done. An error ends the statement and is returned.
    Result<bool> step();
    Status run(); // step until done, for statements without rows
    // Calls onRow for every row; the first step error is returned and ends the loop.
    template <class F>
    Status forEach(F&& onRow)
    {
        for (;;) {
            auto row = step();
            if (!row)
                return row.error();
            if (!*row)
                return {};
            onRow();
        }
    }
    void reset()
    {
        if (!m_stmt)
            return; // sqlite3_clear_bindings does not accept null
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

    // Ready to run again, bindings kept: for hot loops that bind every parameter on every row
    // anyway, where clearing them first is wasted work. Dangling SQLITE_STATIC text is harmless
    // there: it is rebound before the next step.
    void resetKeepingBindings() { sqlite3_reset(m_stmt); }

    int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) const { return sqlite3_column_double(m_stmt, col); }
    bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    std::string_view text(int col) const
    {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
        return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
    }
    std::string_view blob(int col) const
    {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
        return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
    }
    sqlite3_stmt* handle() const { return m_stmt; }

private:
    sqlite3_stmt* m_stmt = nullptr;
    const Database* m_db = nullptr;
};

// RAII transaction: rolls back unless committed.
class Transaction {
public:
    explicit Transaction(Database& db) : m_db(db) {}
    ~Transaction();
    Status begin(); // BEGIN IMMEDIATE: take the write lock now rather than fail later
    Status commit();
    void rollback();

private:
    Database& m_db;
    bool m_open = false;
};

} // namespace rootline::sql
