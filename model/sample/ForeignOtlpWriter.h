#pragma once

// Writes spans or log records as the OpenTelemetry Collector's file exporter does (format json):
// one OTLP/JSON export request per line (`{"resourceSpans":[…]}` / `{"resourceLogs":[…]}`),
// records grouped by resource and then by instrumentation scope, ids as lowercase hex, times as
// nanosecond decimal strings, enums as integers, 64-bit ints as strings (wire-formats.md §4).
// Each call writes one line, so nothing is held beyond the batch being written.

#include "ForeignFile.h"
#include "core/Records.h"

#include <string>
#include <vector>

namespace rootline::sample {

class ForeignOtlpWriter {
public:
    explicit ForeignOtlpWriter(ForeignFile& out)
        : m_out(out) {}

    void writeSpans(const std::vector<const Span*>& spans);
    void writeLogs(const std::vector<const LogRecord*>& logs);
    int64_t lines() const { return m_lines; }

private:
    ForeignFile& m_out;
    std::string m_line;
    int64_t m_lines = 0;
};

} // namespace rootline::sample
