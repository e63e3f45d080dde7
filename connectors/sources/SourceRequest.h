#pragma once

// Builds an HttpRequest carrying a source's auth (basic/bearer/tenant header), TLS options,
// timeout, size cap and extra headers. Connectors start every request from this.
// AWS sources: the CloudWatch connector adds sigv4 itself (credentials come from the AWS chain).

#include "Source.h"
#include "http/HttpClient.h"

namespace rootline {

// `pathAndQuery` is appended to source.url ("/api/v1/query_range?query=..."). `where` in errors is
// "<type> <name>".
http::HttpRequest sourceRequest(const Source& source, std::string method, const std::string& pathAndQuery);

} // namespace rootline
