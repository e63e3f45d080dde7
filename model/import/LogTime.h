#pragma once

// Timestamps as log files write them (plain log formats: JSON lines, logfmt, unstructured lines).
// Every form is converted exactly (decimal text, never through a double).

#include "core/Result.h"
#include "core/Time.h"

#include <string_view>

namespace rootline {

// Accepts, with optional surrounding [brackets]:
//   RFC 3339 / ISO 8601 with 'T' or ' ', optional fraction ('.' or ',') and zone (none = UTC):
//     "2026-11-20T14:47:01.123Z", "2026-11-20 14:47:01,123", "2026-11-20T14:47:01+01:00";
//   epoch numbers, the unit chosen by the integer part's magnitude (≤11 digits s, ≤14 ms, ≤17 µs,
//     else ns), optional fraction: "1795358821", "1795358821.5", "1795358821123";
//   syslog "Nov 20 14:47:01" / "Nov  2 14:47:01.5" (UTC, in `syslogYear`; 0 = the current year);
//   nginx / apache "20/Nov/2026:14:47:01 +0000".
Result<Timestamp> parseLogTime(std::string_view text, int syslogYear = 0);

// The UTC calendar year of a timestamp (for syslog times, which omit it).
int utcYear(Timestamp t);

} // namespace rootline
