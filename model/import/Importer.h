#pragma once

// Imports telemetry files into a cache (issue 3). Inputs are files, directories (recursive),
// .tar / .tar.gz / .tar.zst / .zip archives and .gz / .zst single files; each file's format is
// detected from its content (never its name); a Rootline cache, also gzip- or zstd-compressed
// (".rootline.gz"), is imported as a bundle. Every file (or archive member) is one WriteUnit,
// so a failed, truncated or cancelled import leaves the cache exactly as it was before that file.
//
// Memory stays bounded whatever the file size: line-oriented formats are parsed in chunks of whole
// lines; JSON formats are cut into values, or into the elements of their record array
// (Format::splitPaths), by JsonSplitter. Each file is read twice: first to hash it (SHA-256 of the
// decompressed bytes: the same content is never imported twice) and to detect its format, then to
// import it — so a zip bomb or a corrupt archive is refused before anything is written.
//
// Thread use: run() blocks; call it on a worker thread. Progress arrives through the callback on
// that thread (throttled); cancel by setting the atomic flag from any thread.

#include "cache/CacheWriter.h"
#include "cache/TelemetryBatch.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rootline {

struct Format;

struct ImportOptions {
    bool strict = false;               // the first bad record fails its file
    bool trust = false;                // import a bundle whose content no longer matches its manifest's hash
    std::string format;                // force a format by name instead of detecting it
    const std::vector<Format>* formats = nullptr; // the candidates (tests, restricted imports); null: all
    size_t batchSize = 5000;           // records per batch handed to the cache writer
    // Line-oriented formats: about this many bytes of whole lines per parse call, cut only before a
    // line that starts a record (Format::startsRecord), so stack traces stay with their record.
    size_t lineChunkBytes = size_t(8) << 20;
    size_t maxPieceBytes = size_t(256) << 20; // a single JSON value/element or line larger than this fails the file
    size_t maxRejectionsListed = 100;  // per file, in ImportFileResult::errors (all are stored in the cache)
    // Decompression bomb guards (per input file or archive): output/input ratio once past the grace.
    double maxCompressionRatio = 100;
    int64_t ratioGraceBytes = int64_t(16) << 20;
    int64_t maxUncompressedBytes = int64_t(32) << 30;
};

struct ImportError {
    std::string path;     // the input ("dir/a.json", "bundle.zip!/logs/b.jsonl")
    std::string location; // "a.json:12", "a.json@4096"; empty for whole-file errors
    std::string message;
};

struct ImportFileResult {
    enum class Outcome { Imported, Duplicate, Unrecognized, Failed, Cancelled };
    std::string path;
    std::string format; // "" when no format claimed it
    Outcome outcome = Outcome::Imported;
    WriteStats stats;   // what was stored (zero unless Imported)
    int64_t rejected = 0;
    int64_t warnings = 0; // records kept with a warning (listed in `errors` as "warning: …")
    std::string note;   // why skipped / failed, in one line
    std::vector<ImportError> errors; // the first rejections, and the fatal error if any
};

struct ImportSummary {
    std::vector<ImportFileResult> files;
    WriteStats totals;
    bool cancelled = false;

    bool anyFailed() const;
    bool anyRejectedOrUnrecognized() const;
    // 0 all imported, 1 some records rejected or files not recognised, 2 a file failed or cancelled.
    int exitCode() const;
};

struct ImportProgress {
    std::string path;       // the file being read
    const char* phase = ""; // "checking" (hash + detect) or "importing"
    int64_t bytesDone = 0;  // raw bytes read over both passes of all inputs
    int64_t bytesTotal = 0; // twice the inputs' size on disk
    int filesDone = 0;
};

class Importer {
public:
    explicit Importer(CacheWriter& writer, ImportOptions options = {});

    void setCancelFlag(const std::atomic_bool* cancelled) { m_cancelled = cancelled; }
    void setProgressCallback(std::function<void(const ImportProgress&)> callback,
                             std::chrono::milliseconds interval = std::chrono::milliseconds(100));

    ImportSummary run(const std::vector<std::string>& inputs);

    struct Impl;

private:
    CacheWriter& m_writer;
    ImportOptions m_options;
    const std::atomic_bool* m_cancelled = nullptr;
    std::function<void(const ImportProgress&)> m_progress;
    std::chrono::milliseconds m_interval{100};
};

const char* outcomeName(ImportFileResult::Outcome outcome);

} // namespace rootline
