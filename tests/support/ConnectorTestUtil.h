#pragma once

// What the connector tests share: a fake server's complaints as one text, and a fetch into a cache
// file through one write unit, as FetchService does it (the fetch time from the test's clock).

#include "FakeBackend.h"
#include "Connector.h"
#include "cache/CacheWriter.h"
#include "core/Clock.h"
#include "import/WriterSink.h"

#include <string>

namespace rootline::test {

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
