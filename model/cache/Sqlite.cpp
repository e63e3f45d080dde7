#include "Sqlite.h"

#include <chrono>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace rootline::sql {

struct Database::BusyWait {
    std::function<void(long pid)> onLongWait;
    const std::atomic_bool* stop = nullptr;
    std::string shmPath;
};

namespace {

// The process holding the WAL write lock: SQLite takes it as a POSIX lock on byte 120 of the -shm
// file (os_unix.c: UNIX_SHM_BASE + WAL_WRITE_LOCK), and F_GETLK names the holder. 0 when it is
// this process (POSIX locks are per process), nobody, or cannot be asked.
long writeLockHolder(const std::string& shmPath)
{
    const int fd = ::open(shmPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 120;
    probe.l_len = 1;
    const bool asked = fcntl(fd, F_GETLK, &probe) == 0;
    ::close(fd);
    return asked && probe.l_type != F_UNLCK ? long(probe.l_pid) : 0;
}

int waitWhileBusy(void* arg, int attempt)
{
    auto* wait = static_cast<Database::BusyWait*>(arg);
    if (wait->stop && wait->stop->load(std::memory_order_relaxed))
        return 0;
    constexpr int kStepMs = 20;
    if (attempt == 1000 / kStepMs && wait->onLongWait)
        wait->onLongWait(writeLockHolder(wait->shmPath));
    std::this_thread::sleep_for(std::chrono::milliseconds(kStepMs));
    return 1;
}

} // namespace

void Database::waitForOtherWriters(std::function<void(long pid)> onLongWait, const std::atomic_bool* stop)
{
    m_busyWait = std::make_unique<BusyWait>(BusyWait{std::move(onLongWait), stop, m_path + "-shm"});
    sqlite3_busy_handler(m_db, &waitWhileBusy, m_busyWait.get());
}

Database::Database() = default;

Database::~Database()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

Database::Database(Database&& o) noexcept
    : m_db(std::exchange(o.m_db, nullptr)), m_path(std::move(o.m_path)), m_busyWait(std::move(o.m_busyWait))
{
}

Database& Database::operator=(Database&& o) noexcept
{
    if (this != &o) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(o.m_db, nullptr);
        m_path = std::move(o.m_path);
        m_busyWait = std::move(o.m_busyWait);
    }
    return *this;
}

Result<Database> Database::open(const std::string& path, int flags)
{
    // SQLite's allocation statistics take a global mutex on every malloc and free: 8 % of the
    // writer's instructions per log row (callgrind). Nothing here reads them. The setting only
    // takes before SQLite initialises, so the first open in the process makes it.
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
    Database db;
    db.m_path = path;
    const int rc = sqlite3_open_v2(path.c_str(), &db.m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        Error e{"cache " + path, db.m_db ? sqlite3_errmsg(db.m_db) : sqlite3_errstr(rc), {}};
        return e;
    }
    sqlite3_extended_result_codes(db.m_db, 1);
    sqlite3_busy_timeout(db.m_db, 5000);
    return db;
}

Error Database::error(std::string_view doing) const
{
    return Error{"cache " + m_path, std::string(doing) + ": " + sqlite3_errmsg(m_db), {}};
}

Status Database::exec(std::string_view sql)
{
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        Error e{"cache " + m_path, "running \"" + text.substr(0, 60) + "\": " + (message ? message : "unknown error"), {}};
        sqlite3_free(message);
        return e;
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql)
{
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return error("preparing \"" + std::string(sql.substr(0, 60)) + "\"");
    return Statement(stmt, this);
}

Result<int64_t> Database::queryInt(std::string_view sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->int64(0) : 0;
}

Statement::~Statement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& o) noexcept : m_stmt(std::exchange(o.m_stmt, nullptr)), m_db(o.m_db) {}

Statement& Statement::operator=(Statement&& o) noexcept
{
    if (this != &o) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(o.m_stmt, nullptr);
        m_db = o.m_db;
    }
    return *this;
}

Result<bool> Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error e = m_db->error("running \"" + std::string(sqlite3_sql(m_stmt)).substr(0, 60) + "\"");
    sqlite3_reset(m_stmt);
    return e;
}

Status Statement::run()
{
    for (;;) {
        auto r = step();
        if (!r)
            return r.error();
        if (!*r)
            break;
    }
    sqlite3_reset(m_stmt);
    return {};
}

Transaction::~Transaction()
{
    if (m_open)
        rollback();
}

Status Transaction::begin()
{
    auto s = m_db.exec("BEGIN IMMEDIATE");
    m_open = s.ok();
    return s;
}

Status Transaction::commit()
{
    auto s = m_db.exec("COMMIT");
    if (s)
        m_open = false;
    return s;
}

void Transaction::rollback()
{
    if (m_open)
        (void)m_db.exec("ROLLBACK");
    m_open = false;
}

} // namespace rootline::sql
