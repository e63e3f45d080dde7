#pragma once

// Routes the sample generator's batches to the foreign-format writers, as the story says each
// record reached its backend (see ForeignSampleFiles.h for the files):
//  * spans of the OpenTelemetry-instrumented services → OTLP JSON lines (the Collector's file
//    exporter); spans of shipping and email, still on Jaeger client libraries → Jaeger JSON;
//  * logs of checkout and payment (Go services whose lines the Collector's filelog receiver
//    ships, trace context attached) → OTLP JSON lines; every other service's stdout → Loki;
//  * series, exemplars and alerts → Prometheus API responses.
// Every record goes to exactly one writer.

#include "ForeignJaegerWriter.h"
#include "ForeignLokiWriter.h"
#include "ForeignOtlpWriter.h"
#include "ForeignPrometheusWriter.h"
#include "import/RecordSink.h"

#include <string_view>

namespace rootline::sample {

class ForeignFilesSink final : public RecordSink {
public:
    ForeignFilesSink(ForeignOtlpWriter& otlpTraces, ForeignJaegerWriter& jaeger,
                     ForeignOtlpWriter& otlpLogs, ForeignLokiWriter& loki,
                     ForeignPrometheusWriter& prometheus)
        : m_otlpTraces(otlpTraces)
        , m_jaeger(jaeger)
        , m_otlpLogs(otlpLogs)
        , m_loki(loki)
        , m_prometheus(prometheus) {}

    static bool spansGoToJaeger(std::string_view service) {
        return service == "shipping" || service == "email";
    }
    static bool logsGoToOtlp(std::string_view service) {
        return service == "checkout" || service == "payment";
    }

    Status batch(TelemetryBatch&& batch) override;
    // The generator rejects nothing; a rejection would be a bug, reported by writeSampleFiles.
    void reject(std::string location, std::string message, std::string) override;

    int64_t otlpSpans = 0, jaegerSpans = 0, otlpLogs = 0, lokiLogs = 0;
    std::string firstRejection;

private:
    ForeignOtlpWriter& m_otlpTraces;
    ForeignJaegerWriter& m_jaeger;
    ForeignOtlpWriter& m_otlpLogs;
    ForeignLokiWriter& m_loki;
    ForeignPrometheusWriter& m_prometheus;
};

} // namespace rootline::sample
