#pragma once

// What the Loki connector tests share: the lines a fetch gave as comparable keys, the fake's
// complaints as one text, and a fetch into a cache file through one write unit, as FetchService
// does it (the fetch time from the test's clock).

#include "FakeBackend.h"
#include "Connector.h"
#include "cache/CacheWriter.h"
#include "core/Clock.h"
#include "import/WriterSink.h"

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace rootline::test {

using LokiLineKey = std::tuple<std::string, int64_t, std::string>; // app label, ns, line

inline std::multiset<LokiLineKey> lokiLineKeys(const std::vector<LogRecord>& logs)
{
    std::multiset<LokiLineKey> out;
    for (const auto& r : logs)
        out.insert({r.resource ? *r.resource->raw.text("app") : std::string(), r.time.nanos(), r.body});
    return out;
}

inline std::string problemsText(const FakeBackend& server)
{
    std::string out;
    for (const auto& p : server.problems())
        out += p + "\n";
    return out;
}

inline Result<FetchOutcome> fetchIntoCache(Connector& connector, const FetchRequest& request, const std::string& cachePath)
{
    auto writer = CacheWriter::open(cachePath);
    if (!writer)
        return writer.error();
    FetchRecord record;
    record.source = request.source;
    record.kind = fetchRecordKind(request.kind);
    record.query = request.provenanceQuery();
    record.window = request.window;
    record.fetchedAt = Clock::current().now();
    auto unit = (*writer)->begin(record);
    WriterSink sink(*unit);
    auto outcome = connector.fetch(request, sink);
    if (!outcome) {
        unit->rollback();
        return outcome;
    }
    auto stats = unit->commit(outcome->complete, outcome->partialReason);
    if (!stats)
        return stats.error();
    return outcome;
}

} // namespace rootline::test
