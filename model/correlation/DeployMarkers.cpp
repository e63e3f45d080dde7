#include "DeployMarkers.h"

#include "ServiceDirectory.h"
#include "cache/CacheReader.h"

#include <algorithm>
#include <map>
#include <set>

namespace rootline {

namespace {

struct Seen {
    Timestamp first = Timestamp::max();
    Timestamp last = Timestamp::min();
    std::string signal;
    void take(Timestamp f, Timestamp l, const char* s)
    {
        if (f < first) {
            first = f;
            signal = s;
        }
        last = std::max(last, l);
    }
};

std::string idList(const std::vector<int64_t>& ids)
{
    std::string out;
    for (int64_t id : ids)
        out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

} // namespace

Result<std::vector<DeployMarker>> findDeployMarkers(CacheReader& reader, const ServiceDirectory& services, TimeWindow window)
{
    // Only services the resources table knows in two or more versions can have a deploy: usually
    // none or a few, so the telemetry tables are only probed for their resources.
    std::map<std::string, std::set<std::string>> versions;
    for (const auto& [row, res] : services.all())
        if (res && !res->serviceVersion.empty())
            versions[services.serviceOf(row)].insert(res->serviceVersion);
    std::vector<int64_t> rows;
    for (const auto& [row, res] : services.all())
        if (res && !res->serviceVersion.empty() && versions[services.serviceOf(row)].size() >= 2)
            rows.push_back(row);
    if (rows.empty())
        return std::vector<DeployMarker>{};

    std::map<int64_t, Seen> seen;
    auto probe = [&](const char* signal, const std::string& sql, bool perRow, TimeWindow range) -> Status {
        auto stmt = reader.database().prepare(sql);
        if (!stmt)
            return stmt.error();
        for (size_t i = 0; i < (perRow ? rows.size() : size_t(1)); ++i) {
            stmt->reset();
            stmt->bind(1, range.from.nanos());
            stmt->bind(2, range.to.nanos());
            if (perRow)
                stmt->bind(3, rows[i]);
            auto read = stmt->forEach([&] {
                if (!stmt->isNull(0) && !stmt->isNull(1))
                    seen[stmt->int64(0)].take(Timestamp::fromNanos(stmt->int64(1)), Timestamp::fromNanos(stmt->int64(2)), signal);
            });
            if (!read)
                return read;
        }
        return {};
    };
    // Metrics: every pod is scraped all the time, and chunks are indexed by series, so the whole
    // history is cheap — and a pod replaced before the window still shows when it ran.
    if (auto s = probe("metrics",
                       "SELECT ?3, min(c.start_ts), max(c.end_ts) FROM sample_chunks c WHERE c.series IN (SELECT id FROM series WHERE resource = ?3)"
                       " AND c.end_ts >= ?1 AND c.start_ts < ?2",
                       true, TimeWindow::all());
        !s)
        return s.error();
    // Spans and logs have no index by resource: scan their window only for resources the metrics
    // did not show (scrapes are every few seconds, close enough for a deploy marker).
    auto unseenRows = [&] {
        std::vector<int64_t> unseen;
        for (int64_t r : rows)
            if (!seen.count(r))
                unseen.push_back(r);
        return unseen;
    };
    if (auto unseen = unseenRows(); !unseen.empty())
        if (auto s = probe("spans",
                           "SELECT resource, min(start_ts), max(start_ts) FROM spans WHERE start_ts >= ?1 AND start_ts < ?2 AND resource IN ("
                               + idList(unseen) + ") GROUP BY resource",
                           false, window);
            !s)
            return s.error();
    // Logs last: their table is the largest.
    if (auto unseen = unseenRows(); !unseen.empty())
        if (auto s = probe("logs",
                           "SELECT resource, min(ts), max(ts) FROM logs WHERE ts >= ?1 AND ts < ?2 AND resource IN (" + idList(unseen)
                               + ") GROUP BY resource",
                           false, window);
            !s)
            return s.error();

    // (service, version) → when seen; the data's start is where the earliest of them begins.
    std::map<std::string, std::map<std::string, Seen>> byService;
    for (const auto& [row, s] : seen) {
        const ResourcePtr& res = services.resource(row);
        Seen& v = byService[services.serviceOf(row)][res->serviceVersion];
        v.take(s.first, s.last, s.signal.c_str());
    }
    std::vector<DeployMarker> out;
    // A version first seen within this margin of the service's first record was already running.
    const Duration margin = Duration::minutes(2);
    for (auto& [service, vs] : byService) {
        std::vector<std::pair<std::string, Seen>> ordered(vs.begin(), vs.end());
        if (ordered.size() < 2)
            continue;
        std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.second.first < b.second.first; });
        const Timestamp start = ordered.front().second.first;
        for (size_t i = 1; i < ordered.size(); ++i) {
            const Seen& s = ordered[i].second;
            if (s.first - start < margin || !window.contains(s.first))
                continue;
            out.push_back({service, ordered[i - 1].first, ordered[i].first, s.first, s.signal});
        }
    }
    std::sort(out.begin(), out.end(), [](const DeployMarker& a, const DeployMarker& b) { return a.time < b.time; });
    return out;
}

} // namespace rootline
