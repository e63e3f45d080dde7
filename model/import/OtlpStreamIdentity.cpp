#include "OtlpStreamIdentity.h"

#include "core/Attributes.h"

#include <array>
#include <utility>

namespace rootline {

std::string otlpStreamIdentity(const Resource& resource, std::string_view scopeName)
{
    std::string out;
    auto add = [&](std::string_view key, std::string_view value) {
        if (value.empty())
            return;
        if (!out.empty())
            out.push_back(',');
        out += key;
        out.push_back('=');
        appendJsonString(out, value);
    };
    // The normalised fields (Resource::fromAttributes) first: service, namespace, environment,
    // host, pod, container — Resource::key() without the version.
    add("service", resource.serviceName);
    add("namespace", resource.serviceNamespace);
    add("environment", resource.environment);
    add("host", resource.host);
    add("pod", resource.pod);
    add("container", resource.container);
    // Then the raw identifiers the normalised fields do not keep.
    static constexpr std::array<std::string_view, 5> ids = {"service.instance.id", "host.id", "k8s.pod.uid", "container.id",
                                                            "k8s.namespace.name"};
    for (std::string_view id : ids)
        if (auto v = resource.raw.text(id))
            add(id, *v);
    add("scope", scopeName);
    return out;
}

} // namespace rootline
