#pragma once

// Plain log files as importable formats (issue 3): JSON lines ("jsonl-logs"), logfmt ("logfmt")
// and unstructured lines read by an anchored RE2 pattern ("plain-text-logs"). All three are
// line-oriented and sniff low, so the structured telemetry formats win whenever they claim a file.
//
// Key conventions (JSON lines, logfmt; LogFields.h): time from timestamp/time/ts/@timestamp/t/date
// (LogTime.h forms), level from level/severity/lvl/levelname/log.level (pino numbers 10..60 too),
// message from msg/message/@m/log/body, trace/span ids from trace_id/traceId/…, the service from
// service/service.name/app/… (logger when nothing else names it); the rest become attributes.
// A line whose time is missing or unreadable is rejected as "file:line" (an error under --strict).

#include "Format.h"
#include "LogFields.h"
#include "core/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace rootline {

// How "plain-text-logs" reads a line. `regex` is matched anchored at the line start (RE2 syntax)
// with named captures: time (required), level, message (default: the rest of the line after the
// match), trace_id, span_id, service. Lines it does not match continue the previous record's body
// (stack traces).
struct PlainLogPattern {
    std::string regex;  // "" = defaultPlainLogRegex()
    int syslogYear = 0; // year of times that omit it ("Nov 20 14:47:01"); 0 = the last year seen
                        // earlier in the file, else the current year
};

// RFC 3339 / ISO (T or space, '.' or ',' fraction, optional zone), syslog "Nov 20 14:47:01",
// nginx/apache "20/Nov/2026:14:47:01 +0000", optionally in [brackets]; then an optional level word
// (optionally [bracketed] or followed by ':'); then the message.
const std::string& defaultPlainLogRegex();

// Sets the process-wide pattern used by "plain-text-logs" (detection and parsing) from now on.
// Refuses (and keeps the current one) a regex that does not compile or has no `time` capture.
// Call before an import starts, not during one.
Status setPlainLogPattern(PlainLogPattern pattern);
PlainLogPattern plainLogPattern();

// logfmt: `key=value key2="quoted \"value\"" flag` → fields (a bare key is "true").
Result<std::vector<LogField>> parseLogfmtLine(std::string_view line);

Format jsonLinesLogsFormat();
Format logfmtFormat();
Format plainTextLogsFormat();

} // namespace rootline
