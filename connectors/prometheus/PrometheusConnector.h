#pragma once

// Prometheus HTTP API connector (wire-formats.md §2): query_range with an automatic step and
// splitting so no sub-query returns more than 11,001 points per series, instant query,
// query_exemplars, alerts, rules, series / labels / label values for completion, and buildinfo for
// "Test connection". Long queries go as POST forms; a response over the size cap splits its
// sub-range in halves until it fits (or the result is marked partial).

#include "Connector.h"
#include "import/PrometheusApi.h"
#include "prometheus/PrometheusRangePlan.h"

namespace rootline {

namespace http { class HttpClient; }

class PrometheusConnector final : public Connector {
public:
    PrometheusConnector(Source source, http::HttpClient& client);

    const Source& source() const override { return m_source; }
    Result<ConnectionInfo> testConnection() override;
    Result<FetchOutcome> fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled = nullptr,
                               const ProgressCallback& progress = {}) override;
    Result<std::vector<std::string>> complete(const CompletionRequest& request) override;
    std::vector<FetchKind> supportedKinds() const override;

    // The raw API, for the UI and tests.
    Result<PromBuildInfo> buildInfo();
    Result<PromQueryResult> queryRange(const std::string& query, const RangeStep& range, const std::atomic_bool* cancelled = nullptr);
    Result<PromQueryResult> queryInstant(const std::string& query, Timestamp at, const std::atomic_bool* cancelled = nullptr);
    Result<std::vector<PromExemplarSeries>> exemplars(const std::string& query, TimeWindow window,
                                                      const std::atomic_bool* cancelled = nullptr);
    Result<std::vector<Alert>> alerts(const std::atomic_bool* cancelled = nullptr);
    Result<std::vector<PromRule>> rules();
    Result<std::vector<PromLabels>> series(const std::vector<std::string>& matchers, std::optional<TimeWindow> window = {});
    Result<std::vector<std::string>> labelNames(const std::string& matcher = {}, std::optional<TimeWindow> window = {});
    Result<std::vector<std::string>> labelValues(const std::string& label, const std::string& matcher = {},
                                                 std::optional<TimeWindow> window = {});

    // GETs whose URL would exceed this many bytes go as POST forms instead.
    static constexpr size_t kMaxGetUrl = 4096;

private:
    // GET (or POST form for long parameters) `path` with `params`; the body on 2xx, else the
    // Prometheus error (errorType + message + hint) or the transport error.
    Result<std::string> call(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params,
                             const std::atomic_bool* cancelled, int64_t* bytes = nullptr);
    Result<FetchOutcome> fetchRange(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                    const ProgressCallback& progress);
    std::string alertSource() const { return "prometheus:" + m_source.name; }

    Source m_source;
    http::HttpClient& m_http;
    std::atomic<int64_t> m_bytesReceived{0}; // every body received, for FetchOutcome::bytes
};

} // namespace rootline
