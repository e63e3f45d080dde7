#pragma once

// Writes traces as Jaeger's v1 `/api/traces` response, the JSON that jaeger-ui's "Download JSON"
// saves (wire-formats.md §3.2): {"data":[{"traceID","spans":[…],"processes":{"p1":{serviceName,
// tags}},"warnings":null},…],"total":0,"limit":0,"offset":0,"errors":null}. Times and durations
// are integer microseconds (Jaeger's unit: nanoseconds are truncated), the parent is a CHILD_OF
// reference, span kind and status are tags (`span.kind`, `error`, `otel.status_code`,
// `otel.status_description`), events are span logs, ids hex (16 digits for 64-bit trace ids, as
// Jaeger prints them). Traces are written as they arrive, so only the current batch is held.

#include "ForeignFile.h"
#include "core/Records.h"

#include <string>
#include <vector>

namespace rootline::sample {

class ForeignJaegerWriter {
public:
    explicit ForeignJaegerWriter(ForeignFile& out);

    // `spans` holds whole traces or parts of them, each trace's spans together or not.
    void writeSpans(const std::vector<const Span*>& spans);
    void finish();
    int64_t traces() const { return m_traces; }

private:
    ForeignFile& m_out;
    std::string m_text;
    int64_t m_traces = 0;
};

} // namespace rootline::sample
