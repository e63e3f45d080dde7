#pragma once

// Which OTLP metric points belong to one stream (issue 12 item 1). The OTLP data model identifies
// a stream by resource + scope + metric name + point attributes; Rootline keys a series by name
// and attributes (Series::key) and adds the rest here, as Series::stream. Without it, the same
// metric of four services was one series in the cache and their cumulative points interleaved.
//
// The rule: the resource attributes that say *which* process emitted the points identify the
// stream; those that only *describe* it do not.
//   identify: service.name, service.namespace, service.instance.id, deployment.environment(.name),
//             host (host.name, host.id), k8s pod (name, uid) and namespace, container (name, id),
//             and the scope's name (two libraries may record a metric of the same name).
//   describe: service.version, the scope's version, and everything else (telemetry.sdk.*,
//             process.*, os.*, ...). A deploy changes service.version — and with it the resource,
//             which is a new row in the cache's resources — but the service's stream goes on: the
//             same service before and after a deploy stays one line, and a cumulative counter that
//             restarts at the deploy reads as a reset (CounterHistory.h), not as a second line.
//             A new process that also gets a new service.instance.id is a new stream, as OTLP says.
// The series keeps the resource it was first stored with (the first version seen).

#include "core/Resource.h"

#include <string>
#include <string_view>

namespace rootline {

// The stream text for Series::stream: identifying attributes as k="v" pairs in a fixed order
// (empty ones left out), then scope="name" when the scope has a name.
std::string otlpStreamIdentity(const Resource& resource, std::string_view scopeName);

} // namespace rootline
