#pragma once

// Error text built from what a server said goes through the same scrubber as exported logs
// (bundle/SecretScrubber.h), plus the request's own secret values: a server that echoes request
// headers in its 401 body (some proxies and debug endpoints do) must not put the bearer token on
// the user's screen. HttpClient applies this to every non-2xx body and every error it returns;
// connectors use errorSnippet() for any other text they quote from a response.

#include "HttpClient.h"

#include <string>
#include <string_view>
#include <vector>

namespace rootline::http {

// What `request` carries that is secret: the basic password and the base64 user:password pair,
// the bearer token, the SigV4 secret key and session token, and every header value the caller
// added except the few that are protocol (Accept, Content-Type, …).
std::vector<std::string> requestSecrets(const HttpRequest& request);

// `text` with credentials masked: scrubSecrets() and the request's own secret values.
std::string scrubbedFor(const HttpRequest& request, std::string text);

// A short single-line excerpt of a response body for an error message, scrubbed before it is cut
// (so a token cut in half at the edge is still recognised).
std::string errorSnippet(const HttpRequest& request, std::string_view body, size_t max = 300);

} // namespace rootline::http
