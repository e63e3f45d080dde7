#pragma once

// Alertmanager API v2 connector (source kind `alertmanager`; Debian's prometheus-alertmanager
// 0.25): GET /api/v2/alerts for the alerts it holds — active, silenced, inhibited and not yet
// processed — and GET /api/v2/status for "Test connection".
//
// Each alert becomes an Alert (source "alertmanager:<name>", state firing, active since startsAt)
// whose annotations gain what Alertmanager knows and Prometheus does not:
//   alertmanager_state  "active" | "suppressed" | "unprocessed"
//   silenced_by         the silences' ids, comma-separated (only when silenced)
//   inhibited_by        the inhibiting alerts' fingerprints, comma-separated (only when inhibited)
//   generator_url       the rule's page on the Prometheus that sent it
//   rule_expr           the rule's expression, read from generator_url's `g0.expr` (as
//                       PrometheusConnector adds it from /api/v1/rules)

#include "Connector.h"

namespace rootline {

namespace http { class HttpClient; }

// The annotation keys above, shared with the Prometheus connector and the live plan.
inline constexpr const char* kRuleExprAnnotation = "rule_expr";
inline constexpr const char* kAlertmanagerStateAnnotation = "alertmanager_state";
inline constexpr const char* kSilencedByAnnotation = "silenced_by";
inline constexpr const char* kInhibitedByAnnotation = "inhibited_by";

// Decodes a /api/v2/alerts body. `origin` names the endpoint in errors; `source` is Alert::source.
Result<std::vector<Alert>> decodeAlertmanagerAlerts(std::string_view body, const std::string& origin, const std::string& source);
// The `g0.expr` of a Prometheus generator URL, percent-decoded; empty when there is none.
std::string expressionFromGeneratorUrl(std::string_view url);

class AlertmanagerConnector final : public Connector {
public:
    AlertmanagerConnector(Source source, http::HttpClient& client);

    const Source& source() const override { return m_source; }
    Result<ConnectionInfo> testConnection() override;
    Result<FetchOutcome> fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled = nullptr,
                               const ProgressCallback& progress = {}) override;
    std::vector<FetchKind> supportedKinds() const override { return {FetchKind::Alerts}; }

    Result<std::vector<Alert>> alerts(const std::atomic_bool* cancelled = nullptr, int64_t* bytes = nullptr);

private:
    Result<std::string> get(const std::string& pathAndQuery, const std::atomic_bool* cancelled, int64_t* bytes);

    Source m_source;
    http::HttpClient& m_http;
};

} // namespace rootline
