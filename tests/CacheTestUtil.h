#pragma once

// Helpers shared by the cache tests: open a writer/reader or fail the test, and a content dump
// that compares two states of a cache file row by row (every table, FTS shadow tables included).

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

namespace rootline::testutil {

inline std::unique_ptr<CacheWriter> openWriter(const std::string& path, WriterOptions options = {})
{
    auto w = CacheWriter::open(path, options);
    if (!w) {
        qWarning("%s", w.error().message().c_str());
        return nullptr;
    }
    return std::move(*w);
}

inline std::unique_ptr<CacheReader> openReader(const std::string& path)
{
    auto r = CacheReader::open(path);
    if (!r) {
        qWarning("%s", r.error().message().c_str());
        return nullptr;
    }
    return std::move(*r);
}

// `count` log lines one second apart from 2026-11-20T10:00:00Z, bodies "<prefix> <i>".
inline TelemetryBatch numberedLogs(int count, const std::string& prefix = "line")
{
    TelemetryBatch batch;
    for (int i = 0; i < count; ++i) {
        LogRecord r;
        r.time = Timestamp::fromSeconds(1'795'168'800 + i);
        r.body = prefix + " " + std::to_string(i);
        batch.logs.push_back(std::move(r));
    }
    return batch;
}

// A unit for tests, with plain provenance.
inline std::unique_ptr<WriteUnit> beginTestUnit(CacheWriter& writer)
{
    FetchRecord fetch;
    fetch.source = "test";
    fetch.kind = "import";
    return writer.begin(fetch);
}

// Every row of every table as text, sorted: equal dumps mean equal content, whatever the pages.
inline std::vector<std::string> contentDump(const std::string& path)
{
    std::vector<std::string> lines;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        lines.push_back(std::string("cannot open: ") + sqlite3_errmsg(db));
        sqlite3_close(db);
        return lines;
    }
    std::vector<std::string> tables;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master ORDER BY name", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char* name = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        const char* sql = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
        lines.push_back(std::string("schema ") + name + " " + (sql ? sql : ""));
        if (sql && std::string_view(sql).substr(0, 12) == "CREATE TABLE")
            tables.emplace_back(name);
    }
    sqlite3_finalize(st);
    for (const auto& t : tables) {
        sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::string line = t + ":";
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                line += '|';
                switch (sqlite3_column_type(st, c)) {
                case SQLITE_NULL: line += "NULL"; break;
                case SQLITE_BLOB: {
                    const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
                    line += "x" + QByteArray(p, sqlite3_column_bytes(st, c)).toHex().toStdString();
                    break;
                }
                default: line += reinterpret_cast<const char*>(sqlite3_column_text(st, c));
                }
            }
            lines.push_back(std::move(line));
        }
        sqlite3_finalize(st);
    }
    for (const char* pragma : {"PRAGMA user_version", "PRAGMA application_id"}) {
        sqlite3_prepare_v2(db, pragma, -1, &st, nullptr);
        if (sqlite3_step(st) == SQLITE_ROW)
            lines.push_back(std::string(pragma) + " " + std::to_string(sqlite3_column_int64(st, 0)));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    std::sort(lines.begin(), lines.end());
    return lines;
}

inline QByteArray fileChecksum(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArrayLiteral("unreadable");
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace rootline::testutil
