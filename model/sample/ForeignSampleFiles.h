#pragma once

// The sample incident as the files its story would have come from (issue 3 item 5): the same
// seed and scale give the same records as writeSampleCache(), written in the formats of the tools
// that would have exported them, so the importers can be tried on realistic files:
//
//   traces.otlp.jsonl          OpenTelemetry Collector file exporter (OTLP/JSON lines): spans of
//                              frontend, checkout, payment, cart, catalog, currency
//   traces.jaeger.json         Jaeger /api/traces response (jaeger-ui "Download JSON"): spans of
//                              shipping and email (Jaeger client libraries)
//   logs.otlp.jsonl            Collector file exporter: logs of checkout and payment
//   loki-query_range.json      Loki /loki/api/v1/query_range streams (categorize-labels): the
//                              other services' logs
//   metrics-query_range.json   Prometheus /api/v1/query_range matrix: every series
//   exemplars.json             Prometheus /api/v1/query_exemplars
//   alerts.json                Prometheus /api/v1/alerts: the firing burn-rate alert
//   README.md                  what each file is and how to import them
//
// Every span and log line is in exactly one file. Written streaming (memory bounded at any scale)
// and deterministic: the same options give the same bytes. Each file is written under a
// temporary name and renamed at the end, so a failed run leaves no partial file behind.

#include "SampleIncident.h"

#include <atomic>
#include <string>

namespace rootline {

struct SampleFilesStats {
    int64_t otlpSpans = 0, otlpSpanLines = 0;
    int64_t jaegerSpans = 0, jaegerTraces = 0;
    int64_t otlpLogs = 0, otlpLogLines = 0;
    int64_t lokiLogs = 0, lokiStreams = 0, lokiLateEntries = 0;
    int64_t series = 0, samples = 0, exemplars = 0, alerts = 0;
    int64_t bytes = 0;

    int64_t spans() const { return otlpSpans + jaegerSpans; }
    int64_t logs() const { return otlpLogs + lokiLogs; }
};

namespace sample_files {
inline constexpr const char* kOtlpTraces = "traces.otlp.jsonl";
inline constexpr const char* kJaegerTraces = "traces.jaeger.json";
inline constexpr const char* kOtlpLogs = "logs.otlp.jsonl";
inline constexpr const char* kLokiLogs = "loki-query_range.json";
inline constexpr const char* kMetrics = "metrics-query_range.json";
inline constexpr const char* kExemplars = "exemplars.json";
inline constexpr const char* kAlerts = "alerts.json";
inline constexpr const char* kReadme = "README.md";
inline constexpr const char* kAll[] = {kOtlpTraces, kJaegerTraces, kOtlpLogs, kLokiLogs,
                                       kMetrics,    kExemplars,    kAlerts,   kReadme};
} // namespace sample_files

// Writes the files into `directory` (created if missing). Existing files of these names are
// replaced only when `overwrite`; other files in the directory are left alone.
Result<SampleFilesStats> writeSampleFiles(const std::string& directory,
                                          const SampleOptions& options, bool overwrite = false,
                                          const std::atomic_bool* cancelled = nullptr);

} // namespace rootline
