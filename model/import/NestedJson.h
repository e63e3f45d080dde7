#pragma once

// The two importer writers that follow a value's own nesting, reachable on their own for tests at
// depths the importers refuse before they get there (core/JsonDepth.h): both walk with an explicit
// stack, so depth is never the call stack's business (issue 13 item 1). The importers call them on
// values inside a record; these entry points parse `json` alone, with no depth limit.

#include "core/Attributes.h"
#include "core/Result.h"

#include <string>
#include <string_view>

namespace rootline::nested {

// An OTLP AnyValue ({"kvlistValue":{"values":[…]}} …) as the plain JSON stored for nested
// attribute values and bodies ({"k":…}).
Result<std::string> otlpAnyValueJson(std::string_view anyValue);

// An X-Ray `aws`-style object flattened into dotted keys under `prefix` (aws.ec2.instance_id);
// arrays are kept as JSON text.
Result<Attributes> flattenedObject(std::string_view json, const std::string& prefix);

} // namespace rootline::nested
