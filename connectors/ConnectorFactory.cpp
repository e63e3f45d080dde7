#include "ConnectorFactory.h"

#include "alertmanager/AlertmanagerConnector.h"
#include "cloudwatch/CloudWatchConnector.h"
#include "http/HttpClient.h"
#include "jaeger/JaegerConnector.h"
#include "loki/LokiConnector.h"
#include "prometheus/PrometheusConnector.h"

namespace rootline {

Result<std::unique_ptr<Connector>> makeConnector(const Source& source, http::HttpClient* client)
{
    http::HttpClient& http = client ? *client : http::HttpClient::shared();
    switch (source.type) {
    case SourceType::Prometheus: return std::unique_ptr<Connector>(std::make_unique<PrometheusConnector>(source, http));
    case SourceType::CloudWatch: return std::unique_ptr<Connector>(std::make_unique<CloudWatchConnector>(source, http));
    case SourceType::Loki: return std::unique_ptr<Connector>(std::make_unique<LokiConnector>(source, http));
    case SourceType::Jaeger: return std::unique_ptr<Connector>(std::make_unique<JaegerConnector>(source, http));
    case SourceType::Alertmanager: return std::unique_ptr<Connector>(std::make_unique<AlertmanagerConnector>(source, http));
    // Each backend adds its line here, e.g.:
    // case SourceType::Loki: return std::unique_ptr<Connector>(std::make_unique<LokiConnector>(source, http));
    default: break;
    }
    return Error{"source " + source.name, std::string("no connector for kind '") + sourceTypeName(source.type) + "' yet", {}};
}

} // namespace rootline
