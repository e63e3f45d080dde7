#pragma once

// The identity of what emitted telemetry, normalised across sources (design.md §3). Each source
// names the same service differently (OTel `service.name`, Prometheus `job`, Loki `service_name`
// or `app`, Jaeger process `serviceName`, CloudWatch dimensions, X-Ray segment names); a Resource
// holds the normalised fields and the raw attributes they came from.

#include "Attributes.h"

#include <memory>
#include <string>

namespace rootline {

enum class SourceKind { Otlp, Prometheus, Loki, Jaeger, CloudWatch, XRay, File };

struct Resource {
    std::string serviceName; // never empty once normalised: "unknown_service" when nothing says
    std::string serviceNamespace;
    std::string serviceVersion;
    std::string environment; // deployment.environment(.name)
    std::string host;
    std::string pod;
    std::string container;
    Attributes raw; // everything the source said, as it said it

    // A stable text key over the normalised fields; equal keys mean the same resource.
    std::string key() const;
    bool operator==(const Resource& o) const { return key() == o.key(); }

    // Normalises a source's attributes or labels. `kind` decides which keys name the service when
    // OTel's own are absent (e.g. Prometheus `job` is "namespace/service" by convention).
    static Resource fromAttributes(const Attributes& attributes, SourceKind kind = SourceKind::Otlp);
};

// Records of one process share one Resource; sharing keeps batches small and lets the cache
// writer map a resource to its row once.
using ResourcePtr = std::shared_ptr<const Resource>;

ResourcePtr makeResource(const Attributes& attributes, SourceKind kind = SourceKind::Otlp);

} // namespace rootline
