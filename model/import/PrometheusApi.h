#pragma once

// The Prometheus HTTP API JSON (wire-formats.md §2): the `{"status","data",...}` envelope of
// query / query_range (matrix, vector, scalar, string; `values` and native `histograms`),
// query_exemplars, alerts, rules, series, labels / label values and buildinfo, and its errors
// (`errorType` / `error`). Timestamps are float seconds parsed exactly from their text; values are
// strings including "NaN", "+Inf", "-Inf". The live Prometheus connector and the file importer
// ("prometheus-api": an exported API response) share this decoder.

#include "Format.h"
#include "RecordSink.h"
#include "core/Records.h"
#include "core/Result.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline {

using PromLabels = std::vector<std::pair<std::string, std::string>>; // as Prometheus sent them

struct PromRejection {
    std::string location, message, snippet;
};

struct PromSeries {
    PromLabels labels;
    std::vector<Sample> samples;
    std::vector<HistogramSample> histograms;
};

struct PromQueryResult {
    std::string resultType; // "matrix", "vector", "scalar", "string"
    std::vector<PromSeries> series;        // matrix / vector
    std::optional<Sample> scalar;          // scalar
    std::optional<std::pair<Timestamp, std::string>> text; // string
    std::vector<std::string> warnings;     // `warnings` (and 2.45+ `infos`, prefixed "info: ")
    std::vector<PromRejection> rejections; // points that could not be read

    size_t pointCount() const;
};

struct PromExemplarSeries {
    PromLabels labels;
    std::vector<Exemplar> exemplars; // trace/span ids from trace_id/traceID/traceId, span_id/spanID/spanId
};

struct PromRule {
    std::string group, file, name, type; // type "alerting" | "recording"
    std::string query, health, state;    // state for alerting rules: "firing" | "pending" | "inactive"
    PromLabels labels, annotations;
    std::vector<Alert> alerts;           // the rule's active alerts
};

struct PromBuildInfo {
    std::string version, revision, branch, goVersion;
};

// The error of a non-success envelope: errorType ("bad_data", "execution", "timeout", "canceled",
// "internal", "unavailable", "not_found") and Prometheus's message.
struct PromApiError {
    std::string errorType;
    std::string message;
};

// If `body` is a Prometheus error envelope, its type and message.
std::optional<PromApiError> prometheusErrorOf(std::string_view body);
// Turns an error envelope (or a non-JSON body such as "404 page not found") into an Error naming
// `origin`, with a hint that fits the errorType. `httpStatus` is quoted when non-zero.
Error prometheusError(std::string_view body, const std::string& origin, long httpStatus = 0);

// Each decoder returns an Error for a non-success envelope or a body that is not the expected JSON.
Result<PromQueryResult> decodePrometheusQuery(std::string_view body, const std::string& origin);
Result<std::vector<PromExemplarSeries>> decodePrometheusExemplars(std::string_view body, const std::string& origin);
// `/api/v1/alerts`: every alert; `source` is stored as Alert::source ("prometheus:prod").
Result<std::vector<Alert>> decodePrometheusAlerts(std::string_view body, const std::string& origin, const std::string& source);
Result<std::vector<PromRule>> decodePrometheusRules(std::string_view body, const std::string& origin, const std::string& source);
Result<std::vector<PromLabels>> decodePrometheusSeriesList(std::string_view body, const std::string& origin);
Result<std::vector<std::string>> decodePrometheusStringList(std::string_view body, const std::string& origin);
Result<PromBuildInfo> decodePrometheusBuildInfo(std::string_view body, const std::string& origin);

// "1", "1.44e+01", "NaN", "+Inf", "-Inf" (Go's strconv.FormatFloat 'f'/'e' output).
Result<double> parsePrometheusValue(std::string_view text);
// "firing" / "pending" / "inactive" → AlertState.
AlertState prometheusAlertState(std::string_view state);

// The canonical series: name from `__name__` (removed from the labels; `fallbackName` — usually
// the query — when absent), labels sorted, resource from the labels (SourceKind::Prometheus).
SeriesData prometheusSeriesData(const PromSeries& series, const std::string& fallbackName);
SeriesData prometheusExemplarData(const PromExemplarSeries& series);

// Emits a decoded result into a sink in batches of ctx.batchSize records; rejections go along.
Status emitPrometheusQuery(const PromQueryResult& result, const std::string& fallbackName, const ParseContext& ctx,
                           RecordSink& sink);

// The file-import format "prometheus-api": one saved API response (query/query_range result,
// query_exemplars, alerts or rules).
Format prometheusApiFormat();

} // namespace rootline
