#pragma once

// Jaeger JSON traces (wire-formats.md §3.2, §3.4): the jaeger-ui "Download JSON" files and the
// v1 `/api/traces` responses — a bare trace, an array of traces, `{"data":[trace,...]}` or
// `{"data":trace}` — also as a run of JSON values (one trace per line).
//
// The `processes` map (or a span's embedded `process`) becomes the resource (serviceName + tags);
// tags of every type become attributes (int64 beyond 2^53 arrives as a string and is kept exact,
// binary stays base64 text, float64, bool); `span.kind`, `error` and `otel.status_*` tags set the
// span's kind and status; logs become span events (named by their `event` field); references
// become the parent (the first CHILD_OF whose span is in the trace, else the first CHILD_OF —
// a parent absent from the trace is still recorded) and links (FOLLOWS_FROM and further
// CHILD_OFs); span warnings are kept in the attribute `jaeger.warnings`. Times are µs.

#include "Format.h"
#include "RecordSink.h"

#include <string_view>

namespace rootline {

Status parseJaegerJson(std::string_view document, const ParseContext& ctx, RecordSink& sink);
int sniffJaegerJson(std::string_view head);
// The file-import format "jaeger-json".
Format jaegerJsonFormat();

} // namespace rootline
