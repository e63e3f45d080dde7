#include "ForeignPrometheusWriter.h"

#include "ForeignJson.h"

#include <algorithm>
#include <numeric>

namespace rootline::sample {

using namespace foreign;

namespace {

void appendQuotedValue(std::string& out, double v) {
    out.push_back('"');
    appendGoFloat(out, v);
    out.push_back('"');
}

} // namespace

Status ForeignPrometheusWriter::add(const SeriesData& data) {
    const std::string key = data.series.key();
    auto it = m_byKey.find(key);
    if (it == m_byKey.end()) {
        SeriesEntry e;
        e.labels.emplace_back("__name__", data.series.name);
        for (const auto& l : data.series.labels)
            e.labels.push_back(l);
        std::sort(e.labels.begin() + 1, e.labels.end());
        appendLabelObject(e.labelsJson, e.labels);
        e.samplesGroup = m_samplesSpool.addGroup();
        e.exemplarsGroup = m_exemplarsSpool.addGroup();
        it = m_byKey.emplace(key, m_series.size()).first;
        m_series.push_back(std::move(e));
    }
    const SeriesEntry& e = m_series[it->second];
    if (!data.samples.empty()) {
        m_chunk.clear();
        for (size_t i = 0; i < data.samples.size(); ++i) {
            if (i)
                m_chunk.push_back(',');
            m_chunk.push_back('[');
            appendPromTime(m_chunk, data.samples[i].time);
            m_chunk.push_back(',');
            appendQuotedValue(m_chunk, data.samples[i].value);
            m_chunk.push_back(']');
        }
        m_samples += int64_t(data.samples.size());
        if (auto s = m_samplesSpool.append(e.samplesGroup, m_chunk); !s)
            return s;
    }
    if (!data.exemplars.empty()) {
        std::vector<const Exemplar*> sorted;
        for (const Exemplar& x : data.exemplars)
            sorted.push_back(&x);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const Exemplar* a, const Exemplar* b) { return a->time < b->time; });
        m_chunk.clear();
        for (size_t i = 0; i < sorted.size(); ++i) {
            const Exemplar& x = *sorted[i];
            if (i)
                m_chunk.push_back(',');
            std::vector<std::pair<std::string, std::string>> labels;
            for (const Attribute& a : x.labels)
                labels.emplace_back(a.key, attributeToText(a.value));
            if (labels.empty() &&
                x.traceId) { // the OpenMetrics convention when only the record's ids say it
                labels.emplace_back("trace_id", x.traceId->toHex());
                if (x.spanId)
                    labels.emplace_back("span_id", x.spanId->toHex());
            }
            std::sort(labels.begin(), labels.end());
            m_chunk += "{\"labels\":";
            appendLabelObject(m_chunk, labels);
            m_chunk += ",\"value\":";
            appendQuotedValue(m_chunk, x.value);
            m_chunk += ",\"timestamp\":";
            appendPromTime(m_chunk, x.time);
            m_chunk.push_back('}');
        }
        m_exemplars += int64_t(sorted.size());
        if (auto s = m_exemplarsSpool.append(e.exemplarsGroup, m_chunk); !s)
            return s;
    }
    return {};
}

// Prometheus sorts a range query's series by their label sets (labels.Compare).
std::vector<size_t> ForeignPrometheusWriter::sortedSeries() const {
    std::vector<size_t> order(m_series.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(),
              [this](size_t a, size_t b) { return m_series[a].labels < m_series[b].labels; });
    return order;
}

Status ForeignPrometheusWriter::finishMatrix(ForeignFile& out) {
    out.write("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    bool first = true;
    for (size_t i : sortedSeries()) {
        const SeriesEntry& e = m_series[i];
        if (m_samplesSpool.isEmpty(e.samplesGroup))
            continue;
        out.write(first ? "\n{\"metric\":" : ",\n{\"metric\":");
        first = false;
        out.write(e.labelsJson);
        out.write(",\"values\":[");
        if (auto s = m_samplesSpool.copyGroup(e.samplesGroup, out); !s)
            return s;
        out.write("]}");
    }
    out.write("\n]}}\n");
    return {};
}

Status ForeignPrometheusWriter::finishExemplars(ForeignFile& out) {
    out.write("{\"status\":\"success\",\"data\":[");
    bool first = true;
    for (size_t i : sortedSeries()) {
        const SeriesEntry& e = m_series[i];
        if (m_exemplarsSpool.isEmpty(e.exemplarsGroup))
            continue;
        out.write(first ? "\n{\"seriesLabels\":" : ",\n{\"seriesLabels\":");
        first = false;
        out.write(e.labelsJson);
        out.write(",\"exemplars\":[");
        if (auto s = m_exemplarsSpool.copyGroup(e.exemplarsGroup, out); !s)
            return s;
        out.write("]}");
    }
    out.write("\n]}\n");
    return {};
}

void ForeignPrometheusWriter::finishAlerts(ForeignFile& out) const {
    std::string text = "{\"status\":\"success\",\"data\":{\"alerts\":[";
    for (size_t i = 0; i < m_alerts.size(); ++i) {
        const Alert& a = m_alerts[i];
        if (i)
            text.push_back(',');
        auto labels = a.labels;
        if (std::none_of(labels.begin(), labels.end(),
                         [](const auto& l) { return l.first == "alertname"; }))
            labels.emplace_back("alertname", a.name);
        std::sort(labels.begin(), labels.end());
        auto annotations = a.annotations;
        std::sort(annotations.begin(), annotations.end());
        text += "{\"labels\":";
        appendLabelObject(text, labels);
        text += ",\"annotations\":";
        appendLabelObject(text, annotations);
        text += ",\"state\":";
        appendString(text, a.state == AlertState::Firing    ? "firing"
                           : a.state == AlertState::Pending ? "pending"
                                                            : "inactive");
        text += ",\"activeAt\":";
        appendString(text, a.activeSince.toRfc3339());
        text += ",\"value\":\"";
        appendGoFloatE(text, a.value);
        text += "\"}";
    }
    text += "]}}\n";
    out.write(text);
}

} // namespace rootline::sample
