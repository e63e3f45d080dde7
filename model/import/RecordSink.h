#pragma once

// Where parsers put what they read. Every format parser (used by file importers and by live
// connectors alike) turns bytes into TelemetryBatches and per-record problems, and hands both to
// a sink; it never touches the cache itself.

#include "cache/TelemetryBatch.h"
#include "core/Result.h"

#include <atomic>
#include <string>
#include <string_view>

namespace rootline {

class RecordSink {
public:
    virtual ~RecordSink() = default;
    // A batch of parsed records. An error (the writer failed, the user cancelled) stops the parser,
    // which returns that error.
    virtual Status batch(TelemetryBatch&& batch) = 0;
    // A record that could not be read: `location` is "file:line", "file@byte" or "endpoint#index".
    virtual void reject(std::string location, std::string message, std::string snippet) = 0;
    // A record kept, but changed or doubtful (bytes that were not UTF-8 replaced by U+FFFD): said,
    // never silent. Sinks that store records store these beside their rejections; the default,
    // for sinks that only count or convert records, lets it pass.
    virtual void warn(std::string location, std::string message, std::string snippet)
    {
        (void)location, (void)message, (void)snippet;
    }
};

// What a parser needs to know besides the bytes.
struct ParseContext {
    std::string origin;                         // file path or "source endpoint", prefixed to every location
    const std::atomic_bool* cancelled = nullptr; // checked between records
    bool strict = false;                         // the first bad record is an error instead of a rejection
    size_t batchSize = 5000;                     // records per batch handed to the sink
    // Where the document starts in its file: the importer hands a large file over in pieces
    // (runs of lines, or array elements behind the document's prefix), so byte 0 of `document`
    // is byte `firstByte` of the file, on line `firstLine`. Use the helpers below for locations.
    int64_t firstLine = 1;
    int64_t firstByte = 0;
    // The document is exactly one JSON value, already delimited (the importer's pieces are), so a
    // JSON parser need not scan it for the values it holds first.
    bool singleValue = false;

    bool isCancelled() const { return cancelled && cancelled->load(std::memory_order_relaxed); }
    // "origin:line" for the 1-based line `lineInDocument` of the document.
    std::string lineLocation(int64_t lineInDocument) const { return origin + ":" + std::to_string(firstLine + lineInDocument - 1); }
    // "origin@byte" for a byte offset into the document.
    std::string byteLocation(size_t offsetInDocument) const { return origin + "@" + std::to_string(firstByte + int64_t(offsetInDocument)); }
    // "origin:line" of the byte at `offsetInDocument` (counts the newlines before it: error paths only).
    std::string locationOf(std::string_view document, size_t offsetInDocument) const
    {
        int64_t line = 1;
        for (size_t i = 0; i < offsetInDocument && i < document.size(); ++i)
            line += document[i] == '\n';
        return lineLocation(line);
    }
};

// Collects everything in memory: for tests and small documents.
class CollectingSink final : public RecordSink {
public:
    struct Rejection {
        std::string location, message, snippet;
    };
    Status batch(TelemetryBatch&& b) override
    {
        auto append = [](auto& to, auto& from) { to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end())); };
        append(collected.logs, b.logs);
        append(collected.spans, b.spans);
        append(collected.series, b.series);
        append(collected.alerts, b.alerts);
        ++batches;
        return {};
    }
    void reject(std::string location, std::string message, std::string snippet) override
    {
        rejections.push_back({std::move(location), std::move(message), std::move(snippet)});
    }
    void warn(std::string location, std::string message, std::string snippet) override
    {
        warnings.push_back({std::move(location), std::move(message), std::move(snippet)});
    }
    TelemetryBatch collected;
    std::vector<Rejection> rejections;
    std::vector<Rejection> warnings;
    int batches = 0;
};

} // namespace rootline
