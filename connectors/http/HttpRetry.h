#pragma once

#include "core/Time.h"

#include <optional>
#include <string_view>

namespace rootline::http {

// `Retry-After` is either delay-seconds ("120") or an HTTP-date ("Fri, 31 Dec 1999 23:59:59 GMT",
// RFC 9110 §10.2.3). Returns the delay from `now` (zero for a date in the past); nullopt when unreadable.
std::optional<Duration> parseRetryAfter(std::string_view value, Timestamp now);

} // namespace rootline::http
