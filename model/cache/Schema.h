#pragma once

// The cache file: one SQLite database per investigation (a `.rootline` bundle is the same file
// with a manifest). Its schema is versioned with PRAGMA user_version and upgraded by forward
// migrations; PRAGMA application_id marks the file as Rootline's.

#include "Sqlite.h"

#include <string>

namespace rootline::cache {

constexpr int kSchemaVersion = 6;
constexpr int32_t kApplicationId = 0x526f6f74; // "Root"

// The statements that create schema `version` from nothing. Every past version stays here so
// tests can build old files and migrations can be checked against them. From version 6 on they call
// rootline_log_identity, which only a connection openCache made for writing knows.
std::string schemaAtVersion(int version);

enum class OpenMode { ReadOnly, ReadWrite };

// PRAGMA quick_check: "" when the file is sound, else its first few problems on one line.
Result<std::string> quickCheck(sql::Database& db);

// Opens a cache after checking, without writing, that the file is a Rootline cache this build can
// read: not a SQLite file, another application's database, a newer schema, a truncated file and a
// read-only file (for ReadWrite) are refused with an error naming the file and what is wrong.
// ReadWrite creates a missing file and migrates an older schema in one transaction.
Result<sql::Database> openCache(const std::string& path, OpenMode mode);

} // namespace rootline::cache
