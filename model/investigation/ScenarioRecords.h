#pragma once

// What every scenario generator writes through (Scenarios.cpp, CascadeScenarios.cpp): log lines
// with their severity's name, series found again by their key, and a batch handed to the sink
// every 5,000 records, with the series (samples gathered across the run) in the last one.

#include "import/RecordSink.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace rootline {

class ScenarioRecords {
public:
    void log(Timestamp t, const ResourcePtr& r, int severity, std::string body, Attributes attrs = {}, std::optional<TraceId> trace = {},
             std::optional<SpanId> spanId = {})
    {
        LogRecord l;
        l.time = t;
        l.observedTime = t;
        l.severity = severity;
        l.severityText = severityName(severity);
        l.body = std::move(body);
        l.attributes = std::move(attrs);
        l.traceId = trace;
        l.spanId = spanId;
        l.resource = r;
        batch.logs.push_back(std::move(l));
    }

    // The series of that name, labels (any order) and resource; created empty the first time.
    SeriesData& series(const std::string& name, std::vector<std::pair<std::string, std::string>> labels, const ResourcePtr& r, MetricKind kind)
    {
        std::sort(labels.begin(), labels.end());
        Series s;
        s.name = name;
        s.labels = std::move(labels);
        s.kind = kind;
        s.resource = r;
        const std::string key = s.key();
        auto it = m_series.find(key);
        if (it == m_series.end())
            it = m_series.emplace(key, SeriesData{std::move(s), {}, {}, {}}).first;
        return it->second;
    }
    std::map<std::string, SeriesData>& allSeries() { return m_series; }

    Status flush(RecordSink& sink, bool force)
    {
        if (!force && batch.recordCount() < 5000)
            return {};
        if (force) {
            for (auto& [key, data] : m_series)
                batch.series.push_back(std::move(data));
            m_series.clear();
        }
        if (batch.empty())
            return {};
        TelemetryBatch out = std::move(batch);
        batch = {};
        return sink.batch(std::move(out));
    }

    TelemetryBatch batch;

private:
    std::map<std::string, SeriesData> m_series;
};

} // namespace rootline
