#include "FakeJaegerServer.h"

#include "FakeTimeText.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <limits>
#include <optional>
#include <regex>
#include <set>

namespace rootline::test {

namespace {

using json = nlohmann::json;

// Go's time.ParseDuration: a unit is required (except for "0").
std::optional<int64_t> goDurationNs(const std::string& text)
{
    if (text == "0")
        return 0;
    static const std::regex part(R"((\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))");
    int64_t total = 0;
    size_t consumed = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), part), end; it != end; ++it) {
        if (size_t(it->position()) != consumed)
            return std::nullopt;
        consumed += size_t(it->length());
        const double v = std::stod((*it)[1].str());
        const std::string unit = (*it)[2].str();
        const double mul = unit == "ns" ? 1 : (unit == "us" || unit == "µs") ? 1e3 : unit == "ms" ? 1e6 : unit == "s" ? 1e9
            : unit == "m" ? 60e9 : 3600e9;
        total += int64_t(std::llround(v * mul));
    }
    if (consumed == 0 || consumed != text.size())
        return std::nullopt;
    return total;
}

// time.RFC3339Nano as Go parses it (here: UTC "Z" only, which is what a careful client sends).
std::optional<int64_t> rfc3339Ns(const std::string& text)
{
    const auto t = parseRfc3339Utc(text);
    if (!t || t->end != text.size())
        return std::nullopt;
    return t->ns;
}

std::optional<std::string> normaliseId(std::string id)
{
    if (id.empty() || id.size() > 32 || !std::all_of(id.begin(), id.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
    std::transform(id.begin(), id.end(), id.begin(), [](char c) { return char(std::tolower(c)); });
    return std::string(32 - id.size(), '0') + id;
}

std::string stripZeros(const std::string& id)
{
    const size_t first = id.find_first_not_of('0');
    return first == std::string::npos ? "0" : id.substr(first);
}

// What Jaeger ≥ 1.16 writes: 16 hex digits when the high half is zero, else 32.
std::string jaegerTraceId(const std::string& hex32, bool shortIds)
{
    if (shortIds)
        return stripZeros(hex32);
    return hex32.compare(0, 16, "0000000000000000") == 0 ? hex32.substr(16) : hex32;
}

FakeResponse classicError(int code, const std::string& msg)
{
    // Go http.Error: text/plain, the JSON envelope, a trailing newline.
    json body = {{"data", nullptr}, {"total", 0}, {"limit", 0}, {"offset", 0}, {"errors", json::array({{{"code", code}, {"msg", msg}}})}};
    return FakeResponse::text(body.dump() + "\n", code);
}

FakeResponse v3Error(int code, const std::string& msg)
{
    json body = {{"error", {{"httpCode", code}, {"message", msg}}}};
    return FakeResponse::text(body.dump() + "\n", code);
}

// How each API words the faults: errors in its own envelope, bodies of its own shape.
const FaultBodies& classicFaultBodies()
{
    static const FaultBodies bodies{
        [](int status) { return classicError(status, status == 429 ? "too many requests" : "storage unavailable: cassandra timeout"); },
        R"({"data":[{"traceID":"1","spans":[)",
        [](size_t bytes) {
            return R"({"data":[{"traceID":"1","spans":[],"processes":{},"warnings":[")" + std::string(bytes, 'x') + R"("]}],"errors":null})";
        },
        R"({"data":[)",
        R"({"traceID":"1","spans":[],"processes":{}},)"};
    return bodies;
}

const FaultBodies& v3FaultBodies()
{
    static const FaultBodies bodies{
        [](int status) { return v3Error(status, status == 429 ? "too many requests" : "storage unavailable: cassandra timeout"); },
        R"({"data":[{"traceID":"1","spans":[)",
        [](size_t bytes) {
            return R"({"result":{"resourceSpans":[{"resource":{"attributes":[{"key":"junk","value":{"stringValue":")" + std::string(bytes, 'x')
                + R"("}}]},"scopeSpans":[]}]}})";
        },
        R"({"result":{"resourceSpans":[)",
        R"({"resource":{},"scopeSpans":[]},)"};
    return bodies;
}

FakeResponse classicData(json data)
{
    json body = {{"data", std::move(data)}, {"total", 0}, {"limit", 0}, {"offset", 0}, {"errors", nullptr}};
    if (body["data"].is_array())
        body["total"] = body["data"].size();
    return FakeResponse::json(body.dump());
}

json classicTrace(const std::vector<const FakeJaegerSpan*>& spans, bool shortIds)
{
    std::map<std::string, std::string> processIds;
    json processes = json::object();
    json out = json::array();
    for (const FakeJaegerSpan* s : spans) {
        auto it = processIds.find(s->service);
        if (it == processIds.end()) {
            const std::string pid = "p" + std::to_string(processIds.size() + 1);
            it = processIds.emplace(s->service, pid).first;
            processes[pid] = {{"serviceName", s->service}, {"tags", json::array({{{"key", "hostname"}, {"type", "string"}, {"value", "host-" + s->service}}})}};
        }
        json tags = json::array();
        for (const auto& [k, v] : s->tags)
            tags.push_back({{"key", k}, {"type", "string"}, {"value", v}});
        tags.push_back({{"key", "span.kind"}, {"type", "string"}, {"value", s->kind == 3 ? "client" : "server"}});
        if (s->error)
            tags.push_back({{"key", "error"}, {"type", "bool"}, {"value", true}});
        // int64 beyond 2^53 travels as a string (wire-formats.md §0.3).
        tags.push_back({{"key", "request.bytes"}, {"type", "int64"}, {"value", "9223372036854775222"}});
        json refs = json::array();
        if (!s->parentId.empty())
            refs.push_back({{"refType", "CHILD_OF"}, {"traceID", jaegerTraceId(s->traceId, shortIds)},
                            {"spanID", shortIds ? stripZeros(s->parentId) : s->parentId}});
        out.push_back({{"traceID", jaegerTraceId(s->traceId, shortIds)},
                       {"spanID", shortIds ? stripZeros(s->spanId) : s->spanId},
                       {"flags", 1},
                       {"operationName", s->operation},
                       {"references", refs},
                       {"startTime", s->startUs},
                       {"duration", s->durationUs},
                       {"tags", tags},
                       {"logs", json::array()},
                       {"processID", it->second},
                       {"warnings", nullptr}});
    }
    return {{"traceID", jaegerTraceId(spans.front()->traceId, shortIds)}, {"spans", out}, {"processes", processes}, {"warnings", nullptr}};
}

json otlpResourceSpans(const std::vector<const FakeJaegerSpan*>& spans)
{
    // One resourceSpans per service, in order of first appearance.
    std::vector<std::string> services;
    for (const FakeJaegerSpan* s : spans)
        if (std::find(services.begin(), services.end(), s->service) == services.end())
            services.push_back(s->service);
    json out = json::array();
    for (const auto& service : services) {
        json list = json::array();
        for (const FakeJaegerSpan* s : spans) {
            if (s->service != service)
                continue;
            json attrs = json::array();
            for (const auto& [k, v] : s->tags)
                attrs.push_back({{"key", k}, {"value", {{"stringValue", v}}}});
            json span = {{"traceId", s->traceId},
                         {"spanId", s->spanId},
                         {"name", s->operation},
                         {"kind", s->kind},
                         {"startTimeUnixNano", std::to_string(s->startUs * 1000)},
                         {"endTimeUnixNano", std::to_string((s->startUs + s->durationUs) * 1000)},
                         {"attributes", attrs},
                         {"status", s->error ? json{{"code", 2}} : json::object()}};
            if (!s->parentId.empty())
                span["parentSpanId"] = s->parentId;
            list.push_back(std::move(span));
        }
        out.push_back({{"resource", {{"attributes", json::array({{{"key", "service.name"}, {"value", {{"stringValue", service}}}}})}}},
                       {"scopeSpans", json::array({{{"scope", {{"name", "fake-jaeger"}}}, {"spans", list}}})}});
    }
    return out;
}

} // namespace

FakeJaegerServer::FakeJaegerServer(JaegerFlavour flavour)
    : m_flavour(flavour), m_http([this](const FakeRequest& r) { return handle(r); })
{
}

FakeJaegerServer::~FakeJaegerServer()
{
    m_http.stop();
}

bool FakeJaegerServer::start()
{
    return m_http.start();
}

void FakeJaegerServer::addSpan(FakeJaegerSpan span)
{
    std::lock_guard lock(m_mutex);
    m_spans.push_back(std::move(span));
}

void FakeJaegerServer::addRawTrace(const std::string& traceIdHex, std::string classicBody, std::string v3Body)
{
    std::lock_guard lock(m_mutex);
    m_raw[*normaliseId(traceIdHex)] = {std::move(classicBody), std::move(v3Body)};
}

void FakeJaegerServer::setShortIds(bool strip)
{
    std::lock_guard lock(m_mutex);
    m_shortIds = strip;
}

void FakeJaegerServer::setV3HonoursAttributes(bool honours)
{
    std::lock_guard lock(m_mutex);
    m_v3Attributes = honours;
}

std::vector<FakeRequest> FakeJaegerServer::traceRequests() const
{
    auto out = m_http.requests();
    std::erase_if(out, [](const FakeRequest& r) { return !r.path.starts_with("/api/traces") && !r.path.starts_with("/api/v3/traces"); });
    return out;
}

FakeResponse FakeJaegerServer::withFault(FakeResponse normal, bool v3)
{
    return FaultInjector::apply(m_faults.take(), std::move(normal), v3 ? v3FaultBodies() : classicFaultBodies());
}

FakeResponse FakeJaegerServer::handle(const FakeRequest& request)
{
    const bool classicApi = m_flavour != JaegerFlavour::V3Only;
    const bool v3Api = m_flavour != JaegerFlavour::Classic;
    if (request.method != "GET")
        return FakeResponse::text("405 method not allowed\n", 405);
    std::vector<std::string> services;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& s : m_spans)
            if (std::find(services.begin(), services.end(), s.service) == services.end())
                services.push_back(s.service);
    }
    std::sort(services.begin(), services.end());
    auto operations = [&](const std::string& service) {
        std::vector<std::pair<std::string, std::string>> ops;
        std::lock_guard lock(m_mutex);
        for (const auto& s : m_spans) {
            std::pair<std::string, std::string> op{s.operation, s.kind == 3 ? "client" : "server"};
            if (s.service == service && std::find(ops.begin(), ops.end(), op) == ops.end())
                ops.push_back(op);
        }
        return ops;
    };

    if (v3Api && request.path == "/api/v3/services")
        return FakeResponse::json(json{{"services", services}}.dump());
    if (v3Api && request.path == "/api/v3/operations") {
        json ops = json::array();
        for (const auto& [name, kind] : operations(request.param("service").value_or("")))
            ops.push_back({{"name", name}, {"spanKind", kind}});
        return FakeResponse::json(json{{"operations", ops}}.dump());
    }
    if (v3Api && request.path == "/api/v3/traces")
        return withFault(v3Search(request), true);
    if (v3Api && request.path.rfind("/api/v3/traces/", 0) == 0)
        return withFault(byId(request, true), true);

    if (classicApi && request.path == "/api/services")
        return classicData(services);
    if (classicApi && request.path == "/api/operations") {
        const auto service = request.param("service");
        if (!service || service->empty())
            return classicError(400, "parameter 'service' is required");
        json ops = json::array();
        for (const auto& [name, kind] : operations(*service))
            ops.push_back({{"name", name}, {"spanKind", kind}});
        return classicData(ops);
    }
    if (classicApi && request.path == "/api/traces")
        return withFault(classicSearch(request), false);
    // /api/traces/{id} survives in every flavour.
    if (request.path.rfind("/api/traces/", 0) == 0)
        return withFault(byId(request, false), false);
    return FakeResponse::text("404 page not found\n", 404);
}

FakeResponse FakeJaegerServer::classicSearch(const FakeRequest& request)
{
    const auto service = request.param("service");
    if (!service || service->empty())
        return classicError(400, "parameter 'service' is required");
    int64_t startUs = 0, endUs = std::numeric_limits<int64_t>::max();
    for (const char* p : {"start", "end"}) {
        const auto v = request.param(p);
        if (!v) {
            problem(std::string("no ") + p + " on " + request.target + " (the server would default to the last 48 h)");
            continue;
        }
        if (!allDigits(*v))
            return classicError(400, std::string("unable to parse param '") + p + "': strconv.ParseInt: parsing \"" + *v + "\": invalid syntax");
        if (v->size() != 16)
            problem(std::string(p) + "=" + *v + " is not in microseconds (16 digits expected)");
        (std::string(p) == "start" ? startUs : endUs) = std::stoll(*v);
    }
    std::optional<int64_t> minNs, maxNs;
    for (const char* p : {"minDuration", "maxDuration"}) {
        if (const auto v = request.param(p)) {
            const auto d = goDurationNs(*v);
            if (!d)
                return classicError(400, std::string("unable to parse param '") + p + "': time: invalid duration \"" + *v + "\"");
            (std::string(p) == "minDuration" ? minNs : maxNs) = *d;
        }
    }
    if (minNs && maxNs && *maxNs < *minNs)
        return classicError(400, "'maxDuration' should be greater than 'minDuration'");
    int64_t limit = 100;
    if (const auto l = request.param("limit")) {
        if (!allDigits(*l))
            return classicError(400, "unable to parse param 'limit'");
        limit = std::stoll(*l);
    }
    std::vector<std::pair<std::string, std::string>> tags;
    if (const auto t = request.param("tags")) {
        const auto doc = json::parse(*t, nullptr, false);
        if (!doc.is_object())
            return classicError(400, "malformed 'tags' parameter: " + *t);
        for (const auto& [k, v] : doc.items()) {
            if (!v.is_string())
                return classicError(400, "malformed 'tags' parameter, cannot unmarshal tag value of key " + k + " into string");
            tags.emplace_back(k, v.get<std::string>());
        }
    }
    for (const auto& v : request.params("tag")) {
        const size_t colon = v.find(':');
        tags.emplace_back(v.substr(0, colon), colon == std::string::npos ? "" : v.substr(colon + 1));
    }
    const std::string operation = request.param("operation").value_or("");

    std::lock_guard lock(m_mutex);
    std::map<std::string, std::vector<const FakeJaegerSpan*>> byTrace;
    for (const auto& s : m_spans)
        byTrace[s.traceId].push_back(&s);
    struct Match {
        int64_t start;
        std::string id;
    };
    std::vector<Match> matches;
    for (const auto& [id, spans] : byTrace) {
        const bool hit = std::any_of(spans.begin(), spans.end(), [&](const FakeJaegerSpan* s) {
            if (s->service != *service || (!operation.empty() && s->operation != operation))
                return false;
            if (s->startUs < startUs || s->startUs > endUs)
                return false;
            if ((minNs && s->durationUs * 1000 < *minNs) || (maxNs && s->durationUs * 1000 > *maxNs))
                return false;
            for (const auto& [k, v] : tags) {
                const bool found = std::any_of(s->tags.begin(), s->tags.end(), [&](const auto& t) { return t.first == k && t.second == v; })
                    || (k == "error" && v == "true" && s->error);
                if (!found)
                    return false;
            }
            return true;
        });
        if (hit)
            matches.push_back({spans.front()->startUs, id});
    }
    std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) { return a.start > b.start; });
    if (int64_t(matches.size()) > limit)
        matches.resize(size_t(limit));
    json data = json::array();
    for (const auto& m : matches)
        data.push_back(classicTrace(byTrace[m.id], m_shortIds));
    return classicData(std::move(data));
}

FakeResponse FakeJaegerServer::v3Search(const FakeRequest& request)
{
    const auto minText = request.param("query.start_time_min");
    const auto maxText = request.param("query.start_time_max");
    if (!minText || !maxText || minText->empty() || maxText->empty())
        return v3Error(400, "query.start_time_min and query.start_time_max are required");
    const auto minT = rfc3339Ns(*minText);
    if (!minT)
        return v3Error(400, "malformed parameter query.start_time_min: parsing time \"" + *minText + "\" as \"2006-01-02T15:04:05.999999999Z07:00\"");
    const auto maxT = rfc3339Ns(*maxText);
    if (!maxT)
        return v3Error(400, "malformed parameter query.start_time_max: parsing time \"" + *maxText + "\" as \"2006-01-02T15:04:05.999999999Z07:00\"");
    std::optional<int64_t> minNs, maxNs;
    for (const char* p : {"query.duration_min", "query.duration_max"}) {
        if (const auto v = request.param(p)) {
            const auto d = goDurationNs(*v);
            if (!d)
                return v3Error(400, std::string("malformed parameter ") + p + ": time: invalid duration \"" + *v + "\"");
            (std::string(p) == "query.duration_min" ? minNs : maxNs) = *d;
        }
    }
    int64_t depth = 0;
    for (const char* p : {"query.search_depth", "query.num_traces"})
        if (const auto v = request.param(p); v && depth == 0) {
            if (!allDigits(*v))
                return v3Error(400, std::string("malformed parameter ") + p + ": strconv.Atoi: parsing \"" + *v + "\": invalid syntax");
            depth = std::stoll(*v);
        }
    const std::string service = request.param("query.service_name").value_or("");
    const std::string operation = request.param("query.operation_name").value_or("");
    std::vector<std::pair<std::string, std::string>> attributes;
    std::lock_guard lock(m_mutex);
    if (m_v3Attributes)
        if (const auto a = request.param("query.attributes")) {
            const auto doc = json::parse(*a, nullptr, false);
            if (!doc.is_object())
                return v3Error(400, "malformed parameter query.attributes");
            for (const auto& [k, v] : doc.items())
                attributes.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
        }
    std::map<std::string, std::vector<const FakeJaegerSpan*>> byTrace;
    for (const auto& s : m_spans)
        byTrace[s.traceId].push_back(&s);
    std::vector<std::pair<int64_t, std::string>> matches;
    for (const auto& [id, spans] : byTrace) {
        const bool hit = std::any_of(spans.begin(), spans.end(), [&](const FakeJaegerSpan* s) {
            if ((!service.empty() && s->service != service) || (!operation.empty() && s->operation != operation))
                return false;
            const int64_t startNs = s->startUs * 1000;
            if (startNs < *minT || startNs > *maxT)
                return false;
            if ((minNs && s->durationUs * 1000 < *minNs) || (maxNs && s->durationUs * 1000 > *maxNs))
                return false;
            for (const auto& [k, v] : attributes)
                if (std::none_of(s->tags.begin(), s->tags.end(), [&](const auto& t) { return t.first == k && t.second == v; }))
                    return false;
            return true;
        });
        if (hit)
            matches.emplace_back(spans.front()->startUs, id);
    }
    if (matches.empty())
        return v3Error(404, "No traces found");
    std::sort(matches.begin(), matches.end(), std::greater<>());
    if (depth > 0 && int64_t(matches.size()) > depth)
        matches.resize(size_t(depth));
    json resourceSpans = json::array();
    for (const auto& [start, id] : matches)
        for (auto& rs : otlpResourceSpans(byTrace[id]))
            resourceSpans.push_back(std::move(rs));
    return FakeResponse::json(json{{"result", {{"resourceSpans", resourceSpans}}}}.dump());
}

FakeResponse FakeJaegerServer::byId(const FakeRequest& request, bool v3)
{
    const std::string prefix = v3 ? "/api/v3/traces/" : "/api/traces/";
    const std::string raw = request.path.substr(prefix.size());
    const auto id = normaliseId(raw);
    if (!id)
        return v3 ? v3Error(400, "malformed parameter trace_id: TraceID cannot be longer than 32 hex characters: " + raw)
                  : classicError(400, "cannot parse traceID param: " + raw);
    if (raw.size() != 32 && raw.size() != 16)
        problem("trace id \"" + raw + "\" sent unpadded");
    for (const char* p : {"start_time", "end_time"})
        if (const auto v = request.param(p); v && v3 && !rfc3339Ns(*v))
            return v3Error(400, std::string("malformed parameter ") + p + ": " + *v);
    std::lock_guard lock(m_mutex);
    if (auto it = m_raw.find(*id); it != m_raw.end())
        return FakeResponse::json(v3 ? it->second.second : it->second.first);
    std::vector<const FakeJaegerSpan*> spans;
    for (const auto& s : m_spans)
        if (s.traceId == *id)
            spans.push_back(&s);
    if (spans.empty())
        return v3 ? v3Error(404, "trace not found") : classicError(404, "trace not found");
    if (v3)
        return FakeResponse::json(json{{"result", {{"resourceSpans", otlpResourceSpans(spans)}}}}.dump());
    return classicData(json::array({classicTrace(spans, m_shortIds)}));
}

} // namespace rootline::test
