#include "Source.h"

#include "http/HttpClient.h"

namespace rootline {

const char* sourceTypeName(SourceType type)
{
    switch (type) {
    case SourceType::Prometheus: return "prometheus";
    case SourceType::Loki: return "loki";
    case SourceType::Jaeger: return "jaeger";
    case SourceType::CloudWatch: return "cloudwatch";
    case SourceType::Alertmanager: return "alertmanager";
    }
    return "prometheus";
}

std::optional<SourceType> sourceTypeFromName(std::string_view name)
{
    for (SourceType t : {SourceType::Prometheus, SourceType::Loki, SourceType::Jaeger, SourceType::CloudWatch, SourceType::Alertmanager})
        if (name == sourceTypeName(t))
            return t;
    return std::nullopt;
}

SourceKind sourceKindOf(SourceType type)
{
    switch (type) {
    case SourceType::Prometheus: return SourceKind::Prometheus;
    case SourceType::Loki: return SourceKind::Loki;
    case SourceType::Jaeger: return SourceKind::Jaeger;
    case SourceType::CloudWatch: return SourceKind::CloudWatch;
    case SourceType::Alertmanager: return SourceKind::Prometheus; // its alerts carry Prometheus labels
    }
    return SourceKind::Otlp;
}

std::string Source::redacted() const
{
    std::string out = name + " (" + sourceTypeName(type) + " " + http::HttpClient::redactUrl(url);
    switch (auth.kind) {
    case AuthKind::None: break;
    case AuthKind::Basic:
        out += ", basic auth as " + auth.username + " (password " + (auth.keyring ? std::string("from keyring") : "from $" + auth.passwordEnv) + ")";
        break;
    case AuthKind::Bearer:
        out += std::string(", bearer token ") + (auth.keyring ? "from keyring" : ("from $" + auth.tokenEnv).c_str());
        break;
    case AuthKind::Aws:
        out += ", aws profile " + (auth.awsProfile.empty() ? std::string("(default chain)") : auth.awsProfile)
            + (auth.awsRegion.empty() ? std::string() : " region " + auth.awsRegion);
        break;
    }
    if (!auth.tenant.empty())
        out += ", tenant " + auth.tenant;
    if (options.insecureSkipVerify)
        out += ", TLS verification OFF";
    return out + ")";
}

} // namespace rootline
