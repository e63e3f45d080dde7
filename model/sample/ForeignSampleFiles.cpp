#include "ForeignSampleFiles.h"

#include "ForeignFile.h"
#include "ForeignFilesSink.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace rootline {

using namespace sample;

namespace {

std::string scaleText(double scale) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", scale);
    return buf;
}

std::string readme(const SampleOptions& options, const SampleFilesStats& s) {
    using std::to_string;
    const std::string window = "2026-11-20T12:00:00Z to 2026-11-20T15:00:00Z";
    std::string t;
    t += "# The sample incident, as exported files\n\n";
    t += "*\"Checkout failed 5 minutes ago.\"* A small shop (frontend, checkout, payment, cart, "
         "catalog, shipping, currency, email) "
         "from " +
         window +
         ". At 14:46 UTC the external payment gateway slows down and checkout's p95 latency rises; "
         "from 14:47 "
         "payment's calls to the gateway hit their 5 s timeout and payment logs errors; the "
         "`CheckoutAvailabilityBurnRate` alert "
         "fires at 14:48. Catalog deployed 1.9.0 at 13:30 (unrelated).\n\n";
    const bool bundled =
        options.seed == SampleOptions{}.seed && options.scale == SampleOptions{}.scale;
    t += "These files hold the same records as `rootline-cli sample --out` writes into a cache for "
         "the same seed and scale (seed " +
         to_string(options.seed) + ", scale " + scaleText(options.scale) +
         (bundled ? ": Rootline's bundled `sample-incident.rootline`" : "") +
         "), written the way the tools that collected them would "
         "have exported them. Every span and every log line is in exactly one file. Regenerate "
         "them with `rootline-cli sample --files DIR" +
         (bundled ? std::string()
                  : " --seed " + to_string(options.seed) + " --scale " + scaleText(options.scale)) +
         "`.\n\n";
    t += "How the records got there: the shop's services run OpenTelemetry SDKs and export spans "
         "through an OpenTelemetry Collector "
         "whose file exporter wrote the `.otlp.jsonl` files; the Collector also tails the "
         "container logs of checkout and payment "
         "(Go services logging JSON with their trace context). shipping and email still use Jaeger "
         "client libraries, so their spans "
         "were saved from Jaeger. Every other container's output is collected into Loki, and "
         "metrics, exemplars and alerts come "
         "from Prometheus.\n\n";
    t += "| File | What it imitates | Contents |\n|---|---|---|\n";
    t += "| `traces.otlp.jsonl` | OpenTelemetry Collector `file` exporter (format `json`): one "
         "OTLP/JSON `ExportTraceServiceRequest` per "
         "line, spans grouped by resource and instrumentation scope, hex ids, nanosecond times as "
         "strings | " +
         to_string(s.otlpSpans) +
         " spans of frontend, checkout, payment, cart, catalog and currency (OpenTelemetry SDKs) "
         "in " +
         to_string(s.otlpSpanLines) + " lines |\n";
    t += "| `traces.jaeger.json` | Jaeger query `GET /api/traces` response, as jaeger-ui's "
         "\"Download JSON\" saves it: "
         "`{\"data\":[{traceID, spans, processes}]}`, microsecond times, `CHILD_OF` references | " +
         to_string(s.jaegerSpans) +
         " spans of shipping and email (still on Jaeger client libraries) in " +
         to_string(s.jaegerTraces) +
         " traces; their parents are in the OTLP file, so the traces join up on import |\n";
    t += "| `logs.otlp.jsonl` | OpenTelemetry Collector `file` exporter: OTLP/JSON "
         "`ExportLogsServiceRequest` lines (filelog receiver, trace "
         "context set on each record) | " +
         to_string(s.otlpLogs) + " log records of checkout and payment in " +
         to_string(s.otlpLogLines) + " lines |\n";
    t += "| `loki-query_range.json` | Loki `GET "
         "/loki/api/v1/query_range?query={namespace=\"shop\"}&direction=forward` with "
         "`X-Loki-Response-Encoding-Flags: categorize-labels`: streams of `[\"<ns>\", \"<line>\", "
         "{\"structuredMetadata\":{…}}]` "
         "entries | " +
         to_string(s.lokiLogs) +
         " lines of the other services' stdout (JSON, logfmt-like and plain-text nginx / logback "
         "lines) in " +
         to_string(s.lokiStreams) +
         " streams, labelled as Grafana Alloy labels Kubernetes pods; `detected_level` as "
         "structured metadata |\n";
    t += "| `metrics-query_range.json` | Prometheus `GET /api/v1/query_range` (step 15s over the "
         "window): a `matrix` | " +
         to_string(s.series) +
         " series (`http_server_requests_total`, "
         "`http_server_request_duration_seconds_bucket/_sum/_count`, "
         "`slo:sli_error:ratio_rate5m/30m/1h`) with " +
         to_string(s.samples) +
         " samples; values are strings, `\"NaN\"` where a ratio "
         "had no requests |\n";
    t += "| `exemplars.json` | Prometheus `GET "
         "/api/v1/query_exemplars?query=http_server_request_duration_seconds_bucket` | " +
         to_string(s.exemplars) +
         " exemplars with `trace_id` / `span_id` labels pointing at traces in the trace files |\n";
    t += "| `alerts.json` | Prometheus `GET /api/v1/alerts` | the firing "
         "`CheckoutAvailabilityBurnRate` alert (" +
         to_string(s.alerts) + " alert) |\n\n";
    t += "## Importing\n\n";
    t += "```sh\nrootline-cli import --cache incident.rootline .\n```\n\n";
    t += "Import them together, so the trace fragments of the two trace files join up. Each file's "
         "format is detected from its content, not its name; this README (like any `*.md` or hidden "
         "file in a folder) is passed over. Dropping the folder on Rootline's window or choosing it "
         "in File → Import does the same.\n\n";
    t += "## What differs from the bundled cache after import\n\n";
    t += "The counts of logs, spans, traces, series, samples and exemplars are the same, and so is "
         "every trace id. What the formats "
         "cannot carry is lost on the way, as it would be with the real tools:\n\n";
    t += "- Jaeger times and durations are whole microseconds (the generator's are nanoseconds).\n";
    t += "- Prometheus keeps exemplar times in milliseconds, and the API says nothing about a "
         "series' type or unit "
         "(that is `/api/v1/metadata`) nor about the resource beyond the labels.\n";
    t += "- Loki lines have no observed time, their attributes are structured metadata with `_` "
         "for `.`, their severity is "
         "Loki's `detected_level`, and their resource is what the stream labels say.\n";
    t += "- So Loki streams and Prometheus series name their services, pods and versions through "
         "labels, and the cache counts more "
         "(differently normalised) resources than the generator's one per pod.\n\n";
    t += "A real Loki caps one response at `max_entries_limit_per_query` (5,000 lines by default) "
         "and a real Prometheus at 11,000 "
         "points per series: these files are what a server with raised limits returns, or what a "
         "script that pages through the "
         "window and merges the pages would save.\n";
    return t;
}

} // namespace

Result<SampleFilesStats> writeSampleFiles(const std::string& directory,
                                          const SampleOptions& options, bool overwrite,
                                          const std::atomic_bool* cancelled) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec || !fs::is_directory(directory, ec))
        return Error{directory,
                     "cannot create the directory" + (ec ? ": " + ec.message() : std::string()),
                     "choose a writable place"};
    auto pathOf = [&](const char* name) {
        return (fs::path(directory) / name).string();
    };
    if (!overwrite) {
        for (const char* name : sample_files::kAll)
            if (fs::exists(pathOf(name), ec))
                return Error{
                    pathOf(name), "already exists",
                    "choose another directory, or pass --force to replace the sample's files"};
    }

    std::unique_ptr<ForeignFile> files[std::size(sample_files::kAll)];
    for (size_t i = 0; i < std::size(sample_files::kAll); ++i) {
        auto f = ForeignFile::create(pathOf(sample_files::kAll[i]));
        if (!f)
            return f.error();
        files[i] = std::move(*f);
    }
    ForeignFile& otlpTracesFile = *files[0];
    ForeignFile& jaegerFile = *files[1];
    ForeignFile& otlpLogsFile = *files[2];
    ForeignFile& lokiFile = *files[3];
    ForeignFile& metricsFile = *files[4];
    ForeignFile& exemplarsFile = *files[5];
    ForeignFile& alertsFile = *files[6];
    ForeignFile& readmeFile = *files[7];

    ForeignOtlpWriter otlpTraces(otlpTracesFile), otlpLogs(otlpLogsFile);
    ForeignJaegerWriter jaeger(jaegerFile);
    ForeignLokiWriter loki(directory);
    ForeignPrometheusWriter prometheus(directory);
    ForeignFilesSink sink(otlpTraces, jaeger, otlpLogs, loki, prometheus);
    if (auto s = generateSampleIncident(options, sink, cancelled); !s)
        return s.error();
    if (!sink.firstRejection.empty())
        return Error{"sample generator", "rejected a record: " + sink.firstRejection,
                     "a bug in model/sample"};
    jaeger.finish();
    if (auto s = loki.finish(lokiFile); !s)
        return s.error();
    if (auto s = prometheus.finishMatrix(metricsFile); !s)
        return s.error();
    if (auto s = prometheus.finishExemplars(exemplarsFile); !s)
        return s.error();
    prometheus.finishAlerts(alertsFile);

    SampleFilesStats stats;
    stats.otlpSpans = sink.otlpSpans;
    stats.otlpSpanLines = otlpTraces.lines();
    stats.jaegerSpans = sink.jaegerSpans;
    stats.jaegerTraces = jaeger.traces();
    stats.otlpLogs = sink.otlpLogs;
    stats.otlpLogLines = otlpLogs.lines();
    stats.lokiLogs = loki.entries();
    stats.lokiStreams = loki.streams();
    stats.lokiLateEntries = loki.lateEntries();
    stats.series = prometheus.series();
    stats.samples = prometheus.samples();
    stats.exemplars = prometheus.exemplars();
    stats.alerts = prometheus.alerts();
    readmeFile.write(readme(options, stats));

    for (auto& f : files) {
        if (auto s = f->close(); !s)
            return s.error();
        stats.bytes += f->bytes();
    }
    for (auto& f : files)
        if (auto s = f->commit(); !s)
            return s.error();
    return stats;
}

} // namespace rootline
