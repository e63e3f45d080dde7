#include "LokiConnector.h"

#include "LokiCompleteness.h"
#include "LokiCountQuery.h"
#include "LokiEntryKey.h"
#include "LokiPager.h"
#include "LokiWindowPlanner.h"
#include "core/Clock.h"
#include "http/ErrorText.h"
#include "http/HttpClient.h"
#include "import/LokiApi.h"
#include "sources/SourceRequest.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>

namespace rootline {

namespace {

constexpr const char* kQueryRange = "/loki/api/v1/query_range";
constexpr const char* kQuery = "/loki/api/v1/query";

// Loki reads an integer ≤ 1e10 as seconds (wire-formats.md §0.1): never send one.
std::string nsText(Timestamp t)
{
    const int64_t minNs = 10'000'000'001;
    return std::to_string(std::max(t.nanos(), minNs));
}

std::string trimmed(std::string_view s, size_t max = 400)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.remove_suffix(1);
    std::string out(s.substr(0, max));
    if (s.size() > max)
        out += "…";
    return out;
}

bool contains(std::string_view text, std::string_view what)
{
    return text.find(what) != std::string_view::npos;
}

// What a non-2xx Loki answer means. Loki writes errors as bare text/plain (pkg/util/server/error.go).
Error statusError(const http::HttpRequest& req, const std::string& endpoint, const http::HttpResponse& response)
{
    Error e;
    e.where = req.where + " " + req.method + " " + endpoint;
    e.what = "HTTP " + std::to_string(response.status);
    const std::string body = trimmed(response.body);
    if (!body.empty())
        e.what += ": " + body;
    const long s = response.status;
    if (s == 400) {
        if (contains(body, "parse error"))
            e.hint = "check the LogQL query";
        else if (contains(body, "time range exceeds") || contains(body, "maximum resolution"))
            e.hint = "narrow the time range or raise the step";
        else
            e.hint = "the server rejected the request";
    } else if (s == 401) {
        e.hint = contains(body, "no org id") ? "this Loki is multi-tenant: set the source's tenant (X-Scope-OrgID)"
                                             : "check the source's credentials";
    } else if (s == 403) {
        e.hint = "check the source's credentials and tenant";
    } else if (s == 404) {
        e.hint = "check the source's URL: Loki serves /loki/api/v1/…";
    } else if (s == 429) {
        e.hint = "Loki is rate-limiting this tenant (retried " + std::to_string(response.attempts)
            + " times); try again later or narrow the query";
    } else if (s == 504 || contains(body, "timed out")) {
        e.hint = "the query timed out on the server: narrow the time range or add label matchers";
    } else if (s >= 500) {
        e.hint = "the server is failing; try again later";
    }
    return e;
}

// The server's entry limit from "max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)".
std::optional<int64_t> serverEntryLimit(std::string_view body)
{
    if (!contains(body, "max entries limit"))
        return std::nullopt;
    const size_t gt = body.rfind(" > ");
    if (gt == std::string_view::npos)
        return std::nullopt;
    int64_t n = 0;
    bool any = false;
    for (size_t i = gt + 3; i < body.size() && body[i] >= '0' && body[i] <= '9'; ++i) {
        n = n * 10 + (body[i] - '0');
        any = true;
    }
    return any && n > 0 ? std::optional<int64_t>(n) : std::nullopt;
}

struct Exchange {
    http::HttpFailure failure = http::HttpFailure::None;
    http::HttpResponse response;
    Error error; // set when failure != None or the status is not 2xx
    bool ok() const { return failure == http::HttpFailure::None && response.isSuccess(); }
};

// What an answer to `req` came to; counts it into `outcome` when given.
Exchange settle(http::HttpOutcome o, const http::HttpRequest& req, const std::string& endpoint, FetchOutcome* outcome)
{
    Exchange x;
    if (outcome) {
        ++outcome->requests;
        outcome->bytes += int64_t(o.response.body.size());
    }
    x.failure = o.failure;
    x.response = std::move(o.response);
    if (x.failure != http::HttpFailure::None) {
        x.error = o.error;
        if (x.error.where.empty())
            x.error.where = req.where + " " + req.method + " " + endpoint;
        if (x.error.hint.empty()) {
            if (x.failure == http::HttpFailure::Timeout)
                x.error.hint = "the server did not answer in time: narrow the time range or raise the source's timeout";
            else if (x.failure == http::HttpFailure::Connect)
                x.error.hint = "check that the source's URL is reachable";
        }
    } else if (!x.response.isSuccess()) {
        x.error = statusError(req, endpoint, x.response);
    }
    return x;
}

Exchange exchange(http::HttpClient& client, const http::HttpRequest& req, const std::string& endpoint,
                  FetchOutcome* outcome)
{
    return settle(client.execute(req), req, endpoint, outcome);
}

// One query_range page requested ahead of need: it downloads, and is decoded on a thread of its
// own, while earlier pages become records and wait for the writer.
struct PageAnswer {
    http::HttpOutcome out;
    std::optional<Result<LokiResponse>> decoded; // set for a 2xx answer
};

struct PageFetch {
    TimeWindow window; // the window asked for
    int64_t want = 0;  // the limit asked for
    http::HttpRequest req;
    http::RequestId id = 0;
    std::future<PageAnswer> answer;

    bool active() const { return answer.valid(); }
};

// The pages in flight of one log fetch: the current window's next page, and the first pages of
// the windows after it. Whatever is still outstanding when the fetch ends (done, failed, cancelled)
// is cancelled and waited for, so no request outlives the fetch that sent it.
class PagesInFlight {
public:
    PagesInFlight(http::HttpClient& client, std::string origin) : m_client(client), m_origin(std::move(origin)) {}
    ~PagesInFlight() { clear(); }
    PagesInFlight(const PagesInFlight&) = delete;
    PagesInFlight& operator=(const PagesInFlight&) = delete;

    PageFetch send(TimeWindow window, int64_t want, http::HttpRequest req)
    {
        PageFetch f;
        f.window = window;
        f.want = want;
        f.req = std::move(req);
        auto promise = std::make_shared<std::promise<http::HttpOutcome>>();
        auto http = promise->get_future();
        f.id = m_client.submit(f.req, [promise](http::HttpOutcome o) { promise->set_value(std::move(o)); });
        f.answer = std::async(std::launch::async, [http = std::move(http), origin = m_origin]() mutable {
            PageAnswer a;
            a.out = http.get();
            if (a.out.ok() && a.out.response.isSuccess())
                a.decoded = decodeLokiResponse(a.out.response.body, origin);
            return a;
        });
        return f;
    }
    void clear()
    {
        abandon(current);
        for (auto& f : ahead)
            abandon(f);
        ahead.clear();
    }

    PageFetch current;            // the current window's next page
    std::deque<PageFetch> ahead; // first pages of the following windows, in direction order

private:
    void abandon(PageFetch& f)
    {
        if (!f.active())
            return;
        m_client.cancel(f.id);
        f.answer.wait();
        f.answer = {};
    }

    http::HttpClient& m_client;
    std::string m_origin;
};

Error decodeError(const Error& e, const http::HttpRequest& req, const std::string& endpoint)
{
    Error out = e;
    out.where = req.where + " " + req.method + " " + endpoint;
    return out;
}

// The decoded answer of a settled exchange, or the error it came to (HTTP, or a body Loki should not send).
Result<LokiResponse> decodedAnswer(const Exchange& x, const http::HttpRequest& req, const std::string& endpoint)
{
    if (!x.ok())
        return x.error;
    auto response = decodeLokiResponse(x.response.body, req.where + " GET " + endpoint);
    if (!response)
        return decodeError(response.error(), req, endpoint);
    return response;
}

} // namespace

LokiConnector::LokiConnector(Source source, http::HttpClient& client) : m_source(std::move(source)), m_client(client) {}

std::vector<FetchKind> LokiConnector::supportedKinds() const
{
    return {FetchKind::Logs, FetchKind::Series, FetchKind::Instant};
}

http::HttpRequest LokiConnector::request(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params,
                                         const std::atomic_bool* cancelled) const
{
    std::string target = path;
    if (!params.empty())
        target += "?" + http::HttpClient::formEncode(params);
    http::HttpRequest r = sourceRequest(m_source, "GET", target);
    // Always ask for structured metadata apart from stream labels: without the flag Loki folds it into
    // the labels and one pushed stream comes back split into many (grafana/loki#10419).
    r.headers.emplace_back("X-Loki-Response-Encoding-Flags", "categorize-labels");
    r.cancelled = cancelled;
    return r;
}

Result<ConnectionInfo> LokiConnector::testConnection()
{
    ConnectionInfo info;
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return Duration::nanos(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count());
    };
    http::HttpRequest req = request("/loki/api/v1/status/buildinfo", {}, nullptr);
    req.retry.maxAttempts = 1;
    Exchange x = exchange(m_client, req, "/loki/api/v1/status/buildinfo", nullptr);
    if (x.failure != http::HttpFailure::None)
        return x.error;
    if (x.response.isSuccess()) {
        const auto doc = nlohmann::json::parse(x.response.body, nullptr, false);
        if (doc.is_object() && doc.contains("version") && doc["version"].is_string()) {
            info.reachable = true;
            info.version = doc["version"].get<std::string>();
            if (doc.contains("revision") && doc["revision"].is_string())
                info.detail = "revision " + doc["revision"].get<std::string>();
            info.latency = elapsed();
            return info;
        }
    } else if (x.response.status == 401 || x.response.status == 403) {
        return x.error;
    }
    // Gateways in front of Loki often expose only the query API and /ready.
    http::HttpRequest ready = request("/ready", {}, nullptr);
    ready.retry.maxAttempts = 1;
    Exchange r = exchange(m_client, ready, "/ready", nullptr);
    if (!r.ok()) {
        Error e = r.error;
        if (e.hint.empty() || r.failure == http::HttpFailure::None)
            e.hint = "neither /loki/api/v1/status/buildinfo nor /ready answered: is this a Loki URL?";
        return e;
    }
    info.reachable = true;
    info.version = "unknown";
    info.detail = "ready: " + http::errorSnippet(ready, r.response.body, 80); // quoted to the user: scrubbed like an error
    info.latency = elapsed();
    return info;
}

Result<FetchOutcome> LokiConnector::fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                          const ProgressCallback& progress)
{
    if (request.query.empty())
        return Error{"loki " + m_source.name, "no query", "give a LogQL query, e.g. {app=\"checkout\"}"};
    switch (request.kind) {
    case FetchKind::Logs:
        if (!request.window.isValid())
            return Error{"loki " + m_source.name, "the time window is empty or reversed", "give --from before --to"};
        return fetchLogs(request, sink, cancelled, progress);
    case FetchKind::Series:
        if (!request.window.isValid())
            return Error{"loki " + m_source.name, "the time window is empty or reversed", "give --from before --to"};
        return fetchMetrics(request, sink, cancelled, progress);
    case FetchKind::Instant:
        return fetchInstant(request, sink, cancelled);
    default:
        return Error{"loki " + m_source.name, std::string("Loki cannot fetch ") + fetchKindName(request.kind),
                     "Loki answers log queries (logs) and LogQL metric queries (series, instant)"};
    }
}

namespace {

// Hands a decoded response's metric results to the sink; `fallbackName` names series without __name__.
Status emitSeries(const LokiResponse& response, const std::string& fallbackName, RecordSink& sink, FetchOutcome& outcome)
{
    TelemetryBatch batch;
    for (const auto& s : response.series) {
        batch.series.push_back(lokiSeriesData(s, fallbackName));
        if (batch.recordCount() >= 50'000) {
            outcome.records += int64_t(batch.recordCount());
            if (auto st = sink.batch(std::move(batch)); !st)
                return st;
            batch = {};
        }
    }
    if (batch.empty())
        return {};
    outcome.records += int64_t(batch.recordCount());
    return sink.batch(std::move(batch));
}

void passOn(LokiResponse& response, RecordSink& sink, FetchOutcome& outcome)
{
    for (auto& r : response.rejections)
        sink.reject(std::move(r.location), std::move(r.message), std::move(r.snippet));
    for (auto& w : response.warnings)
        if (std::find(outcome.warnings.begin(), outcome.warnings.end(), w) == outcome.warnings.end())
            outcome.warnings.push_back(std::move(w));
}

// Where the lines of one log fetch go: the sink, one resource per stream label set, and the count
// against the fetch's line limit.
struct LogOutput {
    RecordSink& sink;
    FetchOutcome& outcome;
    std::map<std::string, ResourcePtr>& resources;
    int64_t& emitted;
    int64_t limit;

    const ResourcePtr& resource(const std::string& streamKey, const LokiLabels& labels)
    {
        ResourcePtr& r = resources[streamKey];
        if (!r)
            r = lokiResource(labels);
        return r;
    }
};

using RequestBuilder = std::function<http::HttpRequest(const std::string& path,
                                                       const std::vector<std::pair<std::string, std::string>>& params)>;

// The server side of LokiCompleteness for one log fetch: count queries (instant, see LokiCountQuery.h)
// and sequential re-fetches of a window with LokiPager, whose missing lines go to `out`.
struct CompletenessServer {
    const FetchRequest& request;
    const RequestBuilder& build;
    http::HttpClient& client;
    LogOutput& out;
    int64_t pageSize;
    int64_t maxPage;
    TelemetryBatch pending; // lines store() accepted, written after each page

    LokiCompleteness::Server bind()
    {
        LokiCompleteness::Server s;
        s.count = [this](TimeWindow w) { return count(w); };
        s.fetch = [this](TimeWindow w, const std::function<void(const LokiStream&, const LokiEntry&)>& line) {
            return fetch(w, line);
        };
        s.store = [this](const LokiStream& stream, const LokiEntry& entry) {
            if (out.emitted >= out.limit)
                return false;
            pending.logs.push_back(lokiLogRecord(entry, stream.labels, out.resource(lokiStreamKey(stream.labels), stream.labels)));
            ++out.emitted;
            return true;
        };
        return s;
    }

    Result<int64_t> count(TimeWindow w)
    {
        http::HttpRequest req = build(kQuery, {{"query", lokiCountQuery(request.query, w)}, {"time", nsText(lokiCountTime(w))}});
        Exchange x = exchange(client, req, kQuery, &out.outcome);
        auto decoded = decodedAnswer(x, req, kQuery);
        if (!decoded)
            return decoded.error();
        return lokiCountFromResponse(*decoded, req.where + " GET " + kQuery);
    }

    Result<bool> fetch(TimeWindow w, const std::function<void(const LokiStream&, const LokiEntry&)>& line)
    {
        LokiPager pager(w, request.backward);
        int64_t size = pageSize;
        while (pager.nextWindow().isValid()) {
            const int64_t want = std::min(maxPage, size + pager.overlap());
            http::HttpRequest req = build(kQueryRange, {{"query", request.query},
                                                        {"start", nsText(pager.nextWindow().from)},
                                                        {"end", nsText(pager.nextWindow().to)},
                                                        {"limit", std::to_string(want)},
                                                        {"direction", request.backward ? "backward" : "forward"}});
            Exchange x = exchange(client, req, kQueryRange, &out.outcome);
            if (x.failure == http::HttpFailure::TooLarge && size > 1) {
                size = std::max<int64_t>(1, size / 4); // lines are large: ask for fewer per page
                continue;
            }
            auto decoded = decodedAnswer(x, req, kQueryRange);
            if (!decoded)
                return decoded.error();
            passOn(*decoded, out.sink, out.outcome);
            const LokiPager::Page p = pager.accept(*decoded, want);
            for (const auto& [s, e] : p.fresh)
                line(decoded->streams[s], decoded->streams[s].entries[e]);
            if (!pending.empty()) {
                out.outcome.records += int64_t(pending.logs.size());
                if (auto st = out.sink.batch(std::move(pending)); !st)
                    return st.error();
                pending = {};
            }
            if (p.exhausted)
                return true;
            if (p.stuck && size < maxPage) {
                size = maxPage; // a crowd on one nanosecond fills the page: only a bigger one gets past it
                continue;
            }
            if (p.stuck)
                return false;
        }
        return true;
    }
};

// Report of what LokiCompleteness could not repair, for FetchOutcome::partialReason.
std::string mismatchText(const std::vector<LokiCompleteness::Mismatch>& mismatches)
{
    constexpr size_t kShown = 3;
    std::string text;
    for (size_t i = 0; i < mismatches.size() && i < kShown; ++i)
        text += (i ? "; " : "") + LokiCompleteness::describe(mismatches[i]);
    if (mismatches.size() > kShown)
        text += "; and " + std::to_string(mismatches.size() - kShown) + " more windows";
    return text;
}

} // namespace

Result<FetchOutcome> LokiConnector::fetchLogs(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                              const ProgressCallback& progress)
{
    FetchOutcome outcome;
    const int64_t limit = request.limit > 0 ? request.limit : kDefaultLogLimit;
    int64_t maxPage = kMaxPageSize; // lowered to the server's max_entries_limit_per_query when it says so
    int64_t pageSize = std::clamp<int64_t>(m_pageSize, 1, maxPage);
    std::map<std::string, ResourcePtr> resources; // one resource per stream label set across pages
    int64_t emitted = 0;
    int page = 0;

    // Loki has no cursor, so one window's pages come one after the other. Two things keep several
    // requests in flight anyway: the window's next page is sent as soon as a page is accepted (its
    // window is known then), and after the first page, whose line density is then known, the rest
    // of the window is cut into windows of about a page each whose first pages are fetched ahead.
    // Pages are still taken in direction order, so the lines arrive in order and a limit keeps the
    // newest (backward) or oldest (forward) lines, as with one window.
    LokiPager pager(request.window, request.backward);
    LokiWindowPlanner planner(request.window, request.backward);
    // Every window is checked against Loki's count once it is used up (LokiCompleteness.h).
    LokiCompleteness completeness;
    bool verifying = m_verifyCompleteness;
    TimeWindow windowNow = request.window; // the pager's window, its pages already taken included
    std::vector<LokiCompleteness::Mismatch> mismatches;
    LogOutput out{sink, outcome, resources, emitted, limit};
    const RequestBuilder build = [&](const std::string& path, const std::vector<std::pair<std::string, std::string>>& params) {
        return this->request(path, params, cancelled);
    };
    bool firstOfWindow = false; // the page at hand is the first page of a window the planner cut
    http::HttpRequest base = this->request(kQueryRange, {}, cancelled);
    PagesInFlight pages(m_client, base.where + " GET " + kQueryRange);
    auto send = [&](TimeWindow w, int64_t want) {
        return pages.send(w, want,
                          this->request(kQueryRange,
                                        {{"query", request.query},
                                         {"start", nsText(w.from)},
                                         {"end", nsText(w.to)},
                                         {"limit", std::to_string(want)},
                                         {"direction", request.backward ? "backward" : "forward"}},
                                        cancelled));
    };
    auto sendAhead = [&](int64_t emittedSoFar) {
        while (int(pages.ahead.size()) + 1 < kPagesInFlight && planner.hasNext() && emittedSoFar < limit) {
            const TimeWindow w = planner.next();
            pages.ahead.push_back(send(w, std::min(pageSize, limit - emittedSoFar)));
        }
    };

    while (true) {
        if (cancelled && cancelled->load()) {
            pages.clear();
            outcome.complete = false;
            outcome.partialReason = "cancelled";
            break;
        }
        firstOfWindow = false;
        if (!pages.current.active()) {
            if (pager.nextWindow().isValid()) {
                pages.current = send(pager.nextWindow(), std::min(pageSize, limit - emitted + pager.overlap()));
            } else {
                // This window is used up: on to the next one, whose first page may have arrived.
                sendAhead(emitted);
                if (pages.ahead.empty())
                    break;
                pages.current = std::move(pages.ahead.front());
                pages.ahead.pop_front();
                pager = LokiPager(pages.current.window, request.backward);
                windowNow = pages.current.window;
                completeness.reset();
                firstOfWindow = true;
            }
        }
        PageFetch fetch = std::move(pages.current);
        pages.current = {};
        PageAnswer answer = fetch.answer.get();
        const http::HttpRequest& req = fetch.req;
        const int64_t want = fetch.want;
        Exchange x = settle(std::move(answer.out), req, kQueryRange, &outcome);
        if (x.failure == http::HttpFailure::Cancelled) {
            outcome.complete = false;
            outcome.partialReason = "cancelled";
            break;
        }
        if (x.failure == http::HttpFailure::TooLarge && pageSize > 1) {
            pageSize = std::max<int64_t>(1, pageSize / 4); // lines are large: ask for fewer per page
            continue;
        }
        if (!x.ok()) {
            if (x.failure == http::HttpFailure::None && x.response.status == 400) {
                if (auto serverMax = serverEntryLimit(x.response.body); serverMax && *serverMax < want) {
                    maxPage = *serverMax;
                    pageSize = std::min(pageSize, maxPage);
                    continue;
                }
            }
            return x.error;
        }
        x.response.body = {}; // decoded already: the raw page need not live while the writer catches up
        if (!answer.decoded)
            return Error{req.where + " GET " + kQueryRange, "the page was not decoded", {}};
        auto& decoded = *answer.decoded;
        if (!decoded)
            return decodeError(decoded.error(), req, kQueryRange);
        LokiResponse& response = *decoded;
        passOn(response, sink, outcome);
        ++page;

        if (response.streams.empty() && !response.series.empty()) {
            // A metric query asked as logs: its (single) answer is series, nothing to paginate.
            if (auto st = emitSeries(response, request.query, sink, outcome); !st)
                return st.error();
            break;
        }

        const LokiPager::Page p = pager.accept(response, want);
        const int64_t freshThisPage = std::min<int64_t>(int64_t(p.fresh.size()), limit - emitted);
        const bool more = emitted + freshThisPage < limit;
        if (firstOfWindow)
            planner.observe(fetch.window, int64_t(p.fresh.size()), p.exhausted, pageSize);
        else if (!planner.started() && page == 1 && more && !p.exhausted && !p.stuck
                 && planner.start(pager, int64_t(p.fresh.size()), pageSize))
            windowNow = request.backward ? TimeWindow{pager.nextWindow().from, windowNow.to}
                                         : TimeWindow{windowNow.from, pager.nextWindow().to};
        if (more && !p.exhausted && !p.stuck && pager.nextWindow().isValid())
            pages.current = send(pager.nextWindow(), std::min(pageSize, limit - emitted - freshThisPage + pager.overlap()));
        if (more)
            sendAhead(emitted + freshThisPage);

        // The stream's key and resource, resolved once per stream and page (not per line).
        std::vector<std::string> streamKeys(response.streams.size());
        std::vector<const ResourcePtr*> streamResource(response.streams.size(), nullptr);
        TelemetryBatch batch;
        batch.logs.reserve(size_t(freshThisPage));
        for (const auto& [s, e] : p.fresh) {
            if (emitted >= limit)
                break;
            const LokiStream& stream = response.streams[s];
            if (!streamResource[s]) {
                streamKeys[s] = lokiStreamKey(stream.labels);
                streamResource[s] = &out.resource(streamKeys[s], stream.labels);
            }
            batch.logs.push_back(lokiLogRecord(stream.entries[e], stream.labels, *streamResource[s]));
            if (verifying)
                completeness.record(streamKeys[s], stream.entries[e]);
            ++emitted;
        }
        const int64_t emittedThisPage = int64_t(batch.logs.size());
        outcome.records += emittedThisPage;
        if (!batch.empty())
            if (auto st = sink.batch(std::move(batch)); !st)
                return st.error();
        if (progress) {
            FetchProgress fp;
            fp.requestsDone = outcome.requests;
            fp.bytes = outcome.bytes;
            fp.records = outcome.records;
            fp.stage = "page " + std::to_string(page);
            progress(fp);
        }
        if (verifying && p.exhausted && emittedThisPage == int64_t(p.fresh.size())) {
            // The window is used up with every line stored: check it against Loki's count.
            CompletenessServer server{request, build, m_client, out, pageSize, maxPage, {}};
            LokiCompleteness::Server bound = server.bind();
            auto verdict = completeness.verify(windowNow, bound, pageSize, cancelled);
            if (cancelled && cancelled->load()) {
                outcome.complete = false;
                outcome.partialReason = "cancelled";
                break;
            }
            if (!verdict) {
                // A Loki that cannot count (a gateway passing only query_range, an old version) still
                // gave its lines: say they were not checked, and stop asking.
                outcome.warnings.push_back("lines not checked against Loki's count: " + verdict.error().what);
                verifying = false;
            } else {
                mismatches.insert(mismatches.end(), verdict->mismatches.begin(), verdict->mismatches.end());
                if (!verdict->failure.empty()) {
                    // The window is known to be short and could not be repaired: the mismatch makes
                    // the fetch partial; later windows are not checked against a failing server.
                    outcome.warnings.push_back("re-fetching a window Loki counts more lines in failed: " + verdict->failure);
                    verifying = false;
                }
                if (!verdict->unverified.empty())
                    outcome.warnings.push_back(verdict->unverified);
                if (verdict->limited) {
                    outcome.complete = false;
                    outcome.partialReason = "limit of " + std::to_string(limit) + " lines reached";
                    break;
                }
            }
        }
        if (emitted >= limit) {
            // Complete only if nothing is left: not in this window, and no later windows.
            if (!p.exhausted || int64_t(p.fresh.size()) > emittedThisPage || !pages.ahead.empty() || planner.hasNext()) {
                outcome.complete = false;
                outcome.partialReason = "limit of " + std::to_string(limit) + " lines reached";
            }
            break;
        }
        if (p.exhausted)
            continue; // the next window, if any
        if (p.stuck) {
            // Every line of a full page shares the boundary timestamp: a bigger page is the only way on.
            if (pageSize < maxPage) {
                pageSize = maxPage;
                continue;
            }
            outcome.complete = false;
            outcome.partialReason = "more than " + std::to_string(pageSize) + " lines share the timestamp "
                + pager.boundary().toRfc3339() + " (" + std::to_string(pager.boundary().nanos())
                + " ns); Loki cannot page past them";
            break;
        }
    }
    pages.clear();
    if (!mismatches.empty()) {
        outcome.complete = false;
        const std::string text = mismatchText(mismatches);
        outcome.partialReason = outcome.partialReason.empty() ? text : outcome.partialReason + "; " + text;
    }
    return outcome;
}

Result<FetchOutcome> LokiConnector::fetchMetrics(const FetchRequest& request, RecordSink& sink,
                                                 const std::atomic_bool* cancelled, const ProgressCallback& progress)
{
    FetchOutcome outcome;
    const Duration length = request.window.length();
    Duration step = request.step.value_or(Duration());
    if (step <= Duration()) {
        // About a thousand points per series, in whole seconds, at least 1 s.
        const int64_t seconds = std::max<int64_t>(1, (length.count() / 1000 + 999'999'999) / 1'000'000'000);
        step = Duration::seconds(seconds);
    }
    // Points at from, from+step, … strictly before `to`; Loki's `end` is inclusive for metric queries.
    const int64_t totalPoints = std::max<int64_t>(1, (length.count() + step.count() - 1) / step.count());
    struct Chunk {
        int64_t firstPoint, points;
    };
    std::deque<Chunk> chunks;
    for (int64_t p = 0; p < totalPoints; p += kMaxPointsPerSeries)
        chunks.push_back({p, std::min(kMaxPointsPerSeries, totalPoints - p)});
    const int planned = int(chunks.size());
    std::string stepText = std::to_string(step.count() / 1'000'000'000);
    if (step.count() % 1'000'000'000 != 0) {
        // Sub-second steps as float seconds ("0.25").
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.9g", step.toSeconds());
        stepText = buf;
    }

    while (!chunks.empty()) {
        if (cancelled && cancelled->load()) {
            outcome.complete = false;
            outcome.partialReason = "cancelled";
            break;
        }
        const Chunk c = chunks.front();
        const Timestamp start = request.window.from + step * c.firstPoint;
        const Timestamp end = start + step * (c.points - 1);
        http::HttpRequest req = this->request(kQueryRange,
                                              {{"query", request.query},
                                               {"start", nsText(start)},
                                               {"end", nsText(end)},
                                               {"step", stepText},
                                               {"direction", request.backward ? "backward" : "forward"}},
                                              cancelled);
        Exchange x = exchange(m_client, req, kQueryRange, &outcome);
        if (x.failure == http::HttpFailure::Cancelled) {
            outcome.complete = false;
            outcome.partialReason = "cancelled";
            break;
        }
        if (x.failure == http::HttpFailure::TooLarge && c.points > 1) {
            // Split the chunk in two and fetch the halves instead.
            chunks.pop_front();
            const int64_t half = c.points / 2;
            chunks.push_front({c.firstPoint + half, c.points - half});
            chunks.push_front({c.firstPoint, half});
            continue;
        }
        auto decoded = decodedAnswer(x, req, kQueryRange);
        if (!decoded)
            return decoded.error();
        passOn(*decoded, sink, outcome);
        if (!decoded->streams.empty())
            return Error{req.where + " GET " + kQueryRange, "the query returned log lines, not a metric",
                         "fetch it as logs, or wrap it in a metric function such as count_over_time(…[1m])"};
        if (auto st = emitSeries(*decoded, request.query, sink, outcome); !st)
            return st.error();
        chunks.pop_front();
        if (progress) {
            FetchProgress fp;
            fp.requestsDone = outcome.requests;
            fp.requestsPlanned = planned;
            fp.bytes = outcome.bytes;
            fp.records = outcome.records;
            fp.stage = "query_range " + std::to_string(planned - int(chunks.size())) + "/" + std::to_string(planned);
            progress(fp);
        }
    }
    return outcome;
}

Result<FetchOutcome> LokiConnector::fetchInstant(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled)
{
    FetchOutcome outcome;
    const Timestamp at = request.window.to == Timestamp::max() || request.window.to == Timestamp() ? Clock::current().now()
                                                                                                   : request.window.to;
    http::HttpRequest req = this->request(kQuery, {{"query", request.query}, {"time", nsText(at)}}, cancelled);
    Exchange x = exchange(m_client, req, kQuery, &outcome);
    if (x.failure == http::HttpFailure::Cancelled) {
        outcome.complete = false;
        outcome.partialReason = "cancelled";
        return outcome;
    }
    auto decoded = decodedAnswer(x, req, kQuery);
    if (!decoded)
        return decoded.error();
    passOn(*decoded, sink, outcome);
    if (auto st = emitSeries(*decoded, request.query, sink, outcome); !st)
        return st.error();
    return outcome;
}

Result<std::vector<std::string>> LokiConnector::complete(const CompletionRequest& request)
{
    std::string path;
    switch (request.what) {
    case CompletionRequest::What::LabelNames:
        path = "/loki/api/v1/labels";
        break;
    case CompletionRequest::What::LabelValues:
        if (request.label.empty())
            return Error{"loki " + m_source.name, "no label named for its values", {}};
        path = "/loki/api/v1/label/" + http::HttpClient::urlEncode(request.label) + "/values";
        break;
    default:
        return std::vector<std::string>{};
    }
    std::vector<std::pair<std::string, std::string>> params;
    if (request.window) {
        params.emplace_back("start", nsText(request.window->from));
        params.emplace_back("end", nsText(request.window->to));
    }
    if (!request.matcher.empty())
        params.emplace_back("query", request.matcher);
    http::HttpRequest req = this->request(path, params, nullptr);
    Exchange x = exchange(m_client, req, path, nullptr);
    if (!x.ok())
        return x.error;
    auto list = decodeLokiStringList(x.response.body, req.where + " GET " + path);
    if (!list)
        return decodeError(list.error(), req, path);
    std::sort(list->begin(), list->end());
    return list;
}

} // namespace rootline
