#include "HttpClient.h"

#include "ErrorText.h"
#include "HttpRetry.h"
#include "bundle/SecretScrubber.h"
#include "core/Clock.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace rootline::http {

namespace {

using Clock = std::chrono::steady_clock;

// Phrases that open Error::what for each failure kind, so failureOf() can tell them apart after
// the error has travelled up as a plain Error.
constexpr const char* kPrefixConnect = "connection failed";
constexpr const char* kPrefixTimeout = "timed out";
constexpr const char* kPrefixTooLarge = "response too large";
constexpr const char* kPrefixCancelled = "cancelled";
constexpr const char* kPrefixTls = "TLS failure";
constexpr const char* kPrefixStatus = "HTTP status";

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(uint8_t(x)) == std::tolower(uint8_t(y)); });
}

std::string trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return std::string(s);
}

struct Transfer {
    RequestId id = 0;
    HttpRequest request;
    std::function<void(HttpOutcome)> done;

    CURL* easy = nullptr;
    curl_slist* headerList = nullptr;
    HttpResponse response;
    bool tooLarge = false;
    bool cancelRequested = false; // set by cancel(id), read on the I/O thread only
    int attempt = 0;
    Clock::time_point retryAt;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    bool isCancelled() const
    {
        return cancelRequested || (request.cancelled && request.cancelled->load(std::memory_order_relaxed));
    }
};

size_t onBody(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    if (int64_t(t->response.body.size() + n) > t->request.maxResponseBytes) {
        t->tooLarge = true;
        return 0; // aborts the transfer with CURLE_WRITE_ERROR
    }
    if (t->response.body.empty()) {
        // Size the body once from Content-Length (the compressed size when gzip'ed: a lower bound)
        // instead of growing it by doubling, which copies a large page about twice over.
        curl_off_t length = -1;
        if (curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK && length > 0
            && length <= t->request.maxResponseBytes)
            t->response.body.reserve(size_t(length));
    }
    t->response.body.append(data, n);
    return n;
}

size_t onHeader(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        // A new response begins (after 100 Continue or a redirect): keep only the final one's headers.
        t->response.headers.clear();
        return n;
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos)
        t->response.headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<Transfer*>(user)->isCancelled() ? 1 : 0;
}

} // namespace

const char* httpFailureName(HttpFailure failure)
{
    switch (failure) {
    case HttpFailure::None: return "none";
    case HttpFailure::Connect: return "connect";
    case HttpFailure::Timeout: return "timeout";
    case HttpFailure::TooLarge: return "too-large";
    case HttpFailure::Cancelled: return "cancelled";
    case HttpFailure::Tls: return "tls";
    case HttpFailure::Status: return "status";
    case HttpFailure::Other: return "other";
    }
    return "other";
}

const std::string* HttpResponse::header(std::string_view name) const
{
    for (const auto& [k, v] : headers)
        if (iequals(k, name))
            return &v;
    return nullptr;
}

struct HttpClient::Impl {
    CURLM* multi = nullptr;
    std::thread thread;

    std::mutex mutex;               // guards incoming, cancels, stopping
    std::deque<std::unique_ptr<Transfer>> incoming;
    std::vector<RequestId> cancels;
    bool stopping = false;
    std::atomic<RequestId> nextId{1};

    // I/O thread only.
    std::map<RequestId, std::unique_ptr<Transfer>> active;  // in the multi handle
    std::map<RequestId, std::unique_ptr<Transfer>> waiting; // waiting for a retry
    std::mt19937_64 rng{std::random_device{}()};

    static std::string where(const HttpRequest& r)
    {
        std::string w = r.method + " " + HttpClient::redactUrl(r.url);
        return r.where.empty() ? w : r.where + " " + w;
    }

    void run();
    void startAttempt(std::unique_ptr<Transfer> t);
    void finished(CURL* easy, CURLcode code);
    void complete(std::unique_ptr<Transfer> t, HttpOutcome outcome);
    void cleanupEasy(Transfer& t);
    Clock::duration backoff(const Transfer& t, const HttpResponse* response, bool* giveUp);
};

void HttpClient::Impl::cleanupEasy(Transfer& t)
{
    if (t.easy) {
        curl_multi_remove_handle(multi, t.easy);
        curl_easy_cleanup(t.easy);
        t.easy = nullptr;
    }
    if (t.headerList) {
        curl_slist_free_all(t.headerList);
        t.headerList = nullptr;
    }
}

void HttpClient::Impl::startAttempt(std::unique_ptr<Transfer> t)
{
    ++t->attempt;
    t->response = HttpResponse{};
    t->tooLarge = false;
    t->errorBuffer[0] = 0;
    const HttpRequest& r = t->request;

    CURL* e = curl_easy_init();
    t->easy = e;
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errorBuffer);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, t.get());
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); // every encoding curl was built with (gzip, deflate, br...)
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, long(r.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, long(std::max<int64_t>(1, r.connectTimeout.count() / 1'000'000)));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(std::max<int64_t>(1, r.totalTimeout.count() / 1'000'000)));
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(r.maxResponseBytes)); // refuses early when Content-Length says so
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "rootline/0.1");
    // Credentials travel in username/password/bearerToken, never in the URL (where they end up in
    // logs, history and error text): a user:password@ that got past the sources file is refused.
    curl_easy_setopt(e, CURLOPT_DISALLOW_USERNAME_IN_URL, 1L);
    // Proxy: curl reads http_proxy/https_proxy/no_proxy from the environment by default.
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, r.insecureSkipVerify ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, r.insecureSkipVerify ? 0L : 2L);
    if (!r.caFile.empty())
        curl_easy_setopt(e, CURLOPT_CAINFO, r.caFile.c_str());

    if (r.method == "GET") {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (r.method == "HEAD") {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
        if (r.method != "POST")
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    if (r.method != "GET" && r.method != "HEAD") {
        // POSTFIELDS (not a read callback): SigV4 hashes exactly these bytes (wire-formats.md §5.2).
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(r.body.size()));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.c_str());
    }

    curl_slist* list = nullptr;
    auto add = [&](const std::string& line) { list = curl_slist_append(list, line.c_str()); };
    if (!r.contentType.empty())
        add("Content-Type: " + r.contentType);
    for (const auto& [k, v] : r.headers)
        add(k + ": " + v);
    if (!r.bearerToken.empty())
        add("Authorization: Bearer " + r.bearerToken);
    if (r.sigv4) {
        if (!r.sigv4->sessionToken.empty())
            add("X-Amz-Security-Token: " + r.sigv4->sessionToken);
        curl_easy_setopt(e, CURLOPT_AWS_SIGV4, r.sigv4->provider.c_str());
        curl_easy_setopt(e, CURLOPT_USERNAME, r.sigv4->accessKeyId.c_str());
        curl_easy_setopt(e, CURLOPT_PASSWORD, r.sigv4->secretAccessKey.c_str());
    } else if (!r.username.empty()) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC));
        curl_easy_setopt(e, CURLOPT_USERNAME, r.username.c_str());
        curl_easy_setopt(e, CURLOPT_PASSWORD, r.password.c_str());
    }
    // Bodies over 1 MiB would otherwise wait for "100 Continue" (a stall against servers that ignore it).
    // Not with SigV4: libcurl 7.88.1 signs every CURLOPT_HTTPHEADER entry, so the "Expect:" removal
    // would be signed as an `expect` header the request never carries (AWS answers 100 Continue).
    if (!r.sigv4)
        add("Expect:");
    t->headerList = list;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);

    curl_multi_add_handle(multi, e);
    const RequestId id = t->id;
    active.emplace(id, std::move(t));
}

Clock::duration HttpClient::Impl::backoff(const Transfer& t, const HttpResponse* response, bool* giveUp)
{
    const RetryPolicy& p = t.request.retry;
    *giveUp = false;
    if (response) {
        if (const std::string* ra = response->header("Retry-After")) {
            // An HTTP-date is measured from the server's own Date when it sent one, so a workstation
            // whose clock is off (or a test's clock) does not turn "retry in 2 s" into hours.
            Timestamp reference = rootline::Clock::current().now();
            if (const std::string* date = response->header("Date")) {
                if (const time_t sent = curl_getdate(date->c_str(), nullptr); sent != time_t(-1))
                    reference = Timestamp::fromSeconds(int64_t(sent));
            }
            if (auto d = parseRetryAfter(*ra, reference)) {
                if (*d > p.maxRetryAfter) {
                    *giveUp = true;
                    return {};
                }
                return std::chrono::nanoseconds(d->count());
            }
        }
    }
    // Exponential with "equal jitter": half fixed, half random, so retries of many requests spread out.
    int64_t base = p.initialBackoff.count();
    for (int i = 1; i < t.attempt && base < p.maxBackoff.count(); ++i)
        base *= 2;
    base = std::min(base, p.maxBackoff.count());
    std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(0, base / 2));
    return std::chrono::nanoseconds(base / 2 + jitter(rng));
}

void HttpClient::Impl::complete(std::unique_ptr<Transfer> t, HttpOutcome outcome)
{
    cleanupEasy(*t);
    outcome.response.attempts = t->attempt;
    if (outcome.failure != HttpFailure::None) {
        outcome.error.where = where(t->request);
        outcome.error.what = scrubbedFor(t->request, std::move(outcome.error.what));
    }
    // A non-2xx body is only ever error text, and error text reaches users: scrub it here, once,
    // for every connector (a 401 page that echoes the request's Authorization header, say).
    if (outcome.response.status != 0 && !outcome.response.isSuccess() && !outcome.response.body.empty())
        outcome.response.body = scrubbedFor(t->request, std::move(outcome.response.body));
    auto done = std::move(t->done);
    t.reset();
    if (done)
        done(std::move(outcome));
}

void HttpClient::Impl::finished(CURL* easy, CURLcode code)
{
    Transfer* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
    auto it = active.find(raw->id);
    std::unique_ptr<Transfer> t = std::move(it->second);
    active.erase(it);

    HttpOutcome out;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &t->response.status);
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    t->response.httpVersion = version == CURL_HTTP_VERSION_2_0 ? 2 : version == CURL_HTTP_VERSION_1_0 ? 10 : 11;
    char* effective = nullptr;
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    if (effective)
        t->response.effectiveUrl = HttpClient::redactUrl(effective);
    curl_multi_remove_handle(multi, easy);

    const std::string detail = t->errorBuffer[0] ? std::string(t->errorBuffer) : std::string(curl_easy_strerror(code));
    bool retryable = false;
    const RetryPolicy& policy = t->request.retry;
    if (t->isCancelled() || code == CURLE_ABORTED_BY_CALLBACK) {
        out.failure = HttpFailure::Cancelled;
        out.error.what = kPrefixCancelled;
    } else if (t->tooLarge || code == CURLE_FILESIZE_EXCEEDED) {
        out.failure = HttpFailure::TooLarge;
        out.error.what = std::string(kPrefixTooLarge) + ": more than " + std::to_string(t->request.maxResponseBytes) + " bytes";
        out.error.hint = "narrow the time range or the query, or raise max_response_bytes for this source";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        out.failure = HttpFailure::Timeout;
        out.error.what = std::string(kPrefixTimeout) + ": " + detail;
        out.error.hint = "the server is slow or unreachable; narrow the query or raise the source's timeout";
    } else if (code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CERTPROBLEM
               || code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CIPHER || code == CURLE_SSL_ISSUER_ERROR) {
        out.failure = HttpFailure::Tls;
        out.error.what = std::string(kPrefixTls) + ": " + detail;
        out.error.hint = "set ca_file for this source, or (only if you trust the network) insecure_skip_verify";
    } else if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY
               || code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING
               || code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM || code == CURLE_BAD_CONTENT_ENCODING) {
        out.failure = HttpFailure::Connect;
        out.error.what = std::string(kPrefixConnect) + ": " + detail;
        out.error.hint = "check the URL and that the server is up";
        retryable = policy.retryOnConnectionError && code != CURLE_COULDNT_RESOLVE_HOST && code != CURLE_BAD_CONTENT_ENCODING;
    } else if (code == CURLE_LOGIN_DENIED && !t->request.url.empty() && HttpClient::redactUrl(t->request.url) != t->request.url) {
        out.failure = HttpFailure::Other;
        out.error.what = "the URL holds credentials (user:password@ or a token parameter)";
        out.error.hint = "remove them from the URL and use the source's auth (password_env, token_env or keyring: true)";
    } else if (code != CURLE_OK) {
        out.failure = HttpFailure::Other;
        out.error.what = detail;
    } else {
        retryable = std::find(policy.retryStatuses.begin(), policy.retryStatuses.end(), t->response.status) != policy.retryStatuses.end();
    }

    if (retryable && t->attempt < policy.maxAttempts && !t->isCancelled()) {
        bool giveUp = false;
        const auto delay = backoff(*t, out.failure == HttpFailure::None ? &t->response : nullptr, &giveUp);
        if (!giveUp) {
            cleanupEasy(*t);
            t->retryAt = Clock::now() + delay;
            const RequestId id = t->id;
            waiting.emplace(id, std::move(t));
            return;
        }
    }
    out.response = std::move(t->response);
    complete(std::move(t), std::move(out));
}

void HttpClient::Impl::run()
{
    for (;;) {
        std::deque<std::unique_ptr<Transfer>> fresh;
        std::vector<RequestId> cancelIds;
        bool stop = false;
        {
            std::lock_guard lock(mutex);
            fresh.swap(incoming);
            cancelIds.swap(cancels);
            stop = stopping;
        }
        for (auto& t : fresh)
            startAttempt(std::move(t));
        for (RequestId id : cancelIds) {
            if (auto it = active.find(id); it != active.end())
                it->second->cancelRequested = true;
            if (auto it = waiting.find(id); it != waiting.end())
                it->second->cancelRequested = true;
        }
        if (stop) {
            for (auto& [id, t] : active)
                t->cancelRequested = true;
            for (auto& [id, t] : waiting)
                t->cancelRequested = true;
        }
        // Cancelled transfers leave now: the progress callback alone only runs when curl services the handle.
        for (auto it = active.begin(); it != active.end();) {
            if (it->second->isCancelled()) {
                std::unique_ptr<Transfer> t = std::move(it->second);
                it = active.erase(it);
                HttpOutcome out;
                out.failure = HttpFailure::Cancelled;
                out.error.what = kPrefixCancelled;
                complete(std::move(t), std::move(out));
            } else {
                ++it;
            }
        }

        // Retries that are due, or cancelled while waiting.
        const auto now = Clock::now();
        auto nextWake = now + std::chrono::milliseconds(100); // also how often external cancel flags are seen
        for (auto it = waiting.begin(); it != waiting.end();) {
            if (it->second->isCancelled()) {
                std::unique_ptr<Transfer> t = std::move(it->second);
                it = waiting.erase(it);
                HttpOutcome out;
                out.failure = HttpFailure::Cancelled;
                out.error.what = kPrefixCancelled;
                complete(std::move(t), std::move(out));
            } else if (it->second->retryAt <= now) {
                std::unique_ptr<Transfer> t = std::move(it->second);
                it = waiting.erase(it);
                startAttempt(std::move(t));
            } else {
                nextWake = std::min(nextWake, it->second->retryAt);
                ++it;
            }
        }

        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg == CURLMSG_DONE)
                finished(msg->easy_handle, msg->data.result);
        }
        if (stop && active.empty() && waiting.empty()) {
            std::lock_guard lock(mutex);
            if (incoming.empty())
                return;
            continue;
        }
        const auto waitMs = std::chrono::duration_cast<std::chrono::milliseconds>(nextWake - Clock::now()).count();
        curl_multi_poll(multi, nullptr, 0, int(std::clamp<int64_t>(waitMs, 0, 100)), nullptr);
    }
}

HttpClient::HttpClient() : m(std::make_unique<Impl>())
{
    globalInit();
    m->multi = curl_multi_init();
    curl_multi_setopt(m->multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
    curl_multi_setopt(m->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L); // many requests, not a flood on one server
    m->thread = std::thread([this] { m->run(); });
}

HttpClient::~HttpClient()
{
    {
        std::lock_guard lock(m->mutex);
        m->stopping = true;
    }
    curl_multi_wakeup(m->multi);
    m->thread.join();
    curl_multi_cleanup(m->multi);
}

HttpClient& HttpClient::shared()
{
    static HttpClient client;
    return client;
}

RequestId HttpClient::submit(HttpRequest request, std::function<void(HttpOutcome)> done)
{
    auto t = std::make_unique<Transfer>();
    t->id = m->nextId++;
    t->request = std::move(request);
    t->done = std::move(done);
    const RequestId id = t->id;
    {
        std::lock_guard lock(m->mutex);
        if (m->stopping) {
            HttpOutcome out;
            out.failure = HttpFailure::Cancelled;
            out.error = {Impl::where(t->request), kPrefixCancelled, "the HTTP client is shutting down"};
            if (t->done)
                t->done(std::move(out));
            return id;
        }
        m->incoming.push_back(std::move(t));
    }
    curl_multi_wakeup(m->multi);
    return id;
}

std::future<HttpOutcome> HttpClient::submitFuture(HttpRequest request)
{
    auto promise = std::make_shared<std::promise<HttpOutcome>>();
    auto future = promise->get_future();
    submit(std::move(request), [promise](HttpOutcome o) { promise->set_value(std::move(o)); });
    return future;
}

void HttpClient::cancel(RequestId id)
{
    {
        std::lock_guard lock(m->mutex);
        m->cancels.push_back(id);
    }
    curl_multi_wakeup(m->multi);
}

HttpOutcome HttpClient::execute(const HttpRequest& request)
{
    if (std::this_thread::get_id() == m->thread.get_id()) {
        // A blocking call from a completion callback would wait for the thread that must serve it.
        HttpOutcome out;
        out.failure = HttpFailure::Other;
        out.error = {Impl::where(request), "blocking request from the HTTP I/O thread", "use submit() inside completion callbacks"};
        return out;
    }
    return submitFuture(request).get();
}

Result<HttpResponse> HttpClient::perform(const HttpRequest& request)
{
    HttpOutcome out = execute(request);
    if (!out.ok())
        return out.error;
    if (!out.response.isSuccess()) {
        Error e;
        e.where = Impl::where(request);
        e.what = std::string(kPrefixStatus) + " " + std::to_string(out.response.status);
        if (!out.response.body.empty())
            e.what += ": " + errorSnippet(request, out.response.body);
        if (out.response.status == 401 || out.response.status == 403)
            e.hint = "check the source's credentials";
        else if (out.response.status == 404)
            e.hint = "check the source's URL and that the server is of the expected kind";
        else if (out.response.status == 429 || out.response.status >= 500)
            e.hint = "the server is overloaded or failing; try again later";
        return e;
    }
    return std::move(out.response);
}

HttpFailure HttpClient::failureOf(const Error& error)
{
    auto starts = [&](const char* p) { return error.what.rfind(p, 0) == 0; };
    if (starts(kPrefixConnect)) return HttpFailure::Connect;
    if (starts(kPrefixTimeout)) return HttpFailure::Timeout;
    if (starts(kPrefixTooLarge)) return HttpFailure::TooLarge;
    if (starts(kPrefixCancelled)) return HttpFailure::Cancelled;
    if (starts(kPrefixTls)) return HttpFailure::Tls;
    if (starts(kPrefixStatus)) return HttpFailure::Status;
    return HttpFailure::Other;
}

std::string HttpClient::urlEncode(std::string_view text)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3 / 2);
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

std::string HttpClient::formEncode(const std::vector<std::pair<std::string, std::string>>& params)
{
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty())
            out.push_back('&');
        out += urlEncode(k) + "=" + urlEncode(v);
    }
    return out;
}

std::string HttpClient::redactUrl(std::string_view url)
{
    std::string out(url);
    // user:password@ in the authority
    if (auto scheme = out.find("://"); scheme != std::string::npos) {
        const size_t hostStart = scheme + 3;
        const size_t hostEnd = out.find_first_of("/?#", hostStart);
        const size_t at = out.rfind('@', hostEnd == std::string::npos ? out.size() : hostEnd);
        if (at != std::string::npos && at >= hostStart)
            out.erase(hostStart, at + 1 - hostStart);
    }
    // Query parameters whose name says secret (token, api_key, X-Amz-Signature, ...).
    const size_t q = out.find('?');
    if (q == std::string::npos)
        return out;
    std::string result = out.substr(0, q + 1);
    std::string_view rest = std::string_view(out).substr(q + 1);
    bool first = true;
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        const size_t eq = pair.find('=');
        std::string_view name = pair.substr(0, eq);
        const bool secret = isSecretName(name);
        if (!first)
            result.push_back('&');
        first = false;
        if (secret && eq != std::string_view::npos)
            result += std::string(name) + "=REDACTED";
        else
            result += std::string(pair);
        if (amp == std::string_view::npos)
            break;
        rest.remove_prefix(amp + 1);
    }
    return result;
}

} // namespace rootline::http
