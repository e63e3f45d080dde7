#include "AlertmanagerConnector.h"

#include "http/ErrorText.h"
#include "http/HttpClient.h"
#include "sources/SourceRequest.h"

#include <nlohmann/json.hpp>

namespace rootline {
namespace {

using json = nlohmann::json;

std::string joined(const json& list)
{
    std::string out;
    if (!list.is_array())
        return out;
    for (const auto& v : list)
        if (v.is_string())
            out += (out.empty() ? "" : ",") + v.get<std::string>();
    return out;
}

std::vector<std::pair<std::string, std::string>> stringPairs(const json& obj)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (obj.is_object())
        for (auto it = obj.begin(); it != obj.end(); ++it)
            out.emplace_back(it.key(), it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
    return out;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string percentDecoded(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() + 0 && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out += char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string expressionFromGeneratorUrl(std::string_view url)
{
    const size_t q = url.find('?');
    if (q == std::string_view::npos)
        return {};
    std::string_view query = url.substr(q + 1);
    if (const size_t hash = query.find('#'); hash != std::string_view::npos)
        query = query.substr(0, hash);
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        if (param.starts_with("g0.expr="))
            return percentDecoded(param.substr(8));
        if (amp == std::string_view::npos)
            break;
        query = query.substr(amp + 1);
    }
    return {};
}

Result<std::vector<Alert>> decodeAlertmanagerAlerts(std::string_view body, const std::string& origin, const std::string& source)
{
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded())
        return Error{origin, "the answer is not JSON", "check that the source's URL is an Alertmanager (port 9093)"};
    if (!doc.is_array())
        return Error{origin, "expected a JSON array of alerts", "check that the source's URL is an Alertmanager (API v2)"};
    std::vector<Alert> out;
    out.reserve(doc.size());
    for (size_t i = 0; i < doc.size(); ++i) {
        const json& a = doc[i];
        const std::string where = origin + "#" + std::to_string(i);
        if (!a.is_object())
            return Error{where, "an alert is not a JSON object", {}};
        Alert alert;
        alert.source = source;
        alert.state = AlertState::Firing; // Alertmanager holds only alerts that fire (or fired until endsAt)
        alert.labels = stringPairs(a.value("labels", json::object()));
        alert.annotations = stringPairs(a.value("annotations", json::object()));
        for (const auto& [k, v] : alert.labels)
            if (k == "alertname")
                alert.name = v;
        if (const auto it = a.find("startsAt"); it != a.end() && it->is_string()) {
            auto t = parseRfc3339(it->get<std::string>());
            if (!t)
                return Error{where, "startsAt: " + t.error().what, {}};
            alert.activeSince = *t;
        }
        const json status = a.value("status", json::object());
        alert.annotations.emplace_back(kAlertmanagerStateAnnotation, status.value("state", "active"));
        if (std::string s = joined(status.value("silencedBy", json::array())); !s.empty())
            alert.annotations.emplace_back(kSilencedByAnnotation, std::move(s));
        if (std::string s = joined(status.value("inhibitedBy", json::array())); !s.empty())
            alert.annotations.emplace_back(kInhibitedByAnnotation, std::move(s));
        const std::string generator = a.value("generatorURL", "");
        if (!generator.empty()) {
            alert.annotations.emplace_back("generator_url", generator);
            if (std::string expr = expressionFromGeneratorUrl(generator); !expr.empty())
                alert.annotations.emplace_back(kRuleExprAnnotation, std::move(expr));
        }
        out.push_back(std::move(alert));
    }
    return out;
}

AlertmanagerConnector::AlertmanagerConnector(Source source, http::HttpClient& client)
    : m_source(std::move(source))
    , m_http(client)
{
}

Result<std::string> AlertmanagerConnector::get(const std::string& pathAndQuery, const std::atomic_bool* cancelled, int64_t* bytes)
{
    http::HttpRequest req = sourceRequest(m_source, "GET", pathAndQuery);
    req.cancelled = cancelled;
    http::HttpOutcome o = m_http.execute(req);
    if (bytes)
        *bytes += int64_t(o.response.body.size());
    const std::string where = req.where + " GET " + pathAndQuery.substr(0, pathAndQuery.find('?'));
    if (o.failure != http::HttpFailure::None) {
        Error e = o.error;
        if (e.where.empty())
            e.where = where;
        if (e.hint.empty() && o.failure == http::HttpFailure::Connect)
            e.hint = "check that the source's URL (Alertmanager, port 9093) is reachable";
        return e;
    }
    if (!o.response.isSuccess()) {
        const long s = o.response.status;
        Error e{where, "HTTP " + std::to_string(s), {}};
        if (s == 401 || s == 403)
            e.hint = "check the source's credentials";
        else if (s == 404)
            e.hint = "check the source's URL: it should be an Alertmanager with API v2 (0.16 or later)";
        else if (s >= 500)
            e.hint = "Alertmanager is failing; try again later";
        return e;
    }
    return std::move(o.response.body);
}

Result<ConnectionInfo> AlertmanagerConnector::testConnection()
{
    ConnectionInfo info;
    auto body = get("/api/v2/status", nullptr, nullptr);
    if (!body)
        return body.error();
    info.reachable = true;
    json doc = json::parse(*body, nullptr, false);
    if (!doc.is_discarded() && doc.is_object()) {
        const json v = doc.value("versionInfo", json::object());
        info.version = v.value("version", "");
        info.detail = "alertmanager api v2";
    }
    return info;
}

Result<std::vector<Alert>> AlertmanagerConnector::alerts(const std::atomic_bool* cancelled, int64_t* bytes)
{
    // Every alert it holds, the silenced and inhibited ones too (marked, not hidden).
    auto body = get("/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true", cancelled, bytes);
    if (!body)
        return body.error();
    return decodeAlertmanagerAlerts(*body, "alertmanager " + m_source.name + " /api/v2/alerts", "alertmanager:" + m_source.name);
}

Result<FetchOutcome> AlertmanagerConnector::fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                                  const ProgressCallback& progress)
{
    if (request.kind != FetchKind::Alerts)
        return Error{"alertmanager " + m_source.name, std::string("cannot fetch ") + fetchKindName(request.kind) + " from Alertmanager",
                     "Alertmanager serves alerts only"};
    FetchOutcome o;
    auto r = alerts(cancelled, &o.bytes);
    o.requests = 1;
    if (!r)
        return r.error();
    o.records = int64_t(r->size());
    if (progress)
        progress(FetchProgress{1, 1, o.bytes, o.records, "alerts"});
    TelemetryBatch batch;
    batch.alerts = std::move(*r);
    if (!batch.empty())
        if (auto st = sink.batch(std::move(batch)); !st)
            return st.error();
    return o;
}

} // namespace rootline
