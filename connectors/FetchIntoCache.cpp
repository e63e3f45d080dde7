#include "FetchIntoCache.h"

#include "ConnectorFactory.h"
#include "cache/CacheReader.h"
#include "sources/SourcesFile.h"

#include <algorithm>

namespace rootline {
namespace {

Status supports(const Connector& connector, const Source& source, FetchKind kind)
{
    const auto kinds = connector.supportedKinds();
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end())
        return {};
    std::string can;
    for (FetchKind k : kinds)
        can += (can.empty() ? "" : ", ") + std::string(fetchKindName(k));
    return Error{"source " + source.name,
                 std::string("a ") + sourceTypeName(source.type) + " source cannot fetch " + fetchKindName(kind),
                 "it fetches " + can + "; choose another source"};
}

} // namespace

Status sourceCanFetch(const Source& source, FetchKind kind)
{
    auto connector = makeConnector(source); // makes no request: only the kinds are asked
    if (!connector)
        return connector.error();
    return supports(**connector, source, kind);
}

Result<FetchReport> fetchIntoCache(const Source& original, const FetchRequest& request, const std::string& cachePath,
                                   const std::atomic_bool* cancelled, const ProgressCallback& progress,
                                   const FetchIntoCacheOptions& options)
{
    Source source = original;
    if (auto s = resolveSecrets(source); !s)
        return s.error();
    auto connector = makeConnector(source, options.client);
    if (!connector)
        return connector.error();
    if (auto s = supports(**connector, source, request.kind); !s)
        return s.error();
    auto writer = CacheWriter::open(cachePath, options.writer);
    if (!writer)
        return writer.error();
    std::vector<FetchRecord> history;
    {
        // A short-lived reader of our own (a CacheReader belongs to one thread).
        auto reader = CacheReader::open(cachePath);
        if (!reader)
            return reader.error();
        auto fetches = (*reader)->fetches();
        if (!fetches)
            return fetches.error();
        history = std::move(*fetches);
    }
    auto report = runFetch(**connector, **writer, history, request, cancelled, progress);
    writer->reset(); // finishes what is queued before the caller reads
    return report;
}

} // namespace rootline
