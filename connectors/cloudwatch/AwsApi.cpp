#include "AwsApi.h"

#include "http/HttpClient.h"
#include "import/AwsJson.h"
#include "sources/SourceRequest.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

namespace rootline::aws {
namespace {

std::string env(const std::string& name)
{
    const char* v = std::getenv(name.c_str());
    return v ? std::string(v) : std::string();
}

const char* endpointPrefix(Service s)
{
    switch (s) {
    case Service::Monitoring: return "monitoring";
    case Service::Logs: return "logs";
    case Service::XRay: return "xray";
    }
    return "";
}

// AWS_ENDPOINT_URL_<SERVICE_ID> as the SDKs name them.
const char* endpointEnv(Service s)
{
    switch (s) {
    case Service::Monitoring: return "AWS_ENDPOINT_URL_CLOUDWATCH";
    case Service::Logs: return "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS";
    case Service::XRay: return "AWS_ENDPOINT_URL_XRAY";
    }
    return "";
}

std::string hintFor(const std::string& code, const std::string& operation)
{
    if (code == "AccessDeniedException" || code == "AccessDenied" || code == "UnauthorizedOperation")
        return "the credentials are valid but not allowed to call " + operation + ": check the IAM policy";
    if (code == "UnrecognizedClientException" || code == "InvalidClientTokenId" || code == "InvalidSignatureException"
        || code == "SignatureDoesNotMatch" || code == "IncompleteSignature" || code == "MissingAuthenticationToken")
        return "check the access key, secret and session token (and the machine's clock)";
    if (code == "ExpiredTokenException" || code == "ExpiredToken")
        return "the session token has expired: refresh the credentials";
    if (code == "ResourceNotFoundException")
        return "check the name (log group, query id) and the region";
    if (code == "MalformedQueryException")
        return "fix the Logs Insights query";
    if (code == "InvalidNextToken")
        return "the pagination token expired: fetch again";
    return {};
}

} // namespace

const char* serviceSigningName(Service s)
{
    return endpointPrefix(s); // the signing names equal the endpoint prefixes for these three
}

bool waitUnlessCancelled(Duration d, const std::atomic_bool* cancelled)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::nanoseconds(d.count());
    while (std::chrono::steady_clock::now() < until) {
        if (cancelled && cancelled->load())
            return false;
        const auto left = until - std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(10)));
    }
    return !(cancelled && cancelled->load());
}

AwsApi::AwsApi(Source source, http::HttpClient& client, RetryTuning tuning)
    : m_source(std::move(source)), m_http(client), m_tuning(tuning)
{
}

Status AwsApi::prepare()
{
    std::lock_guard lock(m_prepareMutex);
    if (m_credentials)
        return {};
    auto region = resolveRegion(m_source.auth.awsRegion, m_source.auth.awsProfile);
    if (!region)
        return region.error().within("cloudwatch " + m_source.name);
    auto creds = resolveCredentials(m_source.auth.awsProfile);
    if (!creds)
        return creds.error().within("cloudwatch " + m_source.name);
    m_region = *region;
    m_credentials = std::move(*creds);
    return {};
}

std::string AwsApi::endpoint(Service s) const
{
    std::string base = m_source.url;
    if (base.empty())
        base = env(endpointEnv(s));
    if (base.empty())
        base = env("AWS_ENDPOINT_URL");
    if (base.empty())
        base = std::string("https://") + endpointPrefix(s) + "." + m_region + ".amazonaws.com";
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base;
}

std::string AwsApi::where(Service service, const std::string& operation) const
{
    return "cloudwatch " + m_source.name + " " + endpointPrefix(service) + " " + operation;
}

Result<std::string> AwsApi::call(Service service, const std::string& operation, const std::string& body,
                                 const std::atomic_bool* cancelled, CallStats& stats)
{
    if (auto st = prepare(); !st)
        return st.error();
    http::HttpRequest r = sourceRequest(m_source, "POST", "");
    switch (service) {
    case Service::Monitoring:
        r.url = endpoint(service) + "/";
        r.contentType = "application/x-amz-json-1.0";
        r.headers.emplace_back("X-Amz-Target", "GraniteServiceVersion20100801." + operation);
        break;
    case Service::Logs:
        r.url = endpoint(service) + "/";
        r.contentType = "application/x-amz-json-1.1";
        r.headers.emplace_back("X-Amz-Target", "Logs_20140328." + operation);
        break;
    case Service::XRay:
        r.url = endpoint(service) + (operation == "BatchGetTraces" ? "/Traces" : "/" + std::string(operation == "GetTraceSummaries" ? "TraceSummaries" : operation));
        r.contentType = "application/json";
        break;
    }
    r.body = body;
    r.where = where(service, operation);
    r.cancelled = cancelled;
    r.sigv4 = http::AwsSigV4{std::string("aws:amz:") + m_region + ":" + serviceSigningName(service), m_credentials->accessKeyId,
                             m_credentials->secretAccessKey, m_credentials->sessionToken};
    // Status retries are decided here (AWS throttles with 400); the client only retries lost connections.
    r.retry.retryStatuses.clear();
    r.retry.maxAttempts = 3;

    static thread_local std::mt19937_64 rng{std::random_device{}()};
    for (int attempt = 1;; ++attempt) {
        if (cancelled && cancelled->load())
            return Error{r.where, "cancelled", {}};
        http::HttpOutcome o = m_http.execute(r);
        ++stats.requests;
        stats.bytes += int64_t(o.response.body.size());
        if (!o.ok()) {
            Error e = o.error;
            if (e.where.empty())
                e.where = r.where;
            if (o.failure == http::HttpFailure::TooLarge && e.hint.empty())
                e.hint = "narrow the time range or the query, or raise the source's maxResponseBytes";
            return e;
        }
        if (o.response.isSuccess())
            return std::move(o.response.body);

        ErrorBody err = parseErrorBody(o.response.body, o.response.header("x-amzn-ErrorType"));
        if (const std::string* legacy = o.response.header("x-amzn-query-error"); legacy && err.code.empty())
            err.code = legacy->substr(0, legacy->find(';'));
        const long status = o.response.status;
        const bool throttled = status == 429 || isThrottlingCode(err.code);
        const bool transient = status >= 500 || err.code == "RequestTimeout" || err.code == "RequestTimeoutException"
            || err.code == "ServiceUnavailableException" || err.code == "InternalFailure";
        const std::string what = (err.code.empty() ? "HTTP " + std::to_string(status) : err.code + " (HTTP " + std::to_string(status) + ")")
            + (err.message.empty() ? std::string() : ": " + err.message);
        if (!(throttled || transient))
            return Error{r.where, what, hintFor(err.code, operation)};
        if (throttled)
            ++stats.throttled;
        if (attempt >= m_tuning.maxAttempts)
            return Error{r.where, what + " — still failing after " + std::to_string(attempt) + " attempts",
                         throttled ? "AWS is throttling this account's API calls: try again later or narrow the query" : "AWS is failing: try again later"};
        // Capped exponential backoff with "equal jitter": never immediately, never in lock-step.
        const Duration base = throttled ? m_tuning.throttleBase : m_tuning.transientBase;
        const int64_t cap = std::min<int64_t>(m_tuning.maxBackoff.count(), base.count() << std::min(attempt - 1, 20));
        std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(1, cap / 2));
        if (!waitUnlessCancelled(Duration::nanos(cap / 2 + jitter(rng)), cancelled))
            return Error{r.where, "cancelled", {}};
    }
}

} // namespace rootline::aws
