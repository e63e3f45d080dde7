#pragma once

// One service, whatever each source calls it (design.md §3, issue 5 item 1): the cache's
// resources grouped by canonical service name. Resource::fromAttributes already maps OTel
// `service.name`, Loki `service_name`/`app`, Prometheus `job` ("namespace/name"), Jaeger process
// names and X-Ray segment names to a service name; the user's aliases in the rules file join the
// names that still differ (a Lambda's segment name and its log group's service, say).

#include "core/Resource.h"
#include "core/Result.h"

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rootline {

class CacheReader;
struct CorrelationRules;

class ServiceDirectory {
public:
    static Result<ServiceDirectory> load(CacheReader& reader, const CorrelationRules* rules);

    // Canonical service of a resource row (empty for 0 / unknown).
    const std::string& serviceOf(int64_t resourceRowId) const;
    std::string serviceOf(const ResourcePtr& resource) const;
    std::string canonical(std::string_view name) const;
    // Resource rows of a canonical service (every version, host and pod).
    std::vector<int64_t> resourcesOf(std::string_view service) const;
    // "1,2,3" for an SQL IN list; "-1" when none, so the query matches nothing.
    std::string resourceList(std::string_view service) const;
    std::vector<std::string> services() const;
    const ResourcePtr& resource(int64_t rowId) const;
    const std::vector<std::pair<int64_t, ResourcePtr>>& all() const { return m_resources; }

private:
    const CorrelationRules* m_rules = nullptr;
    std::vector<std::pair<int64_t, ResourcePtr>> m_resources;
    std::unordered_map<int64_t, std::string> m_serviceByRow;
    std::unordered_map<int64_t, ResourcePtr> m_byRow;
    std::map<std::string, std::vector<int64_t>, std::less<>> m_rowsByService;
};

} // namespace rootline
