#pragma once

// A telemetry format Rootline can read. The same parser serves file imports and live connectors:
// a connector hands it an HTTP response body, the importer hands it a file's documents.

#include "RecordSink.h"

#include <string>
#include <string_view>
#include <vector>

namespace rootline {

struct Format {
    std::string name;        // "otlp-json", "jaeger-json", "prometheus-api", "loki-api", "aws-cloudwatch", ...
    std::string description; // for `rootline-cli import` and the GUI's summary
    // How sure (0 = not this format, 100 = certain) that a document starting with `head` (its first
    // few KiB) is in this format. Detection is by content, never by file name.
    int (*sniff)(std::string_view head) = nullptr;
    // Parses one whole JSON document (or, for line-oriented formats, a run of complete lines).
    // Records go to `sink` in batches of ctx.batchSize; bad records are rejected with their place
    // (ctx.origin + ":" + line or "@" + byte offset) unless ctx.strict, where they are an error.
    Status (*parse)(std::string_view document, const ParseContext& ctx, RecordSink& sink) = nullptr;
    // True for formats whose files are newline-delimited records (JSON lines, logfmt, plain logs):
    // the importer then streams the file in chunks of whole lines.
    bool lineOriented = false;
    // For line-oriented formats that join continuation lines to the record before them (stack
    // traces under a timestamped line): true when `line` (one whole line, without "\r\n") begins
    // a new record. The importer then cuts its chunks only before such a line, so a record never
    // straddles two `parse` calls. Null: every line is a record of its own.
    bool (*startsRecord)(std::string_view line) = nullptr;
    // For JSON formats: arrays whose elements the importer may hand to `parse` one at a time,
    // each wrapped in the document's prefix and closing brackets (JsonSplitter.h), so a huge
    // document imports in bounded memory and a malformed element costs only itself. "" is a
    // top-level array, "data" the array under the key "data", "result.resourceSpans" nested keys.
    // Members after the array are not seen by `parse` then, so list only arrays that come last.
    std::vector<std::string> splitPaths = {};
    // Inside one element of those arrays too large to hold (a trace of a million spans): the arrays
    // whose elements may be handed over in runs, each with the rest of the element, so that one
    // huge trace imports in bounded memory, whatever the order of its members (JsonSplitter.h,
    // ElementSplitter.h). "spans" is the element's key "spans"; "scopeSpans.spans" goes through
    // the array under "scopeSpans".
    std::vector<std::string> elementSplitPaths = {};
};

// Every format, in detection priority order (model/import/FormatRegistry.cpp).
const std::vector<Format>& formats();
// The most likely format for a document starting with `head`; nullptr when none claims it.
const Format* detectFormat(std::string_view head);
const Format* formatByName(std::string_view name);

} // namespace rootline
