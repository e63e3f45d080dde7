#include "ServiceDirectory.h"

#include "CorrelationRules.h"
#include "cache/CacheReader.h"

namespace rootline {

Result<ServiceDirectory> ServiceDirectory::load(CacheReader& reader, const CorrelationRules* rules)
{
    auto resources = reader.resources();
    if (!resources)
        return resources.error();
    ServiceDirectory d;
    d.m_rules = rules;
    d.m_resources = std::move(*resources);
    for (const auto& [row, res] : d.m_resources) {
        const std::string service = d.canonical(res ? res->serviceName : std::string());
        d.m_serviceByRow[row] = service;
        d.m_byRow[row] = res;
        d.m_rowsByService[service].push_back(row);
    }
    return d;
}

const std::string& ServiceDirectory::serviceOf(int64_t resourceRowId) const
{
    static const std::string none;
    auto it = m_serviceByRow.find(resourceRowId);
    return it == m_serviceByRow.end() ? none : it->second;
}

std::string ServiceDirectory::serviceOf(const ResourcePtr& resource) const
{
    return resource ? canonical(resource->serviceName) : std::string();
}

std::string ServiceDirectory::canonical(std::string_view name) const
{
    return m_rules ? m_rules->canonicalService(name) : std::string(name);
}

std::vector<int64_t> ServiceDirectory::resourcesOf(std::string_view service) const
{
    auto it = m_rowsByService.find(canonical(service));
    return it == m_rowsByService.end() ? std::vector<int64_t>{} : it->second;
}

std::string ServiceDirectory::resourceList(std::string_view service) const
{
    std::string out;
    for (int64_t row : resourcesOf(service)) {
        if (!out.empty())
            out += ',';
        out += std::to_string(row);
    }
    return out.empty() ? std::string("-1") : out;
}

std::vector<std::string> ServiceDirectory::services() const
{
    std::vector<std::string> out;
    for (const auto& [name, rows] : m_rowsByService)
        out.push_back(name);
    return out;
}

const ResourcePtr& ServiceDirectory::resource(int64_t rowId) const
{
    static const ResourcePtr none;
    auto it = m_byRow.find(rowId);
    return it == m_byRow.end() ? none : it->second;
}

} // namespace rootline
