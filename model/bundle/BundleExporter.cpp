#include "BundleExporter.h"

#include "BundleFile.h"
#include "ContentHash.h"
#include "SecretScrubber.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace rootline {
namespace {

constexpr int kLogPage = 5000;
constexpr int kTracePage = 500;
constexpr size_t kBatchRecords = 20000;
constexpr const char* kBundleVersion = "1";

Error cancelledError() { return Error{"export", "cancelled", {}}; }

// One export in progress: the source reader, the output unit, and what has been copied.
class Exporter {
public:
    Exporter(CacheReader& reader, WriteUnit& unit, const ExportOptions& options, const Redactor* redactor,
             const std::atomic_bool* cancelled)
        : m_reader(reader), m_unit(unit), m_options(options), m_redactor(redactor), m_cancelled(cancelled)
    {
    }

    Status run()
    {
        if (auto s = copyTraces(); !s)
            return s;
        if (auto s = copyLogs(); !s)
            return s;
        if (auto s = copySeries(); !s)
            return s;
        if (auto s = copyAlerts(); !s)
            return s;
        return flush();
    }

    int64_t traces = 0;
    int64_t redacted = 0;

private:
    bool cancelled() const { return m_cancelled && m_cancelled->load(std::memory_order_relaxed); }
    bool serviceSelected(std::string_view service) const
    {
        return m_options.services.empty()
               || std::find(m_options.services.begin(), m_options.services.end(), service) != m_options.services.end();
    }
    bool hasWindow() const { return m_options.window != TimeWindow::all(); }

    void mask(std::string& text)
    {
        if (m_redactor && m_redactor->apply(text))
            ++redacted;
    }
    void mask(Attributes& attributes)
    {
        if (m_redactor && m_redactor->apply(attributes))
            ++redacted;
    }

    Status maybeFlush()
    {
        if (m_batch.recordCount() + m_batch.series.size() < kBatchRecords)
            return {};
        return flush();
    }
    Status flush()
    {
        if (m_batch.empty())
            return {};
        TelemetryBatch full = std::move(m_batch);
        m_batch = {};
        return m_unit.append(std::move(full));
    }

    // Whole traces: a trace that overlaps the window and has a span of a selected service is kept
    // with all its spans, so the waterfall in the bundle is never missing its parents.
    Status copyTraces()
    {
        std::string sql = "SELECT t.id, t.trace_id FROM traces t WHERE t.span_count > 0 AND t.id > ?";
        if (hasWindow())
            sql += " AND t.start_ts < ? AND t.end_ts >= ?";
        if (!m_options.services.empty()) {
            sql += " AND EXISTS (SELECT 1 FROM spans s JOIN resources r ON r.id = s.resource WHERE s.trace = t.id AND r.service IN (";
            for (size_t i = 0; i < m_options.services.size(); ++i)
                sql += i ? ",?" : "?";
            sql += "))";
        }
        sql += " ORDER BY t.id LIMIT " + std::to_string(kTracePage);
        auto stmt = m_reader.database().prepare(sql);
        if (!stmt)
            return stmt.error();
        int64_t after = 0;
        for (;;) {
            if (cancelled())
                return cancelledError();
            int bind = 1;
            stmt->bind(bind++, after);
            if (hasWindow()) {
                stmt->bind(bind++, m_options.window.to.nanos());
                stmt->bind(bind++, m_options.window.from.nanos());
            }
            for (const auto& service : m_options.services)
                stmt->bindText(bind++, service, true);
            std::vector<TraceId> page;
            for (;;) {
                auto row = stmt->step();
                if (!row) {
                    stmt->reset();
                    return row.error();
                }
                if (!*row)
                    break;
                after = stmt->int64(0);
                const auto blob = stmt->blob(1);
                if (blob.size() == 16)
                    page.push_back(TraceId::fromBytes(reinterpret_cast<const unsigned char*>(blob.data())));
            }
            stmt->reset();
            if (page.empty())
                return {};
            for (const TraceId& id : page) {
                auto spans = m_reader.traceSpans(id);
                if (!spans)
                    return spans.error();
                ++traces;
                for (Span& span : *spans) {
                    span.rowId = 0;
                    mask(span.attributes);
                    for (SpanEvent& event : span.events)
                        mask(event.attributes);
                    m_batch.spans.push_back(std::move(span));
                }
                if (auto s = maybeFlush(); !s)
                    return s;
            }
        }
    }

    Status copyLogs()
    {
        LogQuery query;
        query.window = m_options.window;
        query.services = m_options.services;
        std::optional<LogCursor> cursor;
        for (;;) {
            if (cancelled())
                return cancelledError();
            auto page = m_reader.logPage(query, cursor, kLogPage);
            if (!page)
                return page.error();
            if (page->empty())
                return {};
            cursor = LogCursor{page->back().time, page->back().rowId};
            for (LogRecord& log : *page) {
                log.rowId = 0;
                mask(log.body);
                mask(log.attributes);
                m_batch.logs.push_back(std::move(log));
            }
            if (auto s = maybeFlush(); !s)
                return s;
        }
    }

    bool seriesSelected(const Series& series) const
    {
        if (m_options.services.empty())
            return true;
        if (series.resource && serviceSelected(series.resource->serviceName))
            return true;
        const std::string* label = series.label("service");
        return label && serviceSelected(*label);
    }

    Status copySeries()
    {
        auto list = m_reader.listSeries();
        if (!list)
            return list.error();
        for (SeriesInfo& info : *list) {
            if (cancelled())
                return cancelledError();
            if (!seriesSelected(info.series))
                continue;
            const int64_t id = info.series.rowId;
            SeriesData data;
            auto samples = m_reader.samples(id, m_options.window);
            if (!samples)
                return samples.error();
            auto histograms = m_reader.histograms(id, m_options.window);
            if (!histograms)
                return histograms.error();
            auto exemplars = m_reader.exemplars(id, m_options.window);
            if (!exemplars)
                return exemplars.error();
            if (samples->empty() && histograms->empty() && exemplars->empty())
                continue;
            data.series = std::move(info.series);
            data.series.rowId = 0;
            data.samples = std::move(*samples);
            data.histograms = std::move(*histograms);
            data.exemplars = std::move(*exemplars);
            for (Exemplar& e : data.exemplars) {
                e.rowId = 0;
                e.seriesRowId = 0;
                mask(e.labels);
            }
            m_batch.series.push_back(std::move(data));
            if (auto s = maybeFlush(); !s)
                return s;
        }
        return {};
    }

    Status copyAlerts()
    {
        auto alerts = m_reader.alerts();
        if (!alerts)
            return alerts.error();
        for (Alert& alert : *alerts) {
            if (hasWindow() && alert.activeSince != Timestamp() && alert.activeSince >= m_options.window.to)
                continue;
            auto service = std::find_if(alert.labels.begin(), alert.labels.end(), [](const auto& l) { return l.first == "service"; });
            if (service != alert.labels.end() && !serviceSelected(service->second))
                continue;
            alert.rowId = 0;
            m_batch.alerts.push_back(std::move(alert));
        }
        return {};
    }

    CacheReader& m_reader;
    WriteUnit& m_unit;
    const ExportOptions& m_options;
    const Redactor* m_redactor;
    const std::atomic_bool* m_cancelled;
    TelemetryBatch m_batch;
};

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
    set("exported_at", Timestamp::now().toRfc3339());
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
        Exporter exporter(source, *unit, options, redactor, cancelled);
        if (auto s = exporter.run(); !s)
            return s.error(); // the unit rolls back
        auto stats = unit->commit();
        if (!stats)
            return stats.error();
        summary.stats = *stats;
        summary.traces = exporter.traces;
        summary.redactedValues = exporter.redacted;
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
