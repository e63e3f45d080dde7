#pragma once

// A source's url is a base that API paths are appended to, and it is shown, logged and written
// back to the sources file — so it may hold no credential. user:password@host would be sent as
// basic auth behind the back of `password:`'s refusal, and ?api_key=… both leaks and breaks every
// request path ("…?api_key=x/api/v1/query"). Both are refused with what to use instead; the error
// never repeats the value.

#include "core/Result.h"

#include <string>

namespace rootline {

// `where` is the file and line, `sourceName` the entry's name. Ok for http(s)://host[:port][/path].
Status checkSourceUrl(const std::string& url, const std::string& where, const std::string& sourceName);

} // namespace rootline
