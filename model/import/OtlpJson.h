#pragma once

// OpenTelemetry OTLP/JSON (wire-formats.md §4): export requests for traces (`resourceSpans`, also
// Tempo's `batches`), logs (`resourceLogs`) and metrics (`resourceMetrics`), as single documents,
// wrapped as Jaeger api_v3's `{"result":{...}}` or Tempo's `{"trace":{...}}`, as a JSON array of
// them, or as the Collector file exporter's JSON lines (one request per line).
//
// Tolerant where the wire is: ids hex of any case or base64; 64-bit ints and times as strings or
// numbers; kind, status and severity as integers or enum names; attribute values of every type
// (arrays and kvlists are kept as JSON text, bytes as their base64 text). Metrics become series
// named after the metric with the data point attributes as labels, told apart from the same metric
// of another service or scope by their stream identity (OtlpStreamIdentity.h); histograms keep
// their buckets (explicit ones as [previous bound, bound], exponential ones flattened to
// [lower, upper]). Sums and histograms record their aggregationTemporality (Series::temporality).
// A record that cannot be read is rejected with its line; a malformed JSON value costs that value.

#include "Format.h"
#include "RecordSink.h"

#include <string_view>

namespace rootline {

// Parses OTLP/JSON (one document or a run of JSON values) into `sink`. Used by the file importer
// and by connectors (Jaeger api_v3, Tempo) on response bodies.
Status parseOtlpJson(std::string_view document, const ParseContext& ctx, RecordSink& sink);

// How sure (0–100) that a document starting with `head` is OTLP/JSON.
int sniffOtlpJson(std::string_view head);

// The file-import format "otlp-json".
Format otlpJsonFormat();

} // namespace rootline
