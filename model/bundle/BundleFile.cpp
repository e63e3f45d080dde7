#include "BundleFile.h"

#include "cache/Sqlite.h"

#include <filesystem>
#include <unistd.h>

namespace rootline::bundle {

std::string temporaryPathFor(const std::string& out) { return out + ".partial-" + std::to_string(::getpid()); }

void removeCacheFiles(const std::string& path)
{
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(path + suffix, ec);
}

Status finalizeCacheFile(const std::string& path)
{
    auto db = sql::Database::open(path, SQLITE_OPEN_READWRITE);
    if (!db)
        return db.error();
    // Leaving WAL mode checkpoints everything into the main file and deletes the log.
    if (auto s = db->exec("PRAGMA journal_mode = DELETE"); !s)
        return s.error().within("finalizing " + path);
    return {};
}

Status moveIntoPlace(const std::string& temp, const std::string& out, bool overwrite)
{
    std::error_code ec;
    if (!overwrite && std::filesystem::exists(out, ec))
        return Error{out, "already exists", "choose another name, or pass --force to replace it"};
    if (overwrite)
        removeCacheFiles(out); // stale companions of the old file must not pair with the new one
    std::filesystem::rename(temp, out, ec);
    if (ec)
        return Error{out, "cannot move the finished file into place: " + ec.message(), "check the directory is writable"};
    return {};
}

} // namespace rootline::bundle
