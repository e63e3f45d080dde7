#include "DeployMarkers.h"

#include "ServiceDirectory.h"
#include "cache/CacheReader.h"

#include <algorithm>
#include <map>

namespace rootline {

Result<std::vector<DeployMarker>> findDeployMarkers(CacheReader& reader, const ServiceDirectory& services, TimeWindow window)
{
    struct Seen {
        Timestamp first = Timestamp::max();
        Timestamp last = Timestamp::min();
        std::string signal;
    };
    // (service, version) → when seen
    std::map<std::pair<std::string, std::string>, Seen> seen;
    Timestamp dataStart = Timestamp::max();
    const char* queries[][2] = {
        {"spans", "SELECT resource, min(start_ts), max(start_ts) FROM spans WHERE start_ts >= ?1 AND start_ts < ?2 GROUP BY resource"},
        {"logs", "SELECT resource, min(ts), max(ts) FROM logs WHERE ts >= ?1 AND ts < ?2 GROUP BY resource"},
        {"metrics", "SELECT s.resource, min(c.start_ts), max(c.end_ts) FROM sample_chunks c JOIN series s ON s.id = c.series"
                    " WHERE c.end_ts >= ?1 AND c.start_ts < ?2 GROUP BY s.resource"},
    };
    for (const auto& q : queries) {
        auto stmt = reader.database().prepare(q[1]);
        if (!stmt)
            return stmt.error();
        stmt->bind(1, window.from.nanos());
        stmt->bind(2, window.to.nanos());
        for (;;) {
            auto row = stmt->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            if (stmt->isNull(0) || stmt->isNull(1))
                continue;
            const ResourcePtr& res = services.resource(stmt->int64(0));
            if (!res)
                continue;
            const Timestamp first = Timestamp::fromNanos(stmt->int64(1)), last = Timestamp::fromNanos(stmt->int64(2));
            dataStart = std::min(dataStart, first);
            if (res->serviceVersion.empty())
                continue;
            Seen& s = seen[{services.serviceOf(stmt->int64(0)), res->serviceVersion}];
            if (first < s.first) {
                s.first = first;
                s.signal = q[0];
            }
            s.last = std::max(s.last, last);
        }
    }
    std::map<std::string, std::vector<std::pair<std::string, Seen>>> byService;
    for (auto& [key, s] : seen)
        byService[key.first].emplace_back(key.second, s);
    std::vector<DeployMarker> out;
    // A version first seen within this margin of the data's start was already running.
    const Duration margin = Duration::minutes(2);
    for (auto& [service, versions] : byService) {
        if (versions.size() < 2)
            continue;
        std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) { return a.second.first < b.second.first; });
        for (size_t i = 1; i < versions.size(); ++i) {
            const Seen& s = versions[i].second;
            if (s.first - dataStart < margin)
                continue;
            out.push_back({service, versions[i - 1].first, versions[i].first, s.first, s.signal});
        }
    }
    std::sort(out.begin(), out.end(), [](const DeployMarker& a, const DeployMarker& b) { return a.time < b.time; });
    return out;
}

} // namespace rootline
