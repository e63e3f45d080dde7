#pragma once

// Grafana Loki (wire-formats.md §1): log queries through query_range, paginated past the server's
// entry limit with LokiPager and checked window by window against a LogQL count (LokiCompleteness);
// metric queries into series (split so no request exceeds Loki's 11,000
// points per series); instant metric queries; label names and values for completion; the tenant
// header from the source; structured metadata via `X-Loki-Response-Encoding-Flags: categorize-labels`.
// Times are always sent as 19-digit nanosecond integers (Loki guesses the unit of shorter ones).

#include "Connector.h"
#include "sources/Source.h"

#include <cstdint>

namespace rootline {

namespace http { class HttpClient; struct HttpRequest; }

class LokiConnector final : public Connector {
public:
    LokiConnector(Source source, http::HttpClient& client);

    const Source& source() const override { return m_source; }
    Result<ConnectionInfo> testConnection() override;
    Result<FetchOutcome> fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled = nullptr,
                               const ProgressCallback& progress = {}) override;
    Result<std::vector<std::string>> complete(const CompletionRequest& request) override;
    std::vector<FetchKind> supportedKinds() const override;

    // Lines per query_range request (Loki's default max_entries_limit_per_query is 5000). Lowered
    // automatically when the server's limit is smaller or a page exceeds the response size cap.
    void setPageSize(int64_t lines) { m_pageSize = lines; }
    int64_t pageSize() const { return m_pageSize; }
    // Log fetches check each window against Loki's own count and re-fetch what a page missed
    // (LokiCompleteness.h); on by default. Off only to measure what the check costs.
    void setVerifyCompleteness(bool verify) { m_verifyCompleteness = verify; }

    static constexpr int64_t kDefaultLogLimit = 100'000; // lines per fetch when the request says 0
    static constexpr int64_t kMaxPageSize = 5000;
    static constexpr int64_t kMaxPointsPerSeries = 11'000;
    // A log query keeps up to this many query_range requests in flight (LokiWindowPlanner).
    static constexpr int kPagesInFlight = 4;

private:
    Result<FetchOutcome> fetchLogs(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                   const ProgressCallback& progress);
    Result<FetchOutcome> fetchMetrics(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                      const ProgressCallback& progress);
    Result<FetchOutcome> fetchInstant(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled);

    http::HttpRequest request(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params,
                              const std::atomic_bool* cancelled) const;

    Source m_source;
    http::HttpClient& m_client;
    int64_t m_pageSize = kMaxPageSize;
    bool m_verifyCompleteness = true;
};

} // namespace rootline
