#pragma once

// parser.iterate(json), after refusing a document nested deeper than kMaxJsonDepth
// (core/JsonDepth.h): simdjson's On-Demand parser does not check its max_depth in release builds,
// and the readers and writers downstream must not meet more depth than the stack can hold. The
// refusal is a simdjson_error(DEPTH_ERROR), which callers already handle as malformed input.
// (Outside namespace json: some parsers alias `json` to nlohmann's type.)

#include <simdjson.h>

namespace rootline {

simdjson::ondemand::document iterateChecked(simdjson::ondemand::parser& parser, simdjson::padded_string_view json);

} // namespace rootline
