#include "Resource.h"

#include <array>

namespace rootline {
namespace {

std::string firstOf(const Attributes& attrs, std::initializer_list<std::string_view> keys)
{
    for (auto key : keys) {
        if (auto v = attrs.text(key); v && !v->empty())
            return *v;
    }
    return {};
}

} // namespace

std::string Resource::key() const
{
    std::string k;
    for (const std::string* part : std::array{&serviceName, &serviceNamespace, &serviceVersion, &environment, &host, &pod, &container}) {
        k += *part;
        k.push_back('\x1f'); // unit separator: cannot appear in a sane label value
    }
    return k;
}

Resource Resource::fromAttributes(const Attributes& attributes, SourceKind kind)
{
    Resource r;
    r.raw = attributes;
    r.serviceName = firstOf(attributes, {"service.name", "service_name", "serviceName", "service", "app", "app.kubernetes.io/name",
                                         "k8s.deployment.name", "container", "job"});
    r.serviceNamespace = firstOf(attributes, {"service.namespace", "service_namespace", "k8s.namespace.name", "namespace"});
    if (kind == SourceKind::Prometheus || kind == SourceKind::Loki) {
        // Prometheus and Loki convention: job="namespace/service" when nothing better names the service.
        if (!attributes.find("service.name") && !attributes.find("service_name") && !attributes.find("service")
            && !attributes.find("app")) {
            if (auto job = attributes.text("job"); job) {
                if (auto slash = job->find('/'); slash != std::string::npos) {
                    if (r.serviceNamespace.empty())
                        r.serviceNamespace = job->substr(0, slash);
                    r.serviceName = job->substr(slash + 1);
                }
            }
        }
    }
    r.serviceVersion = firstOf(attributes, {"service.version", "service_version", "version", "app.kubernetes.io/version"});
    r.environment = firstOf(attributes, {"deployment.environment.name", "deployment.environment", "environment", "env",
                                         "deployment_environment"});
    r.host = firstOf(attributes, {"host.name", "hostname", "host", "instance", "node", "k8s.node.name"});
    r.pod = firstOf(attributes, {"k8s.pod.name", "pod", "pod_name"});
    r.container = firstOf(attributes, {"k8s.container.name", "container.name", "container_name"});
    if (r.container == r.serviceName && !attributes.find("k8s.container.name") && !attributes.find("container.name"))
        r.container.clear(); // "container" only stood in for the service name
    if (r.serviceName.empty())
        r.serviceName = "unknown_service";
    return r;
}

ResourcePtr makeResource(const Attributes& attributes, SourceKind kind)
{
    return std::make_shared<const Resource>(Resource::fromAttributes(attributes, kind));
}

} // namespace rootline
