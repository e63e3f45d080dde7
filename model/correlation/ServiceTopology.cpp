#include "ServiceTopology.h"

#include "ServiceDirectory.h"
#include "cache/CacheReader.h"

#include <algorithm>
#include <deque>

namespace rootline {

void ServiceTopology::addEdge(const std::string& caller, const std::string& callee, const std::string& source)
{
    if (caller.empty() || callee.empty() || caller == callee)
        return;
    std::string& known = m_edges[caller][callee];
    if (known.empty())
        known = source;
    else if (known.find(source) == std::string::npos)
        known += " and " + source;
}

std::vector<std::string> ServiceTopology::path(const std::string& caller, const std::string& callee) const
{
    if (caller == callee)
        return {};
    std::map<std::string, std::string> cameFrom{{caller, std::string()}};
    std::deque<std::string> queue{caller};
    while (!queue.empty()) {
        const std::string at = queue.front();
        queue.pop_front();
        const auto it = m_edges.find(at);
        if (it == m_edges.end())
            continue;
        for (const auto& [next, source] : it->second) {
            if (!cameFrom.emplace(next, at).second)
                continue;
            if (next == callee) {
                std::vector<std::string> out{callee};
                for (std::string step = at; !step.empty(); step = cameFrom[step])
                    out.push_back(step);
                std::reverse(out.begin(), out.end());
                return out;
            }
            queue.push_back(next);
        }
    }
    return {};
}

std::string ServiceTopology::sourceOf(const std::string& caller, const std::string& callee) const
{
    const auto it = m_edges.find(caller);
    if (it == m_edges.end())
        return {};
    const auto e = it->second.find(callee);
    return e == it->second.end() ? std::string() : e->second;
}

size_t ServiceTopology::edgeCount() const
{
    size_t n = 0;
    for (const auto& [caller, callees] : m_edges)
        n += callees.size();
    return n;
}

Result<ServiceTopology> learnTopology(CacheReader& reader, const ServiceDirectory& services, const std::vector<SeriesInfo>& series,
                                      TimeWindow window, int maxSpans)
{
    ServiceTopology topology;
    auto edges = reader.resourceEdges(window, maxSpans);
    if (!edges)
        return edges.error();
    std::map<std::pair<std::string, std::string>, int64_t> calls;
    for (const auto& e : *edges)
        calls[{services.serviceOf(e.caller), services.serviceOf(e.callee)}] += e.calls;
    for (const auto& [pair, n] : calls)
        topology.addEdge(pair.first, pair.second, "traces (" + std::to_string(n) + " calls)");
    for (const auto& info : series) {
        const Series& s = info.series;
        if (!s.name.starts_with("traces_service_graph_request") || info.sampleCount == 0)
            continue;
        const std::string* client = s.label("client");
        const std::string* server = s.label("server");
        if (client && server)
            topology.addEdge(services.canonical(*client), services.canonical(*server), "the service-graph metric " + s.name);
    }
    return topology;
}

} // namespace rootline
