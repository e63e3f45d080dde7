#pragma once

// Makes the connector for a source. Each backend adds one line to ConnectorFactory.cpp.

#include "Connector.h"

#include <memory>

namespace rootline {

// Uses http::HttpClient::shared() unless a client is given. The source's secrets must already be
// resolved (resolveSecrets in sources/SourcesFile.h).
Result<std::unique_ptr<Connector>> makeConnector(const Source& source, http::HttpClient* client = nullptr);

} // namespace rootline
