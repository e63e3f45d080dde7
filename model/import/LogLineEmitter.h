#pragma once

// Shared by the plain log formats: walks a run of whole lines with their line numbers, batches
// records for the sink, and turns a bad line into a rejection ("file:line") or, strict, an error.

#include "RecordSink.h"

#include <string>
#include <string_view>

namespace rootline {

class LogLineEmitter {
public:
    LogLineEmitter(const ParseContext& ctx, RecordSink& sink)
        : m_ctx(ctx)
        , m_sink(sink) {}

    Status add(LogRecord&& record) {
        m_batch.logs.push_back(std::move(record));
        return m_batch.logs.size() >= m_ctx.batchSize ? flush() : Status{};
    }
    // `lineInDocument` is 1-based within the document handed to the parser.
    Status reject(int64_t lineInDocument, std::string reason, std::string_view line,
                  std::string hint = {}) {
        const std::string location = m_ctx.lineLocation(lineInDocument);
        if (m_ctx.strict)
            return Error{location, std::move(reason), std::move(hint)};
        m_sink.reject(location, std::move(reason), std::string(line.substr(0, 240)));
        return {};
    }
    Status flush() {
        if (m_batch.logs.empty())
            return {};
        TelemetryBatch out;
        std::swap(out, m_batch);
        return m_sink.batch(std::move(out));
    }
    Status cancelledError() const { return Error{m_ctx.origin, "import cancelled", {}}; }

    // Calls `perLine(line, lineNumber)` for each line (without "\r\n"), checking cancellation.
    template <class F> Status forEachLine(std::string_view document, F&& perLine) {
        int64_t number = 0;
        size_t pos = 0;
        if (m_ctx.firstByte == 0 && document.substr(0, 3) == "\xEF\xBB\xBF")
            pos = 3; // a UTF-8 byte-order mark (Windows editors) is not part of the first line
        while (pos < document.size()) {
            size_t end = document.find('\n', pos);
            if (end == std::string_view::npos)
                end = document.size();
            std::string_view line = document.substr(pos, end - pos);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            pos = end + 1;
            ++number;
            if ((number & 1023) == 0 && m_ctx.isCancelled())
                return cancelledError();
            if (Status s = perLine(line, number); !s)
                return s;
        }
        return {};
    }

private:
    const ParseContext& m_ctx;
    RecordSink& m_sink;
    TelemetryBatch m_batch;
};

} // namespace rootline
