#include "RecordCopier.h"

#include "cache/CacheReader.h"
#include "cache/TelemetryBatch.h"
#include "import/RecordSink.h"

#include <algorithm>
#include <optional>

namespace rootline {
namespace {

constexpr int kLogPage = 5000;
constexpr int kTracePage = 500;
constexpr size_t kBatchRecords = 20000;


// One copy in progress: the source reader, the sink, and what has been copied.
class Copier {
public:
    Copier(CacheReader& reader, RecordSink& sink, const CopyFilter& options, const Redactor* redactor,
           const std::atomic_bool* cancelled, const std::string& where)
        : m_reader(reader), m_sink(sink), m_options(options), m_redactor(redactor), m_cancelled(cancelled), m_where(where)
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
    Error cancelledError() const { return Error{m_where, "cancelled", {}}; }
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
        return m_sink.batch(std::move(full));
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
                    mask(span.statusMessage); // often an upstream's error text: "401 … Authorization: …"
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
            // As stored: the copy keeps the series' temporality (delta points stay deltas).
            auto samples = m_reader.samples(id, m_options.window, CacheReader::Points::AsStored);
            if (!samples)
                return samples.error();
            auto histograms = m_reader.histograms(id, m_options.window, CacheReader::Points::AsStored);
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
    RecordSink& m_sink;
    const CopyFilter& m_options;
    const Redactor* m_redactor;
    const std::atomic_bool* m_cancelled;
    const std::string& m_where;
    TelemetryBatch m_batch;
};

} // namespace

Result<CopyCounts> copyRecords(CacheReader& from, RecordSink& to, const CopyFilter& filter, const Redactor* redactor,
                               const std::atomic_bool* cancelled, const std::string& where)
{
    Copier copier(from, to, filter, redactor, cancelled, where);
    if (auto s = copier.run(); !s)
        return s.error();
    return CopyCounts{copier.traces, copier.redacted};
}

} // namespace rootline
