#pragma once

// The identity of a Loki log entry, shared by everything that must tell one entry from another:
// the pager (entries repeated at a page boundary) and the completeness check (entries a re-fetch
// returns again). logcli compares line text alone, which merges identical lines of different
// streams; here the identity is (stream labels, line, structured metadata, parsed labels), and the
// caller adds the timestamp and counts multiplicity, so two true duplicates stay two lines.

#include "import/LokiApi.h"

#include <string>

namespace rootline {

// The stream's labels, sorted, as one string (build once per stream, not per entry).
std::string lokiStreamKey(const LokiLabels& labels);
// `streamKey` from lokiStreamKey, plus the entry's line and labels; the timestamp is not included.
std::string lokiEntryKey(const std::string& streamKey, const LokiEntry& entry);

} // namespace rootline
