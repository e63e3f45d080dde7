#pragma once

// Groups log lines into message templates by masking what varies between otherwise identical
// lines: numbers (with units), hex ids, UUIDs, IP addresses (with ports), quoted strings, and
// path segments or tokens that carry digits. "timeout after 5000ms calling 10.0.3.7:443 for order
// 8f14e45f" and "timeout after 3000ms calling 10.0.3.9:443 for order 1679091c" are one template,
// "timeout after <num> calling <ip> for order <hex>". A JSON body's "msg"/"message" is used.

#include <string>
#include <string_view>

namespace rootline {

std::string logTemplate(std::string_view body);

// The human message of a body: a JSON body's "msg", "message" or "error" field, a logfmt line's
// quoted msg="...", else the body.
std::string_view logMessage(std::string_view body);

} // namespace rootline
