#include "BundleExporter.h"

#include "BundleFile.h"
#include "ContentHash.h"
#include "RecordCopier.h"
#include "SecretScrubber.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "core/Clock.h"
#include "import/WriterSink.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace rootline {
namespace {

constexpr const char* kBundleVersion = "1";

std::string timeText(Timestamp t)
{
    if (t == Timestamp::min() || t == Timestamp::max())
        return {};
    return t.toRfc3339();
}

// The provenance of the source, copied without a single credential.
nlohmann::ordered_json provenanceJson(const std::vector<FetchRecord>& fetches)
{
    auto out = nlohmann::ordered_json::array();
    for (const FetchRecord& f : fetches) {
        nlohmann::ordered_json j;
        j["source"] = scrubSecrets(f.source);
        j["kind"] = f.kind;
        j["query"] = scrubSecrets(f.query);
        j["from"] = timeText(f.window.from);
        j["to"] = timeText(f.window.to);
        j["fetched_at"] = f.fetchedAt.toRfc3339();
        j["rows"] = f.rows;
        j["complete"] = f.complete;
        j["message"] = scrubSecrets(f.message);
        j["content_hash"] = f.contentHash;
        out.push_back(std::move(j));
    }
    return out;
}

struct ManifestInputs {
    std::vector<std::pair<std::string, std::string>> sourceManifest;
    std::vector<FetchRecord> fetches;
    std::string sourceName;
};

Status writeManifest(CacheWriter& writer, const ManifestInputs& in, const ExportOptions& options, const ExportSummary& summary,
                     const CacheOverview& overview)
{
    std::vector<std::pair<std::string, std::string>> entries;
    std::string timezone = "UTC";
    for (const auto& [key, value] : in.sourceManifest) {
        if (key == "origin_timezone")
            timezone = value;
        entries.emplace_back(key, scrubSecrets(value));
    }
    auto set = [&](std::string key, std::string value) {
        auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
        if (it != entries.end())
            it->second = std::move(value);
        else
            entries.emplace_back(std::move(key), std::move(value));
    };
    set("format", "rootline-bundle");
    set("bundle_version", kBundleVersion);
    set("exported_at", Clock::current().now().toRfc3339());
    set("exported_from", scrubSecrets(in.sourceName));
    set("origin_timezone", timezone);
    set("time_range_from", overview.range ? overview.range->from.toRfc3339() : std::string());
    set("time_range_to", overview.range ? overview.range->to.toRfc3339() : std::string());
    nlohmann::ordered_json filters;
    filters["from"] = timeText(options.window.from);
    filters["to"] = timeText(options.window.to);
    filters["services"] = options.services;
    filters["redacted"] = options.redact;
    if (options.redact) {
        auto rules = nlohmann::ordered_json::array();
        for (const auto& r : options.redactionRules)
            rules.push_back(r.name);
        filters["redaction_rules"] = rules;
    }
    set("filters", filters.dump());
    nlohmann::ordered_json contents;
    contents["logs"] = overview.logs;
    contents["spans"] = overview.spans;
    contents["traces"] = overview.traces;
    contents["series"] = overview.series;
    contents["samples"] = overview.samples;
    contents["exemplars"] = overview.exemplars;
    contents["alerts"] = overview.alerts;
    set("contents", contents.dump());
    set("services", nlohmann::ordered_json(overview.services).dump());
    set("provenance", provenanceJson(in.fetches).dump());
    set("content_hash", summary.contentHash);
    for (const auto& [key, value] : entries) {
        if (auto s = writer.setManifest(key, value); !s)
            return s;
    }
    return {};
}

Result<ExportSummary> writeBundle(CacheReader& source, const ManifestInputs& inputs, const std::string& temp, const ExportOptions& options,
                                  const Redactor* redactor, const std::atomic_bool* cancelled)
{
    WriterOptions writerOptions;
    writerOptions.fullTextIndex = false; // built once at the end
    auto writer = CacheWriter::open(temp, writerOptions);
    if (!writer)
        return writer.error();
    FetchRecord fetch;
    fetch.source = "rootline export";
    fetch.kind = "export";
    fetch.query = scrubSecrets("export of " + inputs.sourceName);
    fetch.window = options.window;
    ExportSummary summary;
    {
        auto unit = (*writer)->begin(fetch);
        WriterSink sink(*unit);
        auto copied = copyRecords(source, sink, CopyFilter{options.window, options.services}, redactor, cancelled, "export");
        if (!copied)
            return copied.error(); // the unit rolls back
        auto stats = unit->commit();
        if (!stats)
            return stats.error();
        summary.stats = *stats;
        summary.traces = copied->traces;
        summary.redactedValues = copied->redacted;
    }
    if (auto s = (*writer)->rebuildFullTextIndex(); !s)
        return s.error();
    auto written = CacheReader::open(temp);
    if (!written)
        return written.error();
    auto hash = contentHash(**written);
    if (!hash)
        return hash.error();
    summary.contentHash = *hash;
    auto overview = (*written)->overview();
    if (!overview)
        return overview.error();
    summary.range = overview->range;
    if (auto s = writeManifest(**writer, inputs, options, summary, *overview); !s)
        return s.error();
    return summary;
}

} // namespace

Result<ExportSummary> exportBundle(const std::string& sourcePath, const std::string& outPath, const ExportOptions& options,
                                   const std::atomic_bool* cancelled)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(outPath, ec)) {
        if (fs::equivalent(sourcePath, outPath, ec))
            return Error{outPath, "is the cache being exported", "write the bundle to another file"};
        if (!options.overwrite)
            return Error{outPath, "already exists", "choose another name, or pass --force to replace it"};
    }
    if (!options.window.isValid())
        return Error{"export", "the time window is empty (--from must be before --to)", {}};
    std::optional<Redactor> redactor;
    if (options.redact) {
        auto r = Redactor::create(options.redactionRules);
        if (!r)
            return r.error();
        redactor.emplace(std::move(*r));
    }
    auto source = CacheReader::open(sourcePath);
    if (!source)
        return source.error();
    ManifestInputs inputs;
    inputs.sourceName = fs::path(sourcePath).filename().string();
    auto manifest = (*source)->manifest();
    if (!manifest)
        return manifest.error();
    inputs.sourceManifest = std::move(*manifest);
    auto fetches = (*source)->fetches();
    if (!fetches)
        return fetches.error();
    inputs.fetches = std::move(*fetches);

    const std::string temp = bundle::temporaryPathFor(outPath);
    bundle::removeCacheFiles(temp);
    auto summary = writeBundle(**source, inputs, temp, options, redactor ? &*redactor : nullptr, cancelled);
    if (summary) {
        if (auto s = bundle::finalizeCacheFile(temp); !s)
            summary = s.error();
        else if (auto m = bundle::moveIntoPlace(temp, outPath, options.overwrite); !m)
            summary = m.error();
    }
    if (!summary)
        bundle::removeCacheFiles(temp);
    return summary;
}

} // namespace rootline
