#include "ForeignFilesSink.h"

namespace rootline::sample {

Status ForeignFilesSink::batch(TelemetryBatch&& batch) {
    std::vector<const Span*> otlp, jaeger;
    for (const Span& s : batch.spans)
        (spansGoToJaeger(s.resource->serviceName) ? jaeger : otlp).push_back(&s);
    m_otlpTraces.writeSpans(otlp);
    m_jaeger.writeSpans(jaeger);
    otlpSpans += int64_t(otlp.size());
    jaegerSpans += int64_t(jaeger.size());

    std::vector<const LogRecord*> otlpLogRecords;
    for (const LogRecord& r : batch.logs) {
        if (logsGoToOtlp(r.resource->serviceName)) {
            otlpLogRecords.push_back(&r);
        } else {
            m_loki.add(r);
            ++lokiLogs;
        }
    }
    m_otlpLogs.writeLogs(otlpLogRecords);
    otlpLogs += int64_t(otlpLogRecords.size());
    if (auto s = m_loki.settle(); !s)
        return s;

    for (const SeriesData& d : batch.series)
        if (auto s = m_prometheus.add(d); !s)
            return s;
    for (const Alert& a : batch.alerts)
        m_prometheus.addAlert(a);
    return {};
}

void ForeignFilesSink::reject(std::string location, std::string message, std::string) {
    if (firstRejection.empty())
        firstRejection = location + ": " + message;
}

} // namespace rootline::sample
