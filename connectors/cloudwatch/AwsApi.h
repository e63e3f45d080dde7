#pragma once

// One signed AWS call with AWS's retry rules (wire-formats.md §5.1, §5.2, §5.8): awsJson 1.0 for
// CloudWatch (X-Amz-Target GraniteServiceVersion20100801.*), awsJson 1.1 for Logs
// (Logs_20140328.*), restJson for X-Ray (POST /TraceSummaries, /Traces); SigV4 by libcurl
// (CURLOPT_AWS_SIGV4) over a POSTFIELDS body with the Content-Type set explicitly. Throttling
// (400 Throttling/ThrottlingException…, 429 ThrottledException) and 5xx are retried with capped
// exponential backoff and jitter, waiting in slices so a cancel is noticed; anything else becomes an
// Error with AWS's code and message.

#include "AwsCredentials.h"
#include "core/Result.h"
#include "core/Time.h"
#include "sources/Source.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

namespace rootline::http { class HttpClient; }

namespace rootline::aws {

enum class Service { Monitoring, Logs, XRay };
const char* serviceSigningName(Service s); // "monitoring", "logs", "xray"

struct RetryTuning {
    int maxAttempts = 6;                           // per call, throttles and 5xx included
    Duration throttleBase = Duration::seconds(1);  // SDK "standard" mode: 1 s for throttles
    Duration transientBase = Duration::millis(50); // … 50 ms for other transient errors
    Duration maxBackoff = Duration::seconds(20);
};

struct CallStats {
    int requests = 0;
    int64_t bytes = 0;
    int throttled = 0;
};

class AwsApi {
public:
    AwsApi(Source source, http::HttpClient& client, RetryTuning tuning);

    // Resolves credentials, region and endpoints once (cheap afterwards).
    Status prepare();
    const std::string& region() const { return m_region; }
    std::string endpoint(Service s) const;

    // POSTs `body` to `operation` of `service`; the response body on success.
    Result<std::string> call(Service service, const std::string& operation, const std::string& body,
                             const std::atomic_bool* cancelled, CallStats& stats);

    // "cloudwatch <source> logs FilterLogEvents" — the place errors name.
    std::string where(Service service, const std::string& operation) const;

private:
    Source m_source;
    http::HttpClient& m_http;
    RetryTuning m_tuning;
    std::mutex m_prepareMutex; // completion and fetches may run on different threads
    std::optional<Credentials> m_credentials;
    std::string m_region;
};

// Sleeps up to `d`, waking early (returning false) when `cancelled` is set.
bool waitUnlessCancelled(Duration d, const std::atomic_bool* cancelled);

} // namespace rootline::aws
