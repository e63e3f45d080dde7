#pragma once

// The key conventions shared by structured plain log lines (JSON lines, logfmt): which field is the
// time, the level, the message, the trace and span ids and the emitting service; every other field
// becomes a log attribute. Records of the same service share one Resource.

#include "core/Attributes.h"
#include "core/Records.h"
#include "core/Result.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rootline {

struct LogField {
    std::string key;
    AttributeValue value;
    std::string text; // the value as written (numbers keep their digits, for exact times)
};

// 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal (pino / bunyan); other text through
// severityFromText. Returns the severity number, 0 when unknown.
int logLevelSeverity(std::string_view text);

class LogRecordAssembler {
public:
    // The year of syslog-style times without one; 0 = the current year.
    int syslogYear = 0;

    // One line's fields → a record. `fallbackBody` (the whole line) is the body when no message
    // field exists. An Error (`what` = the reason) when the time is missing or unreadable.
    Result<LogRecord> assemble(std::vector<LogField>&& fields, std::string_view fallbackBody);

    // Records of the same resource attributes share one ResourcePtr.
    ResourcePtr resource(const Attributes& attributes);

private:
    std::unordered_map<std::string, ResourcePtr> m_resources;
};

} // namespace rootline
