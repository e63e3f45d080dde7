#include "JaegerConnector.h"

#include "core/Clock.h"
#include "http/ErrorText.h"
#include "http/HttpClient.h"
#include "import/JaegerJson.h"
#include "import/OtlpJson.h"
#include "sources/SourceRequest.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace rootline {

namespace {

constexpr const char* kV3Services = "/api/v3/services";
constexpr const char* kV3Operations = "/api/v3/operations";
constexpr const char* kV3Traces = "/api/v3/traces";
constexpr const char* kServices = "/api/services";
constexpr const char* kOperations = "/api/operations";
constexpr const char* kTraces = "/api/traces";

std::string trimmed(std::string_view s, size_t max = 400)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.remove_suffix(1);
    std::string out(s.substr(0, max));
    if (s.size() > max)
        out += "…";
    return out;
}

// Jaeger writes errors as JSON inside a text/plain answer (Go http.Error): classic
// {"data":null,"errors":[{"code":400,"msg":"…"}]}, api_v3 {"error":{"httpCode":400,"message":"…"}}.
std::string errorText(const std::string& body)
{
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object()) {
        if (auto it = doc.find("errors"); it != doc.end() && it->is_array()) {
            std::string all;
            for (const auto& e : *it)
                if (e.is_object() && e.contains("msg") && e["msg"].is_string())
                    all += (all.empty() ? "" : "; ") + e["msg"].get<std::string>();
            if (!all.empty())
                return all;
        }
        if (auto it = doc.find("error"); it != doc.end() && it->is_object() && it->contains("message")
            && (*it)["message"].is_string())
            return (*it)["message"].get<std::string>();
    }
    return trimmed(body);
}

struct Exchange {
    http::HttpFailure failure = http::HttpFailure::None;
    http::HttpResponse response;
    Error error;
    bool ok() const { return failure == http::HttpFailure::None && response.isSuccess(); }
};

Exchange exchange(http::HttpClient& client, const http::HttpRequest& req, const std::string& endpoint, FetchOutcome* outcome)
{
    Exchange x;
    http::HttpOutcome o = client.execute(req);
    if (outcome) {
        ++outcome->requests;
        outcome->bytes += int64_t(o.response.body.size());
    }
    x.failure = o.failure;
    x.response = std::move(o.response);
    const std::string where = req.where + " " + req.method + " " + endpoint;
    if (x.failure != http::HttpFailure::None) {
        x.error = o.error;
        if (x.error.where.empty())
            x.error.where = where;
        if (x.error.hint.empty()) {
            if (x.failure == http::HttpFailure::Timeout)
                x.error.hint = "Jaeger did not answer in time: narrow the search or raise the source's timeout";
            else if (x.failure == http::HttpFailure::Connect)
                x.error.hint = "check that the source's URL (Jaeger query, port 16686) is reachable";
            else if (x.failure == http::HttpFailure::TooLarge)
                x.error.hint = "lower the trace limit or narrow the time window";
        }
    } else if (!x.response.isSuccess()) {
        const long s = x.response.status;
        x.error.where = where;
        x.error.what = "HTTP " + std::to_string(s);
        if (const std::string text = errorText(x.response.body); !text.empty())
            x.error.what += ": " + text;
        if (s == 400)
            x.error.hint = "check the search terms (service, operation, tags, durations)";
        else if (s == 401 || s == 403)
            x.error.hint = "check the source's credentials";
        else if (s == 404)
            x.error.hint = "check the source's URL: it should be Jaeger's query service";
        else if (s == 501)
            x.error.hint = "this Jaeger has the feature disabled";
        else if (s == 429 || s >= 500)
            x.error.hint = "Jaeger or its storage is failing or overloaded; try again later";
    }
    return x;
}

// logfmt-ish "k=v k2=\"v 2\"" → pairs.
std::vector<std::pair<std::string, std::string>> parseTagList(std::string_view text)
{
    std::vector<std::pair<std::string, std::string>> out;
    size_t i = 0;
    auto skipSpace = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ','))
            ++i;
    };
    while (true) {
        skipSpace();
        if (i >= text.size())
            break;
        std::string key, value;
        while (i < text.size() && text[i] != '=' && text[i] != ' ')
            key.push_back(text[i++]);
        if (i < text.size() && text[i] == '=') {
            ++i;
            if (i < text.size() && text[i] == '"') {
                ++i;
                while (i < text.size() && text[i] != '"') {
                    if (text[i] == '\\' && i + 1 < text.size())
                        ++i;
                    value.push_back(text[i++]);
                }
                ++i;
            } else {
                while (i < text.size() && text[i] != ' ')
                    value.push_back(text[i++]);
            }
        }
        if (!key.empty())
            out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

struct SearchTerms {
    std::string service, operation;
    std::vector<std::pair<std::string, std::string>> tags;
    std::optional<Duration> minDuration, maxDuration, lookback;
    int64_t limit = 0;
};

Result<SearchTerms> readSearch(const FetchRequest& request, const std::string& where)
{
    SearchTerms t;
    for (const auto& [key, value] : request.search) {
        // Structured bindings are captured by init-capture: clang 14 (the fuzzing build) refuses them otherwise.
        auto duration = [&where, &k = key, &v = value](std::optional<Duration>& into) -> Status {
            auto d = parseDuration(v);
            if (!d)
                return Error{where, k + " \"" + v + "\" is not a duration", "write it like 1.2s, 100ms or 5us"};
            into = *d;
            return {};
        };
        if (key == "service") {
            t.service = value;
        } else if (key == "operation") {
            t.operation = value;
        } else if (key == "tags") {
            for (auto& kv : parseTagList(value))
                t.tags.push_back(std::move(kv));
        } else if (key == "minDuration" || key == "min_duration") {
            if (auto st = duration(t.minDuration); !st)
                return st.error();
        } else if (key == "maxDuration" || key == "max_duration") {
            if (auto st = duration(t.maxDuration); !st)
                return st.error();
        } else if (key == "lookback") {
            if (auto st = duration(t.lookback); !st)
                return st.error();
        } else if (key == "limit") {
            try {
                t.limit = std::stoll(value);
            } catch (...) {
                return Error{where, "limit \"" + value + "\" is not a number", {}};
            }
        } else {
            t.tags.emplace_back(key, value);
        }
    }
    if (request.limit > 0)
        t.limit = request.limit;
    if (t.limit <= 0)
        t.limit = JaegerConnector::kDefaultTraceLimit;
    if (t.service.empty())
        return Error{where, "a trace search needs a service", "add --search service=NAME (see the source's services)"};
    if (t.minDuration && t.maxDuration && *t.maxDuration < *t.minDuration)
        return Error{where, "maxDuration is shorter than minDuration", {}};
    return t;
}

std::string tagsJson(const std::vector<std::pair<std::string, std::string>>& tags)
{
    nlohmann::json o = nlohmann::json::object();
    for (const auto& [k, v] : tags)
        o[k] = v; // Jaeger wants string values
    return o.dump();
}

bool spanHasTags(const Span& span, const std::vector<std::pair<std::string, std::string>>& tags)
{
    for (const auto& [k, v] : tags) {
        std::optional<std::string> actual = span.attributes.text(k);
        if (!actual && span.resource)
            actual = span.resource->raw.text(k);
        if (!actual && k == "error" && span.isError())
            actual = "true";
        if (!actual || *actual != v)
            return false;
    }
    return true;
}

// Parses a response into spans, then hands them on grouped by trace: `keep` decides per trace.
struct Parsed {
    CollectingSink buffer;
    std::vector<TraceId> order; // traces in the order first seen
};

// The shared parsers are forgiving (a broken value costs that value, as a file import wants); a
// response from a live server must be whole, so its syntax is checked first: a body cut short or
// garbled is an error, never a silently smaller trace.
Status checkSyntax(const std::string& body, const std::string& origin)
{
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (const auto error = parser.parse(body).get(root); error != simdjson::SUCCESS)
        return Error{origin, std::string("malformed JSON: ") + simdjson::error_message(error),
                     "the response was cut short or is not Jaeger's JSON (a proxy's error page?)"};
    return {};
}

Status parseBody(bool otlp, const std::string& body, const std::string& origin, const std::atomic_bool* cancelled, Parsed& out)
{
    if (auto st = checkSyntax(body, origin); !st)
        return st;
    ParseContext ctx;
    ctx.origin = origin;
    ctx.cancelled = cancelled;
    Status st = otlp ? parseOtlpJson(body, ctx, out.buffer) : parseJaegerJson(body, ctx, out.buffer);
    if (!st)
        return st;
    std::set<TraceId> seen;
    for (const auto& s : out.buffer.collected.spans)
        if (seen.insert(s.traceId).second)
            out.order.push_back(s.traceId);
    return {};
}

Status forward(Parsed& parsed, const std::set<TraceId>* only, RecordSink& sink, FetchOutcome& outcome)
{
    for (auto& r : parsed.buffer.rejections)
        sink.reject(std::move(r.location), std::move(r.message), std::move(r.snippet));
    TelemetryBatch batch;
    for (auto& span : parsed.buffer.collected.spans) {
        if (only && !only->count(span.traceId))
            continue;
        batch.spans.push_back(std::move(span));
        if (batch.spans.size() >= 5000) {
            outcome.records += int64_t(batch.spans.size());
            if (auto st = sink.batch(std::move(batch)); !st)
                return st;
            batch = {};
        }
    }
    if (batch.empty())
        return {};
    outcome.records += int64_t(batch.spans.size());
    return sink.batch(std::move(batch));
}

const char* apiName(JaegerConnector::Api api)
{
    switch (api) {
    case JaegerConnector::Api::V3: return "api_v3";
    case JaegerConnector::Api::Classic: return "classic /api";
    default: return "unknown";
    }
}

} // namespace

std::string goDuration(Duration d)
{
    const int64_t ns = d.count();
    if (ns == 0)
        return "0s";
    if (ns % 1'000'000'000 == 0)
        return std::to_string(ns / 1'000'000'000) + "s";
    if (ns % 1'000'000 == 0)
        return std::to_string(ns / 1'000'000) + "ms";
    if (ns % 1'000 == 0)
        return std::to_string(ns / 1'000) + "us";
    return std::to_string(ns) + "ns";
}

JaegerConnector::JaegerConnector(Source source, http::HttpClient& client) : m_source(std::move(source)), m_client(client) {}

http::HttpRequest JaegerConnector::request(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params,
                                           const std::atomic_bool* cancelled) const
{
    std::string target = path;
    if (!params.empty())
        target += "?" + http::HttpClient::formEncode(params);
    http::HttpRequest r = sourceRequest(m_source, "GET", target);
    r.headers.emplace_back("Accept", "application/json");
    r.cancelled = cancelled;
    return r;
}

void JaegerConnector::setApi(Api api)
{
    std::lock_guard lock(m_mutex);
    m_api = api;
}

Result<JaegerConnector::Api> JaegerConnector::api(const std::atomic_bool* cancelled)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_api != Api::Unknown)
            return m_api;
    }
    // api_v3 first: it is the API Jaeger keeps; the classic search is gone from Jaeger's main branch.
    http::HttpRequest v3 = request(kV3Services, {}, cancelled);
    Exchange a = exchange(m_client, v3, kV3Services, nullptr);
    if (a.failure != http::HttpFailure::None)
        return a.error; // unreachable: no point probing further
    Api found = Api::Unknown;
    if (a.response.isSuccess()) {
        const auto doc = nlohmann::json::parse(a.response.body, nullptr, false);
        if (doc.is_object() && doc.contains("services"))
            found = Api::V3;
    }
    long classicStatus = 0;
    if (found == Api::Unknown) {
        http::HttpRequest v1 = request(kServices, {}, cancelled);
        Exchange b = exchange(m_client, v1, kServices, nullptr);
        if (b.failure != http::HttpFailure::None)
            return b.error;
        classicStatus = b.response.status;
        if (b.response.isSuccess()) {
            const auto doc = nlohmann::json::parse(b.response.body, nullptr, false);
            if (doc.is_object() && doc.contains("data"))
                found = Api::Classic;
        }
    }
    if (found == Api::Unknown)
        return Error{"jaeger " + m_source.name + " " + m_source.url,
                     "neither /api/v3/services (HTTP " + std::to_string(a.response.status) + ") nor /api/services (HTTP "
                         + std::to_string(classicStatus) + ") answered like Jaeger's query service",
                     "point the source at Jaeger query (usually port 16686)"};
    std::lock_guard lock(m_mutex);
    m_api = found;
    return found;
}

Result<ConnectionInfo> JaegerConnector::testConnection()
{
    setApi(Api::Unknown); // probe afresh: the server may have been upgraded
    const auto started = std::chrono::steady_clock::now();
    auto which = api();
    if (!which)
        return which.error();
    ConnectionInfo info;
    info.reachable = true;
    info.version = std::string("jaeger ") + apiName(*which);
    CompletionRequest services;
    services.what = CompletionRequest::What::Services;
    if (auto list = complete(services))
        info.detail = std::to_string(list->size()) + " services";
    info.latency = Duration::nanos(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count());
    return info;
}

Result<FetchOutcome> JaegerConnector::fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                            const ProgressCallback& progress)
{
    if (request.kind != FetchKind::Traces && request.kind != FetchKind::Trace)
        return Error{"jaeger " + m_source.name, std::string("Jaeger cannot fetch ") + fetchKindName(request.kind),
                     "Jaeger answers trace searches (traces) and traces by id (trace)"};
    auto which = api(cancelled);
    if (!which) {
        if (http::HttpClient::failureOf(which.error()) == http::HttpFailure::Cancelled) {
            FetchOutcome o;
            o.complete = false;
            o.partialReason = "cancelled";
            return o;
        }
        return which.error();
    }
    auto result = request.kind == FetchKind::Trace ? traceById(*which, request, sink, cancelled)
                                                   : search(*which, request, sink, cancelled);
    if (result && progress) {
        FetchProgress p;
        p.requestsDone = p.requestsPlanned = result->requests;
        p.bytes = result->bytes;
        p.records = result->records;
        p.stage = request.kind == FetchKind::Trace ? "trace" : "search";
        progress(p);
    }
    return result;
}

Result<FetchOutcome> JaegerConnector::search(Api which, const FetchRequest& request, RecordSink& sink,
                                             const std::atomic_bool* cancelled)
{
    FetchOutcome outcome;
    const std::string endpoint = which == Api::V3 ? kV3Traces : kTraces;
    auto terms = readSearch(request, "jaeger " + m_source.name + " GET " + endpoint);
    if (!terms)
        return terms.error();
    TimeWindow window = request.window;
    if (!window.isValid() || window == TimeWindow::all()) {
        // Like jaeger-ui: a lookback is turned into start/end here (the server ignores `lookback`).
        const Timestamp now = Clock::current().now();
        window = {now - terms->lookback.value_or(kDefaultLookback), now};
    }

    std::vector<std::pair<std::string, std::string>> params;
    if (which == Api::V3) {
        params.emplace_back("query.service_name", terms->service);
        if (!terms->operation.empty())
            params.emplace_back("query.operation_name", terms->operation);
        params.emplace_back("query.start_time_min", window.from.toRfc3339());
        params.emplace_back("query.start_time_max", window.to.toRfc3339());
        if (terms->minDuration)
            params.emplace_back("query.duration_min", goDuration(*terms->minDuration));
        if (terms->maxDuration)
            params.emplace_back("query.duration_max", goDuration(*terms->maxDuration));
        // The deprecated name is the one every api_v3 version reads (newer ones prefer query.search_depth).
        params.emplace_back("query.num_traces", std::to_string(terms->limit));
        if (!terms->tags.empty())
            params.emplace_back("query.attributes", tagsJson(terms->tags));
    } else {
        params.emplace_back("service", terms->service);
        if (!terms->operation.empty())
            params.emplace_back("operation", terms->operation);
        if (!terms->tags.empty())
            params.emplace_back("tags", tagsJson(terms->tags));
        params.emplace_back("start", std::to_string(window.from.micros()));
        params.emplace_back("end", std::to_string(window.to.micros()));
        if (terms->minDuration)
            params.emplace_back("minDuration", goDuration(*terms->minDuration));
        if (terms->maxDuration)
            params.emplace_back("maxDuration", goDuration(*terms->maxDuration));
        params.emplace_back("limit", std::to_string(terms->limit));
    }
    http::HttpRequest req = this->request(endpoint, params, cancelled);
    Exchange x = exchange(m_client, req, endpoint, &outcome);
    if (x.failure == http::HttpFailure::Cancelled) {
        outcome.complete = false;
        outcome.partialReason = "cancelled";
        return outcome;
    }
    if (which == Api::V3 && x.failure == http::HttpFailure::None && x.response.status == 404)
        return outcome; // api_v3 says "No traces found" with a 404: an empty answer, not an error
    if (!x.ok())
        return x.error;

    Parsed parsed;
    if (auto st = parseBody(which == Api::V3, x.response.body, req.where + " GET " + endpoint, cancelled, parsed); !st) {
        Error e = st.error();
        if (e.hint.empty())
            e.hint = "the response is not Jaeger's JSON (cut short, or a proxy's page?)";
        return e;
    }
    const size_t returned = parsed.order.size();
    std::set<TraceId> keep;
    const bool filter = which == Api::V3 && !terms->tags.empty();
    if (filter) {
        // Older api_v3 gateways ignore attribute filters ("not supported by grpc-gateway"): apply them here.
        for (const auto& span : parsed.buffer.collected.spans)
            if (spanHasTags(span, terms->tags))
                keep.insert(span.traceId);
    }
    if (auto st = forward(parsed, filter ? &keep : nullptr, sink, outcome); !st)
        return st.error();
    if (int64_t(returned) >= terms->limit) {
        outcome.complete = false;
        outcome.partialReason = "limit of " + std::to_string(terms->limit) + " traces reached; there may be more";
    }
    return outcome;
}

Result<FetchOutcome> JaegerConnector::traceById(Api which, const FetchRequest& request, RecordSink& sink,
                                                const std::atomic_bool* cancelled)
{
    FetchOutcome outcome;
    auto id = parseTraceId(request.traceId);
    if (!id)
        return Error{"jaeger " + m_source.name, "\"" + request.traceId + "\" is not a trace id: " + id.error().what,
                     "give 1–32 hex digits"};
    const std::string hex = id->toHex();
    const std::string endpoint = (which == Api::V3 ? std::string(kV3Traces) : std::string(kTraces)) + "/" + hex;
    // No start_time/end_time hints: a trace is wanted whole whenever it ran, and callers (the CLI)
    // fill a default window that need not contain it.
    http::HttpRequest req = this->request(endpoint, {}, cancelled);
    Exchange x = exchange(m_client, req, endpoint, &outcome);
    if (x.failure == http::HttpFailure::Cancelled) {
        outcome.complete = false;
        outcome.partialReason = "cancelled";
        return outcome;
    }
    if (x.failure == http::HttpFailure::None && x.response.status == 404) {
        outcome.warnings.push_back("trace " + hex + " not found");
        return outcome;
    }
    if (!x.ok())
        return x.error;
    Parsed parsed;
    if (auto st = parseBody(which == Api::V3, x.response.body, req.where + " GET " + endpoint, cancelled, parsed); !st)
        return st.error();
    std::set<TraceId> only{*id};
    if (auto st = forward(parsed, &only, sink, outcome); !st)
        return st.error();
    if (parsed.order.size() > 1 || (parsed.order.size() == 1 && parsed.order[0] != *id))
        outcome.warnings.push_back("the server answered spans of other traces too; kept only " + hex);
    return outcome;
}

Result<std::vector<std::string>> JaegerConnector::complete(const CompletionRequest& request)
{
    if (request.what != CompletionRequest::What::Services && request.what != CompletionRequest::What::Operations)
        return std::vector<std::string>{};
    auto which = api();
    if (!which)
        return which.error();
    const bool v3 = *which == Api::V3;
    std::string path;
    std::vector<std::pair<std::string, std::string>> params;
    if (request.what == CompletionRequest::What::Services) {
        path = v3 ? kV3Services : kServices;
    } else {
        if (request.label.empty())
            return Error{"jaeger " + m_source.name, "operations of which service?", "name the service"};
        path = v3 ? kV3Operations : kOperations;
        params.emplace_back("service", request.label);
    }
    http::HttpRequest req = this->request(path, params, nullptr);
    Exchange x = exchange(m_client, req, path, nullptr);
    if (!v3 && request.what == CompletionRequest::What::Operations && x.failure == http::HttpFailure::None
        && x.response.status == 404) {
        // Jaeger before 1.18 knows only the legacy /api/services/{service}/operations.
        path = std::string(kServices) + "/" + http::HttpClient::urlEncode(request.label) + "/operations";
        req = this->request(path, {}, nullptr);
        x = exchange(m_client, req, path, nullptr);
    }
    if (!x.ok())
        return x.error;
    const auto doc = nlohmann::json::parse(x.response.body, nullptr, false);
    const char* key = v3 ? (request.what == CompletionRequest::What::Services ? "services" : "operations") : "data";
    if (!doc.is_object() || !doc.contains(key))
        return Error{req.where + " GET " + path, "unexpected answer: " + http::errorSnippet(req, x.response.body, 120), {}};
    std::vector<std::string> out;
    const auto& list = doc[key];
    if (list.is_array())
        for (const auto& item : list) {
            if (item.is_string())
                out.push_back(item.get<std::string>());
            else if (item.is_object() && item.contains("name") && item["name"].is_string())
                out.push_back(item["name"].get<std::string>());
        }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace rootline
