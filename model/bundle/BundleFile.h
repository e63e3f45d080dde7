#pragma once

// Writing a cache file as a unit: build it under a temporary name beside the target, make it a
// single self-contained file (no -wal/-shm companions), then rename it into place — so a reader
// never sees a half-written bundle, and a failed or cancelled export leaves nothing behind.

#include "core/Result.h"

#include <string>

namespace rootline::bundle {

// "<out>.partial-<pid>" in the same directory (rename is atomic only within a file system).
std::string temporaryPathFor(const std::string& out);
// Removes a cache file and its -wal, -shm and -journal companions; missing files are fine.
void removeCacheFiles(const std::string& path);
// Checkpoints the write-ahead log into the file and switches it to rollback-journal mode, so the
// file is complete on its own (and opens read-only from read-only media). No writer may be open.
Status finalizeCacheFile(const std::string& path);
// Renames `temp` to `out`. Refuses to replace an existing `out` unless `overwrite`.
Status moveIntoPlace(const std::string& temp, const std::string& out, bool overwrite);

} // namespace rootline::bundle
