#pragma once

// Deploys inferred from the telemetry itself: when a service's `service.version` changes in any
// signal (logs, spans, series), the first time the new version is seen is a deploy marker. A
// version present from the start of the data is not a deploy (it was already running).

#include "core/Result.h"
#include "core/Time.h"

#include <string>
#include <vector>

namespace rootline {

class CacheReader;
class ServiceDirectory;

struct DeployMarker {
    std::string service;
    std::string fromVersion; // empty when unknown
    std::string toVersion;
    Timestamp time;          // first record of the new version
    std::string signal;      // "spans", "logs" or "metrics": where it was first seen
};

// Markers for every service, within `window` (use TimeWindow::all() for the whole cache).
Result<std::vector<DeployMarker>> findDeployMarkers(CacheReader& reader, const ServiceDirectory& services, TimeWindow window);

} // namespace rootline
