#pragma once

// The one HTTP client every connector uses: libcurl multi driven by one I/O thread, many requests in
// flight, HTTP/2 where the server offers it, gzip/deflate, connect and total timeouts, cancellation
// of any request, proxy from the environment (curl's default), TLS verification always on unless a
// source explicitly says otherwise, retries with exponential backoff + jitter honouring Retry-After,
// a per-request response size cap, and optional AWS SigV4 signing (wire-formats.md §5.2).
//
// Two ways to call it:
//   auto r = client.perform(req);        // blocking; ok only for a 2xx answer
//   HttpOutcome o = client.execute(req); // blocking; the response whatever its status (for APIs
//                                        // whose 4xx bodies carry the error, e.g. Prometheus)
//   client.submit(req, callback) / client.submitFuture(req)  // async; the callback runs on the I/O
//                                        // thread, so keep it short (hand the outcome over).

#include "core/Result.h"
#include "core/Time.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline::http {

// libcurl's SigV4 signer: `provider` is "aws:amz:<region>:<service>" (e.g. "aws:amz:us-east-1:logs").
// Put the request body in HttpRequest::body (POSTFIELDS: a streamed body would be signed as empty)
// and set HttpRequest::contentType explicitly. A session token goes in as X-Amz-Security-Token.
struct AwsSigV4 {
    std::string provider;
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string sessionToken; // optional
};

struct RetryPolicy {
    int maxAttempts = 4;                               // 1 = no retry
    Duration initialBackoff = Duration::millis(200);   // doubled per attempt, with full jitter
    Duration maxBackoff = Duration::seconds(10);
    Duration maxRetryAfter = Duration::seconds(30);    // a longer Retry-After is not waited for
    bool retryOnConnectionError = true;                // includes a connection dropped mid-body
    std::vector<long> retryStatuses = {429, 502, 503, 504};
};

struct HttpRequest {
    std::string method = "GET"; // GET, POST, ...
    std::string url;            // full URL incl. query string; never put credentials in it (user@ is refused)
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;           // sent as POSTFIELDS when non-empty or when method is POST
    std::string contentType;    // set explicitly for POST bodies (curl otherwise says form-urlencoded)

    // Authentication (never logged; errors name the URL without credentials).
    std::string username, password; // basic auth when username is non-empty (also SigV4 key pair)
    std::string bearerToken;         // "Authorization: Bearer ..." when non-empty
    std::optional<AwsSigV4> sigv4;

    Duration connectTimeout = Duration::seconds(10);
    Duration totalTimeout = Duration::seconds(60); // per attempt
    int64_t maxResponseBytes = 256ll << 20;        // body over this aborts: HttpFailure::TooLarge

    // TLS: verification is always on unless insecureSkipVerify (a per-source, user-visible choice).
    std::string caFile;
    bool insecureSkipVerify = false;

    RetryPolicy retry;
    bool http2 = true; // CURL_HTTP_VERSION_2TLS: HTTP/2 over TLS when offered, HTTP/1.1 otherwise

    // Checked while the transfer runs (and between retries): setting it aborts with Cancelled.
    const std::atomic_bool* cancelled = nullptr;
    // Prefix for errors, e.g. "prometheus prod"; the method and URL are added automatically.
    std::string where;
};

struct HttpResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers; // of the final response, names as sent
    std::string body;                                         // decoded (gzip already undone)
    std::string effectiveUrl;
    int attempts = 0;
    long httpVersion = 0; // 11, 2, ...

    // Case-insensitive lookup of the first header of that name.
    const std::string* header(std::string_view name) const;
    bool isSuccess() const { return status >= 200 && status < 300; }
};

enum class HttpFailure {
    None,       // the exchange completed (any HTTP status; see response.status)
    Connect,    // could not connect / connection dropped / DNS
    Timeout,    // connect or total timeout
    TooLarge,   // the body exceeded maxResponseBytes: split the query or mark the result partial
    Cancelled,  // the cancel flag was set or cancel(id) was called
    Tls,        // certificate or handshake problem
    Status,     // only from perform(): a non-2xx status after retries
    Other,
};
const char* httpFailureName(HttpFailure failure);

// What one request came to. `error` is set whenever failure != None, naming method + URL + what
// happened (+ status and a body snippet for HTTP errors). Error text and the body of a non-2xx
// response are scrubbed of credentials, the request's own included (http/ErrorText.h): they end
// up in front of users, and some servers echo the request's headers back.
struct HttpOutcome {
    HttpFailure failure = HttpFailure::None;
    HttpResponse response; // filled as far as it got (status/headers even on TooLarge)
    Error error;

    bool ok() const { return failure == HttpFailure::None; }
};

using RequestId = uint64_t;

class HttpClient {
public:
    HttpClient();
    ~HttpClient(); // cancels what is in flight and joins the I/O thread
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // The process-wide client (created on first use).
    static HttpClient& shared();

    // Blocking. Ok only when the final status is 2xx; otherwise an Error naming method, URL, status
    // and a snippet of the body. Use failureOf() to tell TooLarge/Cancelled/... apart.
    Result<HttpResponse> perform(const HttpRequest& request);
    // Blocking. The exchange whatever the HTTP status (failure None with status 400 is an outcome).
    HttpOutcome execute(const HttpRequest& request);

    // Asynchronous. `done` runs exactly once, on the I/O thread.
    RequestId submit(HttpRequest request, std::function<void(HttpOutcome)> done);
    std::future<HttpOutcome> submitFuture(HttpRequest request);
    // Aborts a submitted request (its callback gets HttpFailure::Cancelled); no-op when finished.
    void cancel(RequestId id);

    // The failure kind perform() recorded for an error it returned (Other for foreign errors).
    static HttpFailure failureOf(const Error& error);

    // Builders for URLs: percent-encoding of query parameters / form bodies.
    static std::string urlEncode(std::string_view text);
    static std::string formEncode(const std::vector<std::pair<std::string, std::string>>& params);
    // "https://user:pw@host/x?token=..." → "https://host/x?..." with credentials removed.
    static std::string redactUrl(std::string_view url);

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace rootline::http
