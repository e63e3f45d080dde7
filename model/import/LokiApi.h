#pragma once

// Grafana Loki's HTTP API JSON (wire-formats.md §1): query / query_range responses with `streams`
// (2-element entries, or 3-element ones carrying structuredMetadata/parsed when the request sent
// `X-Loki-Response-Encoding-Flags: categorize-labels`), `matrix` / `vector` / `scalar` results
// (float-second timestamps, string values including every ±Inf spelling), the label endpoints'
// string lists, and `logcli --output=jsonl` lines. The live Loki connector and the file importer
// share this decoder; the connector needs the decoded streams (not just records) to paginate.

#include "Format.h"
#include "RecordSink.h"
#include "core/Records.h"
#include "core/Result.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline {

using LokiLabels = std::vector<std::pair<std::string, std::string>>; // in the order Loki sent them

struct LokiEntry {
    Timestamp time;
    std::string line;
    LokiLabels structuredMetadata; // 3-element entries only
    LokiLabels parsed;             // 3-element entries only
};

struct LokiStream {
    LokiLabels labels;
    std::vector<LokiEntry> entries;
};

struct LokiSeries {
    LokiLabels labels;
    std::vector<Sample> samples;
};

struct LokiRejection {
    std::string location, message, snippet;
};

struct LokiResponse {
    std::string resultType; // "streams", "matrix", "vector", "scalar"
    std::vector<LokiStream> streams;
    std::vector<LokiSeries> series;
    std::vector<std::string> warnings;
    std::vector<std::string> encodingFlags;
    std::string statsJson;                // raw `stats` object, "" when absent
    std::vector<LokiRejection> rejections; // entries / samples that could not be read

    size_t entryCount() const;
    bool categorized() const; // the response used 3-element entries (categorize-labels)
};

// Decodes one API response body. `origin` ("loki GET /loki/api/v1/query_range", a file name) names
// the place in errors and rejections. A non-"success" status, or a body that is not JSON, is an error.
Result<LokiResponse> decodeLokiResponse(std::string_view body, const std::string& origin);

// `{"status":"success","data":["a","b"]}` from /labels and /label/<name>/values.
Result<std::vector<std::string>> decodeLokiStringList(std::string_view body, const std::string& origin);

// The stream labels form the resource; structured metadata and parsed labels become log
// attributes; severity comes from `level` / `detected_level` (structured, parsed or stream);
// `trace_id` / `span_id` (Loki's OTLP mapping) become the record's trace and span ids.
// `resource` must have been made from `stream.labels` (see lokiResource) so streams share it.
LogRecord lokiLogRecord(const LokiEntry& entry, const LokiLabels& streamLabels, const ResourcePtr& resource);
ResourcePtr lokiResource(const LokiLabels& streamLabels);
// Metric results: the series is named by `__name__` when present, else `fallbackName` (the query).
SeriesData lokiSeriesData(const LokiSeries& series, const std::string& fallbackName);

// A sample value as Loki / Prometheus write it: "1", "1e+21", "NaN", "+Inf", "-Infinity", "+iNf"...
Result<double> parseLokiSampleValue(std::string_view text);

// The file-import format "loki-api": an API response document or logcli --output=jsonl lines.
Format lokiApiFormat();

} // namespace rootline
