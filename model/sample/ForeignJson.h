#pragma once

// Text encodings shared by the writers of the sample's foreign-format files (ForeignFilesSink):
// every tool they imitate (the OpenTelemetry Collector, Jaeger, Prometheus, Loki) is written in Go,
// so strings are escaped as Go's encoding/json does and numbers printed as Go prints them.

#include "core/Attributes.h"
#include "core/Time.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline::sample::foreign {

// A JSON string literal, quotes included, escaped like Go's encoding/json: `"`, `\`, control
// characters, and HTML-safe `<`, `>`, `&`, U+2028, U+2029 as \u escapes (wire-formats.md §1.2).
void appendString(std::string& out, std::string_view text);

// A float as Prometheus writes sample values (util/jsonutil MarshalValue), without quotes:
// shortest round-trip digits, fixed notation unless |v| < 1e-6 or ≥ 1e21; "NaN", "+Inf", "-Inf".
// Also what Go's encoding/json prints for a finite float64 (Jaeger tags, OTLP doubleValue).
void appendGoFloat(std::string& out, double value);
// A float as Go's strconv.FormatFloat(v, 'e', -1, 64): "1.44e+01" (Prometheus alert values).
void appendGoFloatE(std::string& out, double value);
// {"name":"value",…} in the given order (Prometheus metric labels, Loki stream labels).
void appendLabelObject(std::string& out, const std::vector<std::pair<std::string, std::string>>& labels);
// Prometheus timestamps: seconds, with exactly 3 decimals when the millisecond part is not zero
// ("1795343321.500"); sub-millisecond digits are dropped, as Prometheus stores milliseconds.
void appendPromTime(std::string& out, Timestamp t);

// An attribute value in OTLP/JSON's AnyValue form: {"stringValue":…}, {"intValue":"…"} (64-bit
// ints are strings), {"doubleValue":…}, {"boolValue":…}; nested values (kept as JSON text) are
// written as the string they are stored as.
void appendOtlpValue(std::string& out, const AttributeValue& value);
// [{"key":…,"value":{…}},…]
void appendOtlpAttributes(std::string& out, const Attributes& attributes);

} // namespace rootline::sample::foreign
