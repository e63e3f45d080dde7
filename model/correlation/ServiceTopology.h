#pragma once

// Which service calls which, as known before the question is asked (issue 15): learned from the
// spans of traces anywhere in the cache up to the incident's end (the baseline's traces say who
// calls whom even when the incident's traces are missing), and from service-graph metrics where
// a source has them — OpenTelemetry's servicegraph connector and Tempo's metrics generator write
// `traces_service_graph_request_total{client="a", server="b"}`. A symptom calls its cause: an
// error in a caller that follows an error in its callee points at the callee.

#include "core/Records.h"
#include "core/Result.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rootline {

class CacheReader;
class ServiceDirectory;
struct SeriesInfo;

class ServiceTopology {
public:
    // `source` says where the edge was learned, in words ("412 spans before the incident").
    void addEdge(const std::string& caller, const std::string& callee, const std::string& source);

    // The call path from `caller` down to `callee` (both included) when `caller` depends on
    // `callee`, directly or through others; empty when no known path leads there. Breadth first
    // with an explicit queue: the shortest path, whatever the graph's depth.
    std::vector<std::string> path(const std::string& caller, const std::string& callee) const;
    // Where the direct edge caller → callee was learned; empty when there is none.
    std::string sourceOf(const std::string& caller, const std::string& callee) const;
    bool empty() const { return m_edges.empty(); }
    size_t edgeCount() const;

private:
    std::map<std::string, std::map<std::string, std::string>> m_edges; // caller → callee → source
};

// Learns the topology from spans in `window` (at most `maxSpans` child spans, the latest first)
// and from service-graph series among `series`. Service names go through `services`, so an
// alias in the rules joins a span's service and a metric's client label.
Result<ServiceTopology> learnTopology(CacheReader& reader, const ServiceDirectory& services, const std::vector<SeriesInfo>& series,
                                      TimeWindow window, int maxSpans = 50000);

} // namespace rootline
