#include "CheckedIterate.h"

#include "core/JsonDepth.h"

namespace rootline {

simdjson::ondemand::document iterateChecked(simdjson::ondemand::parser& parser, simdjson::padded_string_view json)
{
    if (jsonTooDeepAt(std::string_view(json.data(), json.size())))
        throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
    return parser.iterate(json);
}

} // namespace rootline
