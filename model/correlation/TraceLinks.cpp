#include "TraceLinks.h"

#include "ServiceDirectory.h"
#include "cache/CacheReader.h"

#include <algorithm>

namespace rootline {

Result<std::vector<TraceLink>> tracesForBucket(CacheReader& reader, const ServiceDirectory& services, int64_t seriesRowId,
                                               const std::string& service, const std::string& operation, TimeWindow window, int limit)
{
    std::vector<TraceLink> out;
    const std::string resources = services.resourceList(service);
    {
        std::string sql = "SELECT e.series, e.ts, e.value, t.trace_id, e.span_id, t.error_count FROM exemplars e"
                          " JOIN traces t ON t.id = e.trace WHERE e.ts >= ?1 AND e.ts < ?2 AND e.trace IS NOT NULL";
        if (seriesRowId != 0)
            sql += " AND e.series = ?3";
        else if (!service.empty())
            sql += " AND e.series IN (SELECT id FROM series WHERE resource IN (" + resources + "))";
        sql += " ORDER BY t.error_count > 0 DESC, e.value DESC LIMIT " + std::to_string(limit);
        auto stmt = reader.database().prepare(sql);
        if (!stmt)
            return stmt.error();
        stmt->bind(1, window.from.nanos());
        stmt->bind(2, window.to.nanos());
        if (seriesRowId != 0)
            stmt->bind(3, seriesRowId);
        auto rows = stmt->forEach([&] {
            const auto blob = stmt->blob(3);
            if (blob.size() != 16)
                return;
            TraceLink link;
            link.traceId = TraceId::fromBytes(reinterpret_cast<const unsigned char*>(blob.data()));
            if (!stmt->isNull(4))
                link.spanId = SpanId{uint64_t(stmt->int64(4))};
            link.seriesRowId = stmt->int64(0);
            link.time = Timestamp::fromNanos(stmt->int64(1));
            link.value = stmt->real(2);
            link.fromExemplar = true;
            link.error = stmt->int64(5) > 0;
            out.push_back(link);
        });
        if (!rows)
            return rows.error();
    }
    if (!out.empty() || service.empty())
        return out;
    // No exemplars: traces with a span of this service (and operation) starting in the bucket.
    std::string sql = "SELECT t.trace_id, s.span_id, s.start_ts, s.duration, s.status FROM spans s JOIN traces t ON t.id = s.trace"
                      " WHERE s.start_ts >= ?1 AND s.start_ts < ?2 AND s.resource IN ("
        + resources + ")";
    if (!operation.empty())
        sql += " AND s.name = ?3";
    sql += " ORDER BY s.status = 2 DESC, s.duration DESC LIMIT " + std::to_string(limit * 4);
    auto stmt = reader.database().prepare(sql);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, window.from.nanos());
    stmt->bind(2, window.to.nanos());
    if (!operation.empty())
        stmt->bindText(3, operation);
    // Several spans of one trace may match: one link per trace, up to `limit` (the query reads at
    // most 4 × limit rows, so the rows left after the limit is reached cost little).
    auto rows = stmt->forEach([&] {
        if (int(out.size()) >= limit)
            return;
        const auto blob = stmt->blob(0);
        if (blob.size() != 16)
            return;
        TraceLink link;
        link.traceId = TraceId::fromBytes(reinterpret_cast<const unsigned char*>(blob.data()));
        if (std::any_of(out.begin(), out.end(), [&](const TraceLink& l) { return l.traceId == link.traceId; }))
            return;
        link.spanId = SpanId{uint64_t(stmt->int64(1))};
        link.time = Timestamp::fromNanos(stmt->int64(2));
        link.duration = Duration::nanos(stmt->int64(3));
        link.error = stmt->int64(4) == 2;
        out.push_back(link);
    });
    if (!rows)
        return rows.error();
    return out;
}

} // namespace rootline
