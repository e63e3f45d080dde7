#include "SampleCache.h"

#include "bundle/BundleFile.h"
#include "cache/CacheWriter.h"

#include <cstdio>
#include <filesystem>

namespace rootline {
namespace {

// Commits a unit every few million records: one transaction per unit keeps a ×100 sample from
// growing a write-ahead log as large as the cache itself.
class RollingUnitSink final : public RecordSink {
public:
    RollingUnitSink(CacheWriter& writer, FetchRecord fetch) : m_writer(writer), m_fetch(std::move(fetch)) {}

    Status batch(TelemetryBatch&& batch) override
    {
        if (!m_unit)
            m_unit = m_writer.begin(m_fetch);
        m_inUnit += batch.recordCount();
        if (auto s = m_unit->append(std::move(batch)); !s)
            return s;
        if (m_inUnit >= kRecordsPerUnit)
            return commit();
        return {};
    }
    void reject(std::string location, std::string message, std::string snippet) override
    {
        if (!m_unit)
            m_unit = m_writer.begin(m_fetch);
        m_unit->reject(std::move(location), std::move(message), std::move(snippet));
    }
    Status commit()
    {
        if (!m_unit)
            return {};
        auto stats = m_unit->commit();
        m_unit.reset();
        m_inUnit = 0;
        if (!stats)
            return stats.error();
        total += *stats;
        return {};
    }

    WriteStats total;

private:
    static constexpr size_t kRecordsPerUnit = 2'000'000;
    CacheWriter& m_writer;
    FetchRecord m_fetch;
    std::unique_ptr<WriteUnit> m_unit;
    size_t m_inUnit = 0;
};

std::string scaleText(double scale)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", scale);
    return buf;
}

Result<WriteStats> writeInto(const std::string& path, const SampleOptions& options, const std::atomic_bool* cancelled)
{
    WriterOptions writerOptions;
    writerOptions.fullTextIndex = false; // indexed once at the end: faster for a bulk load
    auto writer = CacheWriter::open(path, writerOptions);
    if (!writer)
        return writer.error();
    FetchRecord fetch;
    fetch.source = "rootline sample generator";
    fetch.kind = "import";
    fetch.query = "sample incident seed=" + std::to_string(options.seed) + " scale=" + scaleText(options.scale);
    fetch.window = {sample_story::kWindowStart, sample_story::kWindowEnd};
    fetch.fetchedAt = sample_story::kWindowEnd; // not the wall clock: the file stays reproducible
    RollingUnitSink sink(**writer, fetch);
    if (auto s = generateSampleIncident(options, sink, cancelled); !s)
        return s.error();
    if (auto s = sink.commit(); !s)
        return s.error();
    if (auto s = (*writer)->rebuildFullTextIndex(); !s)
        return s.error();
    const std::pair<const char*, std::string> manifest[] = {
        {"title", "Sample incident: checkout failed 5 minutes ago"},
        {"description", "A small shop on 2026-11-20 12:00-15:00 UTC. The payment gateway slows at 14:46 and times out from 14:47; "
                        "checkout's burn-rate alert fires at 14:48. Catalog deployed 1.9.0 at 13:30 (unrelated)."},
        {"origin_timezone", "UTC"},
        {"generator", "rootline sample incident"},
        {"generator_version", sample_story::kGeneratorVersion},
        {"seed", std::to_string(options.seed)},
        {"scale", scaleText(options.scale)},
    };
    for (const auto& [key, value] : manifest) {
        if (auto s = (*writer)->setManifest(key, value); !s)
            return s.error();
    }
    return sink.total;
}

} // namespace

Result<WriteStats> writeSampleCache(const std::string& path, const SampleOptions& options, bool overwrite, const std::atomic_bool* cancelled)
{
    std::error_code ec;
    if (!overwrite && std::filesystem::exists(path, ec))
        return Error{path, "already exists", "choose another name, or pass --force to replace it"};
    const std::string temp = bundle::temporaryPathFor(path);
    bundle::removeCacheFiles(temp);
    auto stats = writeInto(temp, options, cancelled); // the writer is closed when this returns
    if (stats) {
        if (auto s = bundle::finalizeCacheFile(temp); !s)
            stats = s.error();
        else if (auto m = bundle::moveIntoPlace(temp, path, overwrite); !m)
            stats = m.error();
    }
    if (!stats)
        bundle::removeCacheFiles(temp);
    return stats;
}

} // namespace rootline
