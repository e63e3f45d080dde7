#pragma once

// Jaeger's query service (wire-formats.md §3): services, operations, trace search and trace by id,
// over api_v3 (OTLP/JSON, RFC 3339 times, 404 = no traces) or the classic `/api/*` JSON API (µs
// times, Go durations) — whichever the server offers, found by probing `/api/v3/services` first and
// `/api/services` second (Jaeger's 2026 main branch removed the classic search, Jaeger before 1.35
// has no api_v3). Responses are parsed by the shared OTLP/JSON and Jaeger JSON parsers.

#include "Connector.h"
#include "sources/Source.h"

#include <mutex>

namespace rootline {

namespace http { class HttpClient; struct HttpRequest; }

class JaegerConnector final : public Connector {
public:
    enum class Api { Unknown, V3, Classic };

    JaegerConnector(Source source, http::HttpClient& client);

    const Source& source() const override { return m_source; }
    Result<ConnectionInfo> testConnection() override;
    Result<FetchOutcome> fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled = nullptr,
                               const ProgressCallback& progress = {}) override;
    // Services, and Operations of `request.label` (the service).
    Result<std::vector<std::string>> complete(const CompletionRequest& request) override;
    std::vector<FetchKind> supportedKinds() const override { return {FetchKind::Traces, FetchKind::Trace}; }

    // Which API the server speaks (probes once, then remembers).
    Result<Api> api(const std::atomic_bool* cancelled = nullptr);
    void setApi(Api api); // skip probing (tests, or a user's explicit choice)

    static constexpr int64_t kDefaultTraceLimit = 20; // jaeger-ui's default
    static constexpr Duration kDefaultLookback = Duration::hours(1);

private:
    Result<FetchOutcome> search(Api api, const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled);
    Result<FetchOutcome> traceById(Api api, const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled);
    http::HttpRequest request(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params,
                              const std::atomic_bool* cancelled) const;

    Source m_source;
    http::HttpClient& m_client;
    std::mutex m_mutex;
    Api m_api = Api::Unknown;
};

// A duration as Go's time.ParseDuration reads it ("1500ms", "2s", "250us", "7ns"), exact.
std::string goDuration(Duration d);

} // namespace rootline
