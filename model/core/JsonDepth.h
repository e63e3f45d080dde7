#pragma once

// The one nesting limit for JSON in Rootline. Telemetry decides how deep its values nest (an OTLP
// kvlistValue inside a kvlistValue…, a log field holding an object), and every reader and writer
// of such values must stay off the stack's mercy: simdjson's On-Demand parser does not enforce its
// own max_depth in release builds, and nlohmann's dump() recurses once per level. So a document or
// attribute value nested deeper than kMaxJsonDepth is refused where it enters (the importers and
// connectors reject that record with its file and offset), and a stored value that is deeper
// anyway (a cache written before the limit) is read as text, never walked.

#include <cstddef>
#include <optional>
#include <string_view>

namespace rootline {

// simdjson's DEFAULT_MAX_DEPTH: the depth its parsers are sized for.
inline constexpr size_t kMaxJsonDepth = 1024;

// The byte offset at which `json` opens its (limit + 1)-th nested array or object, or nullopt when
// it never nests deeper than `limit`. A string-aware bracket count, one pass, no recursion; it does
// not validate the JSON otherwise.
std::optional<size_t> jsonTooDeepAt(std::string_view json, size_t limit = kMaxJsonDepth);

} // namespace rootline
